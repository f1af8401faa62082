/*
 * Failing calls, over and over, through include/fastembed.h: every kind of error the ABI reports (bad options,
 * missing and corrupt files, invalid UTF-8, bad offsets, too small buffers, NULL arguments, a runtime already
 * loaded from elsewhere, a deliberate panic), each checked for its result code and freed. Run under valgrind by
 * examples/c/run.sh: an error object, handle or result left unfreed is a "definitely lost" leak and fails the run.
 * With FAILING_CALLS_LEAK_ONE=1 it forgets one error on purpose, so run.sh can check that valgrind notices.
 *
 * usage: failing_calls <libonnxruntime> <model folder> <scratch folder> [rounds]
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastembed.h"

static int failures = 0;

/* Checks a call's result and error object, then frees the error (all a caller has to do). */
static void expect(const char *what, fe_result got, fe_result expected, fe_error *error) {
    if (got != expected) {
        fprintf(stderr, "%s: result %d, expected %d (%s)\n", what, (int) got, (int) expected,
                error ? fe_error_message(error) : "no error object");
        failures++;
    } else if (expected != FE_RESULT_OK && (!error || fe_error_code(error) != got || !fe_error_message(error) ||
                                            !*fe_error_message(error))) {
        fprintf(stderr, "%s: the error object does not carry the code and a message\n", what);
        failures++;
    }
    fe_error_free(error);
}

/* Makes the call (which stores any error in the local `error`), then checks it: the call must be complete before
 * `error` is read, so it cannot be an argument next to the call (C leaves their order unspecified). */
#define EXPECT(what, call, expected)                                                                          \
    do {                                                                                                      \
        fe_error *error = NULL;                                                                               \
        fe_result got = (call);                                                                               \
        expect(what, got, expected, error);                                                                   \
    } while (0)

/* A new string printed by `format` (the caller frees it); exits when out of memory. */
static char *format_new(const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(NULL, 0, format, args);
    va_end(args);
    char *s = n < 0 ? NULL : malloc((size_t) n + 1);
    if (!s) {
        exit(1);
    }
    va_start(args, format);
    vsnprintf(s, (size_t) n + 1, format, args);
    va_end(args);
    return s;
}

static char *join(const char *a, const char *b) {
    return format_new("%s%s", a, b);
}

static void write_file(const char *path, const char *content) {
    FILE *f = fopen(path, "wb");
    if (!f || fputs(content, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
}

/* Options {"key": "value"}; the paths used have no characters JSON must escape. */
static char *option(const char *key, const char *value) {
    return format_new("{\"%s\": \"%s\"}", key, value);
}

/* Options {"model_file": model, "tokenizer_file": tokenizer}. */
static char *files_options(const char *model, const char *tokenizer) {
    return format_new("{\"model_file\": \"%s\", \"tokenizer_file\": \"%s\"}", model, tokenizer);
}

static void failing_loads(const char *tokenizer, const char *garbage, const char *bad_tokenizer) {
    fe_text_embedding *model = NULL;
    EXPECT("options that are not JSON", fe_text_embedding_new("{not json", &model, &error),
           FE_RESULT_INVALID_ARGUMENT);
    EXPECT("an unknown option", fe_text_embedding_new("{\"model_fiel\": \"x\"}", &model, &error),
           FE_RESULT_INVALID_ARGUMENT);
    EXPECT("an option of the wrong type", fe_text_embedding_new("{\"batch_size\": \"many\"}", &model, &error),
           FE_RESULT_INVALID_ARGUMENT);
    char *missing = files_options("/nonexistent/model.onnx", tokenizer);
    EXPECT("a missing model file", fe_text_embedding_new(missing, &model, &error), FE_RESULT_IO);
    free(missing);
    char *corrupt_model = files_options(garbage, tokenizer);
    EXPECT("a model file that is not ONNX", fe_text_embedding_new(corrupt_model, &model, &error),
           FE_RESULT_INVALID_MODEL);
    free(corrupt_model);
    char *corrupt_tokenizer = files_options(garbage, bad_tokenizer);
    EXPECT("an unknown tokenizer component", fe_text_embedding_new(corrupt_tokenizer, &model, &error),
           FE_RESULT_TOKENIZER);
    free(corrupt_tokenizer);
    fe_tokenizer *t = NULL;
    char *not_json = option("tokenizer_file", garbage);
    EXPECT("tokenizer.json that is not JSON", fe_tokenizer_new(not_json, &t, &error), FE_RESULT_TOKENIZER);
    free(not_json);
    EXPECT("NULL options", fe_text_embedding_new(NULL, &model, &error), FE_RESULT_NULL_ARGUMENT);
    fe_image_embedding *image = NULL;
    EXPECT("an image model without preprocessor_config.json",
           fe_image_embedding_new("{\"model_file\": \"/nonexistent.onnx\"}", &image, &error),
           FE_RESULT_INVALID_ARGUMENT);
    if (model || t || image) {
        fprintf(stderr, "a failed load stored a handle\n");
        failures++;
    }
}

static void failing_text_calls(const fe_tokenizer *tokenizer, const fe_sparse_embedding *bm25) {
    const char *broken = "valid \xff\xfe then broken";
    const uintptr_t offsets[] = {0, 5, (uintptr_t) strlen(broken)};
    const uintptr_t decreasing[] = {0, 9, 5};
    fe_encoding *encoding = NULL;
    EXPECT("encode invalid UTF-8",
           fe_tokenizer_encode(tokenizer, (const uint8_t *) broken, strlen(broken), NULL, 0, true, &encoding, &error),
           FE_RESULT_INVALID_ARGUMENT);
    EXPECT("encode into NULL", fe_tokenizer_encode(tokenizer, (const uint8_t *) "ok", 2, NULL, 0, true, NULL, &error),
           FE_RESULT_NULL_ARGUMENT);
    fe_sparse_embeddings *vectors = NULL;
    EXPECT("sparse-embed a batch with invalid UTF-8",
           fe_sparse_embedding_embed(bm25, (const uint8_t *) broken, offsets, 2, &vectors, &error),
           FE_RESULT_INVALID_ARGUMENT);
    EXPECT("sparse-embed with decreasing offsets",
           fe_sparse_embedding_embed(bm25, (const uint8_t *) broken, decreasing, 2, &vectors, &error),
           FE_RESULT_INVALID_ARGUMENT);
    float out[4];
    EXPECT("embed with a NULL model",
           fe_text_embedding_embed(NULL, (const uint8_t *) "text", offsets, 1, out, 4, NULL, &error),
           FE_RESULT_NULL_ARGUMENT);
    if (encoding || vectors) {
        fprintf(stderr, "a failed call stored a result\n");
        failures++;
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s <libonnxruntime> <model folder> <scratch folder> [rounds]\n", argv[0]);
        return 2;
    }
    int rounds = argc > 4 ? atoi(argv[4]) : 50;
    fe_error *error = NULL;
    if (fe_runtime_init(argv[1], &error) != FE_RESULT_OK) {
        fprintf(stderr, "fe_runtime_init: %s\n", fe_error_message(error));
        fe_error_free(error);
        return 1;
    }
    char *tokenizer = join(argv[2], "/tokenizer.json");
    char *garbage = join(argv[3], "/garbage.onnx");
    char *bad_tokenizer = join(argv[3], "/unknown-component.tokenizer.json");
    write_file(garbage, "\x08\x01 this is not an ONNX model, nor JSON {");
    write_file(bad_tokenizer, "{\"model\": {\"type\": \"Telepathy\", \"vocab\": {}}}");

    char *tokenizer_options = option("tokenizer_file", tokenizer);
    fe_tokenizer *t = NULL;
    fe_sparse_embedding *bm25 = NULL;
    if (fe_tokenizer_new(tokenizer_options, &t, &error) != FE_RESULT_OK ||
        fe_sparse_embedding_new("{\"sparse_model\": \"bm25\"}", &bm25, &error) != FE_RESULT_OK) {
        fprintf(stderr, "setup failed: %s\n", fe_error_message(error));
        fe_error_free(error);
        return 1;
    }

    for (int round = 0; round < rounds; round++) {
        failing_loads(tokenizer, garbage, bad_tokenizer);
        failing_text_calls(t, bm25);
        EXPECT("load a second, different ONNX Runtime", fe_runtime_init("/nonexistent/libonnxruntime.so", &error),
               FE_RESULT_ONNX_RUNTIME);
        if (round % 10 == 0) {
            EXPECT("a deliberate panic", fe_debug_panic("failing_calls: deliberate panic", &error), FE_RESULT_PANIC);
        }
    }
    if (getenv("FAILING_CALLS_LEAK_ONE")) {
        fe_tokenizer_new("{}", &t, &error); /* the error is forgotten on purpose: valgrind must report it */
    }

    fe_sparse_embedding_free(bm25);
    fe_tokenizer_free(t);
    free(tokenizer_options);
    free(tokenizer);
    free(garbage);
    free(bad_tokenizer);
    printf("failing_calls: %d rounds, %d unexpected results\n", rounds, failures);
    return failures == 0 ? 0 : 1;
}

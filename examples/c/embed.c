/*
 * A C program that uses libfastembed through include/fastembed.h alone: checks the ABI version, loads ONNX
 * Runtime and a model folder, embeds a query and documents, ranks the documents by similarity, reranks them
 * with a cross-encoder, shows how one text is tokenized, shows that bad calls come back as errors, and frees
 * everything it was given.
 *
 * usage: embed <libonnxruntime> <embedding model folder> [reranker folder]
 * A folder holds model.onnx and tokenizer.json, and may hold config.json, special_tokens_map.json and
 * tokenizer_config.json (the layout of a Hugging Face model repository); those present are used. The
 * embedding model is pooled by its [CLS] token (the engine's default, right for BGE models).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastembed.h"

/* Prints a failed call's error and frees it: every fe_error stored in error_out is the caller's to free. */
static int report(const char *what, fe_error *error) {
    fprintf(stderr, "%s failed (%d): %s\n", what, (int) fe_error_code(error), fe_error_message(error));
    fe_error_free(error);
    return 1;
}

/* A growing, NUL-terminated string for building the options JSON. */
typedef struct {
    char *text;
    size_t len;
    size_t cap;
} buffer;

static void append(buffer *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap) {
            cap *= 2;
        }
        char *grown = realloc(b->text, cap);
        if (!grown) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
        b->text = grown;
        b->cap = cap;
    }
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

static void append_str(buffer *b, const char *s) { append(b, s, strlen(s)); }

/* Appends `s` as a JSON string: paths may contain quotes, backslashes or control characters. */
static void append_json_string(buffer *b, const char *s) {
    append_str(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;
        if (c == '"' || c == '\\') {
            char escaped[2] = {'\\', (char) c};
            append(b, escaped, 2);
        } else if (c < 0x20) {
            char escaped[8];
            snprintf(escaped, sizeof escaped, "\\u%04x", c);
            append_str(b, escaped);
        } else {
            append(b, (const char *) &c, 1);
        }
    }
    append_str(b, "\"");
}

static int file_exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f) {
        fclose(f);
    }
    return f != NULL;
}

/* Adds `"key": "<folder>/<file>"` to the options; optional files are added only when present. */
static void add_file(buffer *options, const char *key, const char *folder, const char *file, int required) {
    buffer path = {0};
    append_str(&path, folder);
    append_str(&path, "/");
    append_str(&path, file);
    if (required || file_exists(path.text)) {
        append_str(options, options->len > 1 ? ", \"" : "\"");
        append_str(options, key);
        append_str(options, "\": ");
        append_json_string(options, path.text);
    }
    free(path.text);
}

/* The options JSON of fe_text_embedding_new, fe_text_rerank_new and fe_tokenizer_new for a model folder. */
static char *folder_options(const char *folder) {
    buffer options = {0};
    append_str(&options, "{");
    add_file(&options, "model_file", folder, "model.onnx", 1);
    add_file(&options, "tokenizer_file", folder, "tokenizer.json", 1);
    add_file(&options, "config_file", folder, "config.json", 0);
    add_file(&options, "special_tokens_map_file", folder, "special_tokens_map.json", 0);
    add_file(&options, "tokenizer_config_file", folder, "tokenizer_config.json", 0);
    append_str(&options, ", \"max_length\": 512}");
    return options.text;
}

/* A text batch as the ABI takes it: one byte buffer and count + 1 offsets. */
typedef struct {
    char *data;
    size_t *offsets;
    size_t count;
} text_batch;

static text_batch pack(const char *const *texts, size_t count) {
    text_batch batch = {NULL, calloc(count + 1, sizeof(size_t)), count};
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        total += strlen(texts[i]);
    }
    batch.data = malloc(total ? total : 1);
    if (!batch.offsets || !batch.data) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(texts[i]);
        memcpy(batch.data + batch.offsets[i], texts[i], len);
        batch.offsets[i + 1] = batch.offsets[i] + len;
    }
    return batch;
}

static void unpack(text_batch *batch) {
    free(batch->data);
    free(batch->offsets);
}

static double dot(const float *a, const float *b, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += (double) a[i] * b[i];
    }
    return sum;
}

static const char *const query = "How do I bake bread at home?";
static const char *const documents[] = {
    "The central bank raised interest rates.",
    "A simple recipe for homemade bread: flour, water, salt and yeast.",
    "Bread rises because yeast produces carbon dioxide.",
};
#define DOCUMENTS (sizeof documents / sizeof documents[0])

/* Sorts document indices by score, best first. */
static void rank(const double *score, size_t *order, size_t count) {
    for (size_t i = 0; i < count; i++) {
        order[i] = i;
    }
    for (size_t i = 0; i < count; i++) {
        for (size_t j = i + 1; j < count; j++) {
            if (score[order[j]] > score[order[i]]) {
                size_t t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }
}

/* Embeds the query and documents in one call, prints the documents best first; 0 when the ranking is sane. */
static int search(const fe_text_embedding *model) {
    const char *texts[1 + DOCUMENTS] = {query};
    memcpy(texts + 1, documents, sizeof documents);
    const size_t count = sizeof texts / sizeof texts[0];
    const size_t dimension = fe_text_embedding_dimension(model);
    text_batch batch = pack(texts, count);
    float *vectors = malloc(count * dimension * sizeof(float)); /* the caller allocates outputs */
    if (!vectors) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    size_t tokens = 0;
    fe_error *error = NULL;
    int status = 0;
    if (fe_text_embedding_embed(model, (const uint8_t *) batch.data, batch.offsets, count, vectors,
                                count * dimension, &tokens, &error) != FE_RESULT_OK) {
        status = report("fe_text_embedding_embed", error);
    } else {
        printf("embedded %zu texts (%zu tokens) into %zu dimensions; norm of the first %.4f\n", count, tokens,
               dimension, sqrt(dot(vectors, vectors, dimension)));
        double score[DOCUMENTS];
        size_t order[DOCUMENTS];
        for (size_t i = 0; i < DOCUMENTS; i++) {
            /* unit vectors: dot = cosine */
            score[i] = dot(vectors, vectors + (i + 1) * dimension, dimension);
        }
        rank(score, order, DOCUMENTS);
        printf("by similarity to \"%s\":\n", query);
        for (size_t i = 0; i < DOCUMENTS; i++) {
            printf("  %.4f  %s\n", score[order[i]], documents[order[i]]);
        }
        if (order[DOCUMENTS - 1] != 0) {
            fprintf(stderr, "the bank sentence should rank last\n");
            status = 1;
        }
    }
    free(vectors);
    unpack(&batch);
    return status;
}

/* Scores the documents against the query with a cross-encoder (raw logits, and through a sigmoid) and prints
 * them best first. */
static int rerank(const char *folder) {
    char *options = folder_options(folder);
    fe_error *error = NULL;
    fe_text_rerank *reranker = NULL;
    if (fe_text_rerank_new(options, &reranker, &error) != FE_RESULT_OK) {
        free(options);
        return report("fe_text_rerank_new", error);
    }
    free(options);
    text_batch batch = pack(documents, DOCUMENTS);
    float logits[DOCUMENTS], probabilities[DOCUMENTS]; /* the caller's buffers, one score per document */
    int status = 0;
    if (fe_text_rerank_score(reranker, (const uint8_t *) query, strlen(query), (const uint8_t *) batch.data,
                             batch.offsets, DOCUMENTS, false, logits, DOCUMENTS, &error) != FE_RESULT_OK) {
        status = report("fe_text_rerank_score", error);
    } else if (fe_text_rerank_score(reranker, (const uint8_t *) query, strlen(query), (const uint8_t *) batch.data,
                                    batch.offsets, DOCUMENTS, true, probabilities, DOCUMENTS, &error) !=
               FE_RESULT_OK) {
        status = report("fe_text_rerank_score (sigmoid)", error);
    } else {
        double score[DOCUMENTS];
        size_t order[DOCUMENTS];
        for (size_t i = 0; i < DOCUMENTS; i++) {
            score[i] = logits[i];
        }
        rank(score, order, DOCUMENTS);
        printf("reranked for \"%s\":\n", query);
        for (size_t i = 0; i < DOCUMENTS; i++) {
            size_t d = order[i];
            printf("  %8.4f (sigmoid %.4f)  %s\n", logits[d], probabilities[d], documents[d]);
            double expected = 1 / (1 + exp(-(double) logits[d]));
            if (fabs(probabilities[d] - expected) > 1e-5) {
                fprintf(stderr, "sigmoid score %f is not sigmoid(%f)\n", probabilities[d], logits[d]);
                status = 1;
            }
        }
    }
    unpack(&batch);
    fe_text_rerank_free(reranker);
    return status;
}

/* Shows the tokens the model sees for one text. */
static int show_tokens(const char *options) {
    fe_error *error = NULL;
    fe_tokenizer *tokenizer = NULL;
    if (fe_tokenizer_new(options, &tokenizer, &error) != FE_RESULT_OK) {
        return report("fe_tokenizer_new", error);
    }
    const char *text = "Tokenizers split words into pieces.";
    fe_encoding *encoding = NULL;
    int status = 0;
    if (fe_tokenizer_encode(tokenizer, (const uint8_t *) text, strlen(text), NULL, 0, true, &encoding, &error) !=
        FE_RESULT_OK) {
        status = report("fe_tokenizer_encode", error);
    } else {
        /* The arrays belong to the encoding: read them, never free them. */
        const uint32_t *ids = fe_encoding_ids(encoding);
        const uint32_t *special = fe_encoding_special_tokens_mask(encoding);
        size_t len = fe_encoding_len(encoding);
        printf("\"%s\" is %zu tokens:", text, len);
        for (size_t i = 0; i < len; i++) {
            printf(special[i] ? " [%u]" : " %u", ids[i]);
        }
        printf("\n");
        fe_encoding_free(encoding);
    }
    fe_tokenizer_free(tokenizer);
    return status;
}

/* Bad calls come back as result codes with a message; nothing crashes and nothing leaks. */
static int expect_error(const char *what, fe_result got, fe_result expected, fe_error *error) {
    if (got != expected) {
        fprintf(stderr, "%s: expected result %d, got %d\n", what, (int) expected, (int) got);
        fe_error_free(error);
        return 1;
    }
    printf("%s -> %d: %s\n", what, (int) got, fe_error_message(error));
    fe_error_free(error);
    return 0;
}

static int show_errors(const fe_text_embedding *model) {
    int status = 0;
    fe_error *error = NULL;
    float one[1];
    size_t offsets[] = {0, 4};
    fe_result got = fe_text_embedding_embed(NULL, NULL, NULL, 0, NULL, 0, NULL, &error);
    status |= expect_error("embed with a NULL model", got, FE_RESULT_NULL_ARGUMENT, error);

    error = NULL;
    got = fe_text_embedding_embed(model, (const uint8_t *) "word", offsets, 1, one, 1, NULL, &error);
    status |= expect_error("embed into a too small buffer", got, FE_RESULT_INVALID_ARGUMENT, error);

    error = NULL;
    got = fe_text_embedding_embed(model, (const uint8_t *) "\xff\xfe\xfd\xfc", offsets, 1, one, 1, NULL, &error);
    status |= expect_error("embed invalid UTF-8", got, FE_RESULT_INVALID_ARGUMENT, error);

    error = NULL;
    fe_text_embedding *missing = NULL;
    got = fe_text_embedding_new("{\"model_file\": \"/nonexistent/model.onnx\", "
                                "\"tokenizer_file\": \"/nonexistent/tokenizer.json\"}",
                                &missing, &error);
    status |= expect_error("load a missing model", got, FE_RESULT_IO, error);
    if (missing) {
        fprintf(stderr, "a failed load must leave model_out untouched\n");
        status = 1;
    }

    /* error_out may be NULL when only the code matters. */
    if (fe_text_embedding_embed(NULL, NULL, NULL, 0, NULL, 0, NULL, NULL) != FE_RESULT_NULL_ARGUMENT) {
        fprintf(stderr, "NULL error_out: wrong result\n");
        status = 1;
    }
    return status;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s <libonnxruntime> <embedding model folder> [reranker folder]\n", argv[0]);
        return 2;
    }
    /* Header and library must describe the same ABI; check before anything else. */
    if (fe_abi_version() != FE_ABI_VERSION) {
        fprintf(stderr, "header ABI %d does not match library ABI %u\n", FE_ABI_VERSION, fe_abi_version());
        return 1;
    }
    fe_error *error = NULL;
    if (fe_runtime_init(argv[1], &error) != FE_RESULT_OK) {
        return report("fe_runtime_init", error);
    }
    /* Both strings are static: not freed. */
    printf("fastembed %s (ABI %u) on ONNX Runtime %s\n", fe_version(), fe_abi_version(), fe_onnxruntime_version());

    char *options = folder_options(argv[2]);
    fe_text_embedding *model = NULL;
    if (fe_text_embedding_new(options, &model, &error) != FE_RESULT_OK) {
        free(options);
        return report("fe_text_embedding_new", error);
    }
    int status = search(model);
    if (argc > 3) {
        status |= rerank(argv[3]);
    }
    status |= show_tokens(options);
    status |= show_errors(model);

    fe_text_embedding_free(model);
    free(options);
    return status;
}

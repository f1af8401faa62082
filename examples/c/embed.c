/*
 * A C program that uses libfastembed through include/fastembed.h alone: loads ONNX Runtime and a text
 * embedding model, embeds a few texts, prints their similarities, and frees everything.
 *
 * usage: embed <libonnxruntime path> <model.onnx> <tokenizer.json> [pooling: cls|mean]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastembed.h"

static int fail(const char *what, fe_error *error) {
    fprintf(stderr, "%s failed (%d): %s\n", what, (int) fe_error_code(error), fe_error_message(error));
    fe_error_free(error);
    return 1;
}

static double cosine(const float *a, const float *b, size_t n) {
    double dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < n; i++) {
        dot += (double) a[i] * b[i];
        na += (double) a[i] * a[i];
        nb += (double) b[i] * b[i];
    }
    return dot / sqrt(na * nb);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s <libonnxruntime> <model.onnx> <tokenizer.json> [cls|mean]\n", argv[0]);
        return 2;
    }
    if (fe_abi_version() != FE_ABI_VERSION) {
        fprintf(stderr, "header ABI %d does not match library ABI %u\n", FE_ABI_VERSION, fe_abi_version());
        return 1;
    }
    fe_error *error = NULL;
    if (fe_runtime_init(argv[1], &error) != FE_RESULT_OK) {
        return fail("fe_runtime_init", error);
    }
    printf("fastembed %s on ONNX Runtime %s\n", fe_version(), fe_onnxruntime_version());

    char options[4096];
    snprintf(options, sizeof options, "{\"model_file\":\"%s\",\"tokenizer_file\":\"%s\",\"pooling\":\"%s\"}",
             argv[2], argv[3], argc > 4 ? argv[4] : "cls");
    fe_text_embedding *model = NULL;
    if (fe_text_embedding_new(options, &model, &error) != FE_RESULT_OK) {
        return fail("fe_text_embedding_new", error);
    }

    const char *texts[] = {"How do I bake bread at home?", "A simple recipe for homemade bread.",
                           "The central bank raised interest rates."};
    const size_t count = sizeof texts / sizeof texts[0];
    size_t offsets[4] = {0};
    char data[512];
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(texts[i]);
        memcpy(data + offsets[i], texts[i], len);
        offsets[i + 1] = offsets[i] + len;
    }

    size_t dimension = fe_text_embedding_dimension(model);
    float *vectors = malloc(count * dimension * sizeof(float));
    size_t tokens = 0;
    int status = 0;
    if (fe_text_embedding_embed(model, (const uint8_t *) data, offsets, count, vectors, count * dimension, &tokens,
                                &error) != FE_RESULT_OK) {
        status = fail("fe_text_embedding_embed", error);
    } else {
        printf("dimension %zu, %zu tokens\n", dimension, tokens);
        printf("similarity(bread, bread) = %.4f\n", cosine(vectors, vectors + dimension, dimension));
        printf("similarity(bread, bank)  = %.4f\n", cosine(vectors, vectors + 2 * dimension, dimension));
        if (!(cosine(vectors, vectors + dimension, dimension) > cosine(vectors, vectors + 2 * dimension, dimension))) {
            fprintf(stderr, "unexpected ranking\n");
            status = 1;
        }
    }

    /* Errors are values: a NULL model is reported, not a crash. */
    if (fe_text_embedding_embed(NULL, NULL, NULL, 0, NULL, 0, NULL, &error) != FE_RESULT_NULL_ARGUMENT) {
        fprintf(stderr, "NULL model was not reported\n");
        status = 1;
    } else {
        printf("NULL model reported: %s\n", fe_error_message(error));
        fe_error_free(error);
    }

    free(vectors);
    fe_text_embedding_free(model);
    return status;
}

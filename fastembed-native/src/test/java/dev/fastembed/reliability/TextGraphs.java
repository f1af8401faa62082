package dev.fastembed.reliability;

import dev.fastembed.testing.TinyOnnx;

import java.nio.file.Path;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;

/**
 * Tiny text models in the shape of BERT exports ({@code input_ids} [batch, sequence] → states
 * [batch, sequence, hidden]) for bge-small's 30522-token vocabulary: cheap enough to push 100k texts
 * through, and easy to make wrong on purpose (names, ranks, types, shapes).
 */
public final class TextGraphs {

    public static final int VOCABULARY = 30522;

    private TextGraphs() {
    }

    /** Row {@code id} of the embedding: distinct, non-zero values so that pooled vectors differ by text. */
    public static float[] embeddingTable(int hidden) {
        float[] table = new float[VOCABULARY * hidden];
        for (int id = 0; id < VOCABULARY; id++) {
            for (int h = 0; h < hidden; h++) {
                table[id * hidden + h] = (float) Math.sin(0.37 * id + 1.3 * h) + 1.5f;
            }
        }
        return table;
    }

    /** Looks token ids up in a table: a well-formed model with {@code last_hidden_state} of width hidden. */
    public static Path lookup(Path file, int hidden) {
        return lookupGraph(hidden, "last_hidden_state")
                .output("last_hidden_state", FLOAT, "batch", "sequence", hidden)
                .write(file);
    }

    /** The lookup graph without its output declaration, for tests that declare it differently. */
    public static TinyOnnx.Graph lookupGraph(int hidden, String stateName) {
        return TinyOnnx.graph("lookup")
                .input("input_ids", INT64, "batch", "sequence")
                .initializer("embedding", embeddingTable(hidden), VOCABULARY, hidden)
                .node("Gather", stateName, List.of("embedding", "input_ids"), attr("axis", 0));
    }
}

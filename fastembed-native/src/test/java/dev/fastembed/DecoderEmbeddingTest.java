package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Decoder embedders (Qwen3-Embedding) on a stand-in with the real export's interface: {@code input_ids},
 * {@code attention_mask}, {@code position_ids} → {@code last_hidden_state} [batch, sequence, 4]. Its attention is
 * causal in the simplest way: a token's state is the sum of the embeddings of the real tokens up to it, plus the
 * embedding of its position. The tokenizer is Qwen's layout (split regex, byte-level BPE, a template appending
 * {@code <|endoftext|>}) over GPT-2's real vocabulary; expected vectors are computed here from the ids Hugging
 * Face tokenizers (DJL) gives.
 */
class DecoderEmbeddingTest {

    static final int HIDDEN = 4;
    static final int VOCABULARY = 50257;
    static final int POSITIONS = 1024;
    static final long END_OF_TEXT = 50256;
    /** Qwen2's pre-tokenizer regex, as its tokenizer.json's Split holds it. */
    static final String QWEN_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String SHORT = "hello world";
    static final String LONG = "a decoder reads the whole text before its last token, which is why that token "
            + "stands for all of it, and why the batch is padded on the left";

    @TempDir
    static Path dir;
    static HuggingFaceTokenizer oracle;
    static ModelFiles files;
    static TextEmbedding decoder;

    @BeforeAll
    static void load() throws Exception {
        String gpt2 = Files.readString(Path.of("rust", "crates", "tokenizer", "tests", "fixtures",
                "bpe-gpt2.tokenizer.json"));
        String header = "\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, "
                + "\"trim_offsets\": true, \"use_regex\": true}, \"post_processor\": {\"type\": \"ByteLevel\", "
                + "\"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true}";
        assertThat(gpt2).as("the GPT-2 fixture's layout").contains(header);
        // Qwen's layout; as in Qwen3-Embedding's tokenizer.json, the template appends end-of-text to every text.
        String qwen = """
                "normalizer": {"type": "NFC"},
                "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                  {"type": "Split", "pattern": {"Regex": "%s"}, "behavior": "Isolated", "invert": false},
                  {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]},
                "post_processor": {"type": "TemplateProcessing",
                  "single": [{"Sequence": {"id": "A", "type_id": 0}},
                             {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}],
                  "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}},
                           {"Sequence": {"id": "B", "type_id": 1}},
                           {"SpecialToken": {"id": "<|endoftext|>", "type_id": 1}}],
                  "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [50256],
                                                       "tokens": ["<|endoftext|>"]}}}
                """.formatted(QWEN_SPLIT.replace("\\", "\\\\"));
        Path tokenizerFile = dir.resolve("tokenizer.json");
        Files.writeString(tokenizerFile, gpt2.replace(header, qwen.strip()));
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile).optAddSpecialTokens(true)
                .optTruncation(false).optPadding(false).build();
        files = ModelFiles.of(decoderGraph(dir.resolve("model.onnx"), true), tokenizerFile);
        decoder = TextEmbedding.builder().modelFiles(files).pooling(Pooling.LAST_TOKEN).build();
    }

    @AfterAll
    static void close() {
        decoder.close();
        oracle.close();
    }

    @Test
    void theTemplateEndsEveryTextWithEndOfText() {
        long[] ids = oracle.encode(SHORT).getIds();
        assertThat(ids[ids.length - 1]).isEqualTo(END_OF_TEXT);
        assertThat(decoder.embed(SHORT)).containsExactly(expected(ids, 0), within(1e-5f));
        assertThat(decoder.embed(SHORT)).as("the end-of-text token counts")
                .isNotEqualTo(expected(java.util.Arrays.copyOf(ids, ids.length - 1), 0));
    }

    @Test
    void aShortTextGetsTheSameVectorAloneAndBatchedWithALongOne() {
        float[] alone = decoder.embed(SHORT);
        float[][] batched = decoder.embed(List.of(LONG, SHORT, LONG));
        assertThat(oracle.encode(LONG).getIds().length).isGreaterThan(2 * oracle.encode(SHORT).getIds().length);
        assertThat(batched[1]).containsExactly(alone, within(1e-5f));
        assertThat(batched[0]).containsExactly(expected(oracle.encode(LONG).getIds(), 0), within(1e-5f));
        assertThat(batched[2]).containsExactly(batched[0], within(1e-5f));
    }

    @Test
    void exportsWithoutPositionIdsRunToo() throws Exception {
        Path model = decoderGraph(dir.resolve("no-positions.onnx"), false);
        try (TextEmbedding noPositions = TextEmbedding.builder().modelFiles(ModelFiles.of(model, files.tokenizer()))
                .pooling(Pooling.LAST_TOKEN).build()) {
            float[][] vectors = noPositions.embed(List.of(SHORT, LONG));
            assertThat(vectors[0]).containsExactly(expected(oracle.encode(SHORT).getIds(), -1), within(1e-5f));
        }
    }

    @Test
    void queriesGetTheCataloguesInstructionAndDocumentsNothing() {
        try (TextEmbedding qwen = TextEmbedding.builder().modelFiles(files)
                .catalogSettings("Qwen/Qwen3-Embedding-0.6B").build()) {
            assertThat(qwen.settings().get("pooling").value()).isEqualTo(Pooling.LAST_TOKEN);
            String instruction = "Instruct: Given a web search query, retrieve relevant passages that answer the query"
                    + "\nQuery:";
            assertThat(qwen.queryPrefix()).isEqualTo(instruction);
            assertThat(qwen.queryEmbed(SHORT)).containsExactly(expected(oracle.encode(instruction + SHORT).getIds(), 0),
                    within(1e-5f));
            assertThat(qwen.passageEmbed(List.of(SHORT))[0]).containsExactly(decoder.embed(SHORT), within(1e-5f));
        }
    }

    @Test
    void dimensionsCutTheVectorAndNormalizeItAgain() {
        try (TextEmbedding cut = TextEmbedding.builder().modelFiles(files).pooling(Pooling.LAST_TOKEN).dimensions(2)
                .build()) {
            assertThat(cut.dimension()).isEqualTo(2);
            float[] full = unnormalized(oracle.encode(LONG).getIds(), 0);
            float[] expected = normalize(java.util.Arrays.copyOf(full, 2));
            assertThat(cut.embed(List.of(SHORT, LONG))[1]).containsExactly(expected, within(1e-5f));
        }
    }

    @Test
    void dimensionsBeyondTheModelOrWhereTheCatalogueForbidsThemAreRefused() {
        assertThatThrownBy(() -> TextEmbedding.builder().modelFiles(files).pooling(Pooling.LAST_TOKEN).dimensions(5)
                .build()).isInstanceOfSatisfying(FastEmbedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("dimensions = 5 is more than the model's 4");
                });
        assertThatThrownBy(() -> TextEmbedding.builder().modelFiles(files).catalogSettings("BAAI/bge-small-en-v1.5")
                .dimensions(2).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BAAI/bge-small-en-v1.5 was not trained to have its vectors cut");
        assertThatThrownBy(() -> TextEmbedding.builder().modelFiles(files).catalogSettings("Qwen/Qwen3-Embedding-0.6B")
                .dimensions(16).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allows 32 to 1024");
        assertThatThrownBy(() -> TextEmbedding.builder().dimensions(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions must be positive");
    }

    /** Row {@code id} of the token table: distinct values of similar size. */
    static float token(long id, int h) {
        return (float) Math.sin(0.37 * id + 1.3 * h) + 1.5f;
    }

    static float position(long p, int h) {
        return (float) Math.cos(0.11 * p + 0.7 * h);
    }

    /** The last token's state: every token's embedding plus that of its position ({@code offset} shifts it). */
    static float[] unnormalized(long[] ids, int offset) {
        float[] state = new float[HIDDEN];
        for (int h = 0; h < HIDDEN; h++) {
            for (long id : ids) {
                state[h] += token(id, h);
            }
            state[h] += offset < 0 ? 0 : position(ids.length - 1 + offset, h);
        }
        return state;
    }

    static float[] expected(long[] ids, int offset) {
        return normalize(unnormalized(ids, offset));
    }

    static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return out;
    }

    /** The stand-in decoder; without position ids it adds no position embedding at all. */
    static Path decoderGraph(Path file, boolean positions) {
        float[] tokens = new float[VOCABULARY * HIDDEN];
        for (int id = 0; id < VOCABULARY; id++) {
            for (int h = 0; h < HIDDEN; h++) {
                tokens[id * HIDDEN + h] = token(id, h);
            }
        }
        TinyOnnx.Graph graph = TinyOnnx.graph("decoder")
                .input("input_ids", INT64, "batch", "sequence")
                .input("attention_mask", INT64, "batch", "sequence")
                .initializer("tokens", tokens, VOCABULARY, HIDDEN)
                .initializer("feature_axis", new long[] {2}, 1)
                .initializer("token_axis", new long[] {1})
                .node("Gather", "embedded", List.of("tokens", "input_ids"), attr("axis", 0))
                .node("Cast", "mask", List.of("attention_mask"), attr("to", (long) FLOAT))
                .node("Unsqueeze", "mask3", List.of("mask", "feature_axis"))
                .node("Mul", "real", List.of("embedded", "mask3"))
                .node("CumSum", positions ? "causal" : "last_hidden_state", List.of("real", "token_axis"));
        if (positions) {
            float[] table = new float[POSITIONS * HIDDEN];
            for (int p = 0; p < POSITIONS; p++) {
                for (int h = 0; h < HIDDEN; h++) {
                    table[p * HIDDEN + h] = position(p, h);
                }
            }
            graph.input("position_ids", INT64, "batch", "sequence")
                    .initializer("positions", table, POSITIONS, HIDDEN)
                    .node("Gather", "placed", List.of("positions", "position_ids"), attr("axis", 0))
                    .node("Add", "last_hidden_state", List.of("causal", "placed"));
        }
        return graph.output("last_hidden_state", FLOAT, "batch", "sequence", HIDDEN).write(file);
    }
}

package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.FastEmbedException.Kind;
import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.Tokenizer;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Broken model files: ONNX files cut short, overwritten or not ONNX at all, and tokenizer.json files with
 * wrong types, missing fields, unknown components or no JSON at all. Each load fails with a
 * {@link FastEmbedException} whose kind says which file is at fault and whose message names it; the JVM
 * lives on and models load fine afterwards.
 */
class CorruptModelFilesTest {

    @TempDir
    static Path dir;
    static byte[] quantizedModel;
    static Path tokenizer;

    @BeforeAll
    static void files() throws IOException {
        // The quantized export (a quarter of the size) keeps the copies in this test cheap.
        quantizedModel = Files.readAllBytes(TestModels.BGE_SMALL_EN_V15_Q.files().model());
        tokenizer = TestModels.BGE_SMALL_EN_V15_Q.tokenizer();
    }

    private static void assertModelRejected(String name, byte[] content, Kind kind) throws IOException {
        Path model = Files.write(dir.resolve(name + ".onnx"), content);
        assertThatThrownBy(() -> TextEmbedding.builder().modelFiles(ModelFiles.of(model, tokenizer)).build())
                .as(name)
                .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).as(name).isEqualTo(kind))
                .hasMessageContaining(model.toString());
    }

    @Test
    void onnxFilesCutShortAreInvalidModels() throws IOException {
        for (int length : new int[] {0, 1, 16, 64, 4096, quantizedModel.length / 10, quantizedModel.length / 2,
                quantizedModel.length - 1}) {
            assertModelRejected("cut-at-" + length, Arrays.copyOf(quantizedModel, length), Kind.INVALID_MODEL);
        }
    }

    @Test
    void filesThatAreNotOnnxAreInvalidModels() throws IOException {
        assertModelRejected("random-bytes", randomBytes(1 << 20, 7), Kind.INVALID_MODEL);
        assertModelRejected("json", Files.readAllBytes(tokenizer), Kind.INVALID_MODEL);
        assertModelRejected("zipped", zipped("model.onnx", Arrays.copyOf(quantizedModel, 100_000)), Kind.INVALID_MODEL);
    }

    @Test
    void wellFormedOnnxThatOnnxRuntimeCannotRunIsAnInvalidModel() throws IOException {
        assertModelRejected("unknown-operator", TinyOnnx.graph("unknown-op")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .node("NoSuchOperator", "last_hidden_state", List.of("input_ids"))
                .output("last_hidden_state", TinyOnnx.FLOAT, "batch", "sequence", 4)
                .toBytes(), Kind.INVALID_MODEL);
        assertModelRejected("future-opset", TinyOnnx.graph("future")
                .opset(999)
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .node("Identity", "last_hidden_state", List.of("input_ids"))
                .output("last_hidden_state", TinyOnnx.INT64, "batch", "sequence")
                .toBytes(), Kind.INVALID_MODEL);
        assertModelRejected("dangling-input", TinyOnnx.graph("dangling")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .node("Identity", "last_hidden_state", List.of("not_produced_anywhere"))
                .output("last_hidden_state", TinyOnnx.FLOAT, "batch", "sequence", 4)
                .toBytes(), Kind.INVALID_MODEL);
    }

    @Test
    void overwrittenBytesInTheGraphFailCleanlyOrStillLoad() throws IOException {
        // Flipped bytes in the graph's first kilobytes (nodes, names) either break parsing or leave a model
        // that runs; never a crash.
        for (int seed = 1; seed <= 3; seed++) {
            byte[] spoiled = quantizedModel.clone();
            Random random = new Random(seed);
            for (int i = 0; i < 32; i++) {
                spoiled[64 + random.nextInt(8192)] = (byte) random.nextInt(256);
            }
            Path model = Files.write(dir.resolve("flipped-" + seed + ".onnx"), spoiled);
            try (TextEmbedding loaded = TextEmbedding.builder().modelFiles(ModelFiles.of(model, tokenizer))
                    .pooling(Pooling.CLS).build()) {
                try {
                    assertThat(loaded.embed("still a model")).hasSize(loaded.dimension());
                } catch (FastEmbedException e) {
                    assertThat(e.getMessage()).isNotBlank();
                }
            } catch (FastEmbedException e) {
                assertThat(e.kind()).as("seed %d: %s", seed, e.getMessage()).isIn(Kind.INVALID_MODEL, Kind.ONNX_RUNTIME);
            }
        }
    }

    @Test
    void aFolderOrADeviceIsNotAModelFile() {
        for (Path notAFile : List.of(dir, Path.of("/dev/null"), dir.resolve("missing.onnx"))) {
            assertThatThrownBy(() -> TextEmbedding.builder().modelFiles(ModelFiles.of(notAFile, tokenizer)).build())
                    .as(notAFile.toString())
                    .isInstanceOf(FastEmbedException.class)
                    .hasMessageContaining(notAFile.toString());
        }
    }

    // ---- tokenizer.json ----

    private static FastEmbedException tokenizerError(String name, byte[] content) throws IOException {
        Path file = Files.write(dir.resolve(name + ".tokenizer.json"), content);
        try (Tokenizer loaded = Tokenizer.fromFile(file)) {
            throw new AssertionError(name + ": loaded");
        } catch (FastEmbedException e) {
            assertThat(e.kind()).as(name).isEqualTo(Kind.TOKENIZER);
            return e;
        }
    }

    @Test
    void tokenizerFilesThatAreNotJsonAreRejectedNamingTheFile() throws IOException {
        byte[] real = Files.readAllBytes(tokenizer);
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("empty", new byte[0]);
        cases.put("half", Arrays.copyOf(real, real.length / 2));
        cases.put("not-utf8", new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'});
        cases.put("deeply-nested", ("[".repeat(100_000) + "]".repeat(100_000)).getBytes());
        cases.put("deeply-nested-object", "{\"model\":".repeat(50_000).getBytes());
        cases.put("megabyte-of-spaces", " ".repeat(1 << 20).getBytes());
        cases.put("random-bytes", randomBytes(4096, 3));
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            assertThat(tokenizerError(c.getKey(), c.getValue())).hasMessageContaining(c.getKey() + ".tokenizer.json");
        }
    }

    @Test
    void tokenizerFilesWithWrongTypesMissingFieldsOrUnknownComponentsAreRejectedNamingTheField() throws IOException {
        String real = Files.readString(tokenizer);
        String model = "\"model\":\\s*\\{\\s*\"type\":\\s*\"WordPiece\"";
        // name -> {edited file, what the message must point at}
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("json-null", new String[] {"null", "<root>"});
        cases.put("json-array", new String[] {"[]", "<root>"});
        cases.put("json-empty-object", new String[] {"{}", "model"});
        cases.put("model-type-number", new String[] {real.replaceFirst(model, "\"model\": {\"type\": 42"), "model.type"});
        cases.put("model-type-unknown", new String[] {real.replaceFirst(model, "\"model\": {\"type\": \"Telepathy\""), "Telepathy"});
        cases.put("vocab-missing", new String[] {real.replaceFirst("\"vocab\":", "\"vocabulary\":"), "vocab"});
        cases.put("normalizer-unknown", new String[] {real.replaceFirst("\"BertNormalizer\"", "\"Shouting\""), "Shouting"});
        cases.put("normalizer-option-string",
                new String[] {real.replaceFirst("\"lowercase\":\\s*true", "\"lowercase\": \"yes\""), "lowercase"});
        cases.put("pre-tokenizer-unknown", new String[] {real.replaceFirst("\"BertPreTokenizer\"", "\"Mumble\""), "Mumble"});
        cases.put("post-processor-unknown", new String[] {real.replaceFirst("\"TemplateProcessing\"", "\"Telegraph\""), "Telegraph"});
        cases.put("template-missing", new String[] {real.replaceFirst("\"single\":", "\"singular\":"), "single"});
        com.google.gson.JsonObject withObjectTokens = com.google.gson.JsonParser.parseString(real).getAsJsonObject();
        withObjectTokens.add("added_tokens", new com.google.gson.JsonObject());
        cases.put("added-tokens-object", new String[] {withObjectTokens.toString(), "added_tokens"});
        cases.put("added-token-id-negative", new String[] {real.replaceFirst("\"id\":\\s*0,", "\"id\": -1,"), "id"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String edited = c.getValue()[0];
            assertThat(edited).as("the %s edit applies", c.getKey()).isNotEqualTo(real);
            assertThat(tokenizerError(c.getKey(), edited.getBytes(StandardCharsets.UTF_8)))
                    .as(c.getKey()).hasMessageContaining(c.getValue()[1]);
        }
    }

    @Test
    void tokenizerDefinitionErrorsNameTheFile() throws IOException {
        byte[] edited = Files.readString(tokenizer).replaceFirst("\"BertPreTokenizer\"", "\"Mumble\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(tokenizerError("unknown-pre-tokenizer", edited)).hasMessageContaining("unknown-pre-tokenizer.tokenizer.json");
    }

    @Test
    void aBrokenTokenizerFailsTheModelLoadWithTheTokenizersKind() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken-for-model.json"),
                Files.readString(tokenizer).replaceFirst("\"BertPreTokenizer\"", "\"Mumble\""));
        assertThatThrownBy(() -> TextEmbedding.builder()
                .modelFiles(ModelFiles.of(TestModels.BGE_SMALL_EN_V15_Q.files().model(), broken)).build())
                .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOKENIZER))
                .hasMessageContaining("Mumble");
    }

    /** Seeded structural fuzzing of a real tokenizer.json: each mutation loads or fails cleanly. */
    @Test
    void mutatedTokenizerFilesLoadOrFailCleanly() throws IOException {
        String real = Files.readString(tokenizer);
        int loaded = 0;
        for (int seed = 1; seed <= 40; seed++) {
            String mutated = JsonMutator.mutate(real, new Random(seed), 1 + seed % 3);
            Path file = Files.writeString(dir.resolve("mutated-" + seed + ".json"), mutated);
            try (Tokenizer t = Tokenizer.fromFile(file)) {
                loaded++;
                try {
                    t.encode("Does it still encode? Ünïcödé 你好 😀");
                } catch (FastEmbedException e) {
                    assertThat(e.kind()).as("seed %d", seed).isEqualTo(Kind.TOKENIZER);
                }
            } catch (FastEmbedException e) {
                assertThat(e.kind()).as("seed %d: %s", seed, e.getMessage()).isEqualTo(Kind.TOKENIZER);
                assertThat(e.getMessage()).as("seed %d", seed).isNotBlank();
            }
        }
        assertThat(loaded).as("mutations that still load").isBetween(1, 39);
        try (Tokenizer intact = Tokenizer.fromFile(tokenizer)) {
            assertThat(intact.encode("hello").length()).as("[CLS] hello [SEP]").isEqualTo(3);
        }
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] zipped(String entry, byte[] content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(entry));
            zip.write(content);
        }
        return bytes.toByteArray();
    }
}

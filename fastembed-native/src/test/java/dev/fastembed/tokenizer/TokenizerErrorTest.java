package dev.fastembed.tokenizer;

import dev.fastembed.FastEmbedException;
import dev.fastembed.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad tokenizer files and inputs give precise errors, never a crash. */
class TokenizerErrorTest {

    @TempDir
    Path dir;

    @Test
    void malformedJsonIsRejectedWithTheFileName() throws IOException {
        Path file = write("broken.json", "{\"model\": {\"type\": \"WordPiece\", ");
        assertThatThrownBy(() -> Tokenizer.fromFile(file))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("broken.json")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void unknownComponentTypeNamesTheComponentAndItsPath() throws IOException {
        Path file = write("unknown.json", """
                {"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "FancyNew"}]},
                 "model": {"type": "WordLevel", "vocab": {"a": 0, "<unk>": 1}, "unk_token": "<unk>"}}
                """);
        assertThatThrownBy(() -> Tokenizer.fromFile(file))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("normalizer")
                .hasMessageContaining("FancyNew")
                .hasMessageContaining("normalizer.normalizers[1]");
    }

    @Test
    void randomBpeDropoutIsRefused() throws IOException {
        Path file = write("dropout.json", """
                {"model": {"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []}}
                """);
        assertThatThrownBy(() -> Tokenizer.fromFile(file))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("dropout");
    }

    @Test
    void missingFileIsAnIoError() {
        assertThatThrownBy(() -> Tokenizer.fromFile(dir.resolve("absent.json")))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("absent.json");
    }

    @Test
    void nullTextIsRejectedBeforeTheNativeCall() {
        try (Tokenizer tokenizer = Tokenizer.fromFile(TokenizerFamily.BPE_GPT2.tokenizerJson())) {
            assertThatThrownBy(() -> tokenizer.encode(null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tokenizer.encodeBatch(null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tokenizer.encodeBatch(java.util.Arrays.asList("a", null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("texts[1]");
        }
    }

    @Test
    void closedTokenizerRejectsBatchCalls() {
        Tokenizer tokenizer = Tokenizer.fromFile(TokenizerFamily.BPE_GPT2.tokenizerJson());
        tokenizer.close();
        assertThatThrownBy(() -> tokenizer.encodeBatch(List.of("a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tokenizer.encodeBatch(List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void hugeAndOddInputsEncodeWithoutFailing() {
        try (Tokenizer tokenizer = Tokenizer.fromFile(TokenizerFamily.UNIGRAM_XLMR.tokenizerJson())) {
            assertThat(tokenizer.encode("x".repeat(1 << 20)).length()).isGreaterThan(2);
            assertThat(tokenizer.encode(" ".repeat(1 << 20)).length()).isBetween(2, 3);
            assertThat(tokenizer.encode("\u0000\uffff\ud83d\ude00").length()).isGreaterThan(2);
        }
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}

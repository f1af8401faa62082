package dev.fastembed.tokenizer;

import dev.fastembed.testing.TestModels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * One tokenizer.json per tokenizer family the engine implements: the real BERT-family files of the catalogue's
 * models, and real trained models of the SentencePiece and BPE families (the Rust crate's fixtures, see
 * rust/crates/tokenizer/tests/fixtures/README.md).
 */
enum TokenizerFamily {
    BGE_SMALL_EN(TestModels.BGE_SMALL_EN_V15::tokenizer, Specials.BERT),
    ALL_MINILM_L6(TestModels.ALL_MINILM_L6_V2::tokenizer, Specials.BERT),
    E5_SMALL(TestModels.E5_SMALL_V2::tokenizer, Specials.BERT),
    BGE_SMALL_ZH(TestModels.BGE_SMALL_ZH_V15::tokenizer, Specials.BERT),
    UNIGRAM_XLMR(() -> fixture("unigram-xlmr-style.tokenizer.json"), Specials.SENTENCEPIECE),
    UNIGRAM_BYTE_FALLBACK(() -> fixture("unigram-byte-fallback.tokenizer.json"), Specials.SENTENCEPIECE),
    BPE_BYTE_FALLBACK(() -> fixture("bpe-byte-fallback.tokenizer.json"), Specials.SENTENCEPIECE),
    BPE_GPT2(() -> fixture("bpe-gpt2.tokenizer.json"), Specials.BYTE_LEVEL),
    BPE_CLIP(() -> fixture("bpe-clip-style.tokenizer.json"), Specials.BYTE_LEVEL);

    private static final Path FIXTURES = Path.of("rust", "crates", "tokenizer", "tests", "fixtures");

    private final Supplier<Path> path;
    private final List<String> specials;

    TokenizerFamily(Supplier<Path> path, List<String> specials) {
        this.path = path;
        this.specials = specials;
    }

    Path tokenizerJson() {
        return path.get();
    }

    /** Special-token strings worth sprinkling into random texts for this family. */
    List<String> specials() {
        return specials;
    }

    private static Path fixture(String name) {
        Path file = FIXTURES.resolve(name).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing tokenizer fixture " + file);
        }
        return file;
    }

    private static final class Specials {
        static final List<String> BERT = List.of("[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "[mask]");
        static final List<String> SENTENCEPIECE = List.of("<s>", "</s>", "<mask>", "<unk>", "<pad>", "<0x41>", "▁");
        static final List<String> BYTE_LEVEL = List.of("<|endoftext|>", "<|startoftext|>", "Ġ", "<s>");
    }
}

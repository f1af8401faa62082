package dev.fastembed.tokenizer;

import dev.fastembed.ModelFiles;
import dev.fastembed.Tokenizer;
import dev.fastembed.tokenizer.HuggingFaceOracle.Expected;
import dev.fastembed.tokenizer.ParityCorpus.Input;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's tokenizer (through the C ABI) against Hugging Face tokenizers on the same tokenizer.json: ids,
 * type ids, attention and special-token masks must be identical for every input. Both sides honour the file's
 * truncation section (all-MiniLM-L6-v2 has one: 128 tokens).
 */
class TokenizerParityTest {

    /** Random inputs per family and run; set -Dtokenizer.parity.random=N to explore more. */
    private static final int RANDOM_INPUTS = Integer.getInteger("tokenizer.parity.random", 3_000);
    private static final long SEED = Long.getLong("tokenizer.parity.seed", 20261126L);

    @ParameterizedTest
    @EnumSource(TokenizerFamily.class)
    void variedTextsMatchHuggingFace(TokenizerFamily family) {
        List<Input> inputs = ParityCorpus.varied().stream().map(t -> new Input(t, null)).toList();
        assertParity(family, inputs, true);
    }

    @ParameterizedTest
    @EnumSource(TokenizerFamily.class)
    void pairsMatchHuggingFace(TokenizerFamily family) {
        assertParity(family, ParityCorpus.pairs(), true);
    }

    @ParameterizedTest
    @EnumSource(TokenizerFamily.class)
    void textsWithoutSpecialTokensMatchHuggingFace(TokenizerFamily family) {
        List<Input> inputs = new ArrayList<>(ParityCorpus.pairs());
        ParityCorpus.varied().forEach(t -> inputs.add(new Input(t, null)));
        assertParity(family, inputs, false);
    }

    @ParameterizedTest
    @EnumSource(TokenizerFamily.class)
    void seededRandomStringsMatchHuggingFace(TokenizerFamily family) {
        long seed = SEED + family.ordinal();
        assertParity(family, ParityCorpus.random(seed, RANDOM_INPUTS, family.specials()), true);
    }

    /** The batch call encodes on several threads inside the engine: every row must still be exact. */
    @ParameterizedTest
    @EnumSource(TokenizerFamily.class)
    void batchEncodingMatchesHuggingFaceRowByRow(TokenizerFamily family) {
        Path json = family.tokenizerJson();
        List<String> texts = new ArrayList<>(ParityCorpus.varied());
        ParityCorpus.random(SEED + 200, 1_000, family.specials()).forEach(input -> texts.add(input.first()));
        try (Tokenizer ours = Tokenizer.fromFile(json);
             HuggingFaceOracle reference = HuggingFaceOracle.asFileSays(json)) {
            List<Tokenizer.Encoding> batch = ours.encodeBatch(texts);
            assertThat(batch).hasSameSizeAs(texts);
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                Expected want = reference.encode(texts.get(i), null, true);
                Tokenizer.Encoding got = batch.get(i);
                boolean same = Arrays.equals(got.ids(), want.ids()) && Arrays.equals(got.typeIds(), want.typeIds())
                        && Arrays.equals(got.attentionMask(), want.attentionMask())
                        && Arrays.equals(got.specialTokensMask(), want.specialTokensMask());
                if (!same && failures.size() < 5) {
                    failures.add(i + ": " + texts.get(i) + "\n    ours: " + Arrays.toString(got.ids())
                            + "\n    HF:   " + Arrays.toString(want.ids()));
                }
            }
            assertThat(failures).as("%s: batch rows that differ from Hugging Face", family).isEmpty();
            assertThat(ours.encodeBatch(List.of())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TokenizerFamily.class, names = {"BGE_SMALL_EN", "UNIGRAM_XLMR", "BPE_GPT2"})
    void longestFirstTruncationOfPairsMatchesHuggingFace(TokenizerFamily family) {
        Path json = family.tokenizerJson();
        List<Input> inputs = new ArrayList<>(ParityCorpus.pairs());
        inputs.addAll(ParityCorpus.random(SEED + 100, 500, family.specials()));
        for (int maxLength : new int[] {8, 24, 128}) {
            // The model path is not read when only the tokenizer is loaded.
            ModelFiles files = new ModelFiles(json, json, null, null, null, null);
            try (Tokenizer ours = Tokenizer.forModel(files, maxLength);
                 HuggingFaceOracle reference = HuggingFaceOracle.truncatedTo(json, maxLength)) {
                compare(family + " maxLength=" + maxLength, ours, reference, inputs, true);
            }
        }
    }

    private static void assertParity(TokenizerFamily family, List<Input> inputs, boolean addSpecialTokens) {
        Path json = family.tokenizerJson();
        try (Tokenizer ours = Tokenizer.fromFile(json);
             HuggingFaceOracle reference = HuggingFaceOracle.asFileSays(json)) {
            compare(family.name(), ours, reference, inputs, addSpecialTokens);
        }
    }

    private static void compare(String label, Tokenizer ours, HuggingFaceOracle reference, List<Input> inputs,
                                boolean addSpecialTokens) {
        List<String> failures = new ArrayList<>();
        for (Input input : inputs) {
            Expected want = reference.encode(input.first(), input.second(), addSpecialTokens);
            Tokenizer.Encoding got = input.second() == null
                    ? ours.encode(input.first(), addSpecialTokens)
                    : ours.encodePair(input.first(), input.second(), addSpecialTokens);
            boolean same = Arrays.equals(got.ids(), want.ids())
                    && Arrays.equals(got.typeIds(), want.typeIds())
                    && Arrays.equals(got.attentionMask(), want.attentionMask())
                    && Arrays.equals(got.specialTokensMask(), want.specialTokensMask());
            if (!same && failures.size() < 5) {
                failures.add(String.format("%s%n    ours: %s%n    HF:   %s %s", input, Arrays.toString(got.ids()),
                        Arrays.toString(want.ids()), Arrays.toString(want.tokens())));
            }
        }
        assertThat(failures).as("%s: inputs whose encoding differs from Hugging Face", label).isEmpty();
    }
}

package dev.fastembed;

import dev.fastembed.testing.ReferenceEmbedder;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TestTexts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Embeddings equal a reference run of the same ONNX model (HF tokenizers + ONNX Runtime Java), text by text. */
class TextEmbeddingParityTest {

    @ParameterizedTest
    @EnumSource(value = TestModels.class, names = {"BGE_SMALL_EN_V15", "ALL_MINILM_L6_V2"})
    void mixedBatchOfShortAndLongTextsMatchesTheReference(TestModels model) throws Exception {
        List<String> texts = new ArrayList<>(TestTexts.varied());
        texts.addAll(TestTexts.paragraphs(40));
        texts.add(TestTexts.longText(600));
        texts.add(TestTexts.longText(5_000));

        try (TextEmbedding embedding = TextEmbedding.builder()
                .modelFiles(model.files()).pooling(model.pooling()).maxLength(512).batchSize(16).build();
             ReferenceEmbedder reference = new ReferenceEmbedder(model, 512)) {
            float[][] vectors = embedding.embed(texts);

            assertThat(vectors.length).isEqualTo(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                double cosine = ReferenceEmbedder.cosine(vectors[i], reference.embed(texts.get(i)));
                assertThat(cosine).as("text %d: %.60s", i, texts.get(i)).isGreaterThanOrEqualTo(0.9999);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestModels.class, names = {"BGE_SMALL_ZH_V15", "E5_SMALL_V2"})
    void otherBertModelsMatchTheReference(TestModels model) throws Exception {
        List<String> texts = new ArrayList<>(TestTexts.varied());
        texts.addAll(TestTexts.paragraphs(8));
        try (TextEmbedding embedding = TextEmbedding.builder()
                .modelFiles(model.files()).pooling(model.pooling()).build();
             ReferenceEmbedder reference = new ReferenceEmbedder(model, 512)) {
            float[][] vectors = embedding.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(ReferenceEmbedder.cosine(vectors[i], reference.embed(texts.get(i))))
                        .as("text %d", i).isGreaterThanOrEqualTo(0.9999);
            }
        }
    }
}

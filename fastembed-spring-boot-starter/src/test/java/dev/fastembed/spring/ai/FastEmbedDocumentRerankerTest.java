package dev.fastembed.spring.ai;

import dev.fastembed.TextRerank;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.spring.SharedModel;
import dev.fastembed.spring.ModelState;
import dev.fastembed.spring.ModelUnavailableException;
import dev.fastembed.spring.TextRerankPool;
import org.junit.jupiter.api.Test;
import org.springframework.ai.content.Media;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.util.MimeTypeUtils;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the reranker orders, cuts and annotates documents given the cross-encoder's scores, and what it does
 * before any model runs. (No cross-encoder model is available offline here; the scores of real rerankers are
 * tested in fastembed-native.)
 */
class FastEmbedDocumentRerankerTest {

    private final List<Document> retrieved = List.of(
            Document.builder().id("a").text("first retrieved").score(0.9).build(),
            Document.builder().id("b").text("second retrieved").metadata("source", "b.md").score(0.8).build(),
            Document.builder().id("c").text("third retrieved").score(0.7).build(),
            Document.builder().id("d").text("fourth retrieved").build());

    @Test
    void documentsComeBackBestFirstWithTheRerankScore() {
        List<Document> ranked = FastEmbedDocumentReranker.ranked(retrieved, new float[] {-1.5f, 4.0f, 0.5f, 2.0f},
                null, null);
        assertThat(ranked).extracting(Document::getId).containsExactly("b", "d", "c", "a");
        assertThat(ranked).extracting(Document::getScore).containsExactly(4.0, 2.0, 0.5, -1.5);
        assertThat(ranked.getFirst().getMetadata()).containsEntry("source", "b.md")
                .containsEntry(FastEmbedDocumentReranker.RETRIEVAL_SCORE, 0.8);
        assertThat(ranked.get(1).getMetadata()).as("no retrieval score to keep")
                .doesNotContainKey(FastEmbedDocumentReranker.RETRIEVAL_SCORE);
        assertThat(ranked.getFirst().getText()).isEqualTo("second retrieved");
    }

    @Test
    void tiesKeepTheRetrievalOrder() {
        List<Document> ranked = FastEmbedDocumentReranker.ranked(retrieved, new float[] {1f, 3f, 1f, 3f}, null, null);
        assertThat(ranked).extracting(Document::getId).containsExactly("b", "d", "a", "c");
    }

    @Test
    void topKAndMinimumScoreCutTheList() {
        float[] scores = {-1.5f, 4.0f, 0.5f, 2.0f};
        assertThat(FastEmbedDocumentReranker.ranked(retrieved, scores, 2, null))
                .extracting(Document::getId).containsExactly("b", "d");
        assertThat(FastEmbedDocumentReranker.ranked(retrieved, scores, null, 0.5))
                .extracting(Document::getId).containsExactly("b", "d", "c");
        assertThat(FastEmbedDocumentReranker.ranked(retrieved, scores, 10, 5.0)).isEmpty();
    }

    @Test
    void noDocumentsNeedNoModel() {
        TextRerankPool pool = unloadable();
        assertThat(new FastEmbedDocumentReranker(pool, null, null).process(new Query("anything"), List.of()))
                .isEmpty();
        assertThat(pool.pool().state()).isEqualTo(ModelState.NOT_LOADED);
    }

    @Test
    void aDocumentWithoutTextIsRejectedBeforeTheModelRuns() {
        TextRerankPool pool = unloadable();
        Document image = new Document(Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(new byte[] {1}).build(),
                Map.of());
        assertThatThrownBy(() -> new FastEmbedDocumentReranker(pool, null, null)
                .process(new Query("cats"), List.of(retrieved.getFirst(), image)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("documents[1]")
                .hasMessageContaining("no text");
        assertThat(pool.pool().state()).isEqualTo(ModelState.NOT_LOADED);
    }

    @Test
    void aRerankerThatCannotLoadSaysWhy() {
        assertThatThrownBy(() -> new FastEmbedDocumentReranker(unloadable(), 3, null)
                .process(new Query("cats"), retrieved))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("no reranker here");
    }

    @Test
    void topKMustBePositive() {
        assertThatThrownBy(() -> new FastEmbedDocumentReranker(unloadable(), 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topK");
    }

    private static TextRerankPool unloadable() {
        return new TextRerankPool(new SharedModel<TextRerank>("rerank", ModelKind.RERANK, "test", 1, Duration.ZERO,
                () -> {
                    throw new IllegalStateException("no reranker here");
                }));
    }
}

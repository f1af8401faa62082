package dev.fastembed.sample.index;

import dev.fastembed.sample.testing.WordHashEmbeddings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Opening an index folder never guesses: a new index is made only where none was ever committed (and only a
 * new one is marked for the bundled corpus); an index that cannot be opened, one of another embedding model,
 * stray files and the JSON files of earlier versions are refused, naming the folder and the fix.
 */
class SearchIndexFolderTest {

    private final WordHashEmbeddings models = new WordHashEmbeddings();

    @TempDir
    Path root;

    @Test
    void aNewIndexSaysWhatBuiltItAndAwaitsTheCorpusOnce() throws Exception {
        Path folder = root.resolve("index");
        try (LuceneVectorStore store = open(folder, "word-hash", true)) {
            assertThat(store.commitData()).containsEntry(SearchIndexFolder.MODEL, "word-hash")
                    .containsEntry(SearchIndexFolder.DIMENSIONS, "64")
                    .containsEntry(SearchIndexFolder.CORPUS, SearchIndexFolder.CORPUS_PENDING);
            DocumentIndex index = index(store);
            assertThat(index.corpusPending()).isTrue();
            ingest(index, "one.md", "A first document about lighthouses.");
            index.corpusIngested();
        }
        try (LuceneVectorStore store = open(folder, "word-hash", true)) {
            assertThat(index(store).corpusPending()).as("the mark survives").isFalse();
            assertThat(index(store).documents()).extracting(IngestedDocument::source).containsExactly("one.md");
            assertThat(store.commitData()).as("carried by every commit").containsEntry(SearchIndexFolder.MODEL,
                    "word-hash");
        }
    }

    @Test
    void anIndexCreatedWithoutTheCorpusNeverGetsIt() throws Exception {
        Path folder = root.resolve("index");
        open(folder, "word-hash", false).close();
        try (LuceneVectorStore store = open(folder, "word-hash", true)) {
            assertThat(index(store).corpusPending()).isFalse();
            assertThat(store.count()).isZero();
        }
    }

    @Test
    void whatACrashBeforeTheFirstCommitLeavesIsNoIndex() throws Exception {
        Path folder = Files.createDirectories(root.resolve("index"));
        Files.writeString(folder.resolve("write.lock"), "");
        Files.writeString(folder.resolve("pending_segments_1"), "half");
        try (LuceneVectorStore store = open(folder, "word-hash", true)) {
            assertThat(store.commitData()).containsEntry(SearchIndexFolder.CORPUS, SearchIndexFolder.CORPUS_PENDING);
        }
    }

    @Test
    void anIndexWhoseCommitFileIsGoneIsRefused() throws Exception {
        Path folder = indexWithOneDocument();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path commit : files.filter(f -> f.getFileName().toString().startsWith("segments_")).toList()) {
                Files.delete(commit);
            }
        }
        assertThatThrownBy(() -> open(folder, "word-hash", true)).isInstanceOf(SearchIndexException.class)
                .hasMessageContaining(folder.toAbsolutePath().toString()).hasMessageContaining("no Lucene index")
                .hasMessageContaining("restore it from a backup");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).as("nothing was overwritten").isNotEmpty();
        }
    }

    @Test
    void aDamagedCommitFileIsRefused() throws Exception {
        Path folder = indexWithOneDocument();
        Path commit = newest(folder, "segments_");
        Files.write(commit, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, StandardOpenOption.TRUNCATE_EXISTING);
        assertCannotBeOpened(folder);
    }

    @Test
    void aTruncatedSegmentFileIsRefused() throws Exception {
        Path folder = indexWithOneDocument();
        Path largest;
        try (Stream<Path> files = Files.list(folder)) {
            largest = files.filter(f -> !f.getFileName().toString().startsWith("segments_")
                    && !f.getFileName().toString().equals("write.lock"))
                    .max(Comparator.comparingLong(SearchIndexFolderTest::size)).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(largest);
        Files.write(largest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertCannotBeOpened(folder);
    }

    @Test
    void anIndexOfAnotherModelIsRefusedOrEmbeddedAgainOnRequest() throws Exception {
        Path folder = indexWithOneDocument();
        assertThatThrownBy(() -> open(folder, "other-model", true)).isInstanceOf(SearchIndexException.class)
                .hasMessageContaining(folder.toAbsolutePath().toString())
                .hasMessageContaining("'word-hash' (64 dimensions)").hasMessageContaining("'other-model'")
                .hasMessageContaining("--sample.reindex=true");

        try (LuceneVectorStore store = SearchIndexFolder.open(folder, "other-model", WordHashEmbeddings.DIMENSIONS, true,
                true, models, models, JsonMapper.builder().build())) {
            assertThat(store.commitData()).containsEntry(SearchIndexFolder.MODEL, "other-model");
            assertThat(index(store).documents()).extracting(IngestedDocument::source).containsExactly("one.md");
            List<Document> found = index(store).search("lighthouses", 1);
            assertThat(found).singleElement().satisfies(chunk -> assertThat(chunk.getText()).contains("lighthouses"));
            assertThat(store.keywordSearch("lighthouses", 5)).hasSize(1);
        }
        open(folder, "other-model", true).close();
    }

    @Test
    void theJsonIndexOfEarlierVersionsIsRefusedWithInstructions() throws Exception {
        Path folder = Files.createDirectories(root.resolve("index"));
        Files.writeString(folder.resolve("documents.json"), "[]");
        Files.writeString(folder.resolve("vector-store.json"), "{}");
        assertThatThrownBy(() -> open(folder, "word-hash", true)).isInstanceOf(SearchIndexException.class)
                .hasMessageContaining(folder.toAbsolutePath().toString())
                .hasMessageContaining("documents.json, vector-store.json").hasMessageContaining("Move")
                .hasMessageContaining("POST /api/documents");
    }

    @Test
    void anIndexInUseByAnotherProcessIsRefused() throws Exception {
        Path folder = indexWithOneDocument();
        try (LuceneVectorStore first = open(folder, "word-hash", true)) {
            assertThat(first.count()).isEqualTo(1);
            assertThatThrownBy(() -> open(folder, "word-hash", true)).isInstanceOf(SearchIndexException.class)
                    .hasMessageContaining("in use by another process");
        }
    }

    private void assertCannotBeOpened(Path folder) {
        assertThatThrownBy(() -> open(folder, "word-hash", true).close()).isInstanceOf(SearchIndexException.class)
                .hasMessageContaining("The search index in " + folder.toAbsolutePath() + " cannot be opened")
                .hasMessageContaining("Restore the folder from a backup, or move it away");
    }

    private Path indexWithOneDocument() throws IOException {
        Path folder = root.resolve("index");
        try (LuceneVectorStore store = open(folder, "word-hash", true)) {
            ingest(index(store), "one.md", "A first document about lighthouses.");
        }
        return folder;
    }

    private LuceneVectorStore open(Path folder, String model, boolean corpus) {
        return SearchIndexFolder.open(folder, model, WordHashEmbeddings.DIMENSIONS, false, corpus, models, models,
                JsonMapper.builder().build());
    }

    private static DocumentIndex index(LuceneVectorStore store) {
        return new DocumentIndex(store, new DocumentSplitter(64), Clock.systemUTC());
    }

    private static void ingest(DocumentIndex index, String source, String text) {
        index.ingest(new SourceDocument(source, null, TextFormat.MARKDOWN, "# " + source + "\n\n" + text));
    }

    private static Path newest(Path folder, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .max(Comparator.comparing(Path::toString)).orElseThrow();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

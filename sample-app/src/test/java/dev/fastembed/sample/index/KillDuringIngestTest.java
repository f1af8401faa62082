package dev.fastembed.sample.index;

import dev.fastembed.sample.testing.WordHashEmbeddings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} during ingestion: a child JVM ({@link CrashingIngester}) ingests and replaces documents in a
 * loop and is killed at a random moment, round after round on the same index. After each kill the index is
 * opened again and must hold every acknowledged document in its acknowledged version (or the one whose ingest
 * was under way, if its commit made it), each document whole (all its chunks, of one version), and its listing,
 * its dense search and its keyword search must return exactly the same chunks.
 */
class KillDuringIngestTest {

    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(50);
    private static final int MIN_ROUNDS = 10;
    private static final int MAX_ROUNDS = 60;
    private static final FilterExpressionBuilder FILTER = new FilterExpressionBuilder();

    @TempDir
    Path folder;

    /** What must be in the index: source → version, after each round. */
    private final Map<String, Long> expected = new TreeMap<>();

    @Test
    void everyAcknowledgedDocumentSurvivesAKillWholeAndListingAndSearchAgree() throws Exception {
        Random random = new Random(17);
        long start = System.nanoTime();
        int rounds = 0;
        int acknowledged = 0;
        int killedMidIngest = 0;
        while (rounds < MAX_ROUNDS && (rounds < MIN_ROUNDS || System.nanoTime() - start < BUDGET_NANOS)) {
            // Killed after 1 to 5 acknowledged ingests and then 0 to 150 ms, mostly inside the next ingest.
            Round round = runAndKill(rounds * 1_000_000L, random.nextLong(), 1 + random.nextInt(5), random.nextInt(150));
            rounds++;
            acknowledged += round.acks.size();
            if (round.inFlightSource != null) {
                killedMidIngest++;
            }
            check(round);
        }
        System.out.printf("kill -9 test: %d rounds, %d acknowledged ingests, %d kills during an ingest, %d s%n", rounds,
                acknowledged, killedMidIngest, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        assertThat(acknowledged).as("ingests acknowledged before the kills").isGreaterThan(rounds);
        assertThat(killedMidIngest).as("kills that hit an ingest under way").isGreaterThan(rounds / 2);
    }

    private record Round(List<String[]> acks, String inFlightSource, long inFlightVersion) {
    }

    private Round runAndKill(long firstVersion, long seed, int killAfterAcks, int killAfterMillis) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CrashingIngester.class.getName(), folder.toString(), Long.toString(firstVersion), Long.toString(seed))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger acks = new AtomicInteger();
        Object ready = new Object();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    if (line.startsWith("ACK")) {
                        acks.incrementAndGet();
                        synchronized (ready) {
                            ready.notifyAll();
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes with the kill
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            synchronized (ready) {
                while (acks.get() < killAfterAcks && child.isAlive() && System.nanoTime() < deadline) {
                    ready.wait(5);
                }
            }
            assertThat(child.isAlive()).as("the ingester runs (see its output above)").isTrue();
            Thread.sleep(killAfterMillis);
        } finally {
            child.destroyForcibly(); // SIGKILL
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        reader.join(TimeUnit.SECONDS.toMillis(10));

        List<String[]> acked = new ArrayList<>();
        String[] begun = null;
        for (String line : List.copyOf(lines)) {
            String[] parts = line.split(" ");
            if (parts[0].equals("BEGIN")) {
                begun = parts;
            } else if (parts[0].equals("ACK")) {
                acked.add(parts);
                begun = null;
            }
        }
        return new Round(acked, begun == null ? null : begun[1], begun == null ? -1 : Long.parseLong(begun[2]));
    }

    private void check(Round round) throws Exception {
        round.acks.forEach(ack -> expected.put(ack[1], Long.parseLong(ack[2])));
        WordHashEmbeddings models = new WordHashEmbeddings();
        try (LuceneVectorStore store = SearchIndexFolder.open(folder, "word-hash", WordHashEmbeddings.DIMENSIONS,
                false, false, models, models, JsonMapper.builder().build())) {
            DocumentIndex index = new DocumentIndex(store, new DocumentSplitter(64), Clock.systemUTC());
            List<Document> chunks = store.list(null);
            Map<String, List<Document>> bySource = chunks.stream().collect(Collectors.groupingBy(
                    chunk -> chunk.getMetadata().get(DocumentSplitter.SOURCE).toString()));

            Map<String, Long> present = new TreeMap<>();
            for (var entry : bySource.entrySet()) {
                List<Document> parts = entry.getValue();
                Set<String> titles = parts.stream().map(c -> c.getMetadata().get(DocumentSplitter.TITLE).toString())
                        .collect(Collectors.toSet());
                assertThat(titles).as("chunks of %s come from one version", entry.getKey()).hasSize(1);
                int declared = ((Number) parts.getFirst().getMetadata().get(DocumentSplitter.CHUNKS)).intValue();
                Set<Integer> numbers = parts.stream().map(c -> ((Number) c.getMetadata().get(DocumentSplitter.CHUNK))
                        .intValue()).collect(Collectors.toSet());
                assertThat(parts).as("%s is whole", entry.getKey()).hasSize(declared);
                assertThat(numbers).as("%s is whole", entry.getKey()).hasSize(declared).allMatch(n -> n < declared);
                String title = titles.iterator().next();
                present.put(entry.getKey(), Long.parseLong(title.substring(title.lastIndexOf(' ') + 1)));
            }

            Map<String, Long> allowed = new HashMap<>(expected);
            if (round.inFlightSource != null && round.inFlightVersion == present.getOrDefault(round.inFlightSource, -1L)) {
                allowed.put(round.inFlightSource, round.inFlightVersion); // its commit made it before the kill
                expected.put(round.inFlightSource, round.inFlightVersion);
            }
            assertThat(present).as("acknowledged versions (in flight: %s %d)", round.inFlightSource,
                    round.inFlightVersion).isEqualTo(allowed);

            List<IngestedDocument> listed = index.documents();
            assertThat(listed).extracting(IngestedDocument::source).containsExactlyElementsOf(present.keySet());
            assertThat(listed.stream().mapToInt(IngestedDocument::chunks).sum()).isEqualTo(chunks.size())
                    .isEqualTo(store.count()).isEqualTo(index.chunkCount());
            for (IngestedDocument document : listed) {
                assertThat(document.title()).endsWith("version " + present.get(document.source()));
            }

            Set<String> ids = ids(chunks);
            int all = Math.max(1, chunks.size());
            List<Document> dense = store.similaritySearch(SearchRequest.builder().query("common section").topK(all)
                    .similarityThresholdAll().filterExpression(FILTER.gte(DocumentSplitter.CHUNK, 0).build()).build());
            assertThat(ids(dense)).as("dense search finds exactly the listed chunks").isEqualTo(ids);
            assertThat(ids(store.keywordSearch("common", all))).as("keyword search finds exactly the listed chunks")
                    .isEqualTo(ids);
            for (var entry : bySource.entrySet()) {
                List<Document> ofSource = store.similaritySearch(SearchRequest.builder().query("section").topK(all)
                        .similarityThresholdAll().filterExpression(FILTER.eq(DocumentSplitter.SOURCE, entry.getKey())
                                .build()).build());
                assertThat(ids(ofSource)).as("search filtered to %s", entry.getKey()).isEqualTo(ids(entry.getValue()));
            }
        }
    }

    private static Set<String> ids(List<Document> documents) {
        return documents.stream().map(Document::getId).collect(Collectors.toCollection(HashSet::new));
    }
}

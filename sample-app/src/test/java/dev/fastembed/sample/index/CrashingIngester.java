package dev.fastembed.sample.index;

import dev.fastembed.sample.testing.WordHashEmbeddings;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

/**
 * The child JVM of {@link KillDuringIngestTest}: ingests documents into the index folder, over and over, until
 * it is killed. Prints {@code BEGIN source version} before each ingest and {@code ACK source version} once
 * it returned, which is when the app would answer 201. Sources repeat, so most ingests replace a document;
 * the number of sections (chunks) changes from version to version.
 */
public final class CrashingIngester {

    static final String[] SOURCES = {"alpha.md", "bravo.md", "charlie.md", "delta.md", "echo.md", "foxtrot.md"};

    private CrashingIngester() {
    }

    /** Arguments: the index folder, the first version number, a random seed. */
    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        long version = Long.parseLong(args[1]);
        Random random = new Random(Long.parseLong(args[2]));
        WordHashEmbeddings models = new WordHashEmbeddings();
        LuceneVectorStore store = SearchIndexFolder.open(folder, "word-hash", WordHashEmbeddings.DIMENSIONS, false,
                false, models, models, JsonMapper.builder().build());
        DocumentIndex index = new DocumentIndex(store, new DocumentSplitter(64), Clock.systemUTC());
        System.out.println("READY");
        while (true) {
            String source = SOURCES[random.nextInt(SOURCES.length)];
            version++;
            System.out.println("BEGIN " + source + " " + version);
            index.ingest(new SourceDocument(source, source + " version " + version, TextFormat.MARKDOWN,
                    content(source, version, 1 + random.nextInt(6))));
            System.out.println("ACK " + source + " " + version);
        }
    }

    /** A Markdown document of the given number of sections; every chunk says "common" once. */
    static String content(String source, long version, int sections) {
        StringBuilder text = new StringBuilder("# " + source + " version " + version + "\n\n");
        for (int s = 0; s < sections; s++) {
            text.append("## Section ").append(s).append("\n\nThis common section ").append(s).append(" of ")
                    .append(source).append(" belongs to version ").append(version).append(" and says little else.\n\n");
        }
        return text.toString();
    }
}

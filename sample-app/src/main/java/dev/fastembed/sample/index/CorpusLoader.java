package dev.fastembed.sample.index;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * Ingests the bundled documents into an index created for them (the first start on a data folder), so the app
 * has something to search right away, then records in the index that it did: an index that already has its
 * corpus, or was created without, never gets it (again), whatever it holds. A crash halfway leaves the mark
 * unset, and the next start ingests the corpus again (each document replacing itself). Files other than .md
 * and .txt are skipped.
 */
public class CorpusLoader implements ApplicationRunner {

    private static final Log log = LogFactory.getLog(CorpusLoader.class);

    private final DocumentIndex index;
    private final ResourcePatternResolver resources;
    private final String location;

    public CorpusLoader(DocumentIndex index, ResourcePatternResolver resources, String location) {
        this.index = index;
        this.resources = resources;
        this.location = location;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!index.corpusPending()) {
            log.info("Search index has " + index.documents().size() + " document(s) in " + index.chunkCount()
                    + " chunk(s)");
            return;
        }
        long start = System.nanoTime();
        int count = 0;
        for (Resource resource : corpus()) {
            Optional<TextFormat> format = TextFormat.ofFileName(resource.getFilename());
            if (format.isEmpty()) {
                continue;
            }
            index.ingest(new SourceDocument(resource.getFilename(), null, format.get(), read(resource)));
            count++;
        }
        index.corpusIngested();
        log.info("Ingested " + count + " bundled document(s) (" + index.chunkCount() + " chunks) in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private Resource[] corpus() {
        try {
            Resource[] found = resources.getResources(location);
            Arrays.sort(found, Comparator.comparing(Resource::getFilename, Comparator.nullsFirst(String::compareTo)));
            return Arrays.stream(found).filter(r -> r.getFilename() != null).toArray(Resource[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the corpus at " + location, e);
        }
    }

    private static String read(Resource resource) {
        try {
            return resource.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
    }
}

package dev.fastembed.sample.index;

import java.time.Instant;
import java.util.List;

/**
 * A document in the index.
 *
 * @param source     its unique name
 * @param title      its title
 * @param format     {@code markdown} or {@code text}
 * @param characters its length
 * @param chunkIds   the vector store ids of its chunks
 * @param ingestedAt when it was (last) ingested
 */
public record IngestedDocument(String source, String title, String format, int characters, List<String> chunkIds,
                               Instant ingestedAt) {

    public IngestedDocument {
        chunkIds = List.copyOf(chunkIds);
    }

    public int chunks() {
        return chunkIds.size();
    }
}

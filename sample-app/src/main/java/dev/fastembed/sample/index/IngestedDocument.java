package dev.fastembed.sample.index;

import java.time.Instant;

/**
 * A document in the index, as its chunks describe it.
 *
 * @param source     its unique name
 * @param title      its title
 * @param format     {@code markdown} or {@code text}
 * @param characters its length
 * @param chunks     how many chunks it has
 * @param ingestedAt when it was (last) ingested
 */
public record IngestedDocument(String source, String title, String format, int characters, int chunks,
                               Instant ingestedAt) {
}

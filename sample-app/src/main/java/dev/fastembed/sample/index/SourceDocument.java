package dev.fastembed.sample.index;

import java.util.Objects;

/**
 * A whole document to ingest.
 *
 * @param source  its name, unique in the index (ingesting the same name again replaces it), e.g. {@code tides.md}
 * @param title   its title, or null to take the first heading (Markdown) or first line (text)
 * @param format  how to read it
 * @param content its text
 */
public record SourceDocument(String source, String title, TextFormat format, String content) {

    public SourceDocument {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(content, "content");
    }
}

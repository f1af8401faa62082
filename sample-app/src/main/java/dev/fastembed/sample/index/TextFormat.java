package dev.fastembed.sample.index;

import java.util.Locale;
import java.util.Optional;

/** The kinds of document the index reads. */
public enum TextFormat {
    MARKDOWN,
    TEXT;

    /** The format a file name implies: .md and .markdown are Markdown, .txt plain text. */
    public static Optional<TextFormat> ofFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
            return Optional.of(MARKDOWN);
        }
        if (lower.endsWith(".txt")) {
            return Optional.of(TEXT);
        }
        return Optional.empty();
    }

    /** Parses "markdown" or "text" (any case). */
    public static Optional<TextFormat> parse(String value) {
        for (TextFormat format : values()) {
            if (format.name().equalsIgnoreCase(value.strip())) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

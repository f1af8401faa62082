package dev.fastembed;

import java.util.Objects;

/**
 * One effective setting of a loaded model and where it came from, e.g. pooling {@code MEAN} from
 * {@code "catalogue sentence-transformers/all-MiniLM-L6-v2"} or from {@code "file 1_Pooling/config.json"}.
 *
 * @param value  the value the model runs with
 * @param origin where it came from: {@code "set explicitly"}, {@code "catalogue <name>"}, {@code "file <name>"},
 *               {@code "model output"} or {@code "default"}
 */
public record ModelSetting<T>(T value, String origin) {

    public static final String EXPLICIT = "set explicitly";
    public static final String DEFAULT = "default";

    public ModelSetting {
        Objects.requireNonNull(origin, "origin");
    }

    static <T> ModelSetting<T> fromCatalogue(T value, String catalogueName) {
        return new ModelSetting<>(value, "catalogue " + catalogueName);
    }

    @Override
    public String toString() {
        return (value instanceof String s ? "\"" + s + "\"" : String.valueOf(value)) + " (" + origin + ")";
    }
}

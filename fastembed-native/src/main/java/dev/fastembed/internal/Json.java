package dev.fastembed.internal;

import dev.fastembed.ModelFiles;

import java.nio.file.Path;

/** Writes the small JSON option objects the native constructors take (see include/fastembed.h). */
public final class Json {

    private final StringBuilder out = new StringBuilder("{");
    private boolean first = true;

    private Json() {
    }

    public static Json object() {
        return new Json();
    }

    /** Adds a member unless {@code value} is null. Strings, numbers and booleans are supported. */
    public Json put(String key, Object value) {
        if (value == null) {
            return this;
        }
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(key);
        out.append(':');
        switch (value) {
            case String s -> quote(s);
            case Path p -> quote(p.toAbsolutePath().toString());
            case Boolean b -> out.append(b);
            case Float f -> number(f.doubleValue());
            case Double d -> number(d);
            case Number n -> out.append(n.longValue());
            case java.util.List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    quote(String.valueOf(list.get(i)));
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("unsupported JSON value: " + value.getClass());
        }
        return this;
    }

    /** Adds the file paths of a model under the names the engine expects. */
    public Json modelFiles(ModelFiles files) {
        return put("model_file", files.model())
                .put("tokenizer_file", files.tokenizer())
                .put("config_file", files.config())
                .put("special_tokens_map_file", files.specialTokensMap())
                .put("tokenizer_config_file", files.tokenizerConfig())
                .put("preprocessor_config_file", files.preprocessorConfig());
    }

    private void number(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        out.append(value);
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out + "}";
    }
}

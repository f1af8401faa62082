package dev.fastembed.internal;

import dev.fastembed.FastEmbedException;
import dev.fastembed.ModelSetting;
import dev.fastembed.Pooling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a model's own files say about how to run it: sentence-transformers' {@code modules.json} with its
 * pooling module's {@code config.json} (pooling) and a {@code Normalize} module (normalization),
 * {@code config_sentence_transformers.json} prompts (query and passage prefixes), {@code sentence_bert_config.json}
 * {@code max_seq_length}, else {@code tokenizer_config.json} {@code model_max_length} up to 512 (max length).
 * A setting the files do not mention is empty.
 */
public record ModelConfigFiles(Optional<ModelSetting<Pooling>> pooling, Optional<ModelSetting<Boolean>> normalize,
                               Optional<ModelSetting<String>> queryPrefix,
                               Optional<ModelSetting<String>> passagePrefix,
                               Optional<ModelSetting<Integer>> maxLength,
                               Optional<String> unsupportedPooling) {

    /** The engine's max length when none is given (DEFAULT_MAX_LENGTH in the engine's options.rs). */
    public static final int DEFAULT_MAX_LENGTH = 512;

    /** Limits above this in {@code model_max_length} mean "no limit" (transformers writes 1e30). */
    private static final double NO_LIMIT = 1_000_000;

    public static final ModelConfigFiles NONE = new ModelConfigFiles(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * The pooling the files ask for, failing if it is one the engine does not have (then only an explicit or
     * catalogue pooling lets the model run).
     */
    public Optional<ModelSetting<Pooling>> requirePooling() {
        unsupportedPooling.ifPresent(problem -> {
            throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT, problem);
        });
        return pooling;
    }

    /**
     * @param read the text of a file by its path relative to the model's folder (e.g. {@code "modules.json"}),
     *             or empty where there is no such file
     * @param where the model folder, for messages
     */
    public static ModelConfigFiles read(Function<String, Optional<String>> read, String where) {
        Optional<ModelSetting<Pooling>> pooling = Optional.empty();
        Optional<String> unsupportedPooling = Optional.empty();
        Optional<ModelSetting<Boolean>> normalize = Optional.empty();
        Optional<List<Object>> moduleList = read.apply("modules.json").map(text -> parse(text, "modules.json", where))
                .filter(List.class::isInstance).map(ModelConfigFiles::castList);
        if (moduleList.isPresent()) {
            boolean normalized = false;
            for (Object module : moduleList.get()) {
                if (!(module instanceof Map<?, ?> entry)) {
                    continue;
                }
                String type = String.valueOf(entry.get("type"));
                String path = entry.get("path") instanceof String p ? p : "";
                if (type.endsWith(".Pooling")) {
                    String file = (path.isEmpty() ? "" : path + "/") + "config.json";
                    Optional<Map<String, Object>> config = json(read, file, where);
                    if (config.isPresent()) {
                        pooling = poolingOf(config.get(), file);
                        unsupportedPooling = pooling.isPresent() ? Optional.empty()
                                : Optional.of(unsupported(config.get(), file, where));
                    }
                } else if (type.endsWith(".Normalize")) {
                    normalized = true;
                }
            }
            normalize = Optional.of(new ModelSetting<>(normalized, "file modules.json"
                    + (normalized ? " (Normalize module)" : " (no Normalize module)")));
        }
        Optional<ModelSetting<String>> queryPrefix = Optional.empty();
        Optional<ModelSetting<String>> passagePrefix = Optional.empty();
        Optional<Map<String, Object>> stConfig = json(read, "config_sentence_transformers.json", where);
        if (stConfig.isPresent() && stConfig.get().get("prompts") instanceof Map<?, ?> prompts) {
            String origin = "file config_sentence_transformers.json";
            queryPrefix = firstString(prompts, "query").map(p -> new ModelSetting<>(p, origin));
            passagePrefix = firstString(prompts, "passage", "document").map(p -> new ModelSetting<>(p, origin));
        }
        Optional<ModelSetting<Integer>> maxLength = json(read, "sentence_bert_config.json", where)
                .flatMap(config -> length(config.get("max_seq_length")))
                .map(length -> new ModelSetting<>(length, "file sentence_bert_config.json"));
        if (maxLength.isEmpty()) {
            // The engine reads it too and keeps at most its default, as fastembed does.
            maxLength = json(read, "tokenizer_config.json", where)
                    .flatMap(config -> length(config.get("model_max_length")))
                    .map(length -> new ModelSetting<>(Math.min(length, DEFAULT_MAX_LENGTH),
                            "file tokenizer_config.json (model_max_length, at most " + DEFAULT_MAX_LENGTH + ")"));
        }
        return new ModelConfigFiles(pooling, normalize, queryPrefix, passagePrefix, maxLength, unsupportedPooling);
    }

    /** CLS, mean or last-token pooling when the config asks for exactly that, else empty. */
    private static Optional<ModelSetting<Pooling>> poolingOf(Map<String, Object> config, String file) {
        List<String> modes = modes(config);
        String origin = "file " + file;
        if (modes.equals(List.of("pooling_mode_cls_token"))) {
            return Optional.of(new ModelSetting<>(Pooling.CLS, origin));
        }
        if (modes.equals(List.of("pooling_mode_mean_tokens"))) {
            return Optional.of(new ModelSetting<>(Pooling.MEAN, origin));
        }
        if (modes.equals(List.of("pooling_mode_lasttoken"))) {
            return Optional.of(new ModelSetting<>(Pooling.LAST_TOKEN, origin));
        }
        return Optional.empty();
    }

    private static String unsupported(Map<String, Object> config, String file, String where) {
        List<String> modes = modes(config);
        return file + " in " + where + " asks for " + (modes.isEmpty() ? "no pooling mode" : String.join(" + ", modes))
                + "; the engine pools by CLS token, mean or last token only. Set the pooling explicitly if one of them "
                + "is right";
    }

    private static List<String> modes(Map<String, Object> config) {
        List<String> modes = new ArrayList<>();
        config.forEach((key, value) -> {
            if (key.startsWith("pooling_mode_") && Boolean.TRUE.equals(value)) {
                modes.add(key);
            }
        });
        return modes;
    }

    private static Optional<Integer> length(Object value) {
        if (value instanceof Double number && number >= 1 && number < NO_LIMIT) {
            return Optional.of(number.intValue());
        }
        return Optional.empty();
    }

    private static Optional<String> firstString(Map<?, ?> map, String... keys) {
        for (String key : keys) {
            if (map.get(key) instanceof String value) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> json(Function<String, Optional<String>> read, String file,
                                                      String where) {
        return read.apply(file).map(text -> parse(text, file, where))
                .filter(Map.class::isInstance).map(map -> (Map<String, Object>) map);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object list) {
        return (List<Object>) list;
    }

    private static Object parse(String text, String file, String where) {
        try {
            return JsonReader.parse(text);
        } catch (IllegalArgumentException e) {
            throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT,
                    file + " in " + where + " is not valid JSON: " + e.getMessage());
        }
    }
}

package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.ModelConfigFiles;
import dev.fastembed.internal.FastEmbedNative.NativeType;
import dev.fastembed.internal.ResolvedModel;
import dev.fastembed.internal.Utf8Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A dense text embedding model running in process: tokenizer, ONNX Runtime and pooling in the native engine.
 *
 * <p>Thread-safe: concurrent {@code embed} calls run in parallel on one loaded model (ONNX Runtime sessions
 * allow it); {@link #close()} waits for calls in flight, then frees the native model. Calls after close throw
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (TextEmbedding model = TextEmbedding.builder().model("BAAI/bge-small-en-v1.5").build()) {
 *     float[] vector = model.embed("hello");
 * }
 * }</pre>
 */
public final class TextEmbedding extends NativeModel {

    private static final Logger log = LoggerFactory.getLogger(TextEmbedding.class);
    /** What the engine says when "pooling_required" is set and a per-token output has no pooling (text.rs). */
    private static final String ENGINE_POOLING_REQUIRED = "no pooling was given";
    /** The task {@link #queryEmbed} chooses for task-adapter models, as fastembed's query_embed. */
    public static final String QUERY_TASK = "retrieval.query";
    /** The task {@link #passageEmbed} (and, by default, {@link #embed(List)}) chooses for task-adapter models. */
    public static final String PASSAGE_TASK = "retrieval.passage";

    private final int dimension;
    private final String queryPrefix;
    private final String passagePrefix;
    private final List<String> tasks;
    private final Map<String, ModelSetting<?>> settings;

    private TextEmbedding(Builder builder, ResolvedModel model, Map<String, ModelSetting<?>> settings) {
        super(NativeType.TEXT_EMBEDDING, builder.toJson(model, settings));
        this.dimension = call(FastEmbedNative::dimension);
        this.queryPrefix = (String) settings.get("queryPrefix").value();
        this.passagePrefix = (String) settings.get("passagePrefix").value();
        this.tasks = builder.tasks(model);
        Map<String, ModelSetting<?>> effective = new LinkedHashMap<>(settings);
        // Loading succeeded without a pooling: the output is already one vector per text.
        effective.putIfAbsent("pooling", new ModelSetting<>(Pooling.NONE, "model output (one vector per text)"));
        this.settings = orderedSettings(effective);
        log.debug("Text model {} loaded with {}", model.location(), this.settings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The dense text models of the catalogue, each loadable with {@code builder().model(name)}. */
    public static java.util.List<ModelDescription> listSupportedModels() {
        return ModelCatalog.list(ModelKind.TEXT);
    }

    /** The length of every vector this model returns. */
    public int dimension() {
        return dimension;
    }

    /** Embeds one text. */
    public float[] embed(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return embed(List.of(text))[0];
    }

    /** Embeds texts, one vector per text in input order. An empty list gives an empty array. */
    public float[][] embed(List<String> texts) {
        return embedWithUsage(texts).vectors();
    }

    /** Embeds texts and reports how many tokens (after truncation, without padding) the model saw. */
    public DenseEmbeddings embedWithUsage(List<String> texts) {
        return embedWithUsage(texts, null);
    }

    /**
     * Embeds texts for one task of a task-adapter model (jina-embeddings-v3: {@code retrieval.query},
     * {@code retrieval.passage}, {@code separation}, {@code classification}, {@code text-matching}; see
     * {@link #tasks()}). {@link #embed(List)} uses the default task ({@link Builder#task}, else
     * {@code retrieval.passage} as fastembed), {@link #queryEmbed} {@code retrieval.query} and
     * {@link #passageEmbed} {@code retrieval.passage}.
     *
     * @throws FastEmbedException INVALID_ARGUMENT for a task the model does not have, or for any task on a
     *                            model without task adapters
     */
    public float[][] embed(List<String> texts, String task) {
        return embedWithUsage(texts, Objects.requireNonNull(task, "task")).vectors();
    }

    /** {@link #embed(List, String)} with the number of tokens the model saw; a null task is the default one. */
    public DenseEmbeddings embedWithUsage(List<String> texts, String task) {
        Utf8Texts.requireTexts(texts);
        FastEmbedNative.DenseBatch batch = call(model -> FastEmbedNative.embedDense(model, texts, dimension, task));
        return new DenseEmbeddings(batch.vectors(), batch.tokenCount());
    }

    /** Embeds a search query, with the model's query prefix (e.g. {@code "query: "} for E5) prepended. */
    public float[] queryEmbed(String query) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null");
        }
        if (tasks.contains(QUERY_TASK)) {
            return embed(List.of(queryPrefix + query), QUERY_TASK)[0];
        }
        return embed(queryPrefix + query);
    }

    /** Embeds documents, with the model's passage prefix (e.g. {@code "passage: "} for E5) prepended. */
    public float[][] passageEmbed(List<String> passages) {
        Utf8Texts.requireTexts(passages);
        List<String> texts = passagePrefix.isEmpty() ? passages : passages.stream().map(p -> passagePrefix + p).toList();
        return tasks.contains(PASSAGE_TASK) ? embed(texts, PASSAGE_TASK) : embed(texts);
    }

    /**
     * The settings the model runs with and where each came from: {@code pooling}, {@code normalize},
     * {@code queryPrefix}, {@code passagePrefix} and {@code maxLength}, in that order.
     */
    public Map<String, ModelSetting<?>> settings() {
        return settings;
    }

    /** The task names of a task-adapter model (jina-embeddings-v3), in id order; empty for other models. */
    public List<String> tasks() {
        return tasks;
    }

    /** The text {@link #queryEmbed} puts before each query, or "". */
    public String queryPrefix() {
        return queryPrefix;
    }

    /** The text {@link #passageEmbed} puts before each document, or "". */
    public String passagePrefix() {
        return passagePrefix;
    }

    private static Map<String, ModelSetting<?>> orderedSettings(Map<String, ModelSetting<?>> settings) {
        Map<String, ModelSetting<?>> ordered = new LinkedHashMap<>();
        for (String name : List.of("pooling", "normalize", "queryPrefix", "passagePrefix", "maxLength")) {
            ordered.put(name, settings.get(name));
        }
        return Collections.unmodifiableMap(ordered);
    }

    /** Vectors and the number of tokens the model processed for them. */
    public record DenseEmbeddings(float[][] vectors, long tokenCount) {
    }

    /** Options of a {@link TextEmbedding}; only the model files are required. */
    public static final class Builder extends TextModelBuilder<Builder> {
        private Pooling pooling;
        private Boolean normalize;
        private String queryPrefix;
        private String passagePrefix;
        private Integer dimensions;
        private String task;
        private List<String> tasks;

        private Builder() {
            super(ModelKind.TEXT);
        }

        /**
         * Pooling of token states. Unset, it is the catalogue's (the catalogue model, or the one named with
         * {@link #catalogSettings}), else what the files say (sentence-transformers {@code modules.json} and its
         * pooling module's {@code config.json}); a model whose output is per token and that none of these
         * describe does not build ({@link ModelSettingRequiredException}). Nothing is guessed.
         */
        public Builder pooling(Pooling pooling) {
            this.pooling = Objects.requireNonNull(pooling, "pooling");
            return this;
        }

        /**
         * L2-normalize vectors. Unset: the catalogue's, else whether sentence-transformers {@code modules.json}
         * lists a {@code Normalize} module, else true (normalizing does not change cosine similarities).
         */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /**
         * Prefix {@link #queryEmbed} adds, e.g. {@code "query: "}. Unset: the catalogue's, else the
         * {@code query} prompt of {@code config_sentence_transformers.json}, else none.
         */
        public Builder queryPrefix(String queryPrefix) {
            this.queryPrefix = queryPrefix;
            return this;
        }

        /**
         * Prefix {@link #passageEmbed} adds, e.g. {@code "passage: "}. Unset: the catalogue's, else the
         * {@code passage} (or {@code document}) prompt of {@code config_sentence_transformers.json}, else none.
         */
        public Builder passagePrefix(String passagePrefix) {
            this.passagePrefix = passagePrefix;
            return this;
        }

        /**
         * Cuts each vector to its first {@code dimensions} values, normalized again after the cut (Matryoshka
         * truncation). Only for models trained for it: a catalogue model allows lengths from its
         * {@link ModelDescription#minDimension()} to its dimension (Qwen3-Embedding, jina-embeddings-v3,
         * nomic-embed-text-v1.5, EmbeddingGemma) and refuses any for the others; a model from files is trusted, up
         * to its dimension.
         * Default: the full vector.
         */
        public Builder dimensions(int dimensions) {
            this.dimensions = positive(dimensions, "dimensions");
            return this;
        }

        /**
         * The task of {@link TextEmbedding#embed(List)} for a task-adapter model (default {@code retrieval.passage},
         * as fastembed); calls may name another with {@link TextEmbedding#embed(List, String)}.
         */
        public Builder task(String task) {
            this.task = Objects.requireNonNull(task, "task");
            return this;
        }

        /**
         * The task names of a task-adapter model from files (its {@code task_id} values in id order); catalogue
         * models bring theirs.
         */
        public Builder tasks(List<String> tasks) {
            this.tasks = List.copyOf(tasks);
            return this;
        }

        /**
         * Resolves the model (downloading it if needed) and loads it.
         *
         * @throws ModelSettingRequiredException when the model is per-token and nothing says how to pool it
         */
        public TextEmbedding build() {
            if (dimensions != null) {
                // Before any download: the catalogue says whether the vectors may be cut.
                Optional.ofNullable(settingsModel).or(() -> source == null ? Optional.empty() : source.description())
                        .ifPresent(this::checkDimensions);
            }
            ResolvedModel model = resolveWithTokenizer("a text embedding model");
            Map<String, ModelSetting<?>> settings = settings(model);
            try {
                return new TextEmbedding(this, model, settings);
            } catch (FastEmbedException e) {
                if (!settings.containsKey("pooling") && e.kind() == FastEmbedException.Kind.INVALID_ARGUMENT
                        && e.getMessage() != null && e.getMessage().contains(ENGINE_POOLING_REQUIRED)) {
                    throw new ModelSettingRequiredException("pooling", "The pooling of " + model.location()
                            + " is not known: its output holds one vector per token, no catalogue model is named "
                            + "and its files do not say (no sentence-transformers modules.json with a pooling "
                            + "module). Set it, e.g. .pooling(Pooling.MEAN) or .pooling(Pooling.CLS) as the model "
                            + "card says, or name the catalogue model with .catalogSettings(\"...\")");
                }
                throw e;
            }
        }

        List<String> tasks(ResolvedModel model) {
            return tasks != null ? tasks : model.description().map(ModelDescription::tasks).orElse(List.of());
        }

        private void checkDimensions(ModelDescription catalogue) {
            if (catalogue.minDimension() == 0) {
                throw new IllegalArgumentException("dimensions(" + dimensions + "): " + catalogue.name()
                        + " was not trained to have its vectors cut (no Matryoshka training in the catalogue); "
                        + "it gives all " + catalogue.dimension() + " values");
            }
            if (dimensions < catalogue.minDimension() || dimensions > catalogue.dimension()) {
                throw new IllegalArgumentException("dimensions(" + dimensions + "): " + catalogue.name()
                        + " allows " + catalogue.minDimension() + " to " + catalogue.dimension());
            }
        }

        /** Each setting from the first that states it: explicit, catalogue, the model's files, else a default. */
        Map<String, ModelSetting<?>> settings(ResolvedModel model) {
            Optional<ModelDescription> catalogue = model.description();
            ModelConfigFiles files = model.configFiles();
            Map<String, ModelSetting<?>> settings = new LinkedHashMap<>();
            Optional<ModelSetting<Pooling>> fromCatalogue = catalogue.map(ModelDescription::pooling)
                    .filter(Objects::nonNull).map(value -> ModelSetting.fromCatalogue(value, catalogue.get().name()));
            // Files asking for a pooling the engine lacks fail only when nothing before them says one.
            first(pooling, fromCatalogue, pooling != null || fromCatalogue.isPresent() ? Optional.empty()
                    : files.requirePooling(), null).ifPresent(setting -> settings.put("pooling", setting));
            settings.put("normalize", first(normalize, catalogue.map(c -> ModelSetting.fromCatalogue(c.normalize(),
                    c.name())), files.normalize(), new ModelSetting<>(true, ModelSetting.DEFAULT)).orElseThrow());
            settings.put("queryPrefix", first(queryPrefix, catalogue.map(c -> ModelSetting.fromCatalogue(
                    c.queryPrefix(), c.name())), files.queryPrefix(), new ModelSetting<>("", "none given")).orElseThrow());
            settings.put("passagePrefix", first(passagePrefix, catalogue.map(c -> ModelSetting.fromCatalogue(
                    c.passagePrefix(), c.name())), files.passagePrefix(), new ModelSetting<>("", "none given"))
                    .orElseThrow());
            // The catalogue's length is not applied: catalogue models truncate as fastembed does (the tokenizer's
            // limit, at most 512), which the default below reports.
            settings.put("maxLength", first(maxLength, Optional.empty(), files.maxLength(), new ModelSetting<>(
                    ModelConfigFiles.DEFAULT_MAX_LENGTH, "default: " + ModelConfigFiles.DEFAULT_MAX_LENGTH
                            + ", or tokenizer_config.json's model_max_length if lower")).orElseThrow());
            return settings;
        }

        private static <T> Optional<ModelSetting<?>> first(T explicit, Optional<? extends ModelSetting<?>> catalogue,
                                                           Optional<? extends ModelSetting<?>> files,
                                                           ModelSetting<?> fallback) {
            if (explicit != null) {
                return Optional.of(new ModelSetting<>(explicit, ModelSetting.EXPLICIT));
            }
            if (catalogue.isPresent()) {
                return Optional.of(catalogue.get());
            }
            if (files.isPresent()) {
                return Optional.of(files.get());
            }
            return Optional.ofNullable(fallback);
        }

        String toJson(ResolvedModel model, Map<String, ModelSetting<?>> settings) {
            ModelSetting<?> effectivePooling = settings.get("pooling");
            ModelSetting<?> length = settings.get("maxLength");
            return engineOptions(model)
                    // An explicit length is already in the engine options; one from the files is added here.
                    .put("max_length", length.origin().startsWith("file ") ? length.value() : null)
                    .put("pooling", effectivePooling == null ? null : ((Pooling) effectivePooling.value()).nativeName())
                    .put("pooling_required", effectivePooling == null ? Boolean.TRUE : null)
                    .put("normalize", settings.get("normalize").value())
                    .put("dimensions", dimensions)
                    .put("tasks", tasks(model).isEmpty() ? null : tasks(model))
                    .put("pad_to_max_length", model.description().filter(ModelDescription::padToMaxLength).isPresent()
                            ? Boolean.TRUE : null)
                    .put("default_task", task != null ? task : tasks(model).contains(PASSAGE_TASK) ? PASSAGE_TASK : null)
                    .toString();
        }
    }
}

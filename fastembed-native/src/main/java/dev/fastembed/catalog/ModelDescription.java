package dev.fastembed.catalog;

import dev.fastembed.Pooling;
import dev.fastembed.hub.HubNames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One model of the catalogue: where its files live on Hugging Face and how fastembed runs it.
 *
 * <p>Every file listed here is required: the model file, the {@code additionalFiles} (ONNX external data,
 * stopword lists, image preprocessing), the tokenizer and the {@code configFiles} are all fetched, as
 * fastembed does.
 *
 * @param name           the name fastembed uses, the original model id (e.g. {@code BAAI/bge-small-en-v1.5});
 *                       quantized variants add {@code -Q}
 * @param alias          the fastembed-rs enum name (e.g. {@code BGESmallENV15}), or null where fastembed-rs
 *                       has no such model
 * @param kind           what the model produces
 * @param repo           the Hugging Face repo the files come from, {@code org/name}
 * @param revision       the branch, tag or commit to fetch
 * @param modelFile      the ONNX file inside the repo, or null for a model without one (BM25)
 * @param additionalFiles further required files inside the repo
 * @param tokenizerFile  {@code tokenizer.json}, or null for models without text input
 * @param configFiles    tokenizer and model configuration files
 * @param dimension      vector length (per token for late interaction); 0 for sparse and rerank models
 * @param pooling        how token states become one vector, or null where that does not apply
 * @param normalize      whether vectors are L2-normalized
 * @param quantized      whether the ONNX weights are quantized
 * @param maxLength      tokens read at most per text, or 0 where that does not apply
 * @param licence        the licence identifier as on Hugging Face (e.g. {@code apache-2.0})
 * @param description    one line about the model
 * @param queryPrefix    text the model expects before a search query, or ""
 * @param passagePrefix  text the model expects before a document, or ""
 * @param outputName     the ONNX output to read, or null for the engine's default
 * @param minDimension   the shortest length the model card allows its vectors to be cut to (Matryoshka
 *                       training), or 0 where they must keep their full {@code dimension}
 * @param tasks          task adapters (jina-embeddings-v3): the names of the model's {@code task_id} values, in
 *                       id order; empty for models without
 * @param padToMaxLength whether every text is padded to the maximum length (SigLIP's text tower reads its last
 *                       position, so the padding must not depend on the batch)
 * @param sizeGb         the download size in GB as fastembed lists it, or 0 where fastembed does not list the
 *                       model
 */
public record ModelDescription(String name, String alias, ModelKind kind, String repo, String revision,
                               String modelFile, List<String> additionalFiles, String tokenizerFile,
                               List<String> configFiles, int dimension, Pooling pooling, boolean normalize,
                               boolean quantized, int maxLength, String licence, String description,
                               String queryPrefix, String passagePrefix, String outputName, int minDimension,
                               List<String> tasks, boolean padToMaxLength, double sizeGb) {

    /** This description with fastembed's download size in GB ({@code 0}: fastembed does not list the model). */
    public ModelDescription withSizeGb(double sizeGb) {
        return new ModelDescription(name, alias, kind, repo, revision, modelFile, additionalFiles, tokenizerFile,
                configFiles, dimension, pooling, normalize, quantized, maxLength, licence, description, queryPrefix,
                passagePrefix, outputName, minDimension, tasks, padToMaxLength, sizeGb);
    }

    /** The configuration files fastembed fetches next to a text model's tokenizer.json. */
    public static final List<String> TEXT_CONFIG_FILES =
            List.of("config.json", "special_tokens_map.json", "tokenizer_config.json");

    public ModelDescription {
        requireText(name, "name");
        Objects.requireNonNull(kind, "kind");
        HubNames.requireRepoId(repo);
        HubNames.requireRevision(revision);
        if (modelFile != null) {
            HubNames.requireFilePath(modelFile);
        }
        additionalFiles = List.copyOf(additionalFiles);
        additionalFiles.forEach(HubNames::requireFilePath);
        if (tokenizerFile != null) {
            HubNames.requireFilePath(tokenizerFile);
        }
        configFiles = List.copyOf(configFiles);
        configFiles.forEach(HubNames::requireFilePath);
        if (dimension < 0 || maxLength < 0) {
            throw new IllegalArgumentException(name + ": dimension and maxLength must not be negative");
        }
        if (minDimension < 0 || minDimension > dimension) {
            throw new IllegalArgumentException(name + ": minDimension must be between 0 and the dimension");
        }
        requireText(licence, "licence");
        requireText(description, "description");
        tasks = List.copyOf(tasks);
        queryPrefix = queryPrefix == null ? "" : queryPrefix;
        passagePrefix = passagePrefix == null ? "" : passagePrefix;
    }

    /** Starts a description; {@link Builder#build()} checks it. */
    public static Builder builder(String name, ModelKind kind, String repo) {
        return new Builder(name, kind, repo);
    }

    /** Every file to fetch, in order: model, additional files, tokenizer, configuration files. */
    public List<String> files() {
        List<String> files = new ArrayList<>();
        if (modelFile != null) {
            files.add(modelFile);
        }
        files.addAll(additionalFiles);
        if (tokenizerFile != null) {
            files.add(tokenizerFile);
        }
        files.addAll(configFiles);
        return List.copyOf(files);
    }

    /** True if {@code candidate} is this model's name or alias, ignoring case. */
    public boolean isNamed(String candidate) {
        return candidate != null
                && (name.equalsIgnoreCase(candidate) || (alias != null && alias.equalsIgnoreCase(candidate)));
    }

    @Override
    public String toString() {
        return name + (alias == null ? "" : " (" + alias + ")") + " [" + kind.name().toLowerCase(Locale.ROOT)
                + ", " + repo + "/" + (modelFile == null ? "-" : modelFile) + "]";
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("model " + what + " must not be blank");
        }
    }

    /** Builds a {@link ModelDescription}; unset values take the defaults documented on each method. */
    public static final class Builder {
        private final String name;
        private final ModelKind kind;
        private final String repo;
        private String alias;
        private String revision = "main";
        private String modelFile = "model.onnx";
        private List<String> additionalFiles = List.of();
        private String tokenizerFile;
        private List<String> configFiles = List.of();
        private int dimension;
        private Pooling pooling;
        private boolean normalize;
        private boolean quantized;
        private int maxLength;
        private String licence;
        private String description;
        private String queryPrefix = "";
        private String passagePrefix = "";
        private String outputName;
        private int minDimension;
        private List<String> tasks = List.of();
        private boolean padToMaxLength;

        private Builder(String name, ModelKind kind, String repo) {
            this.name = name;
            this.kind = kind;
            this.repo = repo;
            // Everything that reads text fetches the tokenizer and its configuration, as fastembed-rs does.
            if (kind == ModelKind.IMAGE) {
                this.configFiles = List.of("preprocessor_config.json");
            } else {
                this.tokenizerFile = "tokenizer.json";
                this.configFiles = TEXT_CONFIG_FILES;
            }
            if (kind == ModelKind.LATE_INTERACTION_MULTIMODAL) {
                // Queries are tokenized, images preprocessed: both kinds of configuration.
                List<String> files = new ArrayList<>(TEXT_CONFIG_FILES);
                files.add("preprocessor_config.json");
                this.configFiles = List.copyOf(files);
            }
            this.normalize = kind == ModelKind.TEXT || kind == ModelKind.IMAGE || kind == ModelKind.LATE_INTERACTION;
        }

        /** The fastembed-rs enum name (default: none). */
        public Builder alias(String alias) {
            this.alias = alias;
            return this;
        }

        /** Branch, tag or commit (default {@code main}). */
        public Builder revision(String revision) {
            this.revision = revision;
            return this;
        }

        /** The ONNX file inside the repo (default {@code model.onnx}); null for none. */
        public Builder modelFile(String modelFile) {
            this.modelFile = modelFile;
            return this;
        }

        /** Further required files, e.g. {@code onnx/model.onnx_data} (default none). */
        public Builder additionalFiles(String... files) {
            this.additionalFiles = Arrays.asList(files);
            return this;
        }

        /** The tokenizer file (default {@code tokenizer.json} except for image models); null for none. */
        public Builder tokenizerFile(String tokenizerFile) {
            this.tokenizerFile = tokenizerFile;
            return this;
        }

        /** Configuration files (default {@link #TEXT_CONFIG_FILES}, {@code preprocessor_config.json} for images). */
        public Builder configFiles(String... files) {
            this.configFiles = Arrays.asList(files);
            return this;
        }

        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        public Builder pooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        /** Default: true for text, image and late-interaction models, false otherwise. */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        public Builder quantized(boolean quantized) {
            this.quantized = quantized;
            return this;
        }

        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder licence(String licence) {
            this.licence = licence;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Prefixes the model card asks for before queries and documents (default none). */
        public Builder prefixes(String queryPrefix, String passagePrefix) {
            this.queryPrefix = queryPrefix;
            this.passagePrefix = passagePrefix;
            return this;
        }

        public Builder outputName(String outputName) {
            this.outputName = outputName;
            return this;
        }

        /** Vectors may be cut to any length from this one up (Matryoshka models; default: never cut). */
        public Builder matryoshka(int minDimension) {
            this.minDimension = minDimension;
            return this;
        }

        /** The task names of a task-adapter model, in the order of their ids (default: none). */
        public Builder tasks(String... tasks) {
            this.tasks = Arrays.asList(tasks);
            return this;
        }

        /** Pad every text to the maximum length (default: to the longest text of a batch). */
        public Builder padToMaxLength(boolean padToMaxLength) {
            this.padToMaxLength = padToMaxLength;
            return this;
        }

        public ModelDescription build() {
            return new ModelDescription(name, alias, kind, repo, revision, modelFile, additionalFiles,
                    tokenizerFile, configFiles, dimension, pooling, normalize, quantized, maxLength, licence,
                    description, queryPrefix, passagePrefix, outputName, minDimension, tasks,
                    padToMaxLength, 0);
        }
    }
}

package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubNames;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.hub.HuggingFaceHub;
import dev.fastembed.internal.ClasspathCopy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a model's files come from: the catalogue, any Hugging Face repository, a local folder or the class path.
 * {@link #resolve(HubOptions)} turns the source into local {@link ModelFiles}, downloading or copying as needed;
 * {@link #description()} gives the catalogue's defaults (pooling, normalization, max length, prefixes) where
 * the model is known.
 *
 * <pre>{@code
 * ModelFiles files = ModelSource.catalog("BGESmallENV15").resolve(HubOptions.defaults());
 * ModelFiles mine  = ModelSource.huggingFace("org/my-model").revision("v2").resolve(options);
 * ModelFiles local = ModelSource.directory(Path.of("/models/bge")).resolve(options);
 * ModelFiles inJar = ModelSource.classpath("bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json")
 *                               .resolve(options);
 * }</pre>
 */
public sealed interface ModelSource
        permits ModelSource.Catalog, ModelSource.HuggingFace, ModelSource.Directory, ModelSource.Classpath {

    /** Model files looked for, in order, when a Hugging Face source names none. */
    List<String> DEFAULT_MODEL_FILES = List.of("onnx/model.onnx", "model.onnx");

    /** Configuration files picked up where present, mapped to the {@link ModelFiles} component of that name. */
    List<String> CONFIG_FILES = List.of("config.json", "special_tokens_map.json", "tokenizer_config.json",
            "preprocessor_config.json");

    /**
     * sentence-transformers files fetched where present from a Hugging Face repository the catalogue does not know:
     * they say how to pool, whether to normalize, the prompts and the length (see {@code TextEmbedding.Builder}).
     */
    List<String> SETTINGS_FILES = List.of("modules.json", "1_Pooling/config.json", "config_sentence_transformers.json",
            "sentence_bert_config.json");

    /**
     * A catalogue model by name or alias, e.g. {@code "BAAI/bge-small-en-v1.5"} or {@code "BGESmallENV15"}.
     *
     * @throws FastEmbedException INVALID_ARGUMENT naming the closest known models if there is no such model
     */
    static Catalog catalog(String name) {
        return new Catalog(ModelCatalog.get(name));
    }

    /** A catalogue model of one kind (needed where an alias such as {@code ClipVitB32} names several kinds). */
    static Catalog catalog(ModelKind kind, String name) {
        return new Catalog(ModelCatalog.get(kind, name));
    }

    /** A model described by the caller, fetched from Hugging Face like a catalogue model. */
    static Catalog catalog(ModelDescription description) {
        return new Catalog(description);
    }

    /**
     * Any repository on the hub ("user-defined" model). Defaults: the revision of the {@link HubOptions},
     * {@code onnx/model.onnx} or else {@code model.onnx}, {@code tokenizer.json}, and the configuration files
     * the repository has.
     */
    static HuggingFace huggingFace(String repo) {
        return new HuggingFace(repo, null, null, List.of(), "tokenizer.json");
    }

    /** A local folder laid out as on Hugging Face (see {@link ModelFiles#inDirectory(Path)}). */
    static Directory directory(Path directory) {
        return new Directory(directory, null, null);
    }

    /**
     * Files shipped as class-path resources (e.g. inside a jar). They are copied once into
     * {@code {cacheDir}/classpath/}, under a folder keyed by resource names, sizes and SHA-256, so the native
     * engine can open them and a model in a jar works offline.
     *
     * @param modelResource     the ONNX model, e.g. {@code "bge-small-en-v1.5.onnx"}
     * @param tokenizerResource its {@code tokenizer.json} (any resource name), or null for none
     * @param otherResources    configuration files (recognised by their file name, e.g. {@code ".../config.json"})
     *                          and external data, which is placed next to the model under its own file name
     */
    static Classpath classpath(String modelResource, String tokenizerResource, String... otherResources) {
        return new Classpath(modelResource, tokenizerResource, List.of(otherResources), null);
    }

    /** The local files of this model, fetched or copied if needed. */
    ModelFiles resolve(HubOptions options);

    /** {@link #resolve(HubOptions)} with {@link HubOptions#defaults()} (environment and defaults). */
    default ModelFiles resolve() {
        return resolve(HubOptions.defaults());
    }

    /** The catalogue entry of this model, if it is one. */
    Optional<ModelDescription> description();

    /** A model of the catalogue (or described alike), fetched from its Hugging Face repository. */
    record Catalog(ModelDescription model) implements ModelSource {

        public Catalog {
            Objects.requireNonNull(model, "model");
        }

        @Override
        public ModelFiles resolve(HubOptions options) {
            if (model.modelFile() == null) {
                throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT, "Model " + model.name()
                        + " has no ONNX model file; use fetchFiles() for the files it does have");
            }
            Map<String, Path> files = fetchFiles(options);
            return ModelSource.toModelFiles(files.get(model.modelFile()),
                    model.tokenizerFile() == null ? null : files.get(model.tokenizerFile()), files);
        }

        /** Every file of the model (model, additional files, tokenizer, configuration), by name in the repo. */
        public Map<String, Path> fetchFiles(HubOptions options) {
            try (HuggingFaceHub hub = new HuggingFaceHub(options)) {
                return hub.fetchAll(model.repo(), model.revision(), model.files());
            } catch (FastEmbedException e) {
                throw new FastEmbedException(e.kind(), "Model " + model.name() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Optional<ModelDescription> description() {
            return Optional.of(model);
        }
    }

    /**
     * Files of any Hugging Face repository. A null revision means the {@link HubOptions#revision()}, a null
     * model file means the first of {@link #DEFAULT_MODEL_FILES} the repository has.
     */
    record HuggingFace(String repo, String revision, String modelFile, List<String> additionalFiles,
                       String tokenizerFile) implements ModelSource {

        public HuggingFace {
            HubNames.requireRepoId(repo);
            if (revision != null) {
                HubNames.requireRevision(revision);
            }
            if (modelFile != null) {
                HubNames.requireFilePath(modelFile);
            }
            additionalFiles = List.copyOf(additionalFiles);
            additionalFiles.forEach(HubNames::requireFilePath);
            if (tokenizerFile != null) {
                HubNames.requireFilePath(tokenizerFile);
            }
        }

        /** A branch, tag or commit hash. */
        public HuggingFace revision(String revision) {
            return new HuggingFace(repo, Objects.requireNonNull(revision, "revision"), modelFile, additionalFiles,
                    tokenizerFile);
        }

        /** The ONNX file inside the repository, e.g. {@code onnx/model_quantized.onnx}. */
        public HuggingFace modelFile(String modelFile) {
            return new HuggingFace(repo, revision, Objects.requireNonNull(modelFile, "modelFile"), additionalFiles,
                    tokenizerFile);
        }

        /** Further required files, e.g. ONNX external data {@code onnx/model.onnx_data}. */
        public HuggingFace additionalFiles(String... files) {
            return new HuggingFace(repo, revision, modelFile, Arrays.asList(files), tokenizerFile);
        }

        /** The tokenizer file (default {@code tokenizer.json}); null for a model without one (images). */
        public HuggingFace tokenizerFile(String tokenizerFile) {
            return new HuggingFace(repo, revision, modelFile, additionalFiles, tokenizerFile);
        }

        @Override
        public ModelFiles resolve(HubOptions options) {
            try (HuggingFaceHub hub = new HuggingFaceHub(options)) {
                return resolve(hub.revision(repo, revision == null ? options.revision() : revision));
            }
        }

        private ModelFiles resolve(HuggingFaceHub.RepoRevision files) {
            Path model = modelFile != null ? files.fetch(modelFile) : DEFAULT_MODEL_FILES.stream()
                    .map(files::fetchIfExists).flatMap(Optional::stream).findFirst()
                    .orElseThrow(() -> new FastEmbedException(FastEmbedException.Kind.DOWNLOAD,
                            "Neither " + String.join(" nor ", DEFAULT_MODEL_FILES) + " exists in " + repo
                                    + " at revision " + files.revision() + "; name the model file with modelFile(...)"));
            additionalFiles.forEach(files::fetch);
            Path tokenizer = tokenizerFile == null ? null : files.fetch(tokenizerFile);
            Map<String, Path> configs = new HashMap<>();
            for (String config : CONFIG_FILES) {
                files.fetchIfExists(config).ifPresent(path -> configs.put(config, path));
            }
            if (description().isEmpty()) {
                // What sentence-transformers repositories say about pooling, normalization, prompts, length.
                SETTINGS_FILES.forEach(files::fetchIfExists);
            }
            return ModelSource.toModelFiles(model, tokenizer, configs);
        }

        /** The catalogue entry with this repository and model file, if exactly one matches. */
        @Override
        public Optional<ModelDescription> description() {
            List<ModelDescription> matches = ModelCatalog.all().stream()
                    .filter(m -> m.repo().equalsIgnoreCase(repo) && m.modelFile() != null)
                    .filter(m -> modelFile == null ? DEFAULT_MODEL_FILES.contains(m.modelFile())
                            : m.modelFile().equals(modelFile))
                    .toList();
            return matches.size() == 1 ? Optional.of(matches.getFirst()) : Optional.empty();
        }
    }

    /**
     * A local folder. With no file names, {@link ModelFiles#inDirectory(Path)} finds the files; otherwise the
     * named model (and tokenizer, default {@code tokenizer.json}) are used, plus the configuration files present.
     */
    record Directory(Path directory, String modelFile, String tokenizerFile) implements ModelSource {

        public Directory {
            Objects.requireNonNull(directory, "directory");
            if (modelFile != null) {
                HubNames.requireFilePath(modelFile);
            }
            if (tokenizerFile != null) {
                HubNames.requireFilePath(tokenizerFile);
            }
        }

        /** The ONNX file inside the folder, e.g. {@code model_quantized.onnx}. */
        public Directory modelFile(String modelFile) {
            return new Directory(directory, Objects.requireNonNull(modelFile, "modelFile"), tokenizerFile);
        }

        /** The tokenizer file inside the folder. */
        public Directory tokenizerFile(String tokenizerFile) {
            return new Directory(directory, modelFile, Objects.requireNonNull(tokenizerFile, "tokenizerFile"));
        }

        @Override
        public ModelFiles resolve(HubOptions options) {
            if (!Files.isDirectory(directory)) {
                throw new FastEmbedException(FastEmbedException.Kind.IO,
                        "Model folder " + directory.toAbsolutePath() + " does not exist or is not a folder");
            }
            if (modelFile == null && tokenizerFile == null) {
                return ModelFiles.inDirectory(directory);
            }
            Path model = required(modelFile != null ? modelFile : DEFAULT_MODEL_FILES.stream()
                    .filter(name -> Files.isRegularFile(directory.resolve(name))).findFirst()
                    .orElse(DEFAULT_MODEL_FILES.getFirst()));
            Path tokenizer = tokenizerFile != null ? required(tokenizerFile)
                    : Files.isRegularFile(directory.resolve("tokenizer.json")) ? directory.resolve("tokenizer.json") : null;
            Map<String, Path> configs = new HashMap<>();
            for (String config : CONFIG_FILES) {
                if (Files.isRegularFile(directory.resolve(config))) {
                    configs.put(config, directory.resolve(config));
                }
            }
            return ModelSource.toModelFiles(model, tokenizer, configs);
        }

        private Path required(String name) {
            Path file = directory.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new FastEmbedException(FastEmbedException.Kind.IO,
                        "No file " + name + " in model folder " + directory.toAbsolutePath());
            }
            return file;
        }

        @Override
        public Optional<ModelDescription> description() {
            return Optional.empty();
        }
    }

    /**
     * Class-path resources, copied once into the cache so they can be opened as files. A null class loader means
     * the thread's context class loader, else the one that loaded this library.
     */
    record Classpath(String modelResource, String tokenizerResource, List<String> otherResources,
                     ClassLoader classLoader) implements ModelSource {

        public Classpath {
            requireResourceName(modelResource);
            if (tokenizerResource != null) {
                requireResourceName(tokenizerResource);
            }
            otherResources = List.copyOf(otherResources);
            otherResources.forEach(Classpath::requireResourceName);
            List<String> all = new ArrayList<>(List.of(modelResource));
            if (tokenizerResource != null) {
                all.add(tokenizerResource);
            }
            all.addAll(otherResources);
            Set<String> fileNames = new HashSet<>();
            for (String resource : all) {
                if (!fileNames.add(ClasspathCopy.fileName(resource))) {
                    throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT,
                            "Two class-path resources share the file name " + ClasspathCopy.fileName(resource)
                                    + "; they would overwrite each other in the model folder");
                }
            }
        }

        /** Loads the resources through this class loader. */
        public Classpath classLoader(ClassLoader loader) {
            return new Classpath(modelResource, tokenizerResource, otherResources,
                    Objects.requireNonNull(loader, "loader"));
        }

        @Override
        public ModelFiles resolve(HubOptions options) {
            List<String> resources = new ArrayList<>(List.of(modelResource));
            if (tokenizerResource != null) {
                resources.add(tokenizerResource);
            }
            resources.addAll(otherResources);
            try {
                Path folder = ClasspathCopy.intoCache(classLoader, modelResource, resources, options.cacheDir());
                Map<String, Path> configs = new HashMap<>();
                for (String resource : otherResources) {
                    configs.put(ClasspathCopy.fileName(resource), folder.resolve(ClasspathCopy.fileName(resource)));
                }
                return ModelSource.toModelFiles(folder.resolve(ClasspathCopy.fileName(modelResource)),
                        tokenizerResource == null ? null : folder.resolve(ClasspathCopy.fileName(tokenizerResource)), configs);
            } catch (IOException e) {
                throw new FastEmbedException(FastEmbedException.Kind.IO,
                        "Could not copy class-path model " + modelResource + " into " + options.cacheDir() + ": " + e, e);
            }
        }

        @Override
        public Optional<ModelDescription> description() {
            return Optional.empty();
        }

        private static void requireResourceName(String resource) {
            if (resource == null || resource.isBlank() || resource.startsWith("/")) {
                throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT,
                        "Class-path resource names are relative, without leading '/': '" + resource + "'");
            }
            HubNames.requireFilePath(resource);
        }
    }

    /** Maps configuration files to the {@link ModelFiles} components by their file name. */
    private static ModelFiles toModelFiles(Path model, Path tokenizer, Map<String, Path> files) {
        Map<String, Path> byName = new HashMap<>();
        files.forEach((name, path) -> byName.putIfAbsent(name.substring(name.lastIndexOf('/') + 1), path));
        return new ModelFiles(model, tokenizer, byName.get("config.json"), byName.get("special_tokens_map.json"),
                byName.get("tokenizer_config.json"), byName.get("preprocessor_config.json"));
    }
}

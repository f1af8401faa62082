package dev.fastembed.spring.autoconfigure;

import dev.fastembed.FastEmbedException;
import dev.fastembed.ModelBuilder;
import dev.fastembed.ModelSource;
import dev.fastembed.Plan;
import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubNames;
import dev.fastembed.spring.autoconfigure.FastEmbedProperties.ClasspathSource;
import dev.fastembed.spring.autoconfigure.FastEmbedProperties.ModelProperties;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@link FastEmbedProperties} into validated {@link ModelDefinition}s. Every mistake is reported as
 * Spring Boot's {@link InvalidConfigurationPropertyValueException} or
 * {@link MutuallyExclusiveConfigurationPropertiesException}, naming the property, so the startup failure
 * report says which line of {@code application.yml} to fix.
 */
public final class ModelDefinitions {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    /** A longer wait for more callers would cost every merged call more than the run it may save. */
    static final Duration MAX_BATCHING_WINDOW = Duration.ofMillis(100);

    /** Spring AI's selection of the {@code EmbeddingModel} provider (read as a name: no Spring AI import here). */
    public static final String EMBEDDING_PROVIDER = "spring.ai.model.embedding";

    /** Spring AI's selection of the {@code DocumentEmbeddingModel} provider. */
    public static final String MULTIMODAL_EMBEDDING_PROVIDER = "spring.ai.model.embedding.multimodal";

    /** This project's provider name in {@link #EMBEDDING_PROVIDER}. */
    public static final String PROVIDER = "fastembed";

    private ModelDefinitions() {
    }

    /**
     * Binds {@code fastembed.*} from the environment and validates it: an unknown key or an invalid enum value
     * fails with the closest key or the valid values. Text (image) models whose {@code pool.eager} is unset load on
     * first use when {@value #EMBEDDING_PROVIDER} ({@value #MULTIMODAL_EMBEDDING_PROVIDER}) names another provider:
     * then their Spring AI adapters do not exist, and only code that calls their pools directly needs them.
     */
    public static List<ModelDefinition> bind(Environment environment) {
        FastEmbedPropertyKeys.load(ModelDefinitions.class.getClassLoader()).checkKnown(environment);
        FastEmbedProperties properties = Binder.get(environment)
                .bind(FastEmbedProperties.PREFIX, Bindable.of(FastEmbedProperties.class), new EnumValuesBindHandler())
                .orElseGet(FastEmbedProperties::new);
        Set<ModelKind> otherProvider = EnumSet.noneOf(ModelKind.class);
        if (otherProvider(environment, EMBEDDING_PROVIDER)) {
            otherProvider.add(ModelKind.TEXT);
        }
        if (otherProvider(environment, MULTIMODAL_EMBEDDING_PROVIDER)) {
            otherProvider.add(ModelKind.IMAGE);
        }
        return of(properties).stream().map(model -> {
            if (otherProvider.contains(model.kind()) && model.properties().getPool().getEager() == null) {
                return new ModelDefinition(model.name(), model.kind(), model.properties(), model.source(),
                        model.primary(), false);
            }
            return model;
        }).toList();
    }

    private static boolean otherProvider(Environment environment, String property) {
        String provider = environment.getProperty(property);
        return hasText(provider) && !provider.strip().equalsIgnoreCase(PROVIDER);
    }

    /** A value that is no constant of its enum fails with the valid values, not Java's "No enum constant". */
    private static final class EnumValuesBindHandler implements BindHandler {

        @Override
        public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                                Exception error) throws Exception {
            Class<?> type = target.getType().resolve();
            if (type != null && type.isEnum()) {
                ConfigurationProperty property = context.getConfigurationProperty();
                throw new InvalidConfigurationPropertyValueException(name.toString(),
                        property == null ? null : property.getValue(), "Valid values: " + String.join(", ",
                        Arrays.stream(type.getEnumConstants())
                        .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()));
            }
            return BindHandler.super.onFailure(name, target, context, error);
        }
    }

    /** The models of these properties, in declaration order ({@code default} from the shortcut first). */
    public static List<ModelDefinition> of(FastEmbedProperties properties) {
        if (!properties.isEnabled()) {
            return List.of();
        }
        threads(properties.getThreads(), FastEmbedProperties.PREFIX + ".threads");
        Map<String, ModelProperties> configured = new LinkedHashMap<>();
        String shortcut = hasText(properties.getModel()) ? properties.getModel().strip() : null;
        if (shortcut != null) {
            // The shortcut is the source of the model "default"; fastembed.models.default.* may add settings.
            ModelProperties settings = properties.getModels().getOrDefault(FastEmbedProperties.DEFAULT_MODEL_NAME,
                    new ModelProperties());
            Set<String> sources = configuredSources(modelPrefix(FastEmbedProperties.DEFAULT_MODEL_NAME), settings);
            if (!sources.isEmpty()) {
                Set<String> both = new LinkedHashSet<>();
                both.add(FastEmbedProperties.PREFIX + ".model");
                both.addAll(sources);
                throw new MutuallyExclusiveConfigurationPropertiesException(both, both);
            }
            configured.put(FastEmbedProperties.DEFAULT_MODEL_NAME, settings);
        }
        configured.putAll(properties.getModels());

        List<ModelDefinition> unprimed = new ArrayList<>();
        configured.forEach((name, model) -> unprimed.add(
                validate(name, model, name.equals(FastEmbedProperties.DEFAULT_MODEL_NAME) ? shortcut : null)));
        return withPrimaries(unprimed);
    }

    /**
     * @param shortcut the catalogue name of {@code fastembed.model} for the model it defines, else null
     */
    private static ModelDefinition validate(String name, ModelProperties model, String shortcut) {
        String prefix = modelPrefix(name);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidConfigurationPropertyValueException(FastEmbedProperties.PREFIX + ".models", name,
                    "A model name is used as bean qualifier and metric tag: use letters, digits, '-' and '_', "
                            + "starting with a letter or digit");
        }
        if (model == null) {
            throw new InvalidConfigurationPropertyValueException(prefix + "model", null, "The model has no settings");
        }
        if (shortcut == null) {
            requireOneSource(prefix, model);
        }
        checkOrphanSettings(prefix, model);
        ModelDescription catalogEntry = null;
        ModelKind kind = model.getKind();
        if (shortcut != null) {
            catalogEntry = lookUp(FastEmbedProperties.PREFIX + ".model", shortcut, kind);
            kind = catalogEntry.kind();
        } else if (hasText(model.getModel())) {
            catalogEntry = lookUp(prefix + "model", model.getModel().strip(), kind);
            kind = catalogEntry.kind();
        }
        if (kind == null) {
            kind = ModelKind.TEXT;
        }
        rejectInapplicable(prefix, kind, model);
        positive(model.getMaxLength(), prefix + "max-length");
        positive(model.getBatchSize(), prefix + "batch-size");
        positive(model.getTokenBudget(), prefix + "token-budget");
        positive(model.getParallelRuns(), prefix + "parallel-runs");
        if (model.getParallelRuns() != null && model.getPlan() == Plan.SINGLE_RUN) {
            throw new InvalidConfigurationPropertyValueException(prefix + "parallel-runs", model.getParallelRuns(),
                    "Parallel runs apply to plan parallel-runs or auto, and " + prefix + "plan is single-run");
        }
        threads(model.getThreads(), prefix + "threads");
        if (model.getRunTimeout() != null && model.getRunTimeout().toMillis() < 1) {
            throw new InvalidConfigurationPropertyValueException(prefix + "run-timeout", model.getRunTimeout(),
                    "The longest ONNX Runtime run must be at least 1ms, e.g. 30s");
        }
        positive(model.getPool().getSize(), prefix + "pool.size");
        batching(model.getBatching(), prefix + "batching.");
        Duration maxWait = model.getPool().getMaxWait();
        if (maxWait == null || maxWait.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(prefix + "pool.max-wait", maxWait,
                    "The longest wait for a permit must be zero or more, e.g. 10s");
        }
        ModelSource source;
        if (catalogEntry != null && fileSources(prefix, model).isEmpty()) {
            source = ModelSource.catalog(catalogEntry);
        } else if (hasText(model.getHuggingFace().getRepo())) {
            source = huggingFace(prefix, model.getHuggingFace());
        } else if (model.getDirectory() != null) {
            source = ModelSource.directory(model.getDirectory());
        } else {
            source = classpath(prefix, model.getClasspath(), kind);
        }
        return new ModelDefinition(name, kind, model, source, false);
    }

    /** Settings that mean nothing for the kind are mistakes (e.g. a query prefix on an image model). */
    private static void rejectInapplicable(String prefix, ModelKind kind, ModelProperties model) {
        Set<ModelKind> textInput = EnumSet.complementOf(EnumSet.of(ModelKind.IMAGE));
        Set<ModelKind> pooled = EnumSet.of(ModelKind.TEXT, ModelKind.IMAGE);
        Set<ModelKind> normalized = EnumSet.of(ModelKind.TEXT, ModelKind.IMAGE, ModelKind.LATE_INTERACTION_MULTIMODAL);
        Set<ModelKind> imageInput = EnumSet.of(ModelKind.IMAGE, ModelKind.LATE_INTERACTION_MULTIMODAL);
        FastEmbedProperties.ImageLimitsProperties limits = model.getImageLimits();
        rejectUnless(prefix, "max-length", model.getMaxLength(), kind, textInput);
        rejectUnless(prefix, "token-budget", model.getTokenBudget(), kind, textInput);
        rejectUnless(prefix, "plan", model.getPlan(), kind, textInput);
        rejectUnless(prefix, "parallel-runs", model.getParallelRuns(), kind, textInput);
        rejectUnless(prefix, "pooling", model.getPooling(), kind, pooled);
        rejectUnless(prefix, "normalize", model.getNormalize(), kind, normalized);
        rejectUnless(prefix, "query-prefix", model.getQueryPrefix(), kind, EnumSet.of(ModelKind.TEXT));
        rejectUnless(prefix, "passage-prefix", model.getPassagePrefix(), kind, EnumSet.of(ModelKind.TEXT));
        rejectUnless(prefix, "dimensions", model.getDimensions(), kind, EnumSet.of(ModelKind.TEXT));
        rejectUnless(prefix, "task", model.getTask(), kind, EnumSet.of(ModelKind.TEXT));
        rejectUnless(prefix, "image-limits", limits.anySet() ? "set" : null, kind, imageInput);
        rejectUnless(prefix, "sparse", model.getSparse().anySet() ? "set" : null, kind, EnumSet.of(ModelKind.SPARSE));
        rejectUnless(prefix, "rerank", model.getRerank().anySet() ? "set" : null, kind, EnumSet.of(ModelKind.RERANK));
        FastEmbedProperties.SparseProperties sparse = model.getSparse();
        if (sparse.getB() != null && (sparse.getB() < 0 || sparse.getB() > 1)) {
            throw new InvalidConfigurationPropertyValueException(prefix + "sparse.b", sparse.getB(),
                    "BM25's document-length weight b is between 0 and 1");
        }
        if (sparse.getK1() != null && sparse.getK1() < 0) {
            throw new InvalidConfigurationPropertyValueException(prefix + "sparse.k1", sparse.getK1(),
                    "BM25's k1 must not be negative");
        }
        if (sparse.getAvgLen() != null && sparse.getAvgLen() <= 0) {
            throw new InvalidConfigurationPropertyValueException(prefix + "sparse.avg-len", sparse.getAvgLen(),
                    "The average document length must be positive");
        }
        positive(sparse.getTokenMaxLength(), prefix + "sparse.token-max-length");
        positive(model.getRerank().getTopK(), prefix + "rerank.top-k");
        if (limits.getMaxPixels() != null && limits.getMaxPixels() <= 0) {
            throw new InvalidConfigurationPropertyValueException(prefix + "image-limits.max-pixels",
                    limits.getMaxPixels(), "Must be at least 1");
        }
        positive(limits.getMaxSide(), prefix + "image-limits.max-side");
        if (limits.getMaxBytes() != null && limits.getMaxBytes().toBytes() <= 0) {
            throw new InvalidConfigurationPropertyValueException(prefix + "image-limits.max-bytes",
                    limits.getMaxBytes(), "Must be at least 1B");
        }
    }

    private static void rejectUnless(String prefix, String setting, Object value, ModelKind kind,
                                     Set<ModelKind> appliesTo) {
        if (value != null && !appliesTo.contains(kind)) {
            throw new InvalidConfigurationPropertyValueException(prefix + setting, value, setting + " applies to "
                    + String.join(", ", appliesTo.stream().map(ModelKind::id).toList())
                    + " models, not to " + kind.id() + " models");
        }
    }

    /**
     * One source of files. {@code model} may name a catalogue entry next to a file source: then the files come
     * from that source and run with the entry's settings.
     */
    private static void requireOneSource(String prefix, ModelProperties model) {
        Set<String> configured = configuredSources(prefix, model);
        Set<String> files = fileSources(prefix, model);
        if (files.size() > 1) {
            throw new MutuallyExclusiveConfigurationPropertiesException(files, sourceProperties(prefix));
        }
        if (configured.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException(prefix + "model", null,
                    "The model has no source. Set one of " + String.join(", ", sourceProperties(prefix))
                            + ", e.g. " + prefix + "model=BAAI/bge-small-en-v1.5");
        }
    }

    private static Set<String> configuredSources(String prefix, ModelProperties model) {
        Set<String> configured = new LinkedHashSet<>();
        if (hasText(model.getModel())) {
            configured.add(prefix + "model");
        }
        if (hasText(model.getHuggingFace().getRepo())) {
            configured.add(prefix + "hugging-face.repo");
        }
        if (model.getDirectory() != null) {
            configured.add(prefix + "directory");
        }
        if (hasText(model.getClasspath().getModel())) {
            configured.add(prefix + "classpath.model");
        }
        return configured;
    }

    private static Set<String> fileSources(String prefix, ModelProperties model) {
        Set<String> files = configuredSources(prefix, model);
        files.remove(prefix + "model");
        return files;
    }

    private static List<String> sourceProperties(String prefix) {
        return List.of(prefix + "model", prefix + "hugging-face.repo", prefix + "directory", prefix + "classpath.model");
    }

    private static String modelPrefix(String name) {
        return FastEmbedProperties.PREFIX + ".models." + name + ".";
    }

    private static ModelDescription lookUp(String property, String name, ModelKind kind) {
        try {
            return kind == null ? ModelCatalog.get(name) : ModelCatalog.get(kind, name);
        } catch (FastEmbedException e) {
            String reason = e.getMessage();
            if (kind != null) {
                Optional<ModelDescription> otherKind = ModelCatalog.find(name);
                if (otherKind.isPresent() && otherKind.get().kind() != kind) {
                    reason = "'" + otherKind.get().name() + "' is a " + otherKind.get().kind().id()
                            + " model, but the kind is set to " + kind.id() + ". " + reason;
                }
            }
            throw new InvalidConfigurationPropertyValueException(property, name, reason, e);
        }
    }

    private static ModelSource huggingFace(String prefix, FastEmbedProperties.HuggingFaceSource hf) {
        String repo = hf.getRepo().strip();
        check(prefix + "hugging-face.repo", repo, () -> HubNames.requireRepoId(repo));
        ModelSource.HuggingFace source = ModelSource.huggingFace(repo);
        if (hasText(hf.getRevision())) {
            String revision = hf.getRevision().strip();
            check(prefix + "hugging-face.revision", revision, () -> HubNames.requireRevision(revision));
            source = source.revision(revision);
        }
        if (hasText(hf.getModelFile())) {
            String file = hf.getModelFile().strip();
            check(prefix + "hugging-face.model-file", file, () -> HubNames.requireFilePath(file));
            source = source.modelFile(file);
        }
        if (hasText(hf.getTokenizerFile())) {
            String file = hf.getTokenizerFile().strip();
            check(prefix + "hugging-face.tokenizer-file", file, () -> HubNames.requireFilePath(file));
            source = source.tokenizerFile(file);
        }
        List<String> additional = hf.getAdditionalFiles() == null ? List.of()
                : hf.getAdditionalFiles().stream().filter(ModelDefinitions::hasText).map(String::strip).toList();
        for (String file : additional) {
            check(prefix + "hugging-face.additional-files", file, () -> HubNames.requireFilePath(file));
        }
        return additional.isEmpty() ? source : source.additionalFiles(additional.toArray(String[]::new));
    }

    private static ModelSource classpath(String prefix, ClasspathSource classpath, ModelKind kind) {
        String model = stripClasspathPrefix(classpath.getModel());
        String tokenizer = hasText(classpath.getTokenizer()) ? stripClasspathPrefix(classpath.getTokenizer()) : null;
        if (tokenizer == null && kind != ModelKind.IMAGE) {
            throw new InvalidConfigurationPropertyValueException(prefix + "classpath.tokenizer", null,
                    "A model with text input needs its tokenizer.json: set classpath.tokenizer");
        }
        String[] others = (classpath.getAdditionalResources() == null ? List.<String>of()
                : classpath.getAdditionalResources()).stream()
                .filter(ModelDefinitions::hasText).map(ModelDefinitions::stripClasspathPrefix).toArray(String[]::new);
        try {
            return ModelSource.classpath(model, tokenizer, others);
        } catch (FastEmbedException e) {
            throw new InvalidConfigurationPropertyValueException(prefix + "classpath", model, e.getMessage(), e);
        }
    }

    private static void checkOrphanSettings(String prefix, ModelProperties model) {
        FastEmbedProperties.HuggingFaceSource hf = model.getHuggingFace();
        if (!hasText(hf.getRepo()) && (hasText(hf.getRevision()) || hasText(hf.getModelFile())
                || hasText(hf.getTokenizerFile()) || (hf.getAdditionalFiles() != null && !hf.getAdditionalFiles().isEmpty()))) {
            throw new InvalidConfigurationPropertyValueException(prefix + "hugging-face.repo", null,
                    "The hugging-face settings apply to a Hugging Face repository; set hugging-face.repo too");
        }
        ClasspathSource classpath = model.getClasspath();
        if (!hasText(classpath.getModel()) && (hasText(classpath.getTokenizer())
                || (classpath.getAdditionalResources() != null && !classpath.getAdditionalResources().isEmpty()))) {
            throw new InvalidConfigurationPropertyValueException(prefix + "classpath.model", null,
                    "classpath.tokenizer and classpath.additional-resources belong to a model on the class path; "
                            + "set classpath.model too");
        }
    }

    private static void check(String property, Object value, Runnable validation) {
        try {
            validation.run();
        } catch (FastEmbedException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage(), e);
        }
    }

    private static List<ModelDefinition> withPrimaries(List<ModelDefinition> models) {
        Map<ModelKind, String> primaries = new LinkedHashMap<>();
        for (ModelKind kind : ModelKind.values()) {
            List<ModelDefinition> ofKind = models.stream().filter(m -> m.kind() == kind).toList();
            List<String> explicit = ofKind.stream()
                    .filter(m -> Boolean.TRUE.equals(m.properties().getPrimary())).map(ModelDefinition::name).toList();
            if (explicit.size() > 1) {
                throw new InvalidConfigurationPropertyValueException(
                        FastEmbedProperties.PREFIX + ".models." + explicit.get(1) + ".primary", true,
                        "Only one " + kind.id() + " model can be primary, but " + String.join(" and ", explicit)
                                + " both set primary: true");
            }
            if (explicit.size() == 1) {
                primaries.put(kind, explicit.getFirst());
                continue;
            }
            List<ModelDefinition> candidates = ofKind.stream()
                    .filter(m -> !Boolean.FALSE.equals(m.properties().getPrimary())).toList();
            candidates.stream()
                    .filter(m -> m.name().equals(FastEmbedProperties.DEFAULT_MODEL_NAME))
                    .findFirst()
                    .or(() -> candidates.stream().findFirst())
                    .ifPresent(m -> primaries.put(kind, m.name()));
        }
        return models.stream()
                .map(m -> new ModelDefinition(m.name(), m.kind(), m.properties(), m.source(),
                        m.name().equals(primaries.get(m.kind()))))
                .toList();
    }

    private static void batching(FastEmbedProperties.Batching batching, String prefix) {
        positive(batching.getMaxSize(), prefix + "max-size");
        Duration window = batching.getWindow();
        if (window == null || window.isNegative() || window.compareTo(MAX_BATCHING_WINDOW) > 0) {
            throw new InvalidConfigurationPropertyValueException(prefix + "window", window,
                    "The wait for more callers must be from 0 to " + MAX_BATCHING_WINDOW.toMillis()
                            + "ms, e.g. 2ms: every merged call waits that long");
        }
    }

    private static void positive(Integer value, String property) {
        if (value != null && value <= 0) {
            throw new InvalidConfigurationPropertyValueException(property, value, "Must be at least 1");
        }
    }

    private static void threads(Integer value, String property) {
        positive(value, property);
        if (value != null && value > ModelBuilder.maxThreads()) {
            throw new InvalidConfigurationPropertyValueException(property, value, "Must be at most "
                    + ModelBuilder.maxThreads() + " (" + ModelBuilder.MAX_THREADS_PER_CORE
                    + " per available processor, at most " + ModelBuilder.MAX_THREADS + ")");
        }
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /** Resource names may be written with or without Spring's {@code classpath:} prefix. */
    static String stripClasspathPrefix(String location) {
        String stripped = location.strip();
        if (stripped.startsWith("classpath:")) {
            stripped = stripped.substring("classpath:".length());
        }
        while (stripped.startsWith("/")) {
            stripped = stripped.substring(1);
        }
        return stripped;
    }
}

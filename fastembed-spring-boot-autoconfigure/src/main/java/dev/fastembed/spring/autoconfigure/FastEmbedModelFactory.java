package dev.fastembed.spring.autoconfigure;

import dev.fastembed.ImageEmbedding;
import dev.fastembed.ImageLimits;
import dev.fastembed.LateInteractionMultimodalEmbedding;
import dev.fastembed.LateInteractionTextEmbedding;
import dev.fastembed.ModelBuilder;
import dev.fastembed.ModelSetting;
import dev.fastembed.ModelSettingRequiredException;
import dev.fastembed.ModelSource;
import dev.fastembed.Plan;
import dev.fastembed.SparseTextEmbedding;
import dev.fastembed.TextModelBuilder;
import dev.fastembed.TextRerank;
import dev.fastembed.TextEmbedding;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.spring.ImageEmbeddingPool;
import dev.fastembed.spring.LateInteractionMultimodalEmbeddingPool;
import dev.fastembed.spring.LateInteractionTextEmbeddingPool;
import dev.fastembed.spring.CallBatching;
import dev.fastembed.spring.SharedModel;
import dev.fastembed.spring.ModelUnavailableException;
import dev.fastembed.spring.PooledModel;
import dev.fastembed.spring.SparseTextEmbeddingPool;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.TextRerankPool;
import dev.fastembed.spring.autoconfigure.FastEmbedProperties.ModelProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Creates the model beans from their {@link ModelDefinition}s: resolves the model files (downloading into
 * the cache when needed), applies catalogue defaults and overrides, and wraps the model in its pool.
 * Replace this bean to change how models are found or built.
 */
public class FastEmbedModelFactory {

    private static final Log log = LogFactory.getLog(FastEmbedModelFactory.class);

    /** Sets a builder's option only where a property is set (null means "the catalogue's or the engine's"). */
    private static final PropertyMapper MAP = PropertyMapper.get();

    private final HubOptions hubOptions;
    private final Integer defaultThreads;
    private final ClassLoader classLoader;
    private final Path optimizedGraphCache;

    /**
     * @param hubOptions     where catalogue and Hugging Face models are downloaded from and cached
     * @param defaultThreads ONNX Runtime threads for models that set none, or null for the engine's default
     * @param classLoader    the loader of class path models, or null for the thread's context class loader
     */
    public FastEmbedModelFactory(HubOptions hubOptions, Integer defaultThreads, ClassLoader classLoader) {
        this(hubOptions, defaultThreads, classLoader, null);
    }

    /**
     * @param optimizedGraphCache the folder where ONNX Runtime's optimized graphs of the models are saved and loaded
     *                            from ({@code ModelBuilder.optimizedModelCache}), or null for none
     */
    public FastEmbedModelFactory(HubOptions hubOptions, Integer defaultThreads, ClassLoader classLoader,
                                 Path optimizedGraphCache) {
        this.hubOptions = Objects.requireNonNull(hubOptions, "hubOptions");
        this.defaultThreads = defaultThreads;
        this.classLoader = classLoader;
        this.optimizedGraphCache = optimizedGraphCache;
    }

    public HubOptions hubOptions() {
        return hubOptions;
    }

    /** The bean of a text model, loaded now when the model is eager. */
    public TextEmbeddingPool textEmbedding(ModelDefinition definition) {
        requireKind(definition, ModelKind.TEXT);
        ModelProperties properties = definition.properties();
        Optional<ModelDescription> catalog = definition.catalog();
        SharedModel<TextEmbedding> pool = newPool(definition, () -> loadTextEmbedding(definition));
        // Prefixes: the properties', else the catalogue's, else (null) the loaded model's from its files.
        TextEmbeddingPool bean = new TextEmbeddingPool(pool, catalog.map(ModelDescription::dimension).orElse(0),
                first(properties.getQueryPrefix(), catalog.map(ModelDescription::queryPrefix).orElse(null)),
                first(properties.getPassagePrefix(), catalog.map(ModelDescription::passagePrefix).orElse(null)),
                batching(properties.getBatching()));
        startUp(definition, bean);
        return bean;
    }

    /**
     * Loads a text model: resolves its files (downloading or copying them when needed), then builds it with
     * the catalogue's defaults for every setting the properties leave unset.
     */
    protected TextEmbedding loadTextEmbedding(ModelDefinition definition) {
        ModelProperties properties = definition.properties();
        TextEmbedding.Builder builder = configure(TextEmbedding.builder(), definition);
        MAP.from(properties.getPooling()).to(builder::pooling);
        MAP.from(properties.getNormalize()).to(builder::normalize);
        MAP.from(properties.getQueryPrefix()).to(builder::queryPrefix);
        MAP.from(properties.getPassagePrefix()).to(builder::passagePrefix);
        MAP.from(properties.getDimensions()).to(builder::dimensions);
        MAP.from(properties.getTask()).to(builder::task);
        TextEmbedding model;
        try {
            model = builder.build();
        } catch (ModelSettingRequiredException e) {
            throw new ModelSettingRequiredException(e.setting(), "Model '" + definition.name() + "' ("
                    + definition.location() + "): its " + e.setting() + " is not known (its output holds one vector "
                    + "per token, no catalogue model is named and its files do not say). Set "
                    + definition.property(e.setting()) + " (mean or cls, as the model card says), or name its "
                    + "catalogue model with " + definition.property("model") + ", e.g. "
                    + "sentence-transformers/all-MiniLM-L6-v2 for all-MiniLM-L6-v2");
        }
        log.info("fastembed model '" + definition.name() + "' (" + definition.location() + ") runs with "
                + describe(model.settings()));
        return model;
    }

    /** Settings as {@code pooling=MEAN (catalogue ...), normalize=true (...)}. */
    static String describe(Map<String, ModelSetting<?>> settings) {
        StringBuilder out = new StringBuilder();
        settings.forEach((name, setting) -> out.append(out.isEmpty() ? "" : ", ").append(name).append('=')
                .append(setting));
        return out.toString();
    }

    /** The bean of an image model, loaded now when the model is eager. */
    public ImageEmbeddingPool imageEmbedding(ModelDefinition definition) {
        requireKind(definition, ModelKind.IMAGE);
        SharedModel<ImageEmbedding> pool = newPool(definition, () -> loadImageEmbedding(definition));
        ImageEmbeddingPool bean = new ImageEmbeddingPool(pool,
                definition.catalog().map(ModelDescription::dimension).orElse(0));
        startUp(definition, bean);
        return bean;
    }

    /** Loads an image model, with the catalogue's defaults for every setting the properties leave unset. */
    protected ImageEmbedding loadImageEmbedding(ModelDefinition definition) {
        ModelProperties properties = definition.properties();
        ImageEmbedding.Builder builder = configure(ImageEmbedding.builder(), definition);
        MAP.from(properties.getPooling()).to(builder::pooling);
        MAP.from(properties.getNormalize()).to(builder::normalize);
        imageLimits(properties).ifPresent(builder::imageLimits);
        return builder.build();
    }

    /** The image limits the properties set, over the defaults; empty when they set none. */
    private static Optional<ImageLimits> imageLimits(ModelProperties properties) {
        FastEmbedProperties.ImageLimitsProperties limits = properties.getImageLimits();
        if (!limits.anySet()) {
            return Optional.empty();
        }
        ImageLimits imageLimits = ImageLimits.defaults();
        imageLimits = MAP.from(limits.getMaxPixels()).to(imageLimits, ImageLimits::withMaxPixels);
        imageLimits = MAP.from(limits.getMaxSide()).to(imageLimits, ImageLimits::withMaxSide);
        imageLimits = MAP.from(limits.getMaxBytes()).as(DataSize::toBytes).to(imageLimits, ImageLimits::withMaxBytes);
        return Optional.of(imageLimits);
    }

    /** The bean of a late interaction (ColBERT) model, loaded now when the model is eager. */
    public LateInteractionTextEmbeddingPool lateInteractionTextEmbedding(ModelDefinition definition) {
        requireKind(definition, ModelKind.LATE_INTERACTION);
        SharedModel<LateInteractionTextEmbedding> pool = newPool(definition,
                () -> loadLateInteractionTextEmbedding(definition));
        LateInteractionTextEmbeddingPool bean = new LateInteractionTextEmbeddingPool(pool,
                definition.catalog().map(ModelDescription::dimension).orElse(0),
                batching(definition.properties().getBatching()));
        startUp(definition, bean);
        return bean;
    }

    /** Loads a late interaction model, with the catalogue's defaults for every setting left unset. */
    protected LateInteractionTextEmbedding loadLateInteractionTextEmbedding(ModelDefinition definition) {
        return configure(LateInteractionTextEmbedding.builder(), definition).build();
    }

    /** The bean of a late interaction model over images (ColPali), loaded now when the model is eager. */
    public LateInteractionMultimodalEmbeddingPool lateInteractionMultimodalEmbedding(ModelDefinition definition) {
        requireKind(definition, ModelKind.LATE_INTERACTION_MULTIMODAL);
        SharedModel<LateInteractionMultimodalEmbedding> pool = newPool(definition,
                () -> loadLateInteractionMultimodalEmbedding(definition));
        LateInteractionMultimodalEmbeddingPool bean = new LateInteractionMultimodalEmbeddingPool(pool,
                definition.catalog().map(ModelDescription::dimension).orElse(0));
        startUp(definition, bean);
        return bean;
    }

    /** Loads a late interaction model over images, with the catalogue's defaults for every setting left unset. */
    protected LateInteractionMultimodalEmbedding loadLateInteractionMultimodalEmbedding(ModelDefinition definition) {
        ModelProperties properties = definition.properties();
        LateInteractionMultimodalEmbedding.Builder builder = configure(LateInteractionMultimodalEmbedding.builder(),
                definition);
        MAP.from(properties.getNormalize()).to(builder::normalize);
        imageLimits(properties).ifPresent(builder::imageLimits);
        return builder.build();
    }

    /** The bean of a sparse model (SPLADE, BM25, BM42), loaded now when the model is eager. */
    public SparseTextEmbeddingPool sparseTextEmbedding(ModelDefinition definition) {
        requireKind(definition, ModelKind.SPARSE);
        SparseTextEmbeddingPool bean = new SparseTextEmbeddingPool(
                newPool(definition, () -> loadSparseTextEmbedding(definition)), batching(definition.properties().getBatching()));
        startUp(definition, bean);
        return bean;
    }

    /** Loads a sparse model, with the catalogue's defaults for every setting left unset. */
    protected SparseTextEmbedding loadSparseTextEmbedding(ModelDefinition definition) {
        ModelProperties properties = definition.properties();
        FastEmbedProperties.SparseProperties sparse = properties.getSparse();
        SparseTextEmbedding.Builder builder = configure(SparseTextEmbedding.builder(), definition);
        MAP.from(sparse.getAlgorithm()).to(builder::algorithm);
        MAP.from(sparse.getLanguage()).whenHasText().as(String::strip).to(builder::language);
        MAP.from(sparse.getK1()).to(builder::k1);
        MAP.from(sparse.getB()).to(builder::b);
        MAP.from(sparse.getAvgLen()).to(builder::avgLen);
        MAP.from(sparse.getTokenMaxLength()).to(builder::tokenMaxLength);
        MAP.from(sparse.getDisableStemmer()).to(builder::disableStemmer);
        MAP.from(sparse.getStopwords()).to(builder::stopwords);
        MAP.from(sparse.getAlpha()).to(builder::alpha);
        return builder.build();
    }

    /** The bean of a reranker, loaded now when the model is eager. */
    public TextRerankPool textRerank(ModelDefinition definition) {
        requireKind(definition, ModelKind.RERANK);
        TextRerankPool bean = new TextRerankPool(newPool(definition, () -> loadTextRerank(definition)));
        startUp(definition, bean);
        return bean;
    }

    /** Loads a reranker, with the catalogue's defaults for every setting left unset. */
    protected TextRerank loadTextRerank(ModelDefinition definition) {
        ModelProperties properties = definition.properties();
        TextRerank.Builder builder = configure(TextRerank.builder(), definition);
        MAP.from(properties.getRerank().getSigmoid()).to(builder::sigmoid);
        return builder.build();
    }

    /** The settings every kind shares: source, downloads, batching, threads, output, and for text input truncation. */
    private <B extends ModelBuilder<B>> B configure(B builder, ModelDefinition definition) {
        ModelProperties properties = definition.properties();
        builder.model(source(definition)).hubOptions(hubOptions);
        definition.settingsCatalog().ifPresent(entry -> builder.catalogSettings(entry.name()));
        MAP.from(properties.getBatchSize()).to(builder::batchSize);
        MAP.from(first(properties.getThreads(), defaultThreads)).to(builder::threads);
        MAP.from(properties.getRunTimeout()).to(builder::runTimeout);
        MAP.from(properties.getExecutionProvider()).to(builder::executionProvider);
        builder.fallbackToCpu(properties.getFallback() == FastEmbedProperties.Fallback.CPU);
        MAP.from(optimizedGraphCache).to(builder::optimizedModelCache);
        MAP.from(properties.getOutputName()).whenHasText().to(builder::outputName);
        if (builder instanceof TextModelBuilder<?> text) {
            MAP.from(properties.getMaxLength()).to(text::maxLength);
            MAP.from(properties.getTokenBudget()).to(text::tokenBudget);
            // Measured once per model and machine, then read from the cache: the starter's apps load few models
            // and serve many calls, so the faster plan is worth a calibration at the first start.
            text.plan(first(properties.getPlan(), Plan.AUTO)).planCacheDir(hubOptions.cacheDir().resolve(PLAN_CACHE));
            MAP.from(properties.getParallelRuns()).to(text::parallelRuns);
        }
        return builder;
    }

    /** Where the model's files come from; class path models are read with the application's class loader. */
    protected ModelSource source(ModelDefinition definition) {
        ModelSource source = definition.source();
        if (source instanceof ModelSource.Classpath classpath && classLoader != null && classpath.classLoader() == null) {
            return classpath.classLoader(classLoader);
        }
        return source;
    }

    private static CallBatching batching(FastEmbedProperties.Batching batching) {
        return new CallBatching(batching.isEnabled(), batching.getMaxSize(), batching.getWindow());
    }

    private <M extends AutoCloseable> SharedModel<M> newPool(ModelDefinition definition,
                                                           Supplier<M> loader) {
        FastEmbedProperties.Pool pool = definition.properties().getPool();
        int size = pool.getSize() != null ? pool.getSize() : Runtime.getRuntime().availableProcessors();
        return new SharedModel<>(definition.name(), definition.kind(), definition.location(), size, pool.getMaxWait(),
                loader);
    }

    /** Loads an eager model; a failure stops startup, or with fail-fast off is logged and left to health. */
    private void startUp(ModelDefinition definition, PooledModel bean) {
        FastEmbedProperties.Pool pool = definition.properties().getPool();
        if (!definition.eager()) {
            return;
        }
        try {
            bean.pool().load();
            log.info("fastembed model '" + definition.name() + "' (" + definition.location() + ") loaded in "
                    + bean.pool().loadTime().orElseThrow().toMillis() + " ms");
        } catch (ModelUnavailableException e) {
            if (pool.isFailFast()) {
                bean.close();
                throw e;
            }
            log.warn(e.getMessage() + " — starting without it (" + definition.property("pool.fail-fast")
                    + "=false); health reports it DOWN");
        }
    }

    private static void requireKind(ModelDefinition definition, ModelKind kind) {
        if (definition.kind() != kind) {
            throw new IllegalArgumentException("Model '" + definition.name() + "' is a " + definition.kind()
                    + " model, not " + kind);
        }
    }

    /** The folder under the model cache where plan auto remembers its choices. */
    static final String PLAN_CACHE = "plans";

    private static <T> T first(T value, T fallback) {
        return value != null ? value : fallback;
    }
}

package dev.fastembed;

import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.internal.Json;
import dev.fastembed.internal.ResolvedModel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What every model builder takes: where the model comes from and how ONNX Runtime runs it. The public builders
 * ({@link TextEmbedding.Builder} and the others) extend it and add their kind's options.
 *
 * @param <B> the public builder, returned by every setter
 */
public abstract sealed class ModelBuilder<B extends ModelBuilder<B>> permits ImageEmbedding.Builder, TextModelBuilder {

    private final ModelKind kind;
    ModelFiles files;
    ModelSource source;
    HubOptions hubOptions;
    Integer batchSize;
    Integer threads;
    Long runTimeoutMillis;
    ExecutionProvider executionProvider;
    boolean fallbackToCpu;
    Path optimizedModelCacheDir;
    String outputName;
    ModelDescription settingsModel;

    ModelBuilder(ModelKind kind) {
        this.kind = kind;
    }

    /** Local model files (or use {@link #model(ModelSource)}). */
    public B modelFiles(ModelFiles files) {
        this.files = Objects.requireNonNull(files, "files");
        return self();
    }

    /**
     * Where the model comes from: catalogue, Hugging Face, folder or class path. Catalogue models bring their
     * defaults (pooling, normalization, prefixes, output) for options left unset.
     */
    public B model(ModelSource source) {
        this.source = Objects.requireNonNull(source, "source");
        return self();
    }

    /**
     * A catalogue model of this builder's kind by name or alias, e.g. {@code "BAAI/bge-small-en-v1.5"} or
     * {@code "BGESmallENV15"}; the model class's {@code listSupportedModels()} lists them.
     */
    public B model(String catalogName) {
        return model(ModelSource.catalog(kind, catalogName));
    }

    /**
     * Runs the model as the catalogue runs the model of this name (pooling, normalization, prefixes, max length,
     * output), whatever its files' source: e.g. {@code "sentence-transformers/all-MiniLM-L6-v2"} for its ONNX file
     * from a jar or a folder. Explicit settings still win.
     *
     * @throws FastEmbedException INVALID_ARGUMENT naming the closest known models if there is no such model
     */
    public B catalogSettings(String catalogName) {
        this.settingsModel = dev.fastembed.catalog.ModelCatalog.get(kind, catalogName);
        return self();
    }

    /** Download and cache settings for {@link #model} (default: {@link HubOptions#defaults()}). */
    public B hubOptions(HubOptions hubOptions) {
        this.hubOptions = Objects.requireNonNull(hubOptions, "hubOptions");
        return self();
    }

    /** Inputs per ONNX Runtime run (default 256 texts or pairs, further bounded by the token budget; 16 images). */
    public B batchSize(int batchSize) {
        this.batchSize = positive(batchSize, "batchSize");
        return self();
    }

    /** Most threads per core {@link #threads(int)} accepts. */
    public static final int MAX_THREADS_PER_CORE = 4;
    /** Most threads {@link #threads(int)} accepts, however many cores there are. */
    public static final int MAX_THREADS = 256;

    /**
     * ONNX Runtime intra-op threads per run (default: one per core; then calls on one model take turns). At most
     * {@link #maxThreads()}: {@value #MAX_THREADS_PER_CORE} per available processor, never more than
     * {@value #MAX_THREADS}. ONNX Runtime terminates the process when the system refuses it a thread, so counts
     * beyond any use are refused here (and by the engine, for C callers) before a session exists.
     *
     * @throws IllegalArgumentException when {@code threads} is not positive or beyond {@link #maxThreads()}
     */
    public B threads(int threads) {
        positive(threads, "threads");
        int limit = maxThreads();
        if (threads > limit) {
            throw new IllegalArgumentException("threads = " + threads + " is beyond the limit of " + limit + " ("
                    + MAX_THREADS_PER_CORE + " per available processor, at most " + MAX_THREADS
                    + "); ONNX Runtime gains nothing from more threads than cores");
        }
        this.threads = threads;
        return self();
    }

    /** The largest {@link #threads(int)}: {@value #MAX_THREADS_PER_CORE} × the available processors, at most {@value #MAX_THREADS}. */
    public static int maxThreads() {
        return Math.min(MAX_THREADS, MAX_THREADS_PER_CORE * Runtime.getRuntime().availableProcessors());
    }

    /**
     * The longest one ONNX Runtime run (one batch) of this model may take; a longer one is stopped and its call
     * throws {@link FastEmbedException} {@code TIMED_OUT}. Default: no limit. An interrupt of the calling thread
     * stops a run too, with or without a timeout.
     *
     * @throws IllegalArgumentException when {@code runTimeout} is shorter than a millisecond
     */
    public B runTimeout(Duration runTimeout) {
        if (runTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("runTimeout must be at least 1 ms, got " + runTimeout);
        }
        this.runTimeoutMillis = runTimeout.toMillis();
        return self();
    }

    /**
     * Where ONNX Runtime runs the model (default {@link ExecutionProvider#CPU}). A provider the loaded ONNX Runtime
     * lacks (CUDA on the CPU build) fails the load with ONNX Runtime's message, unless {@link #fallbackToCpu}.
     */
    public B executionProvider(ExecutionProvider executionProvider) {
        this.executionProvider = Objects.requireNonNull(executionProvider, "executionProvider");
        return self();
    }

    /**
     * When the {@link #executionProvider} cannot be set up, load the model on the CPU instead of failing, with a
     * warning logged and {@link NativeModel#sessionInfo()} naming the provider in use and why (default false).
     */
    public B fallbackToCpu(boolean fallbackToCpu) {
        this.fallbackToCpu = fallbackToCpu;
        return self();
    }

    /**
     * A folder where ONNX Runtime's optimized graph of the model is saved on its first load, then loaded with
     * optimizations off on later loads (shorter session creation; CPU provider only). A saved graph is found again
     * only by the same ONNX Runtime version, model file and CPU; one that does not load is replaced, and a folder
     * that cannot be written only means nothing is saved. Default: none (the starter passes the model cache).
     */
    public B optimizedModelCache(Path directory) {
        this.optimizedModelCacheDir = Objects.requireNonNull(directory, "directory");
        return self();
    }

    /** The ONNX output to read (default: the catalogue's, else the one usual for the kind, else the first). */
    public B outputName(String outputName) {
        this.outputName = outputName;
        return self();
    }

    /** The model's files: local ones, or resolved from the source (downloading them if needed). */
    ResolvedModel resolve() {
        return ResolvedModel.of(files, source, hubOptions, settingsModel);
    }

    /** The engine options every kind shares, as the C ABI's JSON object. */
    Json engineOptions(ResolvedModel model) {
        return Json.object()
                .modelFiles(model.files())
                .put("batch_size", batchSize)
                .put("threads", threads)
                .put("run_timeout_ms", runTimeoutMillis)
                .put("execution_provider", executionProvider == null ? null : executionProvider.id())
                .put("fallback", fallbackToCpu ? "cpu" : null)
                .put("optimized_model_cache_dir", optimizedModelCacheDir == null ? null : optimizedModelCacheDir.toString())
                .put("output_name", model.orDefault(outputName, ModelDescription::outputName));
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}

package dev.fastembed.spring.autoconfigure;

import dev.fastembed.ExecutionProvider;
import dev.fastembed.Plan;
import dev.fastembed.Pooling;
import dev.fastembed.SparseTextEmbedding;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.spring.CallBatching;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings under {@code fastembed}: where models come from, and one entry per named model.
 *
 * <pre>{@code
 * fastembed:
 *   model: BAAI/bge-small-en-v1.5        # shortcut: one text model named "default"
 *   models:
 *     docs:
 *       model: intfloat/multilingual-e5-small
 *       pool:
 *         size: 4
 *         max-wait: 2s
 * }</pre>
 */
@ConfigurationProperties(prefix = FastEmbedProperties.PREFIX)
public class FastEmbedProperties {

    public static final String PREFIX = "fastembed";

    /** The model name the {@code fastembed.model} shortcut registers. */
    public static final String DEFAULT_MODEL_NAME = "default";

    /** Whether to create beans for the configured models. */
    private boolean enabled = true;

    /**
     * Folder for downloaded models, in the Hugging Face hub layout. Default: the FASTEMBED_CACHE_PATH
     * environment variable, else ~/.fastembed_cache.
     */
    private Path cacheDir;

    /** Never use the network; load models from the cache only. Default: HF_HUB_OFFLINE, else false. */
    private Boolean offline;

    /** ONNX Runtime threads per call, for models that set none. Default: the number of processors. */
    private Integer threads;

    /**
     * Save ONNX Runtime's optimized graph of each model in {cache-dir}/optimized-graphs on its first load and load
     * that graph, with optimizations off, on later starts (shorter loads; keyed by ONNX Runtime version, model file
     * and CPU; CPU execution provider only).
     */
    private boolean optimizedGraphCache = true;

    /**
     * Catalogue name or alias of one text model (e.g. BAAI/bge-small-en-v1.5), registered under the name
     * "default". A shortcut for fastembed.models.default.model.
     */
    private String model;

    private final HuggingFace huggingFace = new HuggingFace();

    private final Health health = new Health();

    private final Web web = new Web();

    /**
     * Named models; the name is the bean qualifier and the "model" tag of metrics. The properties of an entry
     * (model, pooling, pool.size, ...) are listed in the README's configuration reference: IDE metadata cannot
     * describe properties under a map key. Unknown keys fail startup.
     */
    private final Map<String, ModelProperties> models = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Path getCacheDir() {
        return cacheDir;
    }

    public void setCacheDir(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public Boolean getOffline() {
        return offline;
    }

    public void setOffline(Boolean offline) {
        this.offline = offline;
    }

    public Integer getThreads() {
        return threads;
    }

    public void setThreads(Integer threads) {
        this.threads = threads;
    }

    public boolean isOptimizedGraphCache() {
        return optimizedGraphCache;
    }

    public void setOptimizedGraphCache(boolean optimizedGraphCache) {
        this.optimizedGraphCache = optimizedGraphCache;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public HuggingFace getHuggingFace() {
        return huggingFace;
    }

    public Health getHealth() {
        return health;
    }

    public Web getWeb() {
        return web;
    }

    public Map<String, ModelProperties> getModels() {
        return models;
    }

    /** Where models are downloaded from. */
    public static class HuggingFace {

        /**
         * Hub or mirror URL. Default: the HF_ENDPOINT environment variable, else https://huggingface.co.
         * user:password@ in it is sent as basic authentication (unless a token is set) and never logged.
         */
        private String endpoint;

        /** Access token for gated or private repositories. Default: the HF_TOKEN environment variable. */
        private String token;

        /** Longest wait to connect to the hub. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        /** Longest wait for response headers. */
        private Duration readTimeout = Duration.ofSeconds(30);

        /** Longest pause within a download's body. */
        private Duration stallTimeout = HubOptions.DEFAULT_STALL_TIMEOUT;

        /** Longest time one file's download may take, all attempts included. */
        private Duration downloadTimeout = HubOptions.DEFAULT_DOWNLOAD_TIMEOUT;

        /** Most bytes downloaded for a file whose size the hub does not announce. */
        private DataSize maxDownloadSize = DataSize.ofBytes(HubOptions.DEFAULT_MAX_DOWNLOAD_SIZE);

        /** Further attempts after a failed download. */
        private int retries = 3;

        public String getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getReadTimeout() {
            return readTimeout;
        }

        public void setReadTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        public Duration getStallTimeout() {
            return stallTimeout;
        }

        public void setStallTimeout(Duration stallTimeout) {
            this.stallTimeout = stallTimeout;
        }

        public Duration getDownloadTimeout() {
            return downloadTimeout;
        }

        public void setDownloadTimeout(Duration downloadTimeout) {
            this.downloadTimeout = downloadTimeout;
        }

        public DataSize getMaxDownloadSize() {
            return maxDownloadSize;
        }

        public void setMaxDownloadSize(DataSize maxDownloadSize) {
            this.maxDownloadSize = maxDownloadSize;
        }

        public int getRetries() {
            return retries;
        }

        public void setRetries(int retries) {
            this.retries = retries;
        }
    }

    /** The "fastembed" health contributor. */
    public static class Health {

        /**
         * Also run a one-text call on each loaded model in every health check (skipped while all of the
         * model's permits are busy).
         */
        private boolean probe = false;

        public boolean isProbe() {
            return probe;
        }

        public void setProbe(boolean probe) {
            this.probe = probe;
        }
    }

    /** Web applications. */
    public static class Web {

        private final ProblemDetails problemDetails = new ProblemDetails();

        public ProblemDetails getProblemDetails() {
            return problemDetails;
        }
    }

    /** The RFC 9457 problem details handler for the models' exceptions (servlet and reactive web apps). */
    public static class ProblemDetails {

        /**
         * Answer ModelPoolExhaustedException with 503 and Retry-After, and ModelUnavailableException with 503, as
         * application/problem+json. Off by default: an application's own @ExceptionHandler may do it already.
         */
        private boolean enabled = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * One named model. Exactly one source is required: {@code model} (catalogue), {@code hugging-face.repo},
     * {@code directory} or {@code classpath.model}.
     */
    public static class ModelProperties {

        /** What the model produces. Default: the catalogue's kind for a catalogue model, else text. */
        private ModelKind kind;

        /**
         * Catalogue name or alias of the model, e.g. BAAI/bge-small-en-v1.5 or BGESmallENV15. Next to a classpath,
         * directory or hugging-face source: the catalogue entry whose settings those files run with.
         */
        private String model;

        private final HuggingFaceSource huggingFace = new HuggingFaceSource();

        /** Local folder with model.onnx (or onnx/model.onnx), tokenizer.json and the config files. */
        private Path directory;

        private final ClasspathSource classpath = new ClasspathSource();

        /**
         * Most tokens read per text; longer texts are truncated. Default: the tokenizer's limit, at most 512 (as
         * fastembed). Text input only.
         */
        private Integer maxLength;

        /** Inputs per ONNX Runtime run. Default: the engine's (256 texts). */
        private Integer batchSize;

        /**
         * Padded tokens per ONNX Runtime run, which bounds the model's working memory (about 60 KB per token for a
         * small BERT model, per call running at once). Default: the engine's (1024). Text input only.
         */
        private Integer tokenBudget;

        /** ONNX Runtime threads per call. Default: fastembed.threads, else the number of processors. */
        private Integer threads;

        /**
         * How a call's batches run: single-run (one ONNX Runtime run at a time on every core), parallel-runs
         * (several runs side by side, the cores split among them) or auto (both timed at load, the faster kept and
         * remembered under the cache folder's "plans"). threads, token-budget and parallel-runs stay pinned. Default:
         * auto. Text input only.
         */
        private Plan plan;

        /**
         * Runs of one call side by side with plan parallel-runs (and the candidate auto times). Default: one per
         * processor, each with the processors left to it. Text input only.
         */
        private Integer parallelRuns;

        /**
         * The longest one ONNX Runtime run (one batch) may take; a longer one is stopped and its call fails with
         * FastEmbedException TIMED_OUT. Default: no limit. (An interrupt of the calling thread stops a run too.)
         */
        private Duration runTimeout;

        /**
         * Where ONNX Runtime runs the model: cpu, or cuda (needs a GPU build of ONNX Runtime on a CUDA host; see the
         * README). Default: cpu.
         */
        private ExecutionProvider executionProvider;

        /**
         * cpu: when the execution provider cannot be set up, run the model on the CPU (logged, and shown in the
         * health details) instead of failing startup. Default: none.
         */
        private Fallback fallback;

        /**
         * How token vectors become one vector. Default: the catalogue's, else what the model's sentence-transformers
         * files say; a model from files that says nothing does not start.
         */
        private Pooling pooling;

        /** L2-normalize the vectors. Default: the catalogue's, else true. */
        private Boolean normalize;

        /** The ONNX output to read. Default: the catalogue's, else last_hidden_state or the first output. */
        private String outputName;

        /** Text put before each search query, e.g. "query: ". Default: the catalogue's, else none. Text models only. */
        private String queryPrefix;

        /** Text put before each document, e.g. "passage: ". Default: the catalogue's, else none. Text models only. */
        private String passagePrefix;

        /**
         * Cut each vector to its first this many values, normalized again (Matryoshka truncation), for models trained
         * for it, e.g. Qwen/Qwen3-Embedding-0.6B from 32 to 1024. Default: the model's full dimension. Text models only.
         */
        private Integer dimensions;

        /**
         * Task adapter of calls that name none, e.g. classification or text-matching (jinaai/jina-embeddings-v3);
         * queries and documents use retrieval.query and retrieval.passage. Default: retrieval.passage. Text models
         * with task adapters only.
         */
        private String task;

        /**
         * Make this model's beans the primary ones of their type. Default: the model named "default", else the
         * first model of its kind.
         */
        private Boolean primary;

        private final Pool pool = new Pool();

        private final Batching batching = new Batching();

        private final ImageLimitsProperties imageLimits = new ImageLimitsProperties();

        private final SparseProperties sparse = new SparseProperties();

        private final RerankProperties rerank = new RerankProperties();

        public ModelKind getKind() {
            return kind;
        }

        public void setKind(ModelKind kind) {
            this.kind = kind;
        }

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }

        public HuggingFaceSource getHuggingFace() {
            return huggingFace;
        }

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        public ClasspathSource getClasspath() {
            return classpath;
        }

        public Integer getMaxLength() {
            return maxLength;
        }

        public void setMaxLength(Integer maxLength) {
            this.maxLength = maxLength;
        }

        public Integer getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(Integer batchSize) {
            this.batchSize = batchSize;
        }

        public Integer getTokenBudget() {
            return tokenBudget;
        }

        public void setTokenBudget(Integer tokenBudget) {
            this.tokenBudget = tokenBudget;
        }

        public Plan getPlan() {
            return plan;
        }

        public void setPlan(Plan plan) {
            this.plan = plan;
        }

        public Integer getParallelRuns() {
            return parallelRuns;
        }

        public void setParallelRuns(Integer parallelRuns) {
            this.parallelRuns = parallelRuns;
        }

        public Integer getThreads() {
            return threads;
        }

        public Duration getRunTimeout() {
            return runTimeout;
        }

        public void setRunTimeout(Duration runTimeout) {
            this.runTimeout = runTimeout;
        }

        public ExecutionProvider getExecutionProvider() {
            return executionProvider;
        }

        public void setExecutionProvider(ExecutionProvider executionProvider) {
            this.executionProvider = executionProvider;
        }

        public Fallback getFallback() {
            return fallback;
        }

        public void setFallback(Fallback fallback) {
            this.fallback = fallback;
        }

        public void setThreads(Integer threads) {
            this.threads = threads;
        }

        public Pooling getPooling() {
            return pooling;
        }

        public void setPooling(Pooling pooling) {
            this.pooling = pooling;
        }

        public Boolean getNormalize() {
            return normalize;
        }

        public void setNormalize(Boolean normalize) {
            this.normalize = normalize;
        }

        public String getOutputName() {
            return outputName;
        }

        public void setOutputName(String outputName) {
            this.outputName = outputName;
        }

        public String getQueryPrefix() {
            return queryPrefix;
        }

        public void setQueryPrefix(String queryPrefix) {
            this.queryPrefix = queryPrefix;
        }

        public Integer getDimensions() {
            return dimensions;
        }

        public void setDimensions(Integer dimensions) {
            this.dimensions = dimensions;
        }

        public String getTask() {
            return task;
        }

        public void setTask(String task) {
            this.task = task;
        }

        public String getPassagePrefix() {
            return passagePrefix;
        }

        public void setPassagePrefix(String passagePrefix) {
            this.passagePrefix = passagePrefix;
        }

        public Boolean getPrimary() {
            return primary;
        }

        public void setPrimary(Boolean primary) {
            this.primary = primary;
        }

        public Pool getPool() {
            return pool;
        }

        public Batching getBatching() {
            return batching;
        }

        public ImageLimitsProperties getImageLimits() {
            return imageLimits;
        }

        public SparseProperties getSparse() {
            return sparse;
        }

        public RerankProperties getRerank() {
            return rerank;
        }
    }

    /** Settings of sparse models; those of BM25 and BM42 apply to them only. */
    public static class SparseProperties {

        /** How terms are weighed. Default: bm25 for Qdrant/bm25, else recognised from the model's output. */
        private SparseTextEmbedding.Algorithm algorithm;

        /** BM25/BM42: stemmer and stopword language, e.g. english, german. Default: english. */
        private String language;

        /** BM25: term-frequency saturation. Default: 1.2. */
        private Float k1;

        /** BM25: document-length weight, from 0 to 1. Default: 0.75. */
        private Float b;

        /** BM25: average document length in words. Default: 256. */
        private Float avgLen;

        /** BM25: longer words (in characters) are dropped. Default: 40. */
        private Integer tokenMaxLength;

        /** BM25/BM42: no stemming and no stopwords. Default: false. */
        private Boolean disableStemmer;

        /** BM25/BM42: stopwords to drop instead of the language's built-in list. Default: the language's list. */
        private List<String> stopwords;

        /** BM42: exponent of the rescoring ln(1 + w)^alpha. Default: 0.5. */
        private Float alpha;

        public SparseTextEmbedding.Algorithm getAlgorithm() {
            return algorithm;
        }

        public void setAlgorithm(SparseTextEmbedding.Algorithm algorithm) {
            this.algorithm = algorithm;
        }

        public String getLanguage() {
            return language;
        }

        public void setLanguage(String language) {
            this.language = language;
        }

        public Float getK1() {
            return k1;
        }

        public void setK1(Float k1) {
            this.k1 = k1;
        }

        public Float getB() {
            return b;
        }

        public void setB(Float b) {
            this.b = b;
        }

        public Float getAvgLen() {
            return avgLen;
        }

        public void setAvgLen(Float avgLen) {
            this.avgLen = avgLen;
        }

        public Integer getTokenMaxLength() {
            return tokenMaxLength;
        }

        public void setTokenMaxLength(Integer tokenMaxLength) {
            this.tokenMaxLength = tokenMaxLength;
        }

        public Boolean getDisableStemmer() {
            return disableStemmer;
        }

        public void setDisableStemmer(Boolean disableStemmer) {
            this.disableStemmer = disableStemmer;
        }

        public List<String> getStopwords() {
            return stopwords;
        }

        public void setStopwords(List<String> stopwords) {
            this.stopwords = stopwords;
        }

        public Float getAlpha() {
            return alpha;
        }

        public void setAlpha(Float alpha) {
            this.alpha = alpha;
        }

        boolean anySet() {
            return algorithm != null || language != null || k1 != null || b != null || avgLen != null
                    || tokenMaxLength != null || disableStemmer != null || stopwords != null || alpha != null;
        }
    }

    /** Settings of rerankers. */
    public static class RerankProperties {

        /** Squash scores through a sigmoid into (0, 1). Default: false (raw logits, as fastembed returns). */
        private Boolean sigmoid;

        /** Spring AI DocumentPostProcessor: keep at most this many documents. Default: all. */
        private Integer topK;

        /** Spring AI DocumentPostProcessor: drop documents scoring below this. Default: none dropped. */
        private Double minScore;

        public Boolean getSigmoid() {
            return sigmoid;
        }

        public void setSigmoid(Boolean sigmoid) {
            this.sigmoid = sigmoid;
        }

        public Integer getTopK() {
            return topK;
        }

        public void setTopK(Integer topK) {
            this.topK = topK;
        }

        public Double getMinScore() {
            return minScore;
        }

        public void setMinScore(Double minScore) {
            this.minScore = minScore;
        }

        boolean anySet() {
            return sigmoid != null || topK != null || minScore != null;
        }
    }

    /** Bounds checked on an image's header before it is decoded (image models only). */
    public static class ImageLimitsProperties {

        /** Largest accepted width × height. Default: 50 million pixels. */
        private Long maxPixels;

        /** Largest accepted width or height, in pixels. Default: 16384. */
        private Integer maxSide;

        /** Largest accepted encoded image (file or bytes). Default: 128MB. */
        private DataSize maxBytes;

        public Long getMaxPixels() {
            return maxPixels;
        }

        public void setMaxPixels(Long maxPixels) {
            this.maxPixels = maxPixels;
        }

        public Integer getMaxSide() {
            return maxSide;
        }

        public void setMaxSide(Integer maxSide) {
            this.maxSide = maxSide;
        }

        public DataSize getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }

        boolean anySet() {
            return maxPixels != null || maxSide != null || maxBytes != null;
        }
    }

    /** A model in a Hugging Face repository that is not in the catalogue. */
    public static class HuggingFaceSource {

        /** Repository id, org/name. */
        private String repo;

        /** Branch, tag or commit. Default: main. */
        private String revision;

        /** The ONNX file in the repository. Default: onnx/model.onnx, else model.onnx. */
        private String modelFile;

        /** The tokenizer file in the repository. Default: tokenizer.json. */
        private String tokenizerFile;

        /** Further files the model needs, e.g. ONNX external data such as onnx/model.onnx_data. */
        private List<String> additionalFiles = new ArrayList<>();

        public String getRepo() {
            return repo;
        }

        public void setRepo(String repo) {
            this.repo = repo;
        }

        public String getRevision() {
            return revision;
        }

        public void setRevision(String revision) {
            this.revision = revision;
        }

        public String getModelFile() {
            return modelFile;
        }

        public void setModelFile(String modelFile) {
            this.modelFile = modelFile;
        }

        public String getTokenizerFile() {
            return tokenizerFile;
        }

        public void setTokenizerFile(String tokenizerFile) {
            this.tokenizerFile = tokenizerFile;
        }

        public List<String> getAdditionalFiles() {
            return additionalFiles;
        }

        public void setAdditionalFiles(List<String> additionalFiles) {
            this.additionalFiles = additionalFiles;
        }
    }

    /**
     * A model shipped as class path resources, e.g. inside a jar. The resources are copied once into
     * {@code <cache-dir>/classpath/} so the engine can open them; no network is needed.
     */
    public static class ClasspathSource {

        /** The ONNX file, e.g. models/bge-small/model.onnx (a leading "classpath:" is allowed). */
        private String model;

        /** The tokenizer.json, under any name. */
        private String tokenizer;

        /**
         * Further resources: configuration files, recognised by their file name (config.json,
         * special_tokens_map.json, tokenizer_config.json), and ONNX external data.
         */
        private List<String> additionalResources = new ArrayList<>();

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }

        public String getTokenizer() {
            return tokenizer;
        }

        public void setTokenizer(String tokenizer) {
            this.tokenizer = tokenizer;
        }

        public List<String> getAdditionalResources() {
            return additionalResources;
        }

        public void setAdditionalResources(List<String> additionalResources) {
            this.additionalResources = additionalResources;
        }
    }

    /** How calls share the model. */
    public static class Pool {

        /**
         * Calls allowed on the model at once; further callers wait. The model is loaded once whatever the
         * size. Default: the number of processors.
         */
        private Integer size;

        /** Longest wait for a free permit; then the call fails with ModelPoolExhaustedException. */
        private Duration maxWait = Duration.ofSeconds(10);

        /**
         * Load the model at startup (true) or on its first call (false). Default: true, but false for text (image)
         * models when spring.ai.model.embedding (spring.ai.model.embedding.multimodal) names another provider.
         */
        private Boolean eager;

        /**
         * Stop the application when the model cannot be loaded (true), or start anyway, report the model DOWN
         * in health and fail its calls with ModelUnavailableException (false).
         */
        private boolean failFast = true;

        public Integer getSize() {
            return size;
        }

        public void setSize(Integer size) {
            this.size = size;
        }

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        public Boolean getEager() {
            return eager;
        }

        public void setEager(Boolean eager) {
            this.eager = eager;
        }

        public boolean isFailFast() {
            return failFast;
        }

        public void setFailFast(boolean failFast) {
            this.failFast = failFast;
        }
    }

    /** Where a model goes when its execution provider cannot be set up. */
    public enum Fallback {
        /** ONNX Runtime's CPU provider. */
        CPU
    }

    /** How single-text calls of concurrent callers share engine calls: text, sparse and late interaction models. */
    public static class Batching {

        /**
         * Merge single-text calls of concurrent callers (e.g. Spring AI's embed(String), a web app's queries) into one
         * engine call: a lone call runs at once, calls arriving while one runs are run together when it ends, each
         * caller getting its own vector. Calls with several texts are never merged.
         */
        private boolean enabled = true;

        /** Most texts in one merged call. */
        private int maxSize = CallBatching.DEFAULT_MAX_SIZE;

        /**
         * How long a merged call waits for more callers before it runs, e.g. 2ms; at most 100ms. Default: no wait
         * (only calls that arrived during the previous call are merged).
         */
        private Duration window = Duration.ZERO;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(int maxSize) {
            this.maxSize = maxSize;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }
    }
}

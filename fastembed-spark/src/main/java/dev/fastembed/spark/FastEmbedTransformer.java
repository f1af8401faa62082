package dev.fastembed.spark;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serial;
import java.util.Arrays;

/**
 * A Spark ML {@link Transformer} that embeds a string column with a fastembed model, in process on the executors:
 * dense vectors (e.g. {@code BAAI/bge-small-en-v1.5}) or sparse ones (BM25, SPLADE).
 *
 * <pre>{@code
 * FastEmbedTransformer embed = new FastEmbedTransformer()
 *         .setInputCol("text").setOutputCol("embedding")
 *         .setModel("BAAI/bge-small-en-v1.5");          // or setModelDir(...), setModelPath(...).setTokenizerPath(...)
 * Dataset<Row> vectors = embed.transform(texts);
 * }</pre>
 *
 * <p>Params:
 * <ul>
 *   <li>{@code inputCol} (default {@code text}), a string column; {@code outputCol} (default {@code embedding}).</li>
 *   <li>The model, exactly one of: {@code model}, a catalogue name ({@code BAAI/bge-small-en-v1.5}, {@code Qdrant/bm25},
 *       {@code prithivida/Splade_PP_en_v1}, ...), downloaded per executor into the hub cache
 *       ({@code FASTEMBED_CACHE_PATH}, default {@code ~/.fastembed_cache}); {@code modelDir}, a folder laid out as on
 *       Hugging Face; {@code modelPath} with {@code tokenizerPath}. Paths must be readable on every executor.</li>
 *   <li>{@code kind}: {@code dense} (default) or {@code sparse}.</li>
 *   <li>{@code outputType} (dense): {@code vector} (default, an ML {@code DenseVector}) or {@code array}
 *       ({@code array<float>}, the engine's floats unconverted).</li>
 *   <li>{@code pooling} ({@code cls}, {@code mean}, {@code last_token}, {@code none}) and {@code normalize} (dense): override the
 *       model's defaults; unset, the catalogue's (or CLS and normalized for files).</li>
 *   <li>{@code batchSize} (default 256): rows per engine call; a task holds one batch at a time.</li>
 *   <li>{@code threads}: ONNX Runtime threads per run (default one per core of the executor).</li>
 *   <li>{@code textType}: {@code document} (default, embedded as given), {@code query} or {@code passage}: as the
 *       Java API's {@code queryEmbed}/{@code passageEmbed} (the model's query/passage prefixes; sparse BM25/BM42
 *       queries weigh each word 1.0, passages are documents).</li>
 *   <li>{@code onError}: {@code fail} (default; the task fails with the row's position in the message) or
 *       {@code null} (the row's output is null and a warning is logged).</li>
 * </ul>
 *
 * <p>Sparse output is a {@code SparseVector} of size {@link Integer#MAX_VALUE} (2<sup>31</sup>-1) with ascending
 * indices: BM25 indices are word hashes (up to 2<sup>31</sup>), SPLADE indices token ids. The same size for every
 * model keeps vectors of one column comparable; a BM25 hash of 2<sup>31</sup>-1 or 2<sup>31</sup> cannot be held
 * and counts as a failing row. Null inputs give null outputs; empty strings are embedded as the Java API does.
 *
 * <p>Each executor JVM loads a model once (per distinct model params) and shares it between its task threads;
 * it is closed at JVM shutdown. The transformer saves and loads with its params ({@code DefaultParamsWritable}),
 * alone or inside a {@code Pipeline}.
 */
public class FastEmbedTransformer extends Transformer implements DefaultParamsWritable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> model;
    private final Param<String> modelDir;
    private final Param<String> modelPath;
    private final Param<String> tokenizerPath;
    private final Param<String> kind;
    private final Param<String> outputType;
    private final Param<String> pooling;
    private final BooleanParam normalize;
    private final IntParam batchSize;
    private final IntParam threads;
    private final Param<String> textType;
    private final Param<String> onError;

    public FastEmbedTransformer() {
        this(Identifiable$.MODULE$.randomUID("fastEmbed"));
    }

    public FastEmbedTransformer(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "input column of texts (string)");
        outputCol = new Param<>(this, "outputCol", "output column of embeddings");
        model = new Param<>(this, "model", "catalogue model name, e.g. BAAI/bge-small-en-v1.5 or Qdrant/bm25");
        modelDir = new Param<>(this, "modelDir", "model folder laid out as on Hugging Face, readable on every executor");
        modelPath = new Param<>(this, "modelPath", "ONNX model file, readable on every executor (with tokenizerPath)");
        tokenizerPath = new Param<>(this, "tokenizerPath", "tokenizer.json of modelPath");
        kind = new Param<>(this, "kind", "dense or sparse", ParamValidators.inArray(new String[] {"dense", "sparse"}));
        outputType = new Param<>(this, "outputType", "dense output: vector (ML DenseVector) or array (array<float>)",
                ParamValidators.inArray(new String[] {"vector", "array"}));
        pooling = new Param<>(this, "pooling", "dense pooling override: cls, mean, last_token or none",
                ParamValidators.inArray(new String[] {"cls", "mean", "last_token", "none"}));
        normalize = new BooleanParam(this, "normalize", "dense L2-normalization override");
        batchSize = new IntParam(this, "batchSize", "rows per engine call (and held per task)", ParamValidators.gtEq(1));
        threads = new IntParam(this, "threads", "ONNX Runtime intra-op threads per run", ParamValidators.gtEq(1));
        textType = new Param<>(this, "textType", "document (as given), query or passage (queryEmbed/passageEmbed)",
                ParamValidators.inArray(new String[] {ModelSpec.DOCUMENT, ModelSpec.QUERY, ModelSpec.PASSAGE}));
        onError = new Param<>(this, "onError", "a row that cannot be embedded: fail (the task) or null (its output)",
                ParamValidators.inArray(new String[] {"fail", "null"}));
        setDefault(inputCol, "text");
        setDefault(outputCol, "embedding");
        setDefault(kind, ModelSpec.DENSE);
        setDefault(outputType, "vector");
        setDefault(batchSize, 256);
        setDefault(textType, ModelSpec.DOCUMENT);
        setDefault(onError, "fail");
    }

    /** Loads a transformer saved with {@code write().save(path)} (Spark finds this by reflection too). */
    public static MLReader<FastEmbedTransformer> read() {
        return new DefaultParamsReader<>();
    }

    public static FastEmbedTransformer load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    // Params are found by reflection over public no-argument methods returning a Param.

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> model() {
        return model;
    }

    public Param<String> modelDir() {
        return modelDir;
    }

    public Param<String> modelPath() {
        return modelPath;
    }

    public Param<String> tokenizerPath() {
        return tokenizerPath;
    }

    public Param<String> kind() {
        return kind;
    }

    public Param<String> outputType() {
        return outputType;
    }

    public Param<String> pooling() {
        return pooling;
    }

    public BooleanParam normalize() {
        return normalize;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam threads() {
        return threads;
    }

    public Param<String> textType() {
        return textType;
    }

    public Param<String> onError() {
        return onError;
    }

    public FastEmbedTransformer setInputCol(String value) {
        return with(inputCol, value);
    }

    public FastEmbedTransformer setOutputCol(String value) {
        return with(outputCol, value);
    }

    public FastEmbedTransformer setModel(String value) {
        return with(model, value);
    }

    public FastEmbedTransformer setModelDir(String value) {
        return with(modelDir, value);
    }

    public FastEmbedTransformer setModelPath(String value) {
        return with(modelPath, value);
    }

    public FastEmbedTransformer setTokenizerPath(String value) {
        return with(tokenizerPath, value);
    }

    public FastEmbedTransformer setKind(String value) {
        return with(kind, value);
    }

    public FastEmbedTransformer setOutputType(String value) {
        return with(outputType, value);
    }

    public FastEmbedTransformer setPooling(String value) {
        return with(pooling, value);
    }

    public FastEmbedTransformer setNormalize(boolean value) {
        return with(normalize, value);
    }

    public FastEmbedTransformer setBatchSize(int value) {
        return with(batchSize, value);
    }

    public FastEmbedTransformer setThreads(int value) {
        return with(threads, value);
    }

    public FastEmbedTransformer setTextType(String value) {
        return with(textType, value);
    }

    public FastEmbedTransformer setOnError(String value) {
        return with(onError, value);
    }

    public String getInputCol() {
        return (String) getOrDefault(inputCol);
    }

    public String getOutputCol() {
        return (String) getOrDefault(outputCol);
    }

    public String getModel() {
        return optional(model);
    }

    public String getModelDir() {
        return optional(modelDir);
    }

    public String getModelPath() {
        return optional(modelPath);
    }

    public String getTokenizerPath() {
        return optional(tokenizerPath);
    }

    public String getKind() {
        return (String) getOrDefault(kind);
    }

    public String getOutputType() {
        return (String) getOrDefault(outputType);
    }

    /** The pooling override, or null for the model's default. */
    public String getPooling() {
        return optional(pooling);
    }

    /** The normalization override, or null for the model's default. */
    public Boolean getNormalize() {
        return optional(normalize);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    /** ONNX Runtime threads per run, or null for one per core. */
    public Integer getThreads() {
        return optional(threads);
    }

    public String getTextType() {
        return (String) getOrDefault(textType);
    }

    public String getOnError() {
        return (String) getOrDefault(onError);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String input = getInputCol();
        String output = getOutputCol();
        if (!Arrays.asList(schema.fieldNames()).contains(input)) {
            throw new IllegalArgumentException("FastEmbedTransformer: input column '" + input + "' does not exist; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        DataType type = schema.apply(input).dataType();
        if (!DataTypes.StringType.equals(type)) {
            throw new IllegalArgumentException("FastEmbedTransformer: input column '" + input + "' must be of type string"
                    + " but is " + type.simpleString());
        }
        if (Arrays.asList(schema.fieldNames()).contains(output)) {
            throw new IllegalArgumentException("FastEmbedTransformer: output column '" + output + "' already exists");
        }
        if (ModelSpec.SPARSE.equals(getKind()) && isSet(outputType) && "array".equals(getOutputType())) {
            throw new IllegalArgumentException("FastEmbedTransformer: outputType=array is for dense models; sparse"
                    + " output is a SparseVector");
        }
        modelSpec();
        return schema.add(new StructField(output, outputDataType(), true, org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outputSchema = transformSchema(dataset.schema());
        Dataset<Row> rows = dataset.toDF();
        int inputIndex = rows.schema().fieldIndex(getInputCol());
        PartitionEmbedder embedder = new PartitionEmbedder(modelSpec(), getInputCol(), inputIndex, getBatchSize(),
                getTextType(), ModelSpec.DENSE.equals(getKind()) && "array".equals(getOutputType()), "null".equals(getOnError()));
        return rows.mapPartitions(embedder, Encoders.row(outputSchema));
    }

    @Override
    public FastEmbedTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** The type of the output column for the current params. */
    public DataType outputDataType() {
        if (ModelSpec.DENSE.equals(getKind()) && "array".equals(getOutputType())) {
            return DataTypes.createArrayType(DataTypes.FloatType, false);
        }
        return SQLDataTypes.VectorType();
    }

    ModelSpec modelSpec() {
        return new ModelSpec(getKind(), getModel(), getModelDir(), getModelPath(), getTokenizerPath(), getPooling(),
                getNormalize(), getThreads());
    }

    private <T> FastEmbedTransformer with(Param<T> param, T value) {
        set(param, value);
        return this;
    }

    @SuppressWarnings("unchecked")
    private <T> T optional(Param<?> param) {
        return isDefined(param) ? (T) getOrDefault(param) : null;
    }
}

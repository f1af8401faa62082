package dev.fastembed.spark;

import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.SparseEmbedding;
import dev.fastembed.SparseTextEmbedding;
import dev.fastembed.TextEmbedding;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FastEmbedTransformerTest {

    private static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);

    private static SparkSession spark;
    private static TextEmbedding dense;
    private static SparseTextEmbedding bm25;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.spark();
        dense = TextEmbedding.builder()
                .modelFiles(ModelFiles.of(SparkTestSupport.bgeModel(), SparkTestSupport.bgeTokenizer()))
                .pooling(Pooling.CLS).build();
        bm25 = SparseTextEmbedding.bm25();
    }

    @AfterAll
    static void stop() {
        dense.close();
        bm25.close();
    }

    private static Dataset<Row> frame(List<String> texts, int partitions) {
        List<Row> rows = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(i, texts.get(i)));
        }
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions),
                SCHEMA);
    }

    private static FastEmbedTransformer bgeTransformer() {
        return new FastEmbedTransformer()
                .setModelPath(SparkTestSupport.bgeModel().toString())
                .setTokenizerPath(SparkTestSupport.bgeTokenizer().toString())
                .setPooling("cls"); // bge-small-en-v1.5 is CLS-pooled; bare files do not say
    }

    /** The output column by the row's id (rows come back in input order, checked too). */
    private static List<Object> outputsById(Dataset<Row> result, String column, int count) {
        List<Row> rows = result.select("id", column).collectAsList();
        assertThat(rows).hasSize(count);
        List<Object> outputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            assertThat(rows.get(i).getInt(0)).isEqualTo(i);
            outputs.add(rows.get(i).isNullAt(1) ? null : rows.get(i).get(1));
        }
        return outputs;
    }

    @Test
    void denseVectorsEqualTheJavaApi() {
        List<String> texts = SparkTestSupport.texts(200);
        Dataset<Row> result = bgeTransformer().setBatchSize(16).transform(frame(texts, 4));

        assertThat(result.schema().apply("embedding").dataType().typeName()).isEqualTo("vector");
        float[][] expected = dense.embed(texts);
        List<Object> outputs = outputsById(result, "embedding", texts.size());
        int exact = 0;
        for (int i = 0; i < texts.size(); i++) {
            DenseVector vector = (DenseVector) outputs.get(i);
            assertThat(vector.size()).isEqualTo(384);
            boolean same = true;
            for (int d = 0; d < 384; d++) {
                // Engine floats widened to double: no rounding, so compare as floats.
                assertThat((float) vector.apply(d)).isCloseTo(expected[i][d], within(1e-6f));
                same &= (float) vector.apply(d) == expected[i][d];
            }
            exact += same ? 1 : 0;
        }
        System.out.println("dense: " + exact + " of " + texts.size() + " vectors bit-identical to TextEmbedding.embed");
    }

    @Test
    void denseArrayOutputIsTheEnginesFloats() {
        List<String> texts = SparkTestSupport.texts(40);
        Dataset<Row> result = bgeTransformer().setOutputType("array").setOutputCol("vec").setBatchSize(8)
                .transform(frame(texts, 2));

        assertThat(result.schema().apply("vec").dataType()).isEqualTo(DataTypes.createArrayType(DataTypes.FloatType, false));
        float[][] expected = dense.embed(texts);
        List<Row> rows = result.select("vec").collectAsList();
        for (int i = 0; i < texts.size(); i++) {
            List<Float> vector = rows.get(i).getList(0);
            assertThat(vector).hasSize(384);
            for (int d = 0; d < 384; d++) {
                assertThat(vector.get(d)).isCloseTo(expected[i][d], within(1e-6f));
            }
        }
    }

    @Test
    void sparseBm25EqualsTheJavaApi() {
        List<String> texts = new ArrayList<>(SparkTestSupport.texts(300));
        texts.add("The quick brown fox jumps over the lazy dog; the dog sleeps.");
        Dataset<Row> result = new FastEmbedTransformer().setModel("Qdrant/bm25").setKind("sparse").setOutputCol("bm25")
                .setBatchSize(32).transform(frame(texts, 3));

        List<SparseEmbedding> expected = bm25.embed(texts);
        List<Object> outputs = outputsById(result, "bm25", texts.size());
        for (int i = 0; i < texts.size(); i++) {
            SparseVector vector = (SparseVector) outputs.get(i);
            assertThat(vector.size()).isEqualTo(Integer.MAX_VALUE);
            assertThat(vector.indices()).isEqualTo(expected.get(i).indices()).isSorted();
            float[] values = new float[vector.values().length];
            for (int v = 0; v < values.length; v++) {
                values[v] = (float) vector.values()[v];
            }
            assertThat(values).isEqualTo(expected.get(i).values());
        }
    }

    @Test
    void queryTextsAreEmbeddedAsTheJavaApisQueryEmbed() {
        List<String> texts = List.of("hybrid search with sparse vectors", "the dog and the dog", "rivers");
        List<Object> sparse = outputsById(new FastEmbedTransformer().setModel("Qdrant/bm25").setKind("sparse")
                .setTextType("query").transform(frame(texts, 2)), "embedding", texts.size());
        List<SparseEmbedding> expected = bm25.queryEmbed(texts);
        for (int i = 0; i < texts.size(); i++) {
            SparseVector vector = (SparseVector) sparse.get(i);
            assertThat(vector.indices()).isEqualTo(expected.get(i).indices());
            assertThat(vector.values()).containsOnly(1.0);
        }
        List<Object> queries = outputsById(bgeTransformer().setTextType("query").transform(frame(texts, 1)), "embedding",
                texts.size());
        for (int i = 0; i < texts.size(); i++) {
            double[] vector = ((Vector) queries.get(i)).toArray();
            float[] query = dense.queryEmbed(texts.get(i));
            for (int d = 0; d < vector.length; d++) {
                assertThat((float) vector[d]).isCloseTo(query[d], within(1e-6f));
            }
        }
    }

    @Test
    void nullTextsGiveNullAndEmptyTextsAreEmbeddedAsTheJavaApiDoes() {
        List<String> texts = Arrays.asList("first text", null, "", null, "last text");
        List<Object> outputs = outputsById(bgeTransformer().setBatchSize(2).transform(frame(texts, 1)), "embedding",
                texts.size());

        assertThat(outputs.get(1)).isNull();
        assertThat(outputs.get(3)).isNull();
        float[][] expected = dense.embed(List.of("first text", "", "last text"));
        int[] rowsWithText = {0, 2, 4};
        for (int k = 0; k < rowsWithText.length; k++) {
            double[] vector = ((Vector) outputs.get(rowsWithText[k])).toArray();
            for (int d = 0; d < vector.length; d++) {
                assertThat((float) vector[d]).isCloseTo(expected[k][d], within(1e-6f));
            }
        }
        List<Object> sparse = outputsById(new FastEmbedTransformer().setModel("Qdrant/bm25").setKind("sparse")
                .transform(frame(texts, 2)), "embedding", texts.size());
        assertThat(sparse.get(1)).isNull();
        assertThat(((SparseVector) sparse.get(2)).numNonzeros()).isZero();
    }

    @Test
    void aPipelineWithTheTransformerSavesAndLoads(@TempDir Path dir) throws Exception {
        FastEmbedTransformer embed = bgeTransformer().setInputCol("text").setOutputCol("vec").setBatchSize(5)
                .setOutputType("array").setPooling("cls").setNormalize(true).setOnError("null").setTextType("passage");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {embed});
        String pipelinePath = dir.resolve("pipeline").toString();
        pipeline.write().overwrite().save(pipelinePath);
        Pipeline loadedPipeline = Pipeline.load(pipelinePath);
        FastEmbedTransformer fromPipeline = (FastEmbedTransformer) loadedPipeline.getStages()[0];
        assertThat(fromPipeline.uid()).isEqualTo(embed.uid());
        assertThat(fromPipeline.getModelPath()).isEqualTo(embed.getModelPath());
        assertThat(fromPipeline.getOutputCol()).isEqualTo("vec");
        assertThat(fromPipeline.getBatchSize()).isEqualTo(5);
        assertThat(fromPipeline.getNormalize()).isTrue();
        assertThat(fromPipeline.getOnError()).isEqualTo("null");
        assertThat(fromPipeline.getTextType()).isEqualTo("passage");
        assertThat(fromPipeline.getPooling()).isEqualTo("cls");
        assertThat(fromPipeline.getThreads()).isNull();

        Dataset<Row> input = frame(SparkTestSupport.texts(12), 2);
        PipelineModel fitted = pipeline.fit(input);
        String modelPath = dir.resolve("model").toString();
        fitted.write().overwrite().save(modelPath);
        PipelineModel loaded = PipelineModel.load(modelPath);
        List<Row> before = fitted.transform(input).select("vec").collectAsList();
        List<Row> after = loaded.transform(input).select("vec").collectAsList();
        assertThat(after).isEqualTo(before);

        embed.save(dir.resolve("alone").toString());
        FastEmbedTransformer alone = FastEmbedTransformer.load(dir.resolve("alone").toString());
        assertThat(alone.extractParamMap().toString()).isEqualTo(embed.extractParamMap().toString());
    }

    @Test
    void bareFileNamesFindFilesShippedWithSparkFiles() {
        spark.sparkContext().addFile(SparkTestSupport.bgeModel().toString());
        spark.sparkContext().addFile(SparkTestSupport.bgeTokenizer().toString());
        List<String> texts = SparkTestSupport.texts(6);
        List<Object> outputs = outputsById(new FastEmbedTransformer().setModelPath("bge-small-en-v1.5.onnx")
                .setTokenizerPath("bge-small-en-v1.5-tokenizer.json").setPooling("cls").transform(frame(texts, 2)), "embedding", 6);
        float[][] expected = dense.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            double[] vector = ((Vector) outputs.get(i)).toArray();
            for (int d = 0; d < vector.length; d++) {
                assertThat((float) vector[d]).isCloseTo(expected[i][d], within(1e-6f));
            }
        }
    }

    @Test
    void copyKeepsParamsAndAppliesExtras() {
        FastEmbedTransformer embed = bgeTransformer().setBatchSize(7);
        FastEmbedTransformer copy = embed.copy(new org.apache.spark.ml.param.ParamMap().put(embed.outputCol(), "other"));
        assertThat(copy).isNotSameAs(embed);
        assertThat(copy.uid()).isEqualTo(embed.uid());
        assertThat(copy.getBatchSize()).isEqualTo(7);
        assertThat(copy.getOutputCol()).isEqualTo("other");
        assertThat(embed.getOutputCol()).isEqualTo("embedding");
    }

    @Test
    void transformSchemaNamesTheBadColumn() {
        Dataset<Row> numbers = spark.range(3).toDF("text");
        assertThatThrownBy(() -> bgeTransformer().transform(numbers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input column 'text' must be of type string but is bigint");
        assertThatThrownBy(() -> bgeTransformer().setInputCol("body").transformSchema(SCHEMA))
                .hasMessageContaining("input column 'body' does not exist");
        assertThatThrownBy(() -> bgeTransformer().setOutputCol("id").transformSchema(SCHEMA))
                .hasMessageContaining("output column 'id' already exists");
        assertThatThrownBy(() -> new FastEmbedTransformer().transformSchema(SCHEMA))
                .hasMessageContaining("Set exactly one model source");
        assertThatThrownBy(() -> new FastEmbedTransformer().setModel("Qdrant/bm25").setKind("sparse").setPooling("mean")
                .transformSchema(SCHEMA)).hasMessageContaining("dense models only");
        assertThatThrownBy(() -> new FastEmbedTransformer().setKind("late")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A stand-in model registered under its own spec: fails any call that holds a text containing "BAD". */
    private static FastEmbedTransformer failingTransformer(String name, AtomicInteger largestCall) {
        FastEmbedTransformer embed = new FastEmbedTransformer().setModelPath("/stand-in/" + name + ".onnx")
                .setTokenizerPath("/stand-in/tokenizer.json").setOutputType("array");
        ExecutorModels.put(embed.modelSpec(), new Embedder() {
            @Override
            public List<?> embed(List<String> texts, String textType) {
                largestCall.accumulateAndGet(texts.size(), Math::max);
                if (texts.stream().anyMatch(text -> text.contains("BAD"))) {
                    throw new IllegalArgumentException("cannot read this text");
                }
                return texts.stream().map(text -> new float[] {text.length()}).toList();
            }

            @Override
            public void close() {
            }
        });
        return embed;
    }

    @Test
    void aFailingRowFailsWithItsPositionOrIsNulled() {
        List<String> texts = new ArrayList<>(SparkTestSupport.texts(100));
        texts.set(57, "a BAD row");
        AtomicInteger largestCall = new AtomicInteger();
        FastEmbedTransformer embed = failingTransformer("failing", largestCall).setBatchSize(10);

        assertThatThrownBy(() -> embed.transform(frame(texts, 1)).collectAsList())
                .satisfies(e -> assertThat(messages(e))
                        .contains("Row 57 of partition 0 (input column 'text') could not be embedded: cannot read this text")
                        .contains("Set onError=null"));

        List<Row> rows = embed.setOnError("null").transform(frame(texts, 1)).select("id", "embedding").collectAsList();
        assertThat(rows).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(rows.get(i).getInt(0)).isEqualTo(i);
            if (i == 57) {
                assertThat(rows.get(i).isNullAt(1)).isTrue();
            } else {
                assertThat(rows.get(i).<Float>getList(1)).containsExactly((float) texts.get(i).length());
            }
        }
        assertThat(largestCall.get()).isEqualTo(10);
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void aPartitionMuchLargerThanTheBatchStreamsInBatches() {
        int count = 20_000;
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add("row " + i + " of a long partition about rivers and mountains");
        }
        Dataset<Row> result = new FastEmbedTransformer().setModel("Qdrant/bm25").setKind("sparse").setBatchSize(64)
                .transform(frame(texts, 1));
        assertThat(result.rdd().getNumPartitions()).isEqualTo(1);
        List<Row> rows = result.select("id", "embedding").collectAsList();
        assertThat(rows).hasSize(count);
        List<SparseEmbedding> expected = bm25.embed(texts.subList(count - 3, count));
        for (int k = 0; k < 3; k++) {
            Row row = rows.get(count - 3 + k);
            assertThat(row.getInt(0)).isEqualTo(count - 3 + k);
            assertThat(((SparseVector) row.get(1)).indices()).isEqualTo(expected.get(k).indices());
        }

        AtomicInteger largestCall = new AtomicInteger();
        long nonNull = failingTransformer("large", largestCall).setBatchSize(64).transform(frame(texts, 1))
                .filter("embedding is not null").count();
        assertThat(nonNull).isEqualTo(count);
        assertThat(largestCall.get()).isEqualTo(64);
    }

    @Test
    void aTaskHoldsAtMostOneBatchOfRows() throws Exception {
        AtomicInteger largestCall = new AtomicInteger();
        FastEmbedTransformer embed = failingTransformer("streaming", largestCall).setBatchSize(25);
        AtomicInteger pulled = new AtomicInteger();
        java.util.Iterator<Row> endless = new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Row next() {
                return RowFactory.create(pulled.get(), "text " + pulled.getAndIncrement());
            }
        };
        PartitionEmbedder partition = new PartitionEmbedder(embed.modelSpec(), "text", 1, 25, "document", true, false);
        java.util.Iterator<Row> out = partition.call(endless);
        for (int i = 0; i < 1_000; i++) {
            Row row = out.next();
            assertThat(row.getInt(0)).isEqualTo(i);
            // Rows are pulled one batch at a time, never further ahead.
            assertThat(pulled.get()).isLessThanOrEqualTo((i / 25 + 1) * 25);
        }
        assertThat(largestCall.get()).isEqualTo(25);
    }

    @Test
    void concurrentJobsShareOneModelPerJvm() throws Exception {
        FastEmbedTransformer embed = bgeTransformer().setBatchSize(8);
        List<String> texts = SparkTestSupport.texts(24);
        embed.transform(frame(texts, 2)).count();
        Embedder loaded = ExecutorModels.get(embed.modelSpec());
        int models = ExecutorModels.size();

        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<List<Row>> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                try {
                    results.add(bgeTransformer().setBatchSize(8).transform(frame(texts, 2)).select("embedding").collectAsList());
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
        assertThat(results).hasSize(2);
        assertThat(results.get(0)).isEqualTo(results.get(1));
        assertThat(ExecutorModels.size()).isEqualTo(models);
        assertThat(ExecutorModels.get(embed.modelSpec())).isSameAs(loaded);
    }
}

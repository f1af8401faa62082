package dev.fastembed.spark;

import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.SparseEmbedding;
import dev.fastembed.SparseTextEmbedding;
import dev.fastembed.TextEmbedding;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The job behind scripts/spark-embed.sh, on the module's sample JSONL file, read back and checked. */
class EmbedJobTest {

    private static final Path SAMPLE = Path.of("examples", "texts.jsonl");

    @Test
    void embedsJsonLinesIntoParquetEqualToTheJavaApi(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkTestSupport.spark();
        String out = dir.resolve("out.parquet").toString();
        long written = EmbedJob.run(spark, SAMPLE.toString(), out,
                "--model-path", SparkTestSupport.bgeModel().toString(),
                "--tokenizer-path", SparkTestSupport.bgeTokenizer().toString(), "--pooling", "cls",
                "--batch-size", "4", "--partitions", "2");

        assertThat(written).isEqualTo(Files.readAllLines(SAMPLE).size());
        List<Row> rows = spark.read().parquet(out).orderBy("id").select("id", "text", "embedding").collectAsList();
        List<String> texts = new ArrayList<>();
        for (Row row : rows) {
            if (!row.isNullAt(1)) {
                texts.add(row.getString(1));
            }
        }
        try (TextEmbedding model = TextEmbedding.builder()
                .modelFiles(ModelFiles.of(SparkTestSupport.bgeModel(), SparkTestSupport.bgeTokenizer()))
                .pooling(Pooling.CLS).build()) {
            float[][] expected = model.embed(texts);
            int k = 0;
            for (Row row : rows) {
                if (row.isNullAt(1)) {
                    assertThat(row.isNullAt(2)).isTrue();
                    continue;
                }
                double[] vector = ((Vector) row.get(2)).toArray();
                assertThat(vector).hasSize(384);
                for (int d = 0; d < vector.length; d++) {
                    assertThat((float) vector[d]).isCloseTo(expected[k][d], within(1e-6f));
                }
                k++;
            }
            assertThat(k).isEqualTo(texts.size()).isGreaterThan(15);
        }
    }

    @Test
    void sparseFromParquetInput(@TempDir Path dir) {
        SparkSession spark = SparkTestSupport.spark();
        String in = dir.resolve("in.parquet").toString();
        spark.read().json(SAMPLE.toString()).write().parquet(in);
        String out = dir.resolve("out").toString();
        EmbedJob.run(spark, in, out, "--model", "Qdrant/bm25", "--kind", "sparse", "--output-col", "bm25");

        List<Row> rows = spark.read().parquet(out).orderBy("id").filter("text is not null").select("text", "bm25")
                .collectAsList();
        try (SparseTextEmbedding bm25 = SparseTextEmbedding.bm25()) {
            for (Row row : rows) {
                SparseEmbedding expected = bm25.embed(row.getString(0));
                assertThat(((SparseVector) row.get(1)).indices()).isEqualTo(expected.indices());
            }
        }
        assertThat(rows).hasSize(19);
    }
}

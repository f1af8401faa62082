package dev.fastembed.spark;

import dev.fastembed.testing.TestModels;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One local[2] Spark session for all tests of the module, and the test model as files. */
final class SparkTestSupport {

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

    /** bge-small-en-v1.5 from LangChain4j's jar (a test dependency), as files (fastembed-native's test helpers). */
    static Path bgeModel() {
        return TestModels.BGE_SMALL_EN_V15.files().model();
    }

    static Path bgeTokenizer() {
        return TestModels.BGE_SMALL_EN_V15.tokenizer();
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
}

package dev.fastembed.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Embeds a text column of a JSONL or Parquet input and writes Parquet with the vectors appended
 * ({@code scripts/spark-embed.sh} runs it; so can {@code spark-submit --class dev.fastembed.spark.EmbedJob}).
 *
 * <pre>
 * EmbedJob IN OUT [--model NAME | --model-dir DIR | --model-path FILE --tokenizer-path FILE]
 *                 [--kind dense|sparse] [--input-col text] [--output-col embedding] [--output-type vector|array]
 *                 [--batch-size 256] [--threads N] [--pooling cls|mean|last_token|none] [--normalize true|false]
 *                 [--text-type document|query|passage] [--on-error fail|null] [--format json|parquet]
 *                 [--partitions N] [--master URL]
 * </pre>
 *
 * The input format follows the extension ({@code .parquet} or a folder of Parquet files, else JSON lines) unless
 * {@code --format} says. Without {@code --master} and without {@code spark.master} (as spark-submit sets it) the job
 * runs on {@code local[*]}. OUT is overwritten.
 */
public final class EmbedJob {

    private EmbedJob() {
    }

    public static void main(String[] args) {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("fastembed-spark embed");
        String master = options.remove("master");
        if (master != null) {
            builder.master(master);
        } else if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            String out = options.get("out");
            long rows = run(spark, options);
            System.out.println("fastembed-spark: wrote " + rows + " rows to " + out);
        } finally {
            spark.stop();
        }
    }

    /** Runs the job on an existing session; {@code args} as for {@link #main}. Returns the number of rows written. */
    public static long run(SparkSession spark, String... args) {
        Map<String, String> options = parse(args);
        options.remove("master");
        return run(spark, options);
    }

    private static long run(SparkSession spark, Map<String, String> options) {
        String in = options.remove("in");
        String out = options.remove("out");
        String format = options.remove("format");
        if (format == null) {
            format = in.endsWith(".parquet") || new java.io.File(in).isDirectory() ? "parquet" : "json";
        }
        Dataset<Row> input = switch (format) {
            case "json", "jsonl" -> spark.read().json(in);
            case "parquet" -> spark.read().parquet(in);
            default -> throw new IllegalArgumentException("--format must be json or parquet, not " + format);
        };
        String partitions = options.remove("partitions");
        if (partitions != null) {
            input = input.repartition(Integer.parseInt(partitions));
        }
        FastEmbedTransformer embed = new FastEmbedTransformer();
        for (Map.Entry<String, String> option : options.entrySet()) {
            String value = option.getValue();
            switch (option.getKey()) {
                case "model" -> embed.setModel(value);
                case "model-dir" -> embed.setModelDir(value);
                case "model-path" -> embed.setModelPath(value);
                case "tokenizer-path" -> embed.setTokenizerPath(value);
                case "kind" -> embed.setKind(value);
                case "input-col" -> embed.setInputCol(value);
                case "output-col" -> embed.setOutputCol(value);
                case "output-type" -> embed.setOutputType(value);
                case "batch-size" -> embed.setBatchSize(Integer.parseInt(value));
                case "threads" -> embed.setThreads(Integer.parseInt(value));
                case "pooling" -> embed.setPooling(value);
                case "normalize" -> embed.setNormalize(Boolean.parseBoolean(value));
                case "text-type" -> embed.setTextType(value);
                case "on-error" -> embed.setOnError(value);
                default -> throw new IllegalArgumentException("unknown option --" + option.getKey() + "\n" + usage());
            }
        }
        Dataset<Row> embedded = embed.transform(input);
        embedded.write().mode(SaveMode.Overwrite).parquet(out);
        return spark.read().parquet(out).count();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new IllegalArgumentException(usage());
            }
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                String value;
                int equals = name.indexOf('=');
                if (equals >= 0) {
                    value = name.substring(equals + 1);
                    name = name.substring(0, equals);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("option " + arg + " needs a value\n" + usage());
                }
                options.put(name.toLowerCase(Locale.ROOT), value);
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() != 2) {
            throw new IllegalArgumentException("expected IN and OUT\n" + usage());
        }
        options.put("in", positional.get(0));
        options.put("out", positional.get(1));
        return options;
    }

    static String usage() {
        return """
                usage: spark-embed.sh IN OUT [--model NAME | --model-dir DIR | --model-path FILE --tokenizer-path FILE]
                         [--kind dense|sparse] [--input-col text] [--output-col embedding] [--output-type vector|array]
                         [--batch-size 256] [--threads N] [--pooling cls|mean|last_token|none] [--normalize true|false]
                         [--text-type document|query|passage] [--on-error fail|null] [--format json|parquet]
                         [--partitions N] [--master URL]""";
    }
}

package dev.fastembed.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Runs every contender in a JVM of its own, one after the other, on the same corpus and model files, then
 * writes {@code RESULTS.md} and a chart. Usage (see scripts/bench.sh):
 * {@code BenchMain [--quick] [--texts n] [--passes n] [--warm n] [--corpus mixed|long] [--only id,id] [--results dir]
 * [--work dir]}.
 */
public final class BenchMain {

    static final List<Measurement.Run> RUNS = List.of(
            new Measurement.Run("ort-floor", "ONNX Runtime Java, pre-tokenized, length-sorted batches of 32 (floor)", "embed",
                    "ort-floor", 0),
            new Measurement.Run("ort-sorted8", "ONNX Runtime Java, pre-tokenized, length-sorted batches of 8", "embed", "ort-sorted8", 0),
            new Measurement.Run("ort-batch1", "ONNX Runtime Java, pre-tokenized, one text per run", "embed", "ort-batch1", 0),
            new Measurement.Run("fastembed", "fastembed `TextEmbedding`", "embed", "fastembed", 0),
            new Measurement.Run("fastembed-batch32", "fastembed `TextEmbedding`, `batchSize(32)`", "embed", "fastembed-batch32", 0),
            new Measurement.Run("fastembed-starter", "fastembed starter `EmbeddingModel` bean (Spring AI)", "embed",
                    "fastembed-starter", 0),
            new Measurement.Run("fastembed-int8", "fastembed `TextEmbedding`, int8 model", "embed", "fastembed-int8", 0),
            new Measurement.Run("fastembed-single-run", "fastembed `TextEmbedding`, plan single-run (one run on every core)", "embed",
                    "fastembed-single-run", 0),
            new Measurement.Run("fastembed-parallel-runs", "fastembed `TextEmbedding`, plan parallel-runs (a run per core)", "embed",
                    "fastembed-parallel-runs", 0),
            new Measurement.Run("fastembed-auto", "fastembed `TextEmbedding`, plan auto (timed at load)", "embed", "fastembed-auto", 0),
            new Measurement.Run("fastembed-int8-auto", "fastembed `TextEmbedding`, int8 model, plan auto", "embed",
                    "fastembed-int8-auto", 0),
            new Measurement.Run("langchain4j", "LangChain4j in-process `BgeSmallEnV15EmbeddingModel`", "embed", "langchain4j", 0),
            new Measurement.Run("spring-ai-transformers", "Spring AI `TransformersEmbeddingModel`", "embed", "spring-ai-transformers", 0),
            new Measurement.Run("pool-1", "1 caller", "pool", "fastembed", 1),
            new Measurement.Run("pool-2", "2 callers", "pool", "fastembed", 2),
            new Measurement.Run("pool-4", "4 callers", "pool", "fastembed", 4),
            // The starter's default plan: parallel runs must keep memory bounded by cores, not callers (issue 10).
            new Measurement.Run("pool-auto-1", "1 caller, plan auto", "pool", "fastembed-auto", 1),
            new Measurement.Run("pool-auto-4", "4 callers, plan auto", "pool", "fastembed-auto", 4),
            new Measurement.Run("fastembed-tokenizer", "fastembed `Tokenizer`", "tokenizer", "fastembed-tokenizer", 0),
            new Measurement.Run("djl-tokenizer", "DJL `HuggingFaceTokenizer`", "tokenizer", "djl-tokenizer", 0),
            new Measurement.Run("ffi", "FFI call", "ffi", "fastembed", 0));

    /** Texts each pool run embeds (its point is memory under concurrency, not throughput). */
    static final int POOL_TEXTS = 400;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        boolean quick = arguments.contains("--quick");
        Path results = Path.of(option(arguments, "--results", "bench/results"));
        Path work = Path.of(option(arguments, "--work", "bench/target/bench"));
        List<String> only = option(arguments, "--only", "").isEmpty() ? List.of()
                : List.of(option(arguments, "--only", "").split(","));

        Settings defaults = quick ? new Settings(200, 1, 32, 20) : new Settings(2000, 3, 256, 200);
        Settings settings = new Settings(Integer.parseInt(option(arguments, "--texts", "" + defaults.texts())),
                Integer.parseInt(option(arguments, "--passes", "" + defaults.passes())),
                Integer.parseInt(option(arguments, "--warm", "" + defaults.warm())), defaults.calls());
        Files.createDirectories(work);
        Files.createDirectories(results);
        Load load = Load.start();

        Corpus.Mix mix = Corpus.Mix.valueOf(option(arguments, "--corpus", "mixed").toUpperCase(java.util.Locale.ROOT));
        List<String> corpus = Corpus.build(settings.texts(), mix);
        Path corpusFile = work.resolve("corpus.txt");
        Files.write(corpusFile, corpus, StandardCharsets.UTF_8);
        Path models = work.resolve("models");
        ModelDir.extract(models, ModelDir.FP32);
        ModelDir.extract(models, ModelDir.INT8);
        System.out.printf("corpus: %d texts, %d chars, sha256 %s%n", corpus.size(),
                corpus.stream().mapToLong(String::length).sum(), Corpus.sha256(corpus));

        Path classPath = PathingJar.create(work.resolve("classpath.jar"), System.getProperty("java.class.path"));
        Map<String, Measurement> measured = new LinkedHashMap<>();
        for (Measurement.Run run : RUNS) {
            if (!only.isEmpty() && !only.contains(run.id())) {
                continue;
            }
            measured.put(run.id(), launch(run, settings, classPath, corpusFile, models, work));
        }
        load.stop();

        Map<String, double[]> cosines = new LinkedHashMap<>();
        cosines.putAll(cosinesTo(work, "ort-floor", measured));
        cosines.put("fastembed-int8 vs fastembed", cosine(work, "fastembed-int8", "fastembed"));
        cosines.put("fastembed-int8-auto vs fastembed-auto", cosine(work, "fastembed-int8-auto", "fastembed-auto"));

        Report report = new Report(settings, quick, corpus, measured, cosines, load, results);
        report.write();
        System.out.println("wrote " + results.resolve(Report.MARKDOWN) + " and " + results.resolve(Report.CHART));
    }

    /** Corpus size, timed passes, warm-up texts and single-text calls. */
    record Settings(int texts, int passes, int warm, int calls) {
    }

    private static Measurement launch(Measurement.Run run, Settings settings, Path classPath, Path corpusFile,
                                      Path models, Path work)
            throws IOException, InterruptedException {
        Path out = work.resolve(run.id() + ".properties");
        Files.deleteIfExists(out);
        // Pool runs measure memory under concurrency: one timed pass over the first POOL_TEXTS texts is enough.
        boolean pool = run.mode().equals("pool");
        int passes = pool ? 1 : settings.passes();
        Path texts = pool ? work.resolve("corpus-pool.txt") : corpusFile;
        if (pool) {
            List<String> all = Files.readAllLines(corpusFile, StandardCharsets.UTF_8);
            Files.write(texts, all.subList(0, Math.min(POOL_TEXTS, all.size())), StandardCharsets.UTF_8);
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath.toString(),
                Child.class.getName(), run.mode(), run.contender(), texts.toString(), models.toString(),
                out.toString(), Integer.toString(passes), Integer.toString(settings.warm()),
                Integer.toString(settings.calls()), Integer.toString(run.callers())));
        System.out.printf("== %s (%s)%n", run.id(), run.label());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        double loadAtStart = Load.now();
        long start = System.nanoTime();
        Process process = builder.start();
        double firstVectorMs = Double.NaN;
        try (BufferedReader lines = reader(process);
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(work.resolve(run.id() + ".log")))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.equals(Child.FIRST_VECTOR) && Double.isNaN(firstVectorMs)) {
                    firstVectorMs = (System.nanoTime() - start) / 1e6;
                    System.out.printf("   [%s] first vector after %.0f ms%n", run.id(), firstVectorMs);
                    continue;
                }
                log.println(line);
                System.out.println("   [" + run.id() + "] " + line);
            }
        }
        if (!process.waitFor(2, TimeUnit.HOURS)) {
            process.destroyForcibly();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        Properties values = new Properties();
        if (Files.isRegularFile(out)) {
            try (Reader reader = Files.newBufferedReader(out)) {
                values.load(reader);
            }
        }
        String failure = values.getProperty("error");
        if (failure == null && process.exitValue() != 0) {
            failure = "exit code " + process.exitValue() + " (see " + work.resolve(run.id() + ".log") + ")";
        }
        return new Measurement(run, values, firstVectorMs, wall, failure, loadAtStart, Load.now());
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Mean and minimum cosine of each embedding contender's vectors to the floor's, text by text. */
    private static Map<String, double[]> cosinesTo(Path work, String reference, Map<String, Measurement> measured) throws IOException {
        Map<String, double[]> cosines = new LinkedHashMap<>();
        for (Measurement m : measured.values()) {
            if (m.run().mode().equals("embed") && !m.run().id().equals(reference)) {
                cosines.put(m.run().id(), cosine(work, m.run().id(), reference));
            }
        }
        return cosines;
    }

    private static double[] cosine(Path work, String a, String b) throws IOException {
        Path fa = work.resolve(a + ".vectors");
        Path fb = work.resolve(b + ".vectors");
        if (!Files.isRegularFile(fa) || !Files.isRegularFile(fb)) {
            return null;
        }
        float[][] va = Child.readVectors(fa);
        float[][] vb = Child.readVectors(fb);
        double sum = 0;
        double min = 1;
        for (int i = 0; i < va.length; i++) {
            double c = Stats.cosine(va[i], vb[i]);
            sum += c;
            min = Math.min(min, c);
        }
        return new double[] {sum / va.length, min};
    }

    private static String option(List<String> arguments, String name, String fallback) {
        int i = arguments.indexOf(name);
        return i >= 0 && i + 1 < arguments.size() ? arguments.get(i + 1) : fallback;
    }

    /** The machine's load average, sampled every 5 s during the run: the machine may be shared. */
    static final class Load {
        private final List<Double> samples = new ArrayList<>();
        private Thread sampler;
        double atStart;
        double atEnd;

        static Load start() {
            Load load = new Load();
            load.atStart = now();
            load.sampler = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        double value = now();
                        synchronized (load.samples) {
                            load.samples.add(value);
                        }
                        Thread.sleep(5000);
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
            return load;
        }

        void stop() {
            sampler.interrupt();
            atEnd = now();
        }

        double mean() {
            synchronized (samples) {
                return samples.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            }
        }

        double max() {
            synchronized (samples) {
                return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            }
        }

        /** The 1-minute load average. */
        static double now() {
            try {
                return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
    }
}

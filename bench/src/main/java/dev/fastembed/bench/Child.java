package dev.fastembed.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.Plan;
import dev.fastembed.TextEmbedding;
import dev.fastembed.Tokenizer;
import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.Json;
import dev.fastembed.internal.NativeHandle;
import dev.fastembed.internal.NativePointer;
import dev.fastembed.internal.FastEmbedNative.NativeType;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * One contender in a JVM of its own, started by {@link BenchMain}. Prints {@value #FIRST_VECTOR} as soon as it
 * has embedded its first text (the parent times JVM start → first vector from that line) and writes its
 * measurements as a properties file. Arguments: {@code mode contender corpus models out passes warm calls callers}.
 */
public final class Child {

    static final String FIRST_VECTOR = "FIRST_VECTOR";

    private final String contender;
    private final List<String> corpus;
    private final Path models;
    private final int passes;
    private final int warm;
    private final int calls;
    private final Properties out = new Properties();

    private Child(String contender, List<String> corpus, Path models, int passes, int warm, int calls) {
        this.contender = contender;
        this.corpus = corpus;
        this.models = models;
        this.passes = passes;
        this.warm = warm;
        this.calls = calls;
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        String mode = args[0];
        Path outFile = Path.of(args[4]);
        Child child = new Child(args[1], Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8), Path.of(args[3]),
                Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]));
        try {
            switch (mode) {
                case "embed" -> child.embed(outFile.resolveSibling(child.contender + ".vectors"), started);
                case "pool" -> child.pool(Integer.parseInt(args[8]), started);
                case "tokenizer" -> child.tokenizer();
                case "ffi" -> child.ffi();
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        } catch (Throwable t) {
            t.printStackTrace();
            child.out.setProperty("error", String.valueOf(t));
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        child.out.setProperty("vm_hwm_kb", Long.toString(Stats.statusKb(pid, "VmHWM")));
        child.out.setProperty("vm_rss_kb", Long.toString(Stats.statusKb(pid, "VmRSS")));
        try (OutputStream stream = Files.newOutputStream(outFile)) {
            child.out.store(stream, mode + " " + child.contender);
        }
        System.exit(child.out.containsKey("error") ? 1 : 0);
    }

    /** Where {@link Plan#AUTO} remembers its choice: next to the extracted models, so one run calibrates once. */
    private Path plans() {
        return models.resolveSibling("plans");
    }

    private Contender create() throws Exception {
        ModelDir fp32 = ModelDir.of(models, ModelDir.FP32);
        return switch (contender) {
            case "ort-floor" -> new OrtFloorContender(fp32, OrtFloorContender.BATCH);
            case "ort-sorted8" -> new OrtFloorContender(fp32, 8);
            case "ort-batch1" -> new OrtFloorContender(fp32, 1);
            case "fastembed" -> new FastEmbedContender(fp32);
            case "fastembed-batch32" -> new FastEmbedContender(fp32, OrtFloorContender.BATCH);
            case "fastembed-int8" -> new FastEmbedContender(ModelDir.of(models, ModelDir.INT8));
            case "fastembed-single-run" -> new FastEmbedContender(fp32, Plan.SINGLE_RUN, plans());
            case "fastembed-parallel-runs" -> new FastEmbedContender(fp32, Plan.PARALLEL_RUNS, plans());
            case "fastembed-auto" -> new FastEmbedContender(fp32, Plan.AUTO, plans());
            case "fastembed-int8-auto" -> new FastEmbedContender(ModelDir.of(models, ModelDir.INT8), Plan.AUTO, plans());
            case "fastembed-starter" -> new StarterContender(fp32);
            case "langchain4j" -> new LangChain4jContender();
            case "spring-ai-transformers" -> new SpringAiTransformersContender(fp32);
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
    }

    /** Throughput (median of the timed passes), single short text latency, vectors of the last pass. */
    private void embed(Path vectorsFile, long started) throws Exception {
        try (Contender model = create()) {
            firstVector(model, started);
            List<String> shortTexts = Corpus.shortTexts(corpus, calls);
            List<String> all = new ArrayList<>(corpus);
            all.addAll(shortTexts);
            model.prepare(all);

            model.embedAll(corpus.subList(0, Math.min(warm, corpus.size())));
            double[] seconds = new double[passes];
            float[][] vectors = null;
            for (int p = 0; p < passes; p++) {
                long t = System.nanoTime();
                vectors = model.embedAll(corpus);
                seconds[p] = (System.nanoTime() - t) / 1e9;
                System.out.printf("pass %d: %.1f s%n", p + 1, seconds[p]);
            }
            out.setProperty("pass_seconds", join(seconds));
            out.setProperty("texts_per_s", Double.toString(corpus.size() / Stats.median(seconds)));
            writeVectors(vectorsFile, vectors);

            for (int i = 0; i < Math.min(20, calls); i++) {
                model.embedOne(shortTexts.get(i));
            }
            double[] millis = new double[calls];
            for (int i = 0; i < calls; i++) {
                long t = System.nanoTime();
                model.embedOne(shortTexts.get(i));
                millis[i] = (System.nanoTime() - t) / 1e6;
            }
            out.setProperty("latency_p50_ms", Double.toString(Stats.percentile(millis, 50)));
            out.setProperty("latency_p99_ms", Double.toString(Stats.percentile(millis, 99)));
        }
    }

    private void firstVector(Contender model, long started) {
        float[] vector = model.embedOne("How long from JVM start to the first vector?");
        System.out.println(FIRST_VECTOR);
        System.out.flush();
        out.setProperty("main_to_first_vector_ms", Double.toString((System.nanoTime() - started) / 1e6));
        out.setProperty("dimension", Integer.toString(vector.length));
    }

    /**
     * {@code callers} threads sharing one TextEmbedding (built as the named fastembed contender, e.g. its plan), each
     * taking the next 32 texts until all are done.
     */
    private void pool(int callers, long started) throws Exception {
        Contender built = create();
        if (!(built instanceof FastEmbedContender created)) {
            built.close();
            throw new IllegalArgumentException("pool mode needs a fastembed contender, not " + contender);
        }
        try (FastEmbedContender model = created;
             ExecutorService threads = Executors.newFixedThreadPool(callers)) {
            firstVector(model, started);
            int chunk = OrtFloorContender.BATCH;
            runConcurrently(threads, callers, model.model(), corpus.subList(0, Math.min(callers * chunk, corpus.size())), chunk);
            double[] seconds = new double[passes];
            for (int p = 0; p < passes; p++) {
                long t = System.nanoTime();
                runConcurrently(threads, callers, model.model(), corpus, chunk);
                seconds[p] = (System.nanoTime() - t) / 1e9;
            }
            out.setProperty("pass_seconds", join(seconds));
            out.setProperty("texts_per_s", Double.toString(corpus.size() / Stats.median(seconds)));
        }
    }

    private static void runConcurrently(ExecutorService threads, int callers, TextEmbedding model, List<String> texts,
                                        int chunk) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            running.add(threads.submit(() -> {
                for (int start; (start = next.getAndAdd(chunk)) < texts.size(); ) {
                    model.embed(texts.subList(start, Math.min(start + chunk, texts.size())));
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
    }

    /**
     * Texts/s of one tokenizer on one thread and on all cores (Java threads, each a slice of the corpus; DJL's
     * own batchEncode as well). A checksum of all ids lets the parent check both tokenizers agree.
     */
    private void tokenizer() throws Exception {
        ModelDir dir = ModelDir.of(models, ModelDir.FP32);
        Map<String, ToLongFunction<String>> ways = new LinkedHashMap<>();
        AutoCloseable resource;
        String[] array = corpus.toArray(String[]::new);
        if (contender.equals("fastembed-tokenizer")) {
            Tokenizer tokenizer = Tokenizer.forModel(dir.files(), 512);
            resource = tokenizer;
            ways.put("encode", text -> checksum(tokenizer.encode(text).ids()));
            // encodeBatch spreads the texts over the cores inside the engine.
            out.setProperty("batch_texts_per_s", Double.toString(timed(() -> {
                long sum = 0;
                for (Tokenizer.Encoding e : tokenizer.encodeBatch(corpus)) {
                    sum += checksum(e.ids());
                }
                return sum;
            })));
        } else {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(dir.tokenizer(),
                    Map.of("padding", "false", "truncation", "true", "maxLength", "512"));
            resource = tokenizer;
            ways.put("encode", text -> checksum(tokenizer.encode(text).getIds()));
            // batchEncode parallelizes inside the Rust library; reported as the "parallel" figure when faster.
            out.setProperty("batch_texts_per_s", Double.toString(timed(() -> {
                Encoding[] encodings = tokenizer.batchEncode(array);
                long sum = 0;
                for (Encoding e : encodings) {
                    sum += checksum(e.getIds());
                }
                return sum;
            })));
        }
        try (resource) {
            ToLongFunction<String> encode = ways.get("encode");
            long[] sum = new long[1];
            out.setProperty("single_texts_per_s", Double.toString(timed(() -> {
                long s = 0;
                for (String text : corpus) {
                    s += encode.applyAsLong(text);
                }
                sum[0] = s;
                return s;
            })));
            int threadCount = Runtime.getRuntime().availableProcessors();
            try (ExecutorService threads = Executors.newFixedThreadPool(threadCount)) {
                out.setProperty("parallel_threads", Integer.toString(threadCount));
                out.setProperty("parallel_texts_per_s", Double.toString(timed(() -> {
                    List<Future<Long>> parts = new ArrayList<>();
                    for (int t = 0; t < threadCount; t++) {
                        int from = corpus.size() * t / threadCount;
                        int to = corpus.size() * (t + 1) / threadCount;
                        parts.add(threads.submit(() -> {
                            long s = 0;
                            for (String text : corpus.subList(from, to)) {
                                s += encode.applyAsLong(text);
                            }
                            return s;
                        }));
                    }
                    long s = 0;
                    for (Future<Long> part : parts) {
                        s += part.get();
                    }
                    return s;
                })));
            }
            out.setProperty("ids_checksum", Long.toString(sum[0]));
            out.setProperty("tokens", Long.toString(corpus.stream().mapToLong(t -> tokenCount(contender, resource, t)).sum()));
            out.setProperty("max_tokens", Long.toString(corpus.stream().mapToLong(t -> tokenCount(contender, resource, t))
                    .max().orElse(0)));
        }
    }

    private static long tokenCount(String contender, AutoCloseable tokenizer, String text) {
        return tokenizer instanceof Tokenizer ours ? ours.encode(text).length()
                : ((HuggingFaceTokenizer) tokenizer).encode(text).getIds().length;
    }

    private interface Pass {
        long run() throws Exception;
    }

    /** Texts/s: one warm pass, then the median of the timed passes. */
    private double timed(Pass pass) throws Exception {
        pass.run();
        double[] seconds = new double[passes];
        for (int p = 0; p < passes; p++) {
            long t = System.nanoTime();
            pass.run();
            seconds[p] = (System.nanoTime() - t) / 1e9;
        }
        return corpus.size() / Stats.median(seconds);
    }

    private static long checksum(int[] ids) {
        long h = ids.length;
        for (int id : ids) {
            h = h * 31 + id;
        }
        return h;
    }

    private static long checksum(long[] ids) {
        long h = ids.length;
        for (long id : ids) {
            h = h * 31 + id;
        }
        return h;
    }

    /**
     * Nanoseconds per call of the cheapest native function ({@code fe_text_embedding_dimension}): the bare
     * downcall, and through {@link NativeHandle#call} (the closed check and read lock every API call takes).
     */
    private void ffi() {
        ModelDir dir = ModelDir.of(models, ModelDir.FP32);
        String options = Json.object().put("model_file", dir.model()).put("tokenizer_file", dir.tokenizer()).toString();
        try (NativeHandle handle = FastEmbedNative.create(NativeType.TEXT_EMBEDDING, options)) {
            NativePointer pointer = handle.call(p -> p);
            int n = 1_000_000;
            double[] raw = new double[7];
            double[] guarded = new double[7];
            long sink = 0;
            for (int round = 0; round < raw.length; round++) {
                long t = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += FastEmbedNative.dimension(pointer);
                }
                raw[round] = (System.nanoTime() - t) / (double) n;
                t = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += handle.call(FastEmbedNative::dimension);
                }
                guarded[round] = (System.nanoTime() - t) / (double) n;
            }
            // The first rounds include JIT compilation: report the median of the last five.
            out.setProperty("downcall_ns", Double.toString(Stats.median(Arrays.copyOfRange(raw, 2, raw.length))));
            out.setProperty("guarded_call_ns", Double.toString(Stats.median(Arrays.copyOfRange(guarded, 2, guarded.length))));
            out.setProperty("sink", Long.toString(sink));
        }
    }

    private static void writeVectors(Path file, float[][] vectors) throws IOException {
        try (DataOutputStream data = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            data.writeInt(vectors.length);
            data.writeInt(vectors[0].length);
            for (float[] v : vectors) {
                for (float x : v) {
                    data.writeFloat(x);
                }
            }
        }
    }

    static float[][] readVectors(Path file) throws IOException {
        try (var data = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            float[][] vectors = new float[data.readInt()][data.readInt()];
            for (float[] v : vectors) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = data.readFloat();
                }
            }
            return vectors;
        }
    }

    private static String join(double[] values) {
        return String.join(",", Arrays.stream(values).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.3f", v)).toList());
    }
}

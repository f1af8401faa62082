package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.TextEmbedding;
import dev.fastembed.Tokenizer;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TestTexts;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A soak run (scripts/soak.sh): embeds for a given time on bge-small-en-v1.5 from several threads, with
 * batches of varied size and texts of varied length and script, and now and then a tokenizer loaded and
 * closed, a model loaded and closed, and a failing call. Resident memory (native and heap together) and
 * the Java heap after a full collection are sampled every few seconds. After a warm-up — which first runs
 * the largest batch shape the loop can produce, so ONNX Runtime's arena has reached its size — three figures
 * must stay flat: the C allocator's bytes in use (where a native leak shows: the engine, ONNX Runtime and the
 * JDK's native allocations all go through it), the Java heap, and resident memory, whose bound is looser as it
 * also moves with allocator fragmentation and pages first touched late.
 *
 * <p>usage: Soak &lt;seconds&gt; [samples.csv]; bounds: -Dsoak.maxMallocGrowthMiB=16 -Dsoak.maxHeapGrowthMiB=16
 * -Dsoak.maxRssGrowthMiB=96
 */
public final class Soak {

    private static final int CALLERS = 2;
    /** Many small calls find leaks sooner than a few large ones. */
    private static final int MAX_BATCH = 16;
    private static final int MAX_WORDS = 60;
    /** Texts are truncated at this many tokens, so the largest batch the loop makes is 16 × 64 tokens. */
    private static final int MAX_LENGTH = 64;

    private Soak() {
    }

    record Sample(double seconds, long rss, long heap, long malloc, long calls) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        Path csv = args.length > 1 ? Path.of(args[1]) : null;
        long maxRssGrowth = Long.getLong("soak.maxRssGrowthMiB", 96) << 20;
        long maxMallocGrowth = Long.getLong("soak.maxMallocGrowthMiB", 16) << 20;
        long maxHeapGrowth = Long.getLong("soak.maxHeapGrowthMiB", 16) << 20;
        double warmUp = Math.max(10, seconds * 0.25);
        List<String> words = Arrays.asList(String.join(" ", TestTexts.paragraphs(400)).split("\\s+"));

        try (TextEmbedding model = TestModels.BGE_SMALL_EN_V15.builder()
                .maxLength(MAX_LENGTH).build()) {
            // The largest shape first: a full batch of texts at the maximum length.
            model.embed(java.util.Collections.nCopies(MAX_BATCH, String.join(" ", words.subList(0, 100))));
            AtomicLong calls = new AtomicLong();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            List<Thread> callers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < CALLERS; c++) {
                Random random = new Random(c);
                Thread caller = new Thread(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            oneStep(model, words, random);
                            calls.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }, "soak-caller-" + c);
                callers.add(caller);
                caller.start();
            }
            List<Sample> samples = new ArrayList<>();
            while (System.nanoTime() < end && failures.isEmpty()) {
                Thread.sleep(2_000);
                samples.add(new Sample((System.nanoTime() - start) / 1e9, ProcessMemory.rss(),
                        ProcessMemory.heapAfterGc(), ProcessMemory.mallocInUse(), calls.get()));
                Sample last = samples.getLast();
                System.out.printf("t=%5.0fs rss=%s heap=%s malloc=%s calls=%d%n", last.seconds(),
                        ProcessMemory.mib(last.rss()), ProcessMemory.mib(last.heap()), ProcessMemory.mib(last.malloc()),
                        last.calls());
            }
            for (Thread caller : callers) {
                caller.join();
            }
            if (!failures.isEmpty()) {
                failures.getFirst().printStackTrace();
                System.exit(2);
            }
            if (csv != null) {
                write(csv, samples);
            }
            System.exit(judge(samples, warmUp, new Bounds(maxMallocGrowth, maxHeapGrowth, maxRssGrowth)) ? 0 : 1);
        }
    }

    /** One call: mostly an embed of a random batch; sometimes a tokenizer or model cycle or a failing call. */
    private static void oneStep(TextEmbedding model, List<String> words, Random random) {
        int roll = random.nextInt(100);
        if (roll == 0) {
            try (Tokenizer tokenizer = Tokenizer.fromFile(TestModels.BGE_SMALL_EN_V15.tokenizer())) {
                tokenizer.encode(randomText(words, random));
            }
        } else if (roll == 1) {
            try {
                Tokenizer.fromFile(Path.of("/nonexistent/tokenizer.json")).close();
                throw new IllegalStateException("loaded a missing file");
            } catch (FastEmbedException expected) {
                // an error object created, read and freed
            }
        } else if (roll == 2 && random.nextInt(10) == 0) {
            try (TextEmbedding another = TestModels.BGE_SMALL_EN_V15.builder()
                    .maxLength(MAX_LENGTH).threads(1).build()) {
                another.embed(randomText(words, random));
            }
        } else {
            List<String> batch = new ArrayList<>();
            int size = 1 + random.nextInt(MAX_BATCH);
            for (int i = 0; i < size; i++) {
                batch.add(randomText(words, random));
            }
            float[][] vectors = model.embed(batch);
            if (vectors.length != size) {
                throw new IllegalStateException(vectors.length + " vectors for " + size + " texts");
            }
        }
    }

    private static String randomText(List<String> words, Random random) {
        StringBuilder text = new StringBuilder();
        int count = 1 + random.nextInt(MAX_WORDS);
        int from = random.nextInt(words.size() - count);
        for (int i = 0; i < count; i++) {
            text.append(words.get(from + i)).append(' ');
        }
        if (random.nextInt(4) == 0) {
            text.append("日本語のテキスト 🚀 ").append((char) ('\u0600' + random.nextInt(200)));
        }
        return text.toString();
    }

    /** Compares the median of the samples just after warm-up with the median of the last ones. */
    /** Largest growth after warm-up, in bytes, of each figure. */
    record Bounds(long malloc, long heap, long rss) {
    }

    static boolean judge(List<Sample> samples, double warmUp, Bounds bounds) {
        List<Sample> steady = samples.stream().filter(s -> s.seconds() >= warmUp).toList();
        if (steady.size() < 4) {
            System.out.println("soak: too short to judge (" + steady.size() + " samples after warm-up)");
            return false;
        }
        int window = Math.max(2, steady.size() / 5);
        List<Sample> first = steady.subList(0, window);
        List<Sample> last = steady.subList(steady.size() - window, steady.size());
        long rssGrowth = median(last, Sample::rss) - median(first, Sample::rss);
        long heapGrowth = median(last, Sample::heap) - median(first, Sample::heap);
        long mallocGrowth = median(last, Sample::malloc) - median(first, Sample::malloc);
        Sample end = samples.getLast();
        System.out.printf("soak: %.0f s, %d calls; after warm-up (%.0f s): malloc in use %+.1f MiB (bound %d), "
                        + "heap %s -> %s (%+.1f MiB, bound %d), RSS %s -> %s (%+.1f MiB, bound %d), peak RSS %s%n",
                end.seconds(), end.calls(), warmUp, mallocGrowth / 1048576.0, bounds.malloc() >> 20,
                ProcessMemory.mib(median(first, Sample::heap)), ProcessMemory.mib(median(last, Sample::heap)),
                heapGrowth / 1048576.0, bounds.heap() >> 20, ProcessMemory.mib(median(first, Sample::rss)),
                ProcessMemory.mib(median(last, Sample::rss)), rssGrowth / 1048576.0, bounds.rss() >> 20,
                ProcessMemory.mib(ProcessMemory.peakRss()));
        boolean flat = mallocGrowth <= bounds.malloc() && heapGrowth <= bounds.heap() && rssGrowth <= bounds.rss();
        System.out.println(flat ? "soak: memory flat" : "soak: MEMORY GREW beyond its bound");
        return flat;
    }

    private static long median(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
        long[] values = samples.stream().mapToLong(value).sorted().toArray();
        return values[values.length / 2];
    }

    private static void write(Path csv, List<Sample> samples) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("seconds,rss_bytes,heap_bytes,malloc_bytes,calls");
            for (Sample s : samples) {
                out.printf("%.1f,%d,%d,%d,%d%n", s.seconds(), s.rss(), s.heap(), s.malloc(), s.calls());
            }
        }
    }
}

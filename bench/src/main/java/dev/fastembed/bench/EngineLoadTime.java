package dev.fastembed.bench;

import dev.fastembed.Pooling;
import dev.fastembed.SessionInfo;
import dev.fastembed.TextEmbedding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 21, item 5, as the engine does it: {@code TextEmbedding} of bge-small-en-v1.5 (fp32 and int8) built and
 * closed {@code rounds} times without the optimized graph cache (ONNX Runtime optimizes at every load) and with it
 * (the graph saved by the first load, loaded with optimizations off by the later ones). Whole model loads: tokenizer,
 * session and the engine's checks. Prints the medians as a Markdown table.
 *
 * <p>usage: {@code bench/load-time.sh --engine [rounds]} (default 15)
 */
public final class EngineLoadTime {

    private EngineLoadTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path root = Path.of("bench", "target", "load-time");
        System.out.println("| model | TextEmbedding load, no cache (ms) | first load, saving the graph (ms) "
                + "| later loads, saved graph (ms) | later loads' optimized graph |");
        System.out.println("|---|---:|---:|---:|---|");
        for (String name : List.of(ModelDir.FP32, ModelDir.INT8)) {
            ModelDir dir = ModelDir.extract(root, name);
            Path cache = root.resolve("engine-graphs-" + name);
            clear(cache);
            double plain = median(dir, null, rounds);
            long start = System.nanoTime();
            String first;
            try (TextEmbedding model = load(dir, cache)) {
                first = model.sessionInfo().map(SessionInfo::optimizedGraph).orElse("?");
            }
            double saving = (System.nanoTime() - start) / 1e6;
            if (!first.equals("saved")) {
                throw new IllegalStateException("the first load did not save the graph: " + first);
            }
            double cached = median(dir, cache, rounds);
            String later;
            try (TextEmbedding model = load(dir, cache)) {
                later = model.sessionInfo().map(SessionInfo::optimizedGraph).orElse("?");
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %s |%n", name, plain, saving, cached, later);
        }
    }

    private static TextEmbedding load(ModelDir dir, Path cache) {
        TextEmbedding.Builder builder = TextEmbedding.builder().modelFiles(dir.files()).pooling(Pooling.CLS);
        if (cache != null) {
            builder.optimizedModelCache(cache);
        }
        return builder.build();
    }

    /** Median milliseconds of building (and closing) the model, after two warm-up loads. */
    private static double median(ModelDir dir, Path cache, int rounds) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < rounds + 2; i++) {
            long start = System.nanoTime();
            load(dir, cache).close();
            if (i >= 2) {
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
        millis.sort(null);
        return millis.get(millis.size() / 2);
    }

    private static void clear(Path cache) throws java.io.IOException {
        if (Files.isDirectory(cache)) {
            try (var files = Files.list(cache)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}

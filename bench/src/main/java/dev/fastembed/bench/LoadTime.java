package dev.fastembed.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 21, item 5: would saving ONNX Runtime's optimized graph next to the model and loading that instead cut
 * load time? Creates sessions of bge-small-en-v1.5 (fp32 and int8) the way the engine does (all graph optimizations)
 * and from the graph ONNX Runtime saved after optimizing (optimizations off, nothing left to do), {@code rounds}
 * times each after a warm-up, and prints the medians as a Markdown table.
 *
 * <p>usage: {@code bench/load-time.sh [rounds]} (default 15)
 */
public final class LoadTime {

    private LoadTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path root = Path.of("bench", "target", "load-time");
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        System.out.println("| model | ONNX file (MB) | all optimizations (ms) | saved optimized graph, optimizations off (ms) "
                + "| optimized file (MB) |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String name : List.of(ModelDir.FP32, ModelDir.INT8)) {
            ModelDir dir = ModelDir.extract(root, name);
            Path optimized = dir.model().resolveSibling("model.optimized.onnx");
            try (OrtSession.SessionOptions save = options(OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
                save.setOptimizedModelFilePath(optimized.toString());
                environment.createSession(dir.model().toString(), save).close();
            }
            double fresh = median(environment, dir.model(), OrtSession.SessionOptions.OptLevel.ALL_OPT, rounds);
            double cached = median(environment, optimized, OrtSession.SessionOptions.OptLevel.NO_OPT, rounds);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", name, Files.size(dir.model()) / 1e6,
                    fresh, cached, Files.size(optimized) / 1e6);
        }
    }

    private static OrtSession.SessionOptions options(OrtSession.SessionOptions.OptLevel level) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(level);
        options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
        return options;
    }

    /** Median milliseconds of creating (and closing) a session, after two warm-up loads. */
    private static double median(OrtEnvironment environment, Path model, OrtSession.SessionOptions.OptLevel level,
                                 int rounds) throws OrtException {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < rounds + 2; i++) {
            try (OrtSession.SessionOptions options = options(level)) {
                long start = System.nanoTime();
                OrtSession session = environment.createSession(model.toString(), options);
                long elapsed = System.nanoTime() - start;
                session.close();
                if (i >= 2) {
                    millis.add(elapsed / 1e6);
                }
            }
        }
        millis.sort(null);
        return millis.get(millis.size() / 2);
    }
}

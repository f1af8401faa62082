package dev.fastembed;

import dev.fastembed.internal.JsonReader;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The plan a loaded model runs its calls with, as the engine reports it.
 *
 * @param kind          {@link Plan#SINGLE_RUN} or {@link Plan#PARALLEL_RUNS} (never {@link Plan#AUTO})
 * @param runs          runs of one call side by side (1 for single-run)
 * @param threadsPerRun ONNX Runtime intra-op threads of each run
 * @param tokenBudget   padded tokens per run
 * @param source        whether the plan was configured, measured at this load, or read from the plan cache
 * @param calibration   both plans' timings, when they were measured (now, or by the load that cached them)
 * @param note          why {@code auto} chose without measuring, when it did
 */
public record ExecutionPlan(Plan kind, int runs, int threadsPerRun, int tokenBudget, Source source,
                            Optional<Calibration> calibration, Optional<String> note) {

    /** Where a plan came from. */
    public enum Source {
        /** The {@code plan} option named it. */
        CONFIGURED,
        /** {@code auto}: measured at this load. */
        CALIBRATED,
        /** {@code auto}: read from the plan cache, measured at an earlier load on this machine. */
        CACHED;

        /** The engine's name, e.g. {@code "cached"}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Milliseconds of the fastest pass over the calibration texts with each plan. */
    public record Calibration(double singleRunMillis, double parallelRunsMillis) {
    }

    /** Reads the engine's JSON ({@code fe_<kind>_plan}). */
    static ExecutionPlan fromJson(String json) {
        Map<?, ?> plan = (Map<?, ?>) JsonReader.parse(json);
        Optional<Calibration> calibration = Optional.ofNullable((Map<?, ?>) plan.get("calibration"))
                .map(c -> new Calibration(number(c, "single_run_ms"), number(c, "parallel_runs_ms")));
        return new ExecutionPlan(Plan.of((String) plan.get("kind")), (int) number(plan, "runs"),
                (int) number(plan, "threads_per_run"), (int) number(plan, "token_budget"),
                Source.valueOf(((String) plan.get("source")).toUpperCase(Locale.ROOT)), calibration,
                Optional.ofNullable((String) plan.get("note")));
    }

    private static double number(Map<?, ?> object, String key) {
        return ((Number) object.get(key)).doubleValue();
    }

    /** The plan's details by name, as health endpoints show them. */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", kind.id());
        details.put("runs", runs);
        details.put("threadsPerRun", threadsPerRun);
        details.put("tokenBudget", tokenBudget);
        details.put("source", source.id());
        calibration.ifPresent(c -> {
            details.put("singleRunMillis", c.singleRunMillis());
            details.put("parallelRunsMillis", c.parallelRunsMillis());
        });
        note.ifPresent(n -> details.put("note", n));
        return details;
    }

    /** E.g. {@code parallel-runs: 2 runs × 1 thread, token budget 1024 (calibrated: single-run 41.2 ms, parallel-runs 33.0 ms)}. */
    @Override
    public String toString() {
        String timings = calibration.map(c -> String.format(Locale.ROOT,
                ": single-run %.1f ms, parallel-runs %.1f ms", c.singleRunMillis(), c.parallelRunsMillis())).orElse("");
        return kind.id() + ": " + runs + (runs == 1 ? " run × " : " runs × ") + threadsPerRun
                + (threadsPerRun == 1 ? " thread" : " threads") + ", token budget " + tokenBudget + " (" + source.id()
                + timings + note.map(n -> "; " + n).orElse("") + ")";
    }
}

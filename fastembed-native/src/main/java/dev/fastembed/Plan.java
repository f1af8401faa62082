package dev.fastembed;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a model over token ids runs the batches of a call (see {@link ExecutionPlan} for the plan a model chose).
 */
public enum Plan {
    /** One ONNX Runtime run at a time using every core (or the pinned threads): the best single-text latency. */
    SINGLE_RUN,
    /**
     * Several runs side by side, the cores split among them (default: one run per core, one thread each); on
     * some CPUs this embeds more texts per second. At most that many runs are in flight per model, whatever the
     * number of callers.
     */
    PARALLEL_RUNS,
    /**
     * Times both at load on synthetic texts of the model's vocabulary (well under a second for small models) and
     * keeps the faster, single-run unless parallel runs win by more than 5%; remembered in the plan cache folder.
     */
    AUTO;

    /** The name the engine and the configuration use, e.g. {@code "parallel-runs"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The plan named {@code id} ({@code single-run}, {@code parallel-runs} or {@code auto}; case and {@code _}
     * for {@code -} ignored).
     *
     * @throws IllegalArgumentException naming the choices for any other name
     */
    public static Plan of(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(plan -> plan.id().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown plan '" + id + "': use one of "
                        + Arrays.stream(values()).map(Plan::id).collect(Collectors.joining(", "))));
    }
}

package dev.fastembed;

import dev.fastembed.internal.JsonReader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a model's ONNX Runtime session was set up.
 *
 * @param executionProvider the provider running the model
 * @param requestedProvider the provider configured; differs from {@code executionProvider} after a fallback
 * @param fallbackReason ONNX Runtime's message when the requested provider could not be set up and the CPU took over
 * @param optimizedGraph what happened with the saved optimized graph: {@code off}, {@code loaded}, {@code saved} or
 *        {@code not saved: <why>}
 * @param optimizedGraphFile the saved optimized graph loaded or written, if any
 */
public record SessionInfo(ExecutionProvider executionProvider, ExecutionProvider requestedProvider,
        Optional<String> fallbackReason, String optimizedGraph, Optional<Path> optimizedGraphFile) {

    /** True when the requested provider could not be set up and the model runs on the CPU instead. */
    public boolean fellBack() {
        return executionProvider != requestedProvider;
    }

    /** The details a health endpoint shows: provider, fallback reason, optimized graph. */
    public Map<String, String> details() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("executionProvider", executionProvider.id());
        if (fellBack()) {
            details.put("requestedExecutionProvider", requestedProvider.id());
            fallbackReason.ifPresent(reason -> details.put("fallbackReason", reason));
        }
        details.put("optimizedGraph", optimizedGraph);
        return details;
    }

    /** The engine's {@code fe_*_session_info} JSON; empty for {@code {}} (a model without an ONNX session yet). */
    static Optional<SessionInfo> parse(String json) {
        if (!(JsonReader.parse(json) instanceof Map<?, ?> map) || map.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SessionInfo(
                ExecutionProvider.of((String) map.get("execution_provider")),
                ExecutionProvider.of((String) map.get("requested_execution_provider")),
                Optional.ofNullable((String) map.get("fallback_reason")),
                (String) map.get("optimized_graph"),
                Optional.ofNullable((String) map.get("optimized_graph_file")).map(Path::of)));
    }
}

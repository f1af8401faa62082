package dev.fastembed;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where ONNX Runtime runs a model's operators. Only GPU builds of ONNX Runtime (the {@code onnxruntime_gpu} artifact
 * in place of {@code onnxruntime}, on a host with CUDA and cuDNN) have the CUDA provider; on any other build a model
 * asking for it fails to load, or falls back to the CPU when the builder allows it.
 */
public enum ExecutionProvider {
    /** ONNX Runtime's CPU provider (the default). */
    CPU("cpu"),
    /** ONNX Runtime's CUDA provider on NVIDIA GPU 0; operators it lacks run on the CPU. */
    CUDA("cuda");

    private final String id;

    ExecutionProvider(String id) {
        this.id = id;
    }

    /** The engine's and the configuration's name, e.g. {@code "cuda"}. */
    public String id() {
        return id;
    }

    /**
     * The provider of a name (case ignored).
     *
     * @throws IllegalArgumentException naming the known providers
     */
    public static ExecutionProvider of(String name) {
        for (ExecutionProvider provider : values()) {
            if (provider.id.equalsIgnoreCase(name.trim())) {
                return provider;
            }
        }
        throw new IllegalArgumentException("unknown execution provider '" + name + "': use one of "
                + Arrays.stream(values()).map(ExecutionProvider::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id.toUpperCase(Locale.ROOT);
    }
}

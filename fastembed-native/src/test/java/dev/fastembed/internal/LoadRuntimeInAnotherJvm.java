package dev.fastembed.internal;

import dev.fastembed.FastEmbedException;

/** Loads ONNX Runtime as a model would and prints {@code LOADED <version>} or {@code REFUSED <message>}. */
public final class LoadRuntimeInAnotherJvm {

    private LoadRuntimeInAnotherJvm() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("LOADED " + FastEmbedNative.onnxRuntimeVersion());
        } catch (FastEmbedException e) {
            System.out.println("REFUSED " + e.getMessage());
            System.exit(3);
        }
    }
}

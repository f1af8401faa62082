package dev.fastembed;

import java.util.Optional;

/** A loaded model that can say how it runs its calls: every class over a native object of this library. */
public interface PlannedModel {

    /**
     * How the model runs its calls (see {@link Plan}): the configured plan, or the one {@code auto} measured or read
     * from the plan cache, with the timings when measured. Empty for models without an ONNX model over token ids
     * (tokenizers, images, BM25) and for inference-free SPLADE until its first document call loads the document model.
     */
    Optional<ExecutionPlan> executionPlan();
}

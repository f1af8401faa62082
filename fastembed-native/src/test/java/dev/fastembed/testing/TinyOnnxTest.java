package dev.fastembed.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The graphs TinyOnnx writes load in ONNX Runtime (Microsoft's Java binding) and compute what they say. */
class TinyOnnxTest {

    @Test
    void gatherMatMulAddComputesByHand() throws Exception {
        // embedding rows for ids 0..2 (hidden 2), projection 2x3, bias 3
        float[] embedding = {1, 2, 3, 4, 5, 6};
        float[] projection = {1, 0, -1, 0.5f, 2, 1};
        float[] bias = {0.25f, -1, 10};
        byte[] model = TinyOnnx.graph("tiny")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("embedding", embedding, 3, 2)
                .initializer("projection", projection, 2, 3)
                .initializer("bias", bias, 3)
                .node("Gather", "states", List.of("embedding", "input_ids"), TinyOnnx.attr("axis", 0))
                .node("MatMul", "projected", List.of("states", "projection"))
                .node("Add", "logits", List.of("projected", "bias"))
                .output("logits", TinyOnnx.FLOAT, "batch", "sequence", 3)
                .toBytes();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model);
             OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {{2, 0}})) {
            assertThat(session.getInputNames()).containsExactly("input_ids");
            try (OrtSession.Result result = session.run(Map.of("input_ids", ids))) {
                float[][][] logits = (float[][][]) result.get(0).getValue();
                // id 2 → (5, 6): 5*1 + 6*0.5 + 0.25, 5*0 + 6*2 - 1, 5*-1 + 6*1 + 10
                assertThat(logits[0][0]).containsExactly(8.25f, 11f, 11f);
                // id 0 → (1, 2): 1 + 2*0.5 + 0.25, 0 + 4 - 1, -1 + 2 + 10
                assertThat(logits[0][1]).containsExactly(2.25f, 3f, 11f);
            }
        }
    }

    @Test
    void attributesAndInt64InitializersReachTheOperators() throws Exception {
        byte[] model = TinyOnnx.graph("reduce")
                .input("x", TinyOnnx.FLOAT, "batch", 3)
                .initializer("axes", new long[] {1}, 1)
                .node("ReduceSum", "sum", List.of("x", "axes"), TinyOnnx.attr("keepdims", 0))
                .node("Transpose", "t", List.of("x"), TinyOnnx.ints("perm", 1, 0))
                .output("sum", TinyOnnx.FLOAT, "batch")
                .output("t", TinyOnnx.FLOAT, 3, "batch")
                .toBytes();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model);
             OnnxTensor x = OnnxTensor.createTensor(env, new float[][] {{1, 2, 3}, {-1, 0.5f, 4}});
             OrtSession.Result result = session.run(Map.of("x", x))) {
            assertThat((float[]) result.get("sum").orElseThrow().getValue()).containsExactly(6f, 3.5f);
            float[][] t = (float[][]) result.get("t").orElseThrow().getValue();
            assertThat(t[2]).containsExactly(3f, 4f);
        }
    }
}

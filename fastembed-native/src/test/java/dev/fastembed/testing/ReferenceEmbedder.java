package dev.fastembed.testing;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.fastembed.Pooling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The oracle for embedding parity: Hugging Face tokenizers (DJL) and ONNX Runtime's Java API on the same
 * model file, one text at a time (no padding), pooled and normalized in plain Java.
 */
public final class ReferenceEmbedder implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final OrtSession session;
    private final Pooling pooling;

    public ReferenceEmbedder(TestModels model, int maxLength) throws Exception {
        this.tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(model.tokenizer())
                .optMaxLength(maxLength)
                .optTruncation(true)
                .optPadding(false)
                .build();
        this.session = OrtEnvironment.getEnvironment()
                .createSession(model.files().model().toString(), new OrtSession.SessionOptions());
        this.pooling = model.pooling();
    }

    public float[] embed(String text) throws Exception {
        Encoding encoding = tokenizer.encode(text);
        long[][] ids = {encoding.getIds()};
        long[][] mask = {encoding.getAttentionMask()};
        long[][] types = {encoding.getTypeIds()};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        inputs.put("input_ids", OnnxTensor.createTensor(env, ids));
        inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
        if (session.getInputNames().contains("token_type_ids")) {
            inputs.put("token_type_ids", OnnxTensor.createTensor(env, types));
        }
        try (OrtSession.Result result = session.run(inputs)) {
            float[][] states = ((float[][][]) result.get(0).getValue())[0];
            float[] pooled = pooling == Pooling.CLS ? states[0].clone() : mean(states, mask[0]);
            return normalize(pooled);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    public List<Long> tokenIds(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        return java.util.Arrays.stream(ids).boxed().toList();
    }

    private static float[] mean(float[][] states, long[] mask) {
        float[] sum = new float[states[0].length];
        int count = 0;
        for (int t = 0; t < states.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            count++;
            for (int h = 0; h < sum.length; h++) {
                sum[h] += states[t][h];
            }
        }
        for (int h = 0; h < sum.length; h++) {
            sum[h] /= Math.max(count, 1);
        }
        return sum;
    }

    private static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.max(norm, 1e-12));
        }
        return out;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Override
    public void close() throws Exception {
        session.close();
        tokenizer.close();
    }
}

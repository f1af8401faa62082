package dev.fastembed.goreference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.GsonBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes, without the fastembed engine, the results the Go binding's tests compare against, and writes them
 * with their inputs as one JSON file. Dense vectors come from Hugging Face tokenizers (DJL) and ONNX Runtime's
 * Java API on the real model, one text at a time, CLS-pooled and normalized here.
 *
 * <p>usage: GoReference &lt;model folder&gt; &lt;work folder&gt; &lt;output.json&gt;
 */
public final class GoReference {

    private static final int MAX_LENGTH = 512;

    /** Texts with what tends to break bindings: empty, non-ASCII, whitespace, more tokens than the model takes. */
    static final List<String> DENSE_TEXTS = List.of(
            "How do I bake bread at home?",
            "A simple recipe for homemade bread: flour, water, salt and yeast.",
            "The central bank raised interest rates.",
            "",
            "  leading, trailing\tand\nnewline whitespace  ",
            "Müller's café serves crème brûlée — naïve façade.",
            "日本語の文章と中文句子。",
            "Emoji 🚀 and symbols ∑ ≠ ∞ in text",
            "A long document. ".repeat(300));

    private GoReference() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: GoReference <model folder> <work folder> <output.json>");
            System.exit(2);
        }
        Path modelDir = Path.of(args[0]);
        Path output = Path.of(args[2]);
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("dense", dense(modelDir));
        Files.writeString(output, new GsonBuilder().setPrettyPrinting().create().toJson(reference));
    }

    private static Map<String, Object> dense(Path modelDir) throws Exception {
        List<float[]> embeddings = new ArrayList<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (HuggingFaceTokenizer tokenizer = tokenizer(modelDir);
             OrtSession session = env.createSession(modelDir.resolve("model.onnx").toString(),
                     new OrtSession.SessionOptions())) {
            for (String text : DENSE_TEXTS) {
                embeddings.add(normalize(clsVector(env, session, tokenizer.encode(text))));
            }
        }
        Map<String, Object> dense = new LinkedHashMap<>();
        dense.put("pooling", "cls");
        dense.put("max_length", MAX_LENGTH);
        dense.put("texts", DENSE_TEXTS);
        dense.put("embeddings", embeddings);
        return dense;
    }

    /** The model's tokenizer.json as the model uses it: truncated to its length, no padding (one text per run). */
    private static HuggingFaceTokenizer tokenizer(Path modelDir) throws Exception {
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(modelDir.resolve("tokenizer.json"))
                .optMaxLength(MAX_LENGTH)
                .optTruncation(true)
                .optPadding(false)
                .build();
    }

    /** The hidden state of the first token ([CLS]) of one text. */
    private static float[] clsVector(OrtEnvironment env, OrtSession session, Encoding encoding) throws Exception {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, new long[][] {encoding.getIds()}));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, new long[][] {encoding.getAttentionMask()}));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, new long[][] {encoding.getTypeIds()}));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] states = (float[][][]) result.get(0).getValue();
                return states[0][0];
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] unit = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] / norm);
        }
        return unit;
    }
}

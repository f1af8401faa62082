package dev.fastembed.bindingreference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import dev.fastembed.testing.Murmur3;
import dev.fastembed.testing.TinyOnnx;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes, without the fastembed engine, the results the Go binding's tests compare against, and writes them
 * with their inputs as one JSON file; the C example reranks with the cross-encoder it writes.
 *
 * <ul>
 *   <li>Dense vectors: Hugging Face tokenizers (DJL) and ONNX Runtime's Java API on the real model, one text at
 *   a time, CLS-pooled and normalized here.</li>
 *   <li>Rerank scores: a small cross-encoder written here (TinyOnnx) whose logit is a sum of per-token and
 *   per-segment weights, summed here over Hugging Face's pair encoding of each (query, document).</li>
 *   <li>BM25 vectors: computed here from fastembed's definition (lowercase word runs, term-frequency
 *   saturation, MurmurHash3 indices).</li>
 * </ul>
 *
 * <p>usage: BindingReference &lt;model folder&gt; &lt;work folder&gt; &lt;output.json&gt;
 */
public final class BindingReference {

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

    private BindingReference() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BindingReference <model folder> <work folder> <output.json>");
            System.exit(2);
        }
        // The hash is the oracle's own code: check it against mmh3's published values first.
        if (Murmur3.hash32("foo".getBytes(StandardCharsets.UTF_8), 0) != -156908512
                || Murmur3.hash32("hello".getBytes(StandardCharsets.UTF_8), 0) != 613153351) {
            throw new IllegalStateException("MurmurHash3 does not give mmh3's published hashes");
        }
        Path modelDir = Path.of(args[0]);
        Path workDir = Path.of(args[1]);
        Path output = Path.of(args[2]);
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("dense", dense(modelDir));
        reference.put("rerank", rerank(modelDir, workDir));
        reference.put("bm25", bm25());
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

    static final String RERANK_QUERY = "How do I bake bread at home?";

    /** Documents for the cross-encoder; the long one makes the pair exceed the model's length. */
    static final List<String> RERANK_DOCUMENTS = List.of(
            "A simple recipe for homemade bread: flour, water, salt and yeast.",
            "The central bank raised interest rates.",
            "",
            "Pâte à pain maison : farine, eau, sel et levure.",
            "Knead the dough, let it rise, bake it. ".repeat(120));

    /**
     * A cross-encoder with the real models' inputs and a [batch, 1] "logits" output, whose logit for a pair is
     * the sum over its attended tokens of tokenWeight[id] + typeWeight[segment]: every token, the pair template
     * and the truncation count, so the score shows whether the engine encoded the pair as Hugging Face does.
     */
    private static Map<String, Object> rerank(Path modelDir, Path workDir) throws Exception {
        int vocabulary = JsonParser.parseString(Files.readString(modelDir.resolve("tokenizer.json")))
                .getAsJsonObject().getAsJsonObject("model").getAsJsonObject("vocab").size();
        float[] tokenWeights = new float[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            tokenWeights[i] = (float) Math.sin(i * 0.618) / 8;
        }
        float[] typeWeights = {0.125f, -0.375f};
        Path model = TinyOnnx.graph("tiny-cross-encoder")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
                .input("token_type_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("token_weights", tokenWeights, vocabulary)
                .initializer("type_weights", typeWeights, 2)
                .initializer("sequence_axis", new long[] {1}, 1)
                .node("Gather", "token_scores", List.of("token_weights", "input_ids"), TinyOnnx.attr("axis", 0L))
                .node("Gather", "type_scores", List.of("type_weights", "token_type_ids"), TinyOnnx.attr("axis", 0L))
                .node("Add", "scores", List.of("token_scores", "type_scores"))
                .node("Cast", "mask", List.of("attention_mask"), TinyOnnx.attr("to", (long) TinyOnnx.FLOAT))
                .node("Mul", "attended", List.of("scores", "mask"))
                .node("ReduceSum", "logits", List.of("attended", "sequence_axis"), TinyOnnx.attr("keepdims", 1L))
                .output("logits", TinyOnnx.FLOAT, "batch", 1)
                .write(workDir.resolve("tiny-cross-encoder").resolve("model.onnx"));
        // A model folder as a real reranker's: the ONNX file next to its tokenizer.
        Files.copy(modelDir.resolve("tokenizer.json"), model.resolveSibling("tokenizer.json"),
                StandardCopyOption.REPLACE_EXISTING);

        List<Float> scores = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = tokenizer(modelDir)) {
            for (String document : RERANK_DOCUMENTS) {
                Encoding pair = tokenizer.encode(RERANK_QUERY, document);
                double logit = 0;
                for (int t = 0; t < pair.getIds().length; t++) {
                    logit += tokenWeights[(int) pair.getIds()[t]] + typeWeights[(int) pair.getTypeIds()[t]];
                }
                scores.add((float) logit);
            }
        }
        Map<String, Object> rerank = new LinkedHashMap<>();
        rerank.put("model_dir", model.getParent().toAbsolutePath().toString());
        rerank.put("max_length", MAX_LENGTH);
        rerank.put("query", RERANK_QUERY);
        rerank.put("documents", RERANK_DOCUMENTS);
        rerank.put("scores", scores);
        return rerank;
    }

    /** ASCII texts, so that "word" means the same here as in Python's \w. */
    static final List<String> BM25_TEXTS = List.of(
            "The quick brown fox jumps over the lazy dog",
            "the THE the fox, fox; fox!",
            "snake_case words and numbers 42 4.2 _ __init__",
            "a",
            "",
            "short " + "x".repeat(41) + " words");
    static final double K1 = 1.5;
    static final double B = 0.6;
    static final double AVG_LEN = 6;

    /**
     * BM25 without stemmer (so without stopwords either), as fastembed defines it: words are the runs of
     * [a-z0-9_] of the lowercased text, minus punctuation-only words and words over 40 characters; a document
     * gives each distinct word tf * (k1 + 1) / (tf + k1 * (1 - b + b * words / avg_len)), a query 1.0; the
     * index of a word is |MurmurHash3_x86_32(UTF-8 bytes, seed 0)|.
     */
    private static Map<String, Object> bm25() {
        List<Map<String, Object>> documents = new ArrayList<>();
        List<Map<String, Object>> queries = new ArrayList<>();
        for (String text : BM25_TEXTS) {
            List<String> words = new ArrayList<>();
            for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9_]+")) {
                if (!word.isEmpty() && !word.equals("_") && word.length() <= 40) {
                    words.add(word);
                }
            }
            Map<String, Integer> frequencies = new LinkedHashMap<>();
            words.forEach(w -> frequencies.merge(w, 1, Integer::sum));
            Map<Long, Float> document = new TreeMap<>();
            Map<Long, Float> query = new TreeMap<>();
            frequencies.forEach((word, tf) -> {
                long index = Math.abs((long) Murmur3.hash32(word.getBytes(StandardCharsets.UTF_8), 0));
                document.put(index, (float) (tf * (K1 + 1) / (tf + K1 * (1 - B + B * words.size() / AVG_LEN))));
                query.put(index, 1.0f);
            });
            documents.add(sparse(document));
            queries.add(sparse(query));
        }
        Map<String, Object> bm25 = new LinkedHashMap<>();
        bm25.put("k1", K1);
        bm25.put("b", B);
        bm25.put("avg_len", AVG_LEN);
        bm25.put("texts", BM25_TEXTS);
        bm25.put("documents", documents);
        bm25.put("queries", queries);
        return bm25;
    }

    private static Map<String, Object> sparse(Map<Long, Float> entries) {
        Map<String, Object> vector = new LinkedHashMap<>();
        vector.put("indices", new ArrayList<>(entries.keySet()));
        vector.put("values", new ArrayList<>(entries.values()));
        return vector;
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

package dev.fastembed.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The floor: ONNX Runtime's Java API alone, on texts tokenized (with DJL) before timing, sorted by length and
 * run in batches of {@value #BATCH} (or another size: 1 is one text per run, as LangChain4j runs them, but in one
 * stream), inputs in reused direct buffers, CLS pooling and L2 normalization. What is left is ORT's own work plus
 * the least any wrapper must do.
 */
final class OrtFloorContender implements Contender {

    static final int BATCH = 32;
    private static final int MAX_LENGTH = 512;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Set<String> inputs;
    private final Map<String, long[][]> tokenized = new HashMap<>();
    private final int batch;
    private final LongBuffer ids;
    private final LongBuffer mask;
    private final LongBuffer types;

    OrtFloorContender(ModelDir dir, int batch) throws OrtException, IOException {
        this.batch = batch;
        this.ids = direct(batch * MAX_LENGTH);
        this.mask = direct(batch * MAX_LENGTH);
        this.types = direct(batch * MAX_LENGTH);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Every core, as the engine's single-run plan: ORT's own default counts cores its own way, which gave one
            // thread's speed on the 2-core build machine.
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            this.session = environment.createSession(dir.model().toString(), options);
        }
        this.inputs = session.getInputNames();
        this.tokenizer = HuggingFaceTokenizer.newInstance(dir.tokenizer(),
                Map.of("padding", "false", "truncation", "true", "maxLength", Integer.toString(MAX_LENGTH)));
    }

    @Override
    public void prepare(List<String> texts) {
        for (String text : texts) {
            tokenized.computeIfAbsent(text, this::tokenize);
        }
    }

    private long[][] tokenize(String text) {
        Encoding encoding = tokenizer.encode(text);
        return new long[][] {encoding.getIds(), encoding.getAttentionMask(), encoding.getTypeIds()};
    }

    @Override
    public float[][] embedAll(List<String> texts) {
        long[][][] encodings = texts.stream().map(t -> tokenized.computeIfAbsent(t, this::tokenize)).toArray(long[][][]::new);
        Integer[] order = new Integer[texts.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Integer.compare(encodings[a][0].length, encodings[b][0].length));
        float[][] vectors = new float[texts.size()][];
        try {
            for (int start = 0; start < order.length; start += batch) {
                int rows = Math.min(batch, order.length - start);
                int seq = encodings[order[start + rows - 1]][0].length;
                ids.clear();
                mask.clear();
                types.clear();
                for (int r = 0; r < rows; r++) {
                    long[][] e = encodings[order[start + r]];
                    putPadded(ids, e[0], seq);
                    putPadded(mask, e[1], seq);
                    putPadded(types, e[2], seq);
                }
                float[][] batch = run(rows, seq);
                for (int r = 0; r < rows; r++) {
                    vectors[order[start + r]] = batch[r];
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        return vectors;
    }

    @Override
    public float[] embedOne(String text) {
        return embedAll(List.of(text))[0];
    }

    private float[][] run(int rows, int seq) throws OrtException {
        long[] shape = {rows, seq};
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            feed.put("input_ids", OnnxTensor.createTensor(environment, ids.flip(), shape));
            if (inputs.contains("attention_mask")) {
                feed.put("attention_mask", OnnxTensor.createTensor(environment, mask.flip(), shape));
            }
            if (inputs.contains("token_type_ids")) {
                feed.put("token_type_ids", OnnxTensor.createTensor(environment, types.flip(), shape));
            }
            try (OrtSession.Result result = session.run(feed)) {
                OnnxTensor states = (OnnxTensor) result.get("last_hidden_state").orElseThrow();
                long[] dims = states.getInfo().getShape();
                int hidden = (int) dims[2];
                FloatBuffer data = states.getFloatBuffer();
                float[][] pooled = new float[rows][hidden];
                for (int r = 0; r < rows; r++) {
                    data.get((int) ((long) r * dims[1] * hidden), pooled[r]);
                    normalize(pooled[r]);
                }
                return pooled;
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static void putPadded(LongBuffer buffer, long[] values, int seq) {
        buffer.put(values);
        for (int i = values.length; i < seq; i++) {
            buffer.put(0L);
        }
    }

    static void normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        float scale = (float) (1.0 / Math.max(Math.sqrt(sum), 1e-12));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
    }

    private static LongBuffer direct(int longs) {
        return ByteBuffer.allocateDirect(longs * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}

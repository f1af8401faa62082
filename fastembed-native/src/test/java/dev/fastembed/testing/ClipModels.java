package dev.fastembed.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;
import static dev.fastembed.testing.TinyOnnx.ints;

/**
 * Small stand-ins for CLIP ViT-B/32's two towers, with the real models' inputs and outputs, weights the tests
 * compute with, and CLIP's real configuration files. Both towers output 512 values, as the real ones do.
 */
public final class ClipModels {

    public static final int DIMENSION = 512;
    public static final int SIDE = 224;
    /** Scales token ids into [0, 1) so that every component of a text vector has a similar size. */
    public static final float ID_SCALE = 1f / 32768;

    /** CLIPImageProcessor settings of Qdrant/clip-ViT-B-32-vision (preprocessor_config.json). */
    public static final String PREPROCESSOR_CONFIG = """
            {"crop_size": {"height": 224, "width": 224}, "do_center_crop": true, "do_convert_rgb": true,
             "do_normalize": true, "do_rescale": true, "do_resize": true,
             "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_processor_type": "CLIPImageProcessor",
             "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3,
             "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 224}}""";

    /** The CLIP tokenizer's configuration files (Qdrant/clip-ViT-B-32-text): 77 tokens, padding with end-of-text. */
    public static final String TOKENIZER_CONFIG = """
            {"add_prefix_space": false, "bos_token": "<|startoftext|>", "do_lower_case": true,
             "eos_token": "<|endoftext|>", "errors": "replace", "model_max_length": 77,
             "pad_token": "<|endoftext|>", "tokenizer_class": "CLIPTokenizer", "unk_token": "<|endoftext|>"}""";
    public static final String SPECIAL_TOKENS_MAP = """
            {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>",
             "unk_token": "<|endoftext|>"}""";
    public static final String TEXT_CONFIG = """
            {"architectures": ["CLIPTextModelWithProjection"], "model_type": "clip_text_model", "bos_token_id": 0,
             "eos_token_id": 2, "pad_token_id": 1, "hidden_size": 512, "projection_dim": 512,
             "max_position_embeddings": 77}""";

    private ClipModels() {
    }

    /**
     * A byte-level BPE tokenizer.json in CLIP's layout (lowercasing, {@code </w>} suffix,
     * {@code <|startoftext|>} … {@code <|endoftext|>}), trained on a small corpus: the tokenizer crate's fixture.
     */
    public static Path tokenizer() {
        Path file = Path.of("rust", "crates", "tokenizer", "tests", "fixtures", "bpe-clip-style.tokenizer.json")
                .toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing tokenizer fixture " + file);
        }
        return file;
    }

    /**
     * The text tower's interface: {@code input_ids}, {@code attention_mask} → {@code last_hidden_state}
     * [batch, sequence, 512] (first) and {@code text_embeds} [batch, 512] (second). Each token's hidden state is
     * (id / 32768, mask, 1, 0, ...); text_embeds is (Σ id / 32768, n, 1, 0, ...) over the n attended tokens.
     */
    public static Path textTower(Path file) {
        float[] projection = new float[2 * DIMENSION];
        projection[0] = ID_SCALE;
        projection[DIMENSION + 1] = 1;
        float[] bias = new float[DIMENSION];
        bias[2] = 1;
        return TinyOnnx.graph("clip-text")
                .input("input_ids", INT64, "batch", "sequence")
                .input("attention_mask", INT64, "batch", "sequence")
                .initializer("feature_axis", new long[] {2}, 1)
                .initializer("token_axis", new long[] {1}, 1)
                .initializer("projection", projection, 2, DIMENSION)
                .initializer("bias", bias, DIMENSION)
                .node("Cast", "ids", List.of("input_ids"), attr("to", (long) FLOAT))
                .node("Cast", "mask", List.of("attention_mask"), attr("to", (long) FLOAT))
                .node("Unsqueeze", "ids3", List.of("ids", "feature_axis"))
                .node("Unsqueeze", "mask3", List.of("mask", "feature_axis"))
                .node("Concat", "features", List.of("ids3", "mask3"), attr("axis", 2L))
                .node("MatMul", "hidden", List.of("features", "projection"))
                .node("Add", "last_hidden_state", List.of("hidden", "bias"))
                .node("Mul", "attended", List.of("features", "mask3"))
                .node("ReduceSum", "summed", List.of("attended", "token_axis"), attr("keepdims", 0L))
                .node("MatMul", "pooled", List.of("summed", "projection"))
                .node("Add", "text_embeds", List.of("pooled", "bias"))
                .output("last_hidden_state", FLOAT, "batch", "sequence", DIMENSION)
                .output("text_embeds", FLOAT, "batch", DIMENSION)
                .write(file);
    }

    /**
     * The vision tower's interface: {@code pixel_values} [batch, 3, 224, 224] → {@code last_hidden_state}
     * (first; the pixels regrouped by 768) and {@code image_embeds} [batch, 512] (second) = channel means ×
     * {@link #visionWeight}.
     */
    public static Path visionTower(Path file) {
        float[] projection = new float[3 * DIMENSION];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < DIMENSION; j++) {
                projection[c * DIMENSION + j] = visionWeight(c, j);
            }
        }
        return TinyOnnx.graph("clip-vision")
                .input("pixel_values", FLOAT, "batch", 3, SIDE, SIDE)
                .initializer("projection", projection, 3, DIMENSION)
                .initializer("hidden_shape", new long[] {0, -1, 768}, 3)
                .node("Reshape", "last_hidden_state", List.of("pixel_values", "hidden_shape"))
                .node("ReduceMean", "channel_means", List.of("pixel_values"), ints("axes", 2, 3), attr("keepdims", 0))
                .node("MatMul", "image_embeds", List.of("channel_means", "projection"))
                .output("last_hidden_state", FLOAT, "batch", "sequence", 768)
                .output("image_embeds", FLOAT, "batch", DIMENSION)
                .write(file);
    }

    /** The vision tower's weight of channel {@code c} in output {@code j}: identity on the first three outputs. */
    public static float visionWeight(int c, int j) {
        return j < 3 ? (c == j ? 1 : 0) : ((j * 31 + c * 17) % 13 - 6) / 10f;
    }

    /** What the vision tower's image_embeds is for these channel means (before normalization). */
    public static float[] projectChannels(float[] channels) {
        float[] out = new float[DIMENSION];
        for (int j = 0; j < DIMENSION; j++) {
            for (int c = 0; c < 3; c++) {
                out[j] += channels[c] * visionWeight(c, j);
            }
        }
        return out;
    }

    /** What the text tower's text_embeds is for these token ids, all attended (before normalization). */
    public static float[] textEmbeds(long[] ids) {
        float[] out = new float[DIMENSION];
        for (long id : ids) {
            out[0] += id * ID_SCALE;
        }
        out[1] = ids.length;
        out[2] = 1;
        return out;
    }

    /** {@code v} scaled to unit length. */
    public static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}

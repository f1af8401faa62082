package dev.fastembed.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;
import static dev.fastembed.testing.TinyOnnx.ints;

/**
 * A stand-in for ColModernVBERT with its interface: {@code input_ids}, {@code attention_mask} and a 5-D
 * {@code pixel_values} [batch, frames, 3, 32, 32] → [batch, tokens, 4], whose token vectors spell out what they were
 * computed from; Idefics3 configuration files with ColModernVBERT's settings but small sizes (longest edge 96, frames
 * of 32, 4 image tokens per frame), and BERT's tokenizer with Idefics3's special tokens added.
 */
public final class ColModernVbertModels {

    public static final int DIMENSION = 4;
    public static final float ID_SCALE = 1f / 262144;
    public static final int FRAME = 32;
    public static final int IMAGE_SEQ_LEN = 4;
    public static final String PREPROCESSOR = """
            {"image_processor_type": "Idefics3ImageProcessor", "do_resize": true, "size": {"longest_edge": 96},
             "do_image_splitting": true, "max_image_size": {"longest_edge": 32}, "resample": 1, "do_rescale": true,
             "rescale_factor": 0.00392156862745098, "do_normalize": true, "image_mean": [0.5, 0.5, 0.5],
             "image_std": [0.5, 0.5, 0.5], "processor_class": "ColModernVBertProcessor"}
            """;
    public static final String PROCESSOR = "{\"image_seq_len\": " + IMAGE_SEQ_LEN + "}";
    public static final String CONFIG = "{\"vision_config\": {\"image_size\": " + FRAME + ", \"patch_size\": 16}}";

    private ColModernVbertModels() {
    }

    /**
     * The graph: per token, [id × 2^-18, attention, frames in the row's pixel_values, largest pixel value of the
     * row over all its frames].
     */
    public static TinyOnnx.Graph graph(String output) {
        return TinyOnnx.graph("colmodernvbert")
                .input("input_ids", INT64, "batch", "sequence")
                .input("attention_mask", INT64, "batch", "sequence")
                .input("pixel_values", FLOAT, "batch", "frames", 3, FRAME, FRAME)
                .initializer("axis2", new long[] {2}, 1)
                .initializer("axis1", new long[] {1}, 1)
                .initializer("frames_axis", new long[] {1}, 1)
                .initializer("id_scale", new float[] {ID_SCALE}, 1)
                .initializer("zero", new float[] {0}, 1)
                .node("Cast", "ids", List.of("input_ids"), attr("to", (long) FLOAT))
                .node("Mul", "scaled", List.of("ids", "id_scale"))
                .node("Cast", "mask", List.of("attention_mask"), attr("to", (long) FLOAT))
                .node("Unsqueeze", "ids3", List.of("scaled", "axis2"))
                .node("Unsqueeze", "mask3", List.of("mask", "axis2"))
                .node("Mul", "zeros", List.of("mask3", "zero"))
                .node("Shape", "pixel_shape", List.of("pixel_values"))
                .node("Gather", "frame_count", List.of("pixel_shape", "frames_axis"))
                .node("Cast", "frame_count_f", List.of("frame_count"), attr("to", (long) FLOAT))
                .node("Add", "frames3", List.of("zeros", "frame_count_f"))
                .node("ReduceMax", "maxima", List.of("pixel_values"), ints("axes", 1, 2, 3, 4), attr("keepdims", 0L))
                .node("Unsqueeze", "maxima2", List.of("maxima", "axis1"))
                .node("Unsqueeze", "maxima3", List.of("maxima2", "axis2"))
                .node("Add", "per_token_maxima", List.of("maxima3", "zeros"))
                .node("Concat", output, List.of("ids3", "mask3", "frames3", "per_token_maxima"), attr("axis", 2L))
                .output(output, FLOAT, "batch", "sequence", DIMENSION);
    }

    /**
     * A model folder as on Hugging Face: model.onnx, tokenizer.json (padding on {@code padSide}),
     * preprocessor_config.json, processor_config.json and config.json.
     */
    public static Path directory(Path dir, String padSide) {
        try {
            Files.createDirectories(dir);
            graph("last_hidden_state").write(dir.resolve("model.onnx"));
            Files.writeString(dir.resolve("tokenizer.json"), tokenizer(padSide));
            Files.writeString(dir.resolve("preprocessor_config.json"), PREPROCESSOR);
            Files.writeString(dir.resolve("processor_config.json"), PROCESSOR);
            Files.writeString(dir.resolve("config.json"), CONFIG);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Idefics3's special tokens, each one id past BERT's vocabulary. */
    public static List<String> specialTokens() {
        List<String> tokens = new ArrayList<>(List.of("<|begin_of_text|>", "<fake_token_around_image>",
                "<global-img>", "<image>", "<end_of_utterance>"));
        for (int row = 1; row <= 6; row++) {
            for (int col = 1; col <= 6; col++) {
                tokens.add("<row_" + row + "_col_" + col + ">");
            }
        }
        return tokens;
    }

    private static String tokenizer(String padSide) throws IOException {
        String bert = Files.readString(TestModels.BGE_SMALL_EN_V15.tokenizer());
        StringBuilder added = new StringBuilder();
        int id = 30522;
        for (String token : specialTokens()) {
            added.append("{\"id\": ").append(id++).append(", \"content\": \"").append(token)
                    .append("\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false,"
                            + " \"special\": true}, ");
        }
        String padding = "{\"strategy\": \"BatchLongest\", \"direction\": \"" + padSide + "\", \"pad_to_multiple_of\":"
                + " null, \"pad_id\": 0, \"pad_type_id\": 0, \"pad_token\": \"[PAD]\"}";
        return bert.replace("\"added_tokens\": [", "\"added_tokens\": [" + added)
                .replace("\"padding\": null", "\"padding\": " + padding);
    }
}

package dev.fastembed.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;
import static dev.fastembed.testing.TinyOnnx.ints;

/**
 * A stand-in for ColPali with its interface: {@code input_ids}, {@code attention_mask}, {@code pixel_values}
 * [batch, 3, 448, 448] → [batch, tokens, 5], whose token vectors spell out what they were computed from, and
 * ColPali's real {@code preprocessor_config.json}.
 */
public final class ColPaliModels {

    public static final int DIMENSION = 5;
    /** 2^-18: ids up to 262144 become exact floats in [0, 1). */
    public static final float ID_SCALE = 1f / 262144;
    /** Qdrant/colpali-v1.3-fp16's preprocessor_config.json (PaliGemma's processor). */
    public static final String PREPROCESSOR = """
            {"do_convert_rgb": null, "do_normalize": true, "do_rescale": true, "do_resize": true,
             "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor", "image_seq_length": 1024,
             "image_std": [0.5, 0.5, 0.5], "processor_class": "PaliGemmaProcessor", "resample": 3,
             "rescale_factor": 0.00392156862745098, "size": {"height": 448, "width": 448}}
            """;

    private ColPaliModels() {
    }

    /**
     * Writes the graph to {@code dir}: per token, [id × 2^-18, attention, largest value of channel 0, 1, 2 of the
     * row's image] (exact, unlike a mean). {@code declared}: the output's last axis is 5, else symbolic (the engine
     * then learns it from a run).
     */
    public static Path graph(Path dir, String output, boolean declared) {
        return TinyOnnx.graph("colpali")
                .input("input_ids", INT64, "batch", "sequence")
                .input("attention_mask", INT64, "batch", "sequence")
                .input("pixel_values", FLOAT, "batch", 3, 448, 448)
                .initializer("axis2", new long[] {2}, 1)
                .initializer("axis1", new long[] {1}, 1)
                .initializer("id_scale", new float[] {ID_SCALE}, 1)
                .initializer("zero", new float[] {0}, 1)
                .node("Cast", "ids", List.of("input_ids"), attr("to", (long) FLOAT))
                .node("Mul", "scaled", List.of("ids", "id_scale"))
                .node("Cast", "mask", List.of("attention_mask"), attr("to", (long) FLOAT))
                .node("Unsqueeze", "ids3", List.of("scaled", "axis2"))
                .node("Unsqueeze", "mask3", List.of("mask", "axis2"))
                .node("ReduceMax", "maxima", List.of("pixel_values"), ints("axes", 2, 3), attr("keepdims", 0L))
                .node("Unsqueeze", "maxima3", List.of("maxima", "axis1"))
                .node("Mul", "zeros", List.of("mask3", "zero"))
                .node("Add", "per_token_maxima", List.of("maxima3", "zeros"))
                .node("Concat", output, List.of("ids3", "mask3", "per_token_maxima"), attr("axis", 2L))
                .output(output, FLOAT, "batch", "sequence", declared ? (Object) DIMENSION : "dim")
                .write(dir.resolve("colpali-" + output + "-" + declared + ".onnx"));
    }

    /**
     * A model folder as on Hugging Face: model.onnx, tokenizer.json (BERT's: any tokenizer serves the graph) and
     * preprocessor_config.json.
     */
    public static Path directory(Path dir) {
        try {
            Files.createDirectories(dir);
            graph(dir, "output_embeddings", true);
            Files.move(dir.resolve("colpali-output_embeddings-true.onnx"), dir.resolve("model.onnx"));
            Files.copy(TestModels.BGE_SMALL_EN_V15.tokenizer(), dir.resolve("tokenizer.json"));
            Files.writeString(dir.resolve("preprocessor_config.json"), PREPROCESSOR);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.ByteBatch;
import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.FastEmbedNative.NativeType;
import dev.fastembed.internal.ResolvedModel;
import dev.fastembed.internal.Utf8Texts;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Late interaction over images (ColPali): page images and text queries as one vector per token, compared with
 * {@link LateInteractionTextEmbedding#maxSim}, so that a query finds the page images that answer it. Runs
 * {@code vidore/colpali-v1.3} ({@code Qdrant/colpali-v1.3-fp16}) as fastembed does:
 * <ul>
 *   <li>a query becomes {@code <s>Query: {query}} and ten {@code <pad>} tokens and a newline, its first two
 *       token ids replaced by 2 and 5098, beside a blank image; one vector per token of that prompt;</li>
 *   <li>an image is decoded and preprocessed as its {@code preprocessor_config.json} says (ColPali: resized to
 *       448×448 with bicubic filtering, rescaled and normalized to [-1, 1]) and fed with PaliGemma's prompt, 1024
 *       {@code <image>} tokens then {@code <bos>Describe the image.\n}; one vector per token of it, 1030.</li>
 * </ul>
 * {@code Qdrant/colmodernvbert} (ColModernVBERT, an Idefics3 {@code preprocessor_config.json}) is run as fastembed's
 * colmodernvbert.py: a query is followed by ten {@code <end_of_utterance>} tokens, an image is cut into 512×512 tiles
 * plus a global view and prompted tile by tile (docs/late-interaction-multimodal.md).
 * The vectors are the model's own (both normalize them in their graphs); nothing is added unless
 * {@link Builder#normalize(boolean)} asks for it.
 *
 * <p>A corrupt, unsupported, empty, missing or oversized image (see {@link ImageLimits}) fails the whole call
 * with a {@link FastEmbedException} naming the image's index (and path); the model stays usable. Thread-safe
 * like {@link TextEmbedding}; calls after {@link #close()} throw {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (var colpali = LateInteractionMultimodalEmbedding.builder().model("Qdrant/colpali-v1.3-fp16").build()) {
 *     float[][] page = colpali.embedImage(Path.of("invoice.png"));
 *     float[][] query = colpali.embedText("total amount due");
 *     float score = LateInteractionMultimodalEmbedding.maxSim(query, page);
 * }
 * }</pre>
 */
public final class LateInteractionMultimodalEmbedding extends NativeModel {

    private final int dimension;

    private LateInteractionMultimodalEmbedding(String optionsJson) {
        super(NativeType.LATE_INTERACTION_MULTIMODAL, optionsJson);
        this.dimension = call(FastEmbedNative::dimension);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The late interaction models over images of the catalogue, each loadable with {@code builder().model(name)}. */
    public static List<ModelDescription> listSupportedModels() {
        return ModelCatalog.list(ModelKind.LATE_INTERACTION_MULTIMODAL);
    }

    /** The length of every token vector. */
    public int dimension() {
        return dimension;
    }

    /** Embeds a query: one vector per token of its prompt. */
    public float[][] embedText(String query) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null");
        }
        return embedText(List.of(query)).getFirst();
    }

    /** Embeds queries, each as {@link #embedText(String)} would, in input order. */
    public List<float[][]> embedText(List<String> queries) {
        Utf8Texts.requireTexts(queries);
        return call(model -> FastEmbedNative.embedMultimodalQueries(model, queries));
    }

    /** Embeds one image file: one vector per token of its prompt, the image tokens first. */
    public float[][] embedImage(Path image) {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        return embedImages(List.of(image)).getFirst();
    }

    /** Embeds image files, each as {@link #embedImage(Path)} would, in input order. */
    public List<float[][]> embedImages(List<Path> images) {
        List<String> files = ImageEmbedding.absolutePaths(images);
        return call(model -> FastEmbedNative.embedMultimodalImageFiles(model, files));
    }

    /** Embeds one encoded image (PNG, JPEG, WebP, GIF, BMP or TIFF bytes). */
    public float[][] embedImageBytes(byte[] image) {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        return embedImageBytes(List.of(image)).getFirst();
    }

    /** Embeds encoded images, each as {@link #embedImageBytes(byte[])} would, in input order. */
    public List<float[][]> embedImageBytes(List<byte[]> images) {
        ByteBatch.requireItems(images, "images");
        return call(model -> FastEmbedNative.embedMultimodalImageBytes(model, images));
    }

    /** ColPali's relevance score, as {@link LateInteractionTextEmbedding#maxSim} computes it for ColBERT. */
    public static float maxSim(float[][] query, float[][] page) {
        return LateInteractionTextEmbedding.maxSim(query, page);
    }

    /**
     * Options of a {@link LateInteractionMultimodalEmbedding}; the model needs its ONNX file, {@code tokenizer.json}
     * and {@code preprocessor_config.json}.
     */
    public static final class Builder extends TextModelBuilder<Builder> {
        private Boolean normalize;
        private ImageLimits limits = ImageLimits.DEFAULT;

        private Builder() {
            super(ModelKind.LATE_INTERACTION_MULTIMODAL);
        }

        /** L2-normalize every token vector (default false: ColPali's graph already does). */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** Decoding limits checked before any pixel buffer is allocated (default {@link ImageLimits#DEFAULT}). */
        public Builder imageLimits(ImageLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Resolves the model (downloading it if needed) and loads it. */
        public LateInteractionMultimodalEmbedding build() {
            ResolvedModel model = resolveWithTokenizer("a late interaction multimodal model");
            if (model.files().preprocessorConfig() == null) {
                throw new IllegalArgumentException("a late interaction multimodal model needs a preprocessor_config.json");
            }
            return new LateInteractionMultimodalEmbedding(toJson(model));
        }

        String toJson(ResolvedModel model) {
            return engineOptions(model)
                    .put("normalize", model.orDefault(normalize, ModelDescription::normalize))
                    .put("image_max_pixels", limits.maxPixels())
                    .put("image_max_side", limits.maxSide())
                    .put("image_max_bytes", limits.maxBytes())
                    .toString();
        }
    }
}

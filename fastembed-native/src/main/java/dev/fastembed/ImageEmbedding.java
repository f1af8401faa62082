package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.ByteBatch;
import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.FastEmbedNative.NativeType;
import dev.fastembed.internal.ResolvedModel;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An image embedding model running in process: decoding (PNG, JPEG, WebP, GIF, BMP, TIFF), the preprocessing
 * of the model's {@code preprocessor_config.json}, ONNX Runtime, pooling and L2 normalization in the native
 * engine, as fastembed runs CLIP ViT-B/32 vision, ResNet-50, Unicom and nomic-embed-vision.
 *
 * <p>CLIP's image vectors share their space with the CLIP text model of {@link TextEmbedding}
 * ({@code Qdrant/clip-ViT-B-32-text}), so texts can search images.
 *
 * <p>A corrupt, unsupported, empty, missing or oversized image (see {@link ImageLimits}) fails the whole call
 * with a {@link FastEmbedException} naming the image's index (and path); the model stays usable. Thread-safe
 * like {@link TextEmbedding}; calls after {@link #close()} throw {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (ImageEmbedding model = ImageEmbedding.builder().model("Qdrant/clip-ViT-B-32-vision").build()) {
 *     float[] vector = model.embed(Path.of("cat.jpg"));
 * }
 * }</pre>
 */
public final class ImageEmbedding extends NativeModel {

    private final int dimension;

    private ImageEmbedding(String optionsJson) {
        super(NativeType.IMAGE_EMBEDDING, optionsJson);
        this.dimension = call(FastEmbedNative::dimension);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The image models of the catalogue, each loadable with {@code builder().model(name)}. */
    public static List<ModelDescription> listSupportedModels() {
        return ModelCatalog.list(ModelKind.IMAGE);
    }

    /** The length of every vector this model returns. */
    public int dimension() {
        return dimension;
    }

    /** Embeds one image file. */
    public float[] embed(Path image) {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        return embed(List.of(image))[0];
    }

    /** Embeds image files, one vector per image in input order. An empty list gives an empty array. */
    public float[][] embed(List<Path> images) {
        List<String> files = absolutePaths(images);
        return call(model -> FastEmbedNative.embedImageFiles(model, files, dimension));
    }

    /** The images' absolute paths, as the engine opens them; null lists, null entries and foreign file systems refused. */
    static List<String> absolutePaths(List<Path> images) {
        if (images == null) {
            throw new IllegalArgumentException("images must not be null");
        }
        String[] paths = new String[images.size()];
        for (int i = 0; i < paths.length; i++) {
            Path image = images.get(i);
            if (image == null) {
                throw new IllegalArgumentException("images[" + i + "] is null");
            }
            if (image.getFileSystem() != FileSystems.getDefault()) {
                throw new IllegalArgumentException("images[" + i + "] (" + image + ") is not on the default file"
                        + " system; read it and use embedBytes");
            }
            paths[i] = image.toAbsolutePath().toString();
        }
        return List.of(paths);
    }

    /** Embeds one encoded image (PNG, JPEG, WebP, GIF, BMP or TIFF bytes). */
    public float[] embedBytes(byte[] image) {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        return embedBytes(List.of(image))[0];
    }

    /** Embeds encoded images, one vector per image in input order. An empty list gives an empty array. */
    public float[][] embedBytes(List<byte[]> images) {
        ByteBatch.requireItems(images, "images");
        return call(model -> FastEmbedNative.embedImageBytes(model, images, dimension));
    }


    /** Options of an {@link ImageEmbedding}; only the model (ONNX file and preprocessor config) is required. */
    public static final class Builder extends ModelBuilder<Builder> {
        private Pooling pooling;
        private Boolean normalize;
        private ImageLimits limits = ImageLimits.DEFAULT;

        private Builder() {
            super(ModelKind.IMAGE);
        }

        /**
         * Pooling of a {@code [batch, tokens, dim]} output such as a ViT's {@code last_hidden_state}
         * (default CLS, as fastembed-rs for nomic-embed-vision); ignored for {@code [batch, dim]} outputs.
         */
        public Builder pooling(Pooling pooling) {
            this.pooling = Objects.requireNonNull(pooling, "pooling");
            return this;
        }

        /** L2-normalize vectors (default true, as fastembed). */
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
        public ImageEmbedding build() {
            ResolvedModel model = resolve();
            if (model.files().preprocessorConfig() == null) {
                throw new IllegalArgumentException("an image embedding model needs a preprocessor_config.json");
            }
            return new ImageEmbedding(toJson(model));
        }

        String toJson(ResolvedModel model) {
            Pooling effectivePooling = model.orDefault(pooling, ModelDescription::pooling);
            return engineOptions(model)
                    .put("pooling", effectivePooling == null ? null : effectivePooling.nativeName())
                    .put("normalize", model.orDefault(normalize, ModelDescription::normalize))
                    .put("image_max_pixels", limits.maxPixels())
                    .put("image_max_side", limits.maxSide())
                    .put("image_max_bytes", limits.maxBytes())
                    .toString();
        }
    }
}

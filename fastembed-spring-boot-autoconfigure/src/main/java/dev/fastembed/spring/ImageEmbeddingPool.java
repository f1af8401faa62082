package dev.fastembed.spring;

import dev.fastembed.ImageEmbedding;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * An image embedding model as a bean: the methods of {@link ImageEmbedding}, each run on the one loaded
 * model under a permit of its {@link SharedModel}. Inject it by type or with {@code @Qualifier("<name>")}.
 * Besides the exceptions of {@link ImageEmbedding}, calls may throw the pool's exceptions (see
 * {@link TextEmbeddingPool}).
 */
public final class ImageEmbeddingPool extends AbstractPooledModel<ImageEmbedding> {

    /** A 1×1 white PNG: the smallest image the health probe can send through the whole pipeline. */
    private static final byte[] PROBE_IMAGE = Base64.getDecoder()
            .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC");

    /**
     * @param pool           the pool over the model
     * @param knownDimension the vector length if known before loading (e.g. from the catalogue), else 0
     */
    public ImageEmbeddingPool(SharedModel<ImageEmbedding> pool, int knownDimension) {
        super(pool, knownDimension, ImageEmbedding::dimension, model -> model.embedBytes(PROBE_IMAGE));
    }

    /** Embeds one image file. */
    public float[] embed(Path image) {
        return embed(Collections.singletonList(image))[0];
    }

    /** Embeds image files, one vector per image in input order. */
    public float[][] embed(List<Path> images) {
        return call("embed", images, model -> model.embed(images));
    }

    /** Embeds one encoded image (PNG, JPEG, WebP, GIF, BMP or TIFF bytes). */
    public float[] embedBytes(byte[] image) {
        return embedBytes(Collections.singletonList(image))[0];
    }

    /** Embeds encoded images, one vector per image in input order. */
    public float[][] embedBytes(List<byte[]> images) {
        return call("embed", images, model -> model.embedBytes(images));
    }
}

package dev.fastembed.spring;

import dev.fastembed.LateInteractionMultimodalEmbedding;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * A late interaction model over images (ColPali) as a bean: the methods of {@link LateInteractionMultimodalEmbedding},
 * each run on the one loaded model under a permit of its {@link SharedModel}. Score a query against a page with
 * {@link LateInteractionMultimodalEmbedding#maxSim(float[][], float[][])}. Inject it by type or with
 * {@code @Qualifier("<name>")}; besides the exceptions of {@link LateInteractionMultimodalEmbedding}, calls may throw
 * the pool's exceptions (see {@link TextEmbeddingPool}).
 */
public final class LateInteractionMultimodalEmbeddingPool extends AbstractPooledModel<LateInteractionMultimodalEmbedding> {

    /** The operation of image calls in metrics, whose inputs count as {@code fastembed.images}, queries' as texts. */
    public static final String IMAGE_OPERATION = "image";

    /** A 1×1 white PNG: the health probe sends it through the image side, the heavier one. */
    private static final byte[] PROBE_IMAGE = Base64.getDecoder()
            .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC");

    /**
     * @param pool           the pool over the model
     * @param knownDimension the per-token vector length if known before loading (the catalogue's), else 0
     */
    public LateInteractionMultimodalEmbeddingPool(SharedModel<LateInteractionMultimodalEmbedding> pool, int knownDimension) {
        super(pool, knownDimension, LateInteractionMultimodalEmbedding::dimension, model -> model.embedImageBytes(PROBE_IMAGE));
    }

    /** The token vectors of one query. */
    public float[][] embedText(String query) {
        return embedText(Collections.singletonList(query)).getFirst();
    }

    /** The token vectors of each query, in input order. */
    public List<float[][]> embedText(List<String> queries) {
        return call("query", queries, model -> model.embedText(queries));
    }

    /** The token vectors of one image file. */
    public float[][] embedImage(Path image) {
        return embedImages(Collections.singletonList(image)).getFirst();
    }

    /** The token vectors of each image file, in input order. */
    public List<float[][]> embedImages(List<Path> images) {
        return call(IMAGE_OPERATION, images, model -> model.embedImages(images));
    }

    /** The token vectors of one encoded image (PNG, JPEG, WebP, GIF, BMP or TIFF bytes). */
    public float[][] embedImageBytes(byte[] image) {
        return embedImageBytes(Collections.singletonList(image)).getFirst();
    }

    /** The token vectors of each encoded image, in input order. */
    public List<float[][]> embedImageBytes(List<byte[]> images) {
        return call(IMAGE_OPERATION, images, model -> model.embedImageBytes(images));
    }
}

package dev.fastembed.spring;

import dev.fastembed.ImageEmbedding;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An image embedding model as a bean: the methods of {@link ImageEmbedding}, each run on the one loaded
 * model under a permit of its {@link ModelPool}. Inject it by type or with {@code @Qualifier("<name>")}.
 * Besides the exceptions of {@link ImageEmbedding}, calls may throw the pool's exceptions (see
 * {@link TextEmbeddingPool}).
 */
public final class ImageEmbeddingPool implements PooledModel {

    /** A 1×1 white PNG: the smallest image the health probe can send through the whole pipeline. */
    private static final byte[] PROBE_IMAGE = Base64.getDecoder()
            .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC");

    private final ModelPool<ImageEmbedding> pool;
    private final int knownDimension;

    /**
     * @param pool           the pool over the model
     * @param knownDimension the vector length if known before loading (e.g. from the catalogue), else 0
     */
    public ImageEmbeddingPool(ModelPool<ImageEmbedding> pool, int knownDimension) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.knownDimension = knownDimension;
    }

    @Override
    public ModelPool<ImageEmbedding> pool() {
        return pool;
    }

    @Override
    public OptionalInt dimension() {
        return pool.loadedModel()
                .map(model -> OptionalInt.of(model.dimension()))
                .orElse(knownDimension > 0 ? OptionalInt.of(knownDimension) : OptionalInt.empty());
    }

    /** Embeds one image file. */
    public float[] embed(Path image) {
        return embed(Collections.singletonList(image))[0];
    }

    /** Embeds image files, one vector per image in input order. */
    public float[][] embed(List<Path> images) {
        return pool.call("embed", images == null ? 0 : images.size(), model -> model.embed(images), vectors -> -1);
    }

    /** Embeds one encoded image (PNG, JPEG, WebP, GIF, BMP or TIFF bytes). */
    public float[] embedBytes(byte[] image) {
        return embedBytes(Collections.singletonList(image))[0];
    }

    /** Embeds encoded images, one vector per image in input order. */
    public float[][] embedBytes(List<byte[]> images) {
        return pool.call("embed", images == null ? 0 : images.size(), model -> model.embedBytes(images),
                vectors -> -1);
    }

    @Override
    public void probe() {
        pool.call(PROBE, 1, model -> model.embedBytes(PROBE_IMAGE), vector -> -1, Duration.ZERO);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "ImageEmbeddingPool[" + pool + "]";
    }
}

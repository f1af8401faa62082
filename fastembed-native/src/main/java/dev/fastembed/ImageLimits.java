package dev.fastembed;

/**
 * Bounds an image must stay within before the engine decodes it, so that a small file (a decompression
 * bomb, a header lying about its size) cannot make it allocate gigabytes. They are checked against the
 * image header before any pixel buffer exists; an image beyond them fails with
 * {@link FastEmbedException.Kind#IMAGE}.
 *
 * @param maxPixels largest accepted width × height
 * @param maxSide   largest accepted width or height, in pixels
 * @param maxBytes  largest accepted encoded size (file or byte array), in bytes
 */
public record ImageLimits(long maxPixels, int maxSide, long maxBytes) {

    /** 50 megapixels, 16384 pixels a side, 128 MiB encoded: far above what embedding models look at. */
    public static final ImageLimits DEFAULT = new ImageLimits(50_000_000L, 16_384, 128L * 1024 * 1024);

    public ImageLimits {
        if (maxPixels <= 0 || maxSide <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("image limits must be positive, got " + maxPixels + " pixels, "
                    + maxSide + " per side, " + maxBytes + " bytes");
        }
    }

    public static ImageLimits defaults() {
        return DEFAULT;
    }

    public ImageLimits withMaxPixels(long pixels) {
        return new ImageLimits(pixels, maxSide, maxBytes);
    }

    public ImageLimits withMaxSide(int side) {
        return new ImageLimits(maxPixels, side, maxBytes);
    }

    public ImageLimits withMaxBytes(long bytes) {
        return new ImageLimits(maxPixels, maxSide, bytes);
    }
}

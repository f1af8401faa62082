package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.FastEmbedException.Kind;
import dev.fastembed.ImageEmbedding;
import dev.fastembed.ModelFiles;
import dev.fastembed.testing.ClipModels;
import dev.fastembed.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Image files whose headers lie — sizes of billions of pixels in a few bytes, frames larger than their
 * screen, a megabyte-scale zlib stream behind a 1×1 PNG — and random bytes behind each format's magic
 * number, through the Java API. Each is an {@link FastEmbedException} of kind IMAGE naming the image (or,
 * for random bytes that happen to decode, a vector); the bombs are refused from the header, so resident
 * memory does not grow by what they claim; and the model keeps working.
 */
class AdversarialImagesTest {

    @TempDir
    static Path dir;
    static ImageEmbedding model;
    static byte[] goodPng;

    @BeforeAll
    static void load() throws IOException {
        Path config = Files.writeString(dir.resolve("preprocessor_config.json"), ClipModels.PREPROCESSOR_CONFIG);
        model = ImageEmbedding.builder()
                .modelFiles(ModelFiles.image(ClipModels.visionTower(dir.resolve("vision.onnx")), config)).build();
        goodPng = TestImages.encode(TestImages.solid(32, 32, Color.ORANGE), "png");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Map<String, byte[]> lyingHeaders() {
        Map<String, byte[]> bombs = new LinkedHashMap<>();
        bombs.put("JPEG frame header of 65535 x 65535", jpegClaiming(65_535, 65_535));
        bombs.put("GIF screen of 65535 x 65535 around a 1 x 1 frame", gif(65_535, 65_535, 1, 1));
        bombs.put("GIF frame of 30000 x 30000 on a 1 x 1 screen", gif(1, 1, 30_000, 30_000));
        bombs.put("BMP of 100000 x -100000 (top-down)", bmpClaiming(100_000, -100_000));
        bombs.put("BMP of 2147483647 x 1", bmpClaiming(Integer.MAX_VALUE, 1));
        bombs.put("TIFF of 100000 x 100000", tiffClaiming(100_000, 100_000));
        bombs.put("WebP canvas of 16777216 x 16777216", webpCanvas(16_777_216, 16_777_216));
        bombs.put("PNG of 2147483647 x 2147483647", TestImages.pngClaiming(Integer.MAX_VALUE, Integer.MAX_VALUE));
        return bombs;
    }

    @Test
    void lyingHeadersAreRefusedBeforeAnythingIsAllocated() {
        long before = ProcessMemory.rss();
        ProcessMemory.resetPeak();
        for (Map.Entry<String, byte[]> bomb : lyingHeaders().entrySet()) {
            assertThatThrownBy(() -> model.embedBytes(List.of(goodPng, bomb.getValue())))
                    .as(bomb.getKey())
                    .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IMAGE))
                    .hasMessageContaining("image 1")
                    .hasMessageContaining("exceeds the limit");
        }
        long growth = ProcessMemory.peakRss() - before;
        assertThat(growth).as("peak RSS growth while refusing %d bombs", lyingHeaders().size()).isLessThan(64L << 20);
        assertThat(model.embedBytes(goodPng)).hasSize(model.dimension());
    }

    @Test
    void aZlibBombBehindATinyPngDoesNotInflateIntoMemory() {
        byte[] bomb = TestImages.pngWithIdat(1, 1, new byte[128 << 20]);
        assertThat(bomb.length).as("compressed size").isLessThan(1 << 20);
        long before = ProcessMemory.rss();
        ProcessMemory.resetPeak();
        try {
            assertThat(model.embedBytes(bomb)).hasSize(model.dimension());
        } catch (FastEmbedException e) {
            assertThat(e.kind()).isEqualTo(Kind.IMAGE);
        }
        long growth = ProcessMemory.peakRss() - before;
        assertThat(growth).as("peak RSS growth for 128 MiB of zeros behind a 1x1 PNG").isLessThan(64L << 20);
    }

    @Test
    void aHeaderWithinTheLimitsButNoPixelDataIsACorruptImage() {
        assertThatThrownBy(() -> model.embedBytes(TestImages.pngClaiming(6000, 6000)))
                .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IMAGE))
                .hasMessageContaining("image 0");
        assertThat(model.embedBytes(goodPng)).hasSize(model.dimension());
    }

    /** Random bytes behind every format's magic number: a clean IMAGE error or, by chance, a vector. */
    @Test
    void randomBytesBehindEachMagicNumberFailCleanly() {
        Map<String, byte[]> magics = new LinkedHashMap<>();
        magics.put("PNG", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        magics.put("JPEG", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
        magics.put("GIF", "GIF89a".getBytes(StandardCharsets.US_ASCII));
        magics.put("BMP", "BM".getBytes(StandardCharsets.US_ASCII));
        magics.put("TIFF", new byte[] {'I', 'I', 42, 0});
        magics.put("WebP", "RIFF\u0000\u0010\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1));
        int errors = 0;
        for (Map.Entry<String, byte[]> magic : magics.entrySet()) {
            for (int seed = 1; seed <= 12; seed++) {
                Random random = new Random(seed);
                byte[] tail = new byte[16 + random.nextInt(4096)];
                random.nextBytes(tail);
                byte[] image = concat(magic.getValue(), tail);
                try {
                    assertThat(model.embedBytes(image)).hasSize(model.dimension());
                } catch (FastEmbedException e) {
                    assertThat(e.kind()).as("%s seed %d: %s", magic.getKey(), seed, e.getMessage()).isEqualTo(Kind.IMAGE);
                    errors++;
                }
            }
        }
        assertThat(errors).isPositive();
        assertThat(model.embedBytes(goodPng)).hasSize(model.dimension());
    }

    // ---- hand-made headers ----

    static byte[] jpegClaiming(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(2 + 19 + 2).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0xFF).put((byte) 0xD8);
        b.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17).put((byte) 8)
                .putShort((short) height).putShort((short) width).put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            b.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        b.put((byte) 0xFF).put((byte) 0xD9);
        return b.array();
    }

    static byte[] gif(int screenWidth, int screenHeight, int frameWidth, int frameHeight) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) screenWidth).putShort((short) screenHeight).put((byte) 0).put((byte) 0).put((byte) 0);
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0)
                .putShort((short) frameWidth).putShort((short) frameHeight).put((byte) 0);
        b.put((byte) 2).put((byte) 2).put((byte) 0x44).put((byte) 0x01).put((byte) 0);
        b.put((byte) 0x3B);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] bmpClaiming(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(b.capacity()).putInt(0).putInt(14 + 40);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).putInt(0).putInt(0)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }

    static byte[] tiffClaiming(int width, int height) {
        int[][] entries = {{256, 4, width}, {257, 4, height}, {258, 3, 8}, {259, 3, 1}, {262, 3, 2}, {277, 3, 3},
                {273, 4, 8}, {278, 4, 1}, {279, 4, 3}};
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + entries.length * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries.length);
        for (int[] e : entries) {
            b.putShort((short) e[0]).putShort((short) e[1]).putInt(1);
            if (e[1] == 3) {
                b.putShort((short) e[2]).putShort((short) 0);
            } else {
                b.putInt(e[2]);
            }
        }
        b.putInt(0);
        return b.array();
    }

    static byte[] webpCanvas(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        b.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
        putU24(b, width - 1);
        putU24(b, height - 1);
        return b.array();
    }

    private static void putU24(ByteBuffer b, int value) {
        b.put((byte) value).put((byte) (value >>> 8)).put((byte) (value >>> 16));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

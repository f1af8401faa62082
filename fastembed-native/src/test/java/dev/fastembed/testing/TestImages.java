package dev.fastembed.testing;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Pictures for image tests, drawn with java.awt and encoded with ImageIO, plus hand-made broken files. */
public final class TestImages {

    private TestImages() {
    }

    /** A picture of one colour. */
    public static BufferedImage solid(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** Top half {@code top}, bottom half {@code bottom}. */
    public static BufferedImage halves(int width, int height, Color top, Color bottom) {
        BufferedImage image = solid(width, height, top);
        Graphics2D g = image.createGraphics();
        g.setColor(bottom);
        g.fillRect(0, height / 2, width, height - height / 2);
        g.dispose();
        return image;
    }

    /** Encodes with ImageIO: "png", "jpeg", "bmp", "gif" or "tiff". */
    public static byte[] encode(BufferedImage image, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("ImageIO has no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A well-formed PNG whose header claims {@code width × height} pixels (with a valid CRC) but which holds
     * only a few bytes of image data: a decompression bomb as far as the header goes.
     */
    public static byte[] pngClaiming(int width, int height) {
        return png(width, height, new byte[] {0x78, (byte) 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01});
    }

    /** A PNG of width × height 8-bit RGB whose IDAT holds {@code raw} (filter bytes included), deflated. */
    public static byte[] pngWithIdat(int width, int height, byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return png(width, height, compressed.toByteArray());
    }

    /** An 8-bit RGB PNG with the given header size and one IDAT chunk of already compressed data. */
    private static byte[] png(int width, int height, byte[] idat) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).order(ByteOrder.BIG_ENDIAN);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A BMP whose header says 0 × 1 pixels. */
    public static byte[] bmpWithZeroWidth() {
        ByteBuffer bmp = ByteBuffer.allocate(14 + 40 + 4).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(bmp.capacity()).putInt(0).putInt(14 + 40);
        bmp.putInt(40).putInt(0).putInt(1).putShort((short) 1).putShort((short) 24).putInt(0).putInt(4)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        return bmp.array();
    }

    /** The first {@code length} bytes of {@code data}. */
    public static byte[] truncated(byte[] data, int length) {
        return java.util.Arrays.copyOf(data, length);
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}

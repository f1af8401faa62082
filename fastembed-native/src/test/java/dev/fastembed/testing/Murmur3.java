package dev.fastembed.testing;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 x86 32-bit, written here from Austin Appleby's public-domain description, so that sparse indices of
 * BM25/BM42 can be computed independently of the engine: fastembed's index of a word is
 * {@code abs(mmh3.hash(word))}, the signed 32-bit hash of its UTF-8 bytes with seed 0, made non-negative.
 */
public final class Murmur3 {

    private Murmur3() {
    }

    /** fastembed's sparse index of {@code word}: {@code |hash|} as a signed int (2^31 stays negative). */
    public static int sparseIndex(String word) {
        return Math.abs(hash32(word.getBytes(StandardCharsets.UTF_8), 0));
    }

    public static int hash32(byte[] data, int seed) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k = (data[4 * i] & 0xFF) | (data[4 * i + 1] & 0xFF) << 8 | (data[4 * i + 2] & 0xFF) << 16
                    | (data[4 * i + 3] & 0xFF) << 24;
            h ^= Integer.rotateLeft(k * c1, 15) * c2;
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        int tail = data.length & 3;
        for (int i = tail - 1; i >= 0; i--) {
            k = (k << 8) | (data[4 * blocks + i] & 0xFF);
        }
        if (tail > 0) {
            h ^= Integer.rotateLeft(k * c1, 15) * c2;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}

package dev.fastembed.internal;

import java.lang.foreign.MemorySegment;

/**
 * Items packed for one native call: all bytes in {@code data} and {@code count + 1} offsets, item {@code i}
 * spanning {@code [offsets[i], offsets[i+1])} ({@link Utf8Texts} for texts and paths, {@link ByteBatch} for bytes).
 */
sealed interface PackedBatch permits Utf8Texts, ByteBatch {

    MemorySegment data();

    MemorySegment offsets();

    int count();
}

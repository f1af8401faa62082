package dev.fastembed.internal;

import java.lang.foreign.MemorySegment;

/**
 * The live pointer of a {@link NativeHandle}, handed to a {@link NativeCall} while the handle's read lock is held.
 * Opaque outside this package: only the typed methods of {@link FastEmbedNative} read the address.
 */
public final class NativePointer {

    private final MemorySegment segment;
    private final FastEmbedNative.NativeType type;

    NativePointer(MemorySegment segment, FastEmbedNative.NativeType type) {
        this.segment = segment;
        this.type = type;
    }

    MemorySegment segment() {
        return segment;
    }

    /** The kind of native object this points to. */
    public FastEmbedNative.NativeType type() {
        return type;
    }
}

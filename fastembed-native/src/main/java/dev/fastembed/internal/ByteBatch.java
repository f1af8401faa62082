package dev.fastembed.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Byte strings (e.g. encoded images) packed for one native call: all bytes in one segment and
 * {@code count + 1} offsets, item {@code i} spanning {@code [offsets[i], offsets[i+1])}.
 */
public record ByteBatch(MemorySegment data, MemorySegment offsets, int count) implements PackedBatch {

    /** Rejects a null list or a null element with a message naming its index. */
    public static void requireItems(List<byte[]> items, String what) {
        if (items == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw new IllegalArgumentException(what + "[" + i + "] is null");
            }
        }
    }

    public static ByteBatch pack(Arena arena, List<byte[]> items) {
        long total = 0;
        for (byte[] item : items) {
            total += item.length;
        }
        MemorySegment data = arena.allocate(Math.max(total, 1));
        MemorySegment offsets = arena.allocate(ValueLayout.JAVA_LONG, items.size() + 1L);
        long position = 0;
        for (int i = 0; i < items.size(); i++) {
            byte[] item = items.get(i);
            offsets.setAtIndex(ValueLayout.JAVA_LONG, i, position);
            MemorySegment.copy(item, 0, data, ValueLayout.JAVA_BYTE, position, item.length);
            position += item.length;
        }
        offsets.setAtIndex(ValueLayout.JAVA_LONG, items.size(), position);
        return new ByteBatch(data, offsets, items.size());
    }
}

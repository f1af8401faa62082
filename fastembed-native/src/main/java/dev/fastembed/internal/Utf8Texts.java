package dev.fastembed.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Texts packed for one native call: all UTF-8 bytes in one segment and {@code count + 1} byte offsets,
 * text {@code i} spanning {@code [offsets[i], offsets[i+1])}. Lengths are explicit, so NUL characters survive.
 * Lone surrogates (not encodable in UTF-8) become U+FFFD.
 */
public record Utf8Texts(MemorySegment data, MemorySegment offsets, int count) implements PackedBatch {

    /** Rejects a null list or a null element with a message naming its index. */
    public static void requireTexts(List<String> texts) {
        if (texts == null) {
            throw new IllegalArgumentException("texts must not be null");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null");
            }
        }
    }

    public static Utf8Texts pack(Arena arena, List<String> texts) {
        byte[][] encoded = new byte[texts.size()][];
        long total = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = utf8(texts.get(i));
            total += encoded[i].length;
        }
        MemorySegment data = arena.allocate(Math.max(total, 1));
        MemorySegment offsets = arena.allocate(ValueLayout.JAVA_LONG, encoded.length + 1L);
        long position = 0;
        for (int i = 0; i < encoded.length; i++) {
            offsets.setAtIndex(ValueLayout.JAVA_LONG, i, position);
            MemorySegment.copy(encoded[i], 0, data, ValueLayout.JAVA_BYTE, position, encoded[i].length);
            position += encoded[i].length;
        }
        offsets.setAtIndex(ValueLayout.JAVA_LONG, encoded.length, position);
        return new Utf8Texts(data, offsets, encoded.length);
    }

    /** One text as a standalone UTF-8 segment (not NUL-terminated). */
    public static MemorySegment single(Arena arena, String text) {
        byte[] bytes = utf8(text);
        MemorySegment segment = arena.allocate(Math.max(bytes.length, 1));
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment.asSlice(0, bytes.length);
    }

    static byte[] utf8(String text) {
        return withoutLoneSurrogates(text).getBytes(StandardCharsets.UTF_8);
    }

    private static String withoutLoneSurrogates(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone = false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (fixed != null) {
                        fixed.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                lone = true;
            } else if (Character.isLowSurrogate(c)) {
                lone = true;
            }
            if (lone && fixed == null) {
                fixed = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (fixed != null) {
                fixed.append(lone ? '\uFFFD' : c);
            }
        }
        return fixed == null ? text : fixed.toString();
    }
}

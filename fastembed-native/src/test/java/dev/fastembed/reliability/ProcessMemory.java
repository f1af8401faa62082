package dev.fastembed.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of this JVM: resident memory (native and heap together) from /proc, the Java heap in use, and the
 * bytes in use in the C allocator (glibc's {@code mallinfo2}), which is where the engine's and ONNX Runtime's
 * allocations live and where a native leak shows without the noise of the Java heap's pages.
 */
final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    /** struct mallinfo2: ten size_t fields; in use = uordblks (7) + hblkhd (4). */
    private static final MethodHandle MALLINFO2 = Linker.nativeLinker().defaultLookup().find("mallinfo2")
            .map(address -> Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(
                    MemoryLayout.structLayout(java.util.Collections.nCopies(10, ValueLayout.JAVA_LONG)
                            .toArray(MemoryLayout[]::new)))))
            .orElse(null);

    private ProcessMemory() {
    }

    static boolean available() {
        return Files.isReadable(STATUS);
    }

    /** Resident set size now, in bytes. */
    static long rss() {
        return statusBytes("VmRSS");
    }

    /** Peak resident set size since start or the last {@link #resetPeak()}, in bytes. */
    static long peakRss() {
        return statusBytes("VmHWM");
    }

    /** Resets the peak to the current size (Linux: 5 written to /proc/self/clear_refs). */
    static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Java heap in use after a full collection, in bytes. */
    static long heapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Bytes allocated with malloc and not freed, all arenas (glibc); -1 where mallinfo2 is missing. */
    static long mallocInUse() {
        if (MALLINFO2 == null) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2.invokeExact((SegmentAllocator) arena);
            return info.getAtIndex(ValueLayout.JAVA_LONG, 7) + info.getAtIndex(ValueLayout.JAVA_LONG, 4);
        } catch (Throwable t) {
            throw new IllegalStateException("mallinfo2 failed", t);
        }
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static long statusBytes(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field + ":")) {
                    String kib = line.substring(field.length() + 1).replace("kB", "").trim();
                    return Long.parseLong(kib) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(field + " not in " + STATUS);
    }
}

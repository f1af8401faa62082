package dev.fastembed.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this JVM (native and heap together) from /proc, and the Java heap in use. */
final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

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

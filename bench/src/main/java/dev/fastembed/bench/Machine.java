package dev.fastembed.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Facts about the machine and build, for the report's header. */
final class Machine {

    private Machine() {
    }

    static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    static String memory() {
        long kb = memTotalKb();
        return kb < 0 ? "unknown memory" : Math.round(kb / 1024.0 / 1024.0) + " GiB";
    }

    private static long memTotalKb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    /** From the onnxruntime jar's file name on the class path. */
    static String onnxRuntimeVersion() {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.matches("onnxruntime-[0-9.]+\\.jar")) {
                return name.substring("onnxruntime-".length(), name.length() - ".jar".length());
            }
        }
        return "(version unknown)";
    }

    /** The git commit, or -Dbench.commit=... when the harness runs from a copy without .git. */
    static String commit() {
        String given = System.getProperty("bench.commit");
        if (given != null && !given.isBlank()) {
            return given;
        }
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).strip();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }
}

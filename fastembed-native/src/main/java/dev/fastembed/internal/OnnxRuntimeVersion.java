package dev.fastembed.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

/**
 * The ONNX Runtime the engine loaded, against the one this build is tested with ({@code onnxruntime.version} of
 * the build, e.g. 1.29.0). The engine itself refuses a runtime older than the C API version it needs; an older
 * runtime than the tested one loads with a warning, since Maven's nearest-wins rule lets another dependency
 * (e.g. a LangChain4j model jar bringing 1.20.0) replace the starter's.
 */
public final class OnnxRuntimeVersion {

    private static final Logger log = LoggerFactory.getLogger(OnnxRuntimeVersion.class);

    /** The ONNX Runtime version this build depends on and is tested with. */
    public static final String TESTED = testedVersion();

    private OnnxRuntimeVersion() {
    }

    /**
     * The C API version a 1.x runtime serves at most: ONNX Runtime 1.N serves C API N (ORT_API_VERSION), or -1
     * for a version string that is not 1.x.
     */
    public static int apiLevel(String version) {
        int[] parts = parse(version);
        return parts.length >= 2 && parts[0] == 1 ? parts[1] : -1;
    }

    /** True if {@code version} is an older release than {@code other} (numeric parts compared in order). */
    public static boolean isOlder(String version, String other) {
        return Arrays.compare(parse(version), parse(other)) < 0;
    }

    /** What is logged once after loading: INFO with the version and API level, WARN when older than tested. */
    public static String describe(String version, Path library) {
        int api = apiLevel(version);
        return "ONNX Runtime " + version + (api > 0 ? " (C API " + api + ")" : "") + " from " + library;
    }

    static void report(String version, Path library) {
        String loaded = describe(version, library);
        if (isOlder(version, TESTED)) {
            log.warn("{} is older than {}, the version fastembed is built and tested with. Another dependency "
                    + "probably brought it (Maven takes the version nearest to the project, e.g. LangChain4j model jars "
                    + "bring 1.20.0): import the BOM dev.fastembed:fastembed-bom, or set "
                    + "com.microsoft.onnxruntime:onnxruntime to {} in dependencyManagement", loaded, TESTED, TESTED);
        } else {
            log.info("{} loaded (tested with {})", loaded, TESTED);
        }
    }

    private static int[] parse(String version) {
        String numeric = version == null ? "" : version.strip().split("[^0-9.]", 2)[0];
        return Arrays.stream(numeric.split("\\.")).filter(part -> !part.isEmpty()).mapToInt(part -> {
            try {
                return Integer.parseInt(part);
            } catch (NumberFormatException e) {
                return 0;
            }
        }).toArray();
    }

    private static String testedVersion() {
        try (InputStream in = OnnxRuntimeVersion.class.getResourceAsStream("onnxruntime.properties")) {
            if (in == null) {
                throw new IllegalStateException("onnxruntime.properties is missing from the fastembed-native jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("tested.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

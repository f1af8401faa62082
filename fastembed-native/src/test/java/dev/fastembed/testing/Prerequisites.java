package dev.fastembed.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What tests need from the machine. A missing prerequisite fails the test with what to install: a test never
 * passes, or is skipped, because something it checks against is absent.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    /** {@code file}, which Debian's {@code debianPackage} installs; fails the test when it is not readable. */
    public static Path debianFile(Path file, String debianPackage) {
        if (!Files.isReadable(file)) {
            throw new AssertionError("missing test prerequisite: " + file + ". Install Debian's " + debianPackage
                    + " (scripts/setup.sh)");
        }
        return file;
    }
}

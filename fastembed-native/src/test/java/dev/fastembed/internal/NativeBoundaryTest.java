package dev.fastembed.internal;

import dev.fastembed.FastEmbedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The FFI boundary: panics and versions. */
class NativeBoundaryTest {

    @Test
    void aPanicInTheEngineSurfacesAsAnExceptionAndTheJvmLivesOn() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> FastEmbedNative.debugPanic("deliberate panic"))
                    .isInstanceOfSatisfying(FastEmbedException.class,
                            e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.PANIC))
                    .hasMessageContaining("deliberate panic");
        }
        assertThat(FastEmbedNative.version()).isNotBlank();
    }

    @Test
    void versionsAreReported() {
        assertThat(FastEmbedNative.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(FastEmbedNative.onnxRuntimeVersion()).startsWith("1.");
    }
}

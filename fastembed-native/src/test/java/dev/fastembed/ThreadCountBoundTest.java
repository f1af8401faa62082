package dev.fastembed;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code threads(n)} is refused beyond 4 per available processor (at most 256), before any native code runs. */
class ThreadCountBoundTest {

    @Test
    void boundIsFourPerProcessorAndAtMost256() {
        int processors = Runtime.getRuntime().availableProcessors();

        assertThat(ModelBuilder.maxThreads()).isEqualTo(Math.min(256, 4 * processors));
    }

    @Test
    void threadCountsBeyondTheBoundAreRefusedNamingTheBound() {
        int limit = ModelBuilder.maxThreads();
        for (int threads : new int[]{limit + 1, 1500, 3000, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> TextEmbedding.builder().threads(threads))
                    .as("threads %d", threads)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("threads = " + threads + " is beyond the limit of " + limit)
                    .hasMessageContaining("4 per available processor, at most 256");
        }
        assertThatThrownBy(() -> SparseTextEmbedding.builder().threads(0)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> ImageEmbedding.builder().threads(-1)).hasMessageContaining("must be positive");
    }

    @Test
    void threadCountsUpToTheBoundAreAccepted() {
        TextEmbedding.builder().threads(1).threads(ModelBuilder.maxThreads());
        TextRerank.builder().threads(ModelBuilder.maxThreads());
    }
}

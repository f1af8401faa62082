package dev.fastembed;

import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TestTexts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Execution providers on the ONNX Runtime of the build: the CPU build of com.microsoft.onnxruntime:onnxruntime, which
 * has no CUDA provider, so CUDA fails with ONNX Runtime's real message or falls back to the CPU when allowed.
 */
class ExecutionProviderTest {

    @Test
    void aModelRunsOnTheCpuByDefaultAndSaysSo() {
        try (TextEmbedding model = TestModels.BGE_SMALL_EN_V15.builder().build()) {
            SessionInfo info = model.sessionInfo().orElseThrow();
            assertThat(info.executionProvider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(info.requestedProvider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(info.fellBack()).isFalse();
            assertThat(info.fallbackReason()).isEmpty();
            assertThat(info.optimizedGraph()).isEqualTo("off");
        }
    }

    @Test
    void cudaOnTheCpuBuildFailsTheLoadNamingTheProviderOnnxRuntimesMessageAndTheFix() {
        assertThatThrownBy(() -> TestModels.BGE_SMALL_EN_V15.builder().executionProvider(ExecutionProvider.CUDA).build())
                .isInstanceOfSatisfying(FastEmbedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.ONNX_RUNTIME);
                    assertThat(e.getMessage()).contains("with the cuda execution provider: ONNX Runtime said: ")
                            .containsIgnoringCase("CUDA execution provider")
                            .contains("onnxruntime_gpu").contains("fallback \"cpu\"");
                });
    }

    @Test
    void cudaWithFallbackRunsOnTheCpuWithOnnxRuntimesReasonAndTheSameVectors() {
        List<String> texts = TestTexts.paragraphs(4);
        try (TextEmbedding fallback = TestModels.BGE_SMALL_EN_V15.builder()
                .executionProvider(ExecutionProvider.CUDA).fallbackToCpu(true).build();
                TextEmbedding cpu = TestModels.BGE_SMALL_EN_V15.builder().build()) {
            SessionInfo info = fallback.sessionInfo().orElseThrow();
            assertThat(info.executionProvider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(info.requestedProvider()).isEqualTo(ExecutionProvider.CUDA);
            assertThat(info.fellBack()).isTrue();
            assertThat(info.fallbackReason()).hasValueSatisfying(reason -> assertThat(reason).containsIgnoringCase("cuda"));
            assertThat(info.details()).containsEntry("executionProvider", "cpu")
                    .containsEntry("requestedExecutionProvider", "cuda").containsKey("fallbackReason");
            assertThat(fallback.embed(texts)).isDeepEqualTo(cpu.embed(texts));
        }
    }

    @Test
    void fallbackOnTheCpuProviderChangesNothing() {
        try (TextEmbedding model = TestModels.BGE_SMALL_EN_V15.builder().fallbackToCpu(true).build()) {
            assertThat(model.sessionInfo().orElseThrow().fellBack()).isFalse();
        }
    }

    @Test
    void providerNamesAreReadIgnoringCaseAndUnknownOnesListTheKnownOnes() {
        assertThat(ExecutionProvider.of("CUDA")).isEqualTo(ExecutionProvider.CUDA);
        assertThat(ExecutionProvider.of(" cpu ")).isEqualTo(ExecutionProvider.CPU);
        assertThatThrownBy(() -> ExecutionProvider.of("tensorrt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown execution provider 'tensorrt': use one of cpu, cuda");
    }
}

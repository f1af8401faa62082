package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubOptionsTest {

    @Test
    void defaultsApplyWhenNeitherOptionNorEnvironmentIsSet() {
        HubOptions options = HubOptions.builder().environment(Map.of()).build();

        assertThat(options.cacheDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".fastembed_cache"));
        assertThat(options.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(options.token()).isEmpty();
        assertThat(options.offline()).isFalse();
        assertThat(options.revision()).isEqualTo("main");
    }

    @Test
    void environmentOverridesDefaults() {
        HubOptions options = HubOptions.builder().environment(Map.of(
                "FASTEMBED_CACHE_PATH", "/srv/models",
                "HF_ENDPOINT", "https://hf-mirror.example/",
                "HF_TOKEN", "hf_env",
                "HF_HUB_OFFLINE", "1")).build();

        assertThat(options.cacheDir()).isEqualTo(Path.of("/srv/models"));
        assertThat(options.endpoint()).isEqualTo(URI.create("https://hf-mirror.example"));
        assertThat(options.token()).contains("hf_env");
        assertThat(options.offline()).isTrue();
    }

    @Test
    void optionsOverrideEnvironment() {
        HubOptions options = HubOptions.builder()
                .environment(Map.of("FASTEMBED_CACHE_PATH", "/srv/models", "HF_ENDPOINT", "https://mirror.example",
                        "HF_TOKEN", "hf_env", "HF_HUB_OFFLINE", "1"))
                .cacheDir(Path.of("/data/cache"))
                .endpoint("http://127.0.0.1:8080")
                .token("hf_option")
                .offline(false)
                .build();

        assertThat(options.cacheDir()).isEqualTo(Path.of("/data/cache"));
        assertThat(options.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(options.token()).contains("hf_option");
        assertThat(options.offline()).isFalse();
    }

    @Test
    void offlineVariableAcceptsTheValuesHuggingFaceHubAccepts() {
        for (String value : new String[]{"1", "true", "YES", "On", " 1 "}) {
            assertThat(HubOptions.builder().environment(Map.of("HF_HUB_OFFLINE", value)).build().offline())
                    .as(value).isTrue();
        }
        for (String value : new String[]{"0", "false", "", "no"}) {
            assertThat(HubOptions.builder().environment(Map.of("HF_HUB_OFFLINE", value)).build().offline())
                    .as(value).isFalse();
        }
    }

    @Test
    void invalidEndpointIsRejected() {
        for (String endpoint : new String[]{"ftp://example.com", "not a url", "https://", "https://host/?q=1"}) {
            assertThatThrownBy(() -> HubOptions.builder().environment(Map.of()).endpoint(endpoint).build())
                    .as(endpoint)
                    .isInstanceOfSatisfying(FastEmbedException.class,
                            e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT));
        }
    }

    @Test
    void toStringNeverShowsTheToken() {
        HubOptions options = HubOptions.builder().environment(Map.of()).token("hf_secret").build();

        assertThat(options.toString()).doesNotContain("hf_secret").contains("token=***");
        assertThat(options.toBuilder().build().token()).contains("hf_secret");
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> HubOptions.builder().retries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HubOptions.builder().readTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HubOptions.builder().revision("../main")).isInstanceOf(FastEmbedException.class);
    }
}

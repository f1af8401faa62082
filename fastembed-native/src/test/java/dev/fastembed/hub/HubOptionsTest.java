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
    void endpointCredentialsAreTakenOutOfTheEndpointAndNeverShown() {
        HubOptions options = HubOptions.builder()
                .environment(Map.of("HF_ENDPOINT", "https://reader:s3cr%40t@mirror.example:8443/hf/"))
                .build();

        assertThat(options.endpoint()).isEqualTo(URI.create("https://mirror.example:8443/hf"));
        assertThat(options.endpointHasCredentials()).isTrue();
        assertThat(options.authorization()).contains("Basic " + java.util.Base64.getEncoder()
                .encodeToString("reader:s3cr@t".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(options.toString()).doesNotContain("s3cr").doesNotContain("reader")
                .contains("endpoint=https://***@mirror.example:8443/hf");
        HubOptions copy = options.toBuilder().build();
        assertThat(copy.authorization()).isEqualTo(options.authorization());
        assertThat(copy.endpoint()).isEqualTo(options.endpoint());
    }

    @Test
    void tokenWinsOverEndpointCredentials() {
        HubOptions options = HubOptions.builder().environment(Map.of())
                .endpoint("https://reader:secret@mirror.example").token("hf_abc").build();

        assertThat(options.authorization()).contains("Bearer hf_abc");
    }

    @Test
    void invalidEndpointMessageHidesItsCredentials() {
        assertThatThrownBy(() -> HubOptions.builder().environment(Map.of())
                .endpoint("http://reader:s3cret@mirror.example:port/").build())
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("'http://***@mirror.example:port/'")
                .hasMessageNotContaining("s3cret")
                .hasNoCause();
        assertThat(HubOptions.redact("see http://a:b@h/x and https://c@d/?q=e@f")).isEqualTo("see http://***@h/x and https://***@d/?q=e@f");
    }

    @Test
    void downloadBoundsHaveGenerousDefaultsAndMustBePositive() {
        HubOptions options = HubOptions.builder().environment(Map.of()).build();

        assertThat(options.downloadTimeout()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(options.stallTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(options.maxDownloadSize()).isEqualTo(20L << 30);
        assertThatThrownBy(() -> HubOptions.builder().downloadTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HubOptions.builder().stallTimeout(java.time.Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HubOptions.builder().maxDownloadSize(0)).isInstanceOf(IllegalArgumentException.class);
        HubOptions custom = options.toBuilder().downloadTimeout(java.time.Duration.ofSeconds(5))
                .stallTimeout(java.time.Duration.ofSeconds(2)).maxDownloadSize(1000).build().toBuilder().build();
        assertThat(custom.downloadTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(custom.stallTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(custom.maxDownloadSize()).isEqualTo(1000);
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> HubOptions.builder().retries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HubOptions.builder().readTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HubOptions.builder().revision("../main")).isInstanceOf(FastEmbedException.class);
    }
}

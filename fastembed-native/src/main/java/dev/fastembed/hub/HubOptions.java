package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where and how models are downloaded. Each setting comes from the builder if set there, else from the
 * environment variable fastembed and huggingface_hub read, else from a default:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>environment</th><th>default</th></tr>
 *   <tr><td>cache folder</td><td>{@code FASTEMBED_CACHE_PATH}</td><td>{@code ~/.fastembed_cache}</td></tr>
 *   <tr><td>endpoint</td><td>{@code HF_ENDPOINT}</td><td>{@code https://huggingface.co}</td></tr>
 *   <tr><td>token</td><td>{@code HF_TOKEN}</td><td>none</td></tr>
 *   <tr><td>offline</td><td>{@code HF_HUB_OFFLINE} (1/true/yes/on)</td><td>false</td></tr>
 * </table>
 *
 * <p>The environment is read through a lookup function (default {@link System#getenv(String)}) when
 * {@link Builder#build()} runs, so tests can supply their own.
 */
public final class HubOptions {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    public static final String DEFAULT_REVISION = "main";
    public static final String CACHE_PATH_VARIABLE = "FASTEMBED_CACHE_PATH";
    public static final String ENDPOINT_VARIABLE = "HF_ENDPOINT";
    public static final String TOKEN_VARIABLE = "HF_TOKEN";
    public static final String OFFLINE_VARIABLE = "HF_HUB_OFFLINE";

    private static final Set<String> TRUE_VALUES = Set.of("1", "true", "yes", "on");

    private final Path cacheDir;
    private final URI endpoint;
    private final String token;
    private final boolean offline;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int retries;
    private final Duration retryBackoff;
    private final String revision;
    private final Function<String, String> environment;

    private HubOptions(Builder builder) {
        Function<String, String> env = builder.environment;
        this.environment = env;
        this.cacheDir = resolveCacheDir(builder.cacheDir, env.apply(CACHE_PATH_VARIABLE));
        this.endpoint = parseEndpoint(firstNonBlank(builder.endpoint, env.apply(ENDPOINT_VARIABLE), DEFAULT_ENDPOINT));
        this.token = firstNonBlank(builder.token, env.apply(TOKEN_VARIABLE), null);
        this.offline = builder.offline != null ? builder.offline : isTrue(env.apply(OFFLINE_VARIABLE));
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.retries = builder.retries;
        this.retryBackoff = builder.retryBackoff;
        this.revision = HubNames.requireRevision(builder.revision);
    }

    /** Options from the environment and defaults only. */
    public static HubOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these (already resolved) settings. */
    public Builder toBuilder() {
        Builder builder = new Builder().cacheDir(cacheDir).endpoint(endpoint.toString()).offline(offline)
                .connectTimeout(connectTimeout).readTimeout(readTimeout).retries(retries)
                .retryBackoff(retryBackoff).revision(revision).environment(environment);
        builder.token = token;
        return builder;
    }

    /** The cache folder (Hugging Face hub layout: {@code models--org--name/blobs|snapshots|refs}). */
    public Path cacheDir() {
        return cacheDir;
    }

    /** The hub or mirror, without trailing slash; files are at {@code {endpoint}/{repo}/resolve/{revision}/{file}}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The token sent as {@code Authorization: Bearer} to the endpoint, if any. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** True: never touch the network, use the cache only. */
    public boolean offline() {
        return offline;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Longest wait for response headers, and longest pause between two chunks of a download. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** Further attempts after a failed one (network errors, timeouts, 5xx, 429, a corrupt download). */
    public int retries() {
        return retries;
    }

    /** Wait before the first retry; doubles for each further one. */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** The revision used when a caller names none (default {@code main}). */
    public String revision() {
        return revision;
    }

    @Override
    public String toString() {
        return "HubOptions[cacheDir=" + cacheDir + ", endpoint=" + endpoint + ", token=" + (token == null ? "none" : "***")
                + ", offline=" + offline + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", retries=" + retries + ", retryBackoff=" + retryBackoff + ", revision=" + revision + "]";
    }

    private static Path resolveCacheDir(Path option, String fromEnvironment) {
        if (option != null) {
            return option.toAbsolutePath().normalize();
        }
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment.strip()).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".fastembed_cache").toAbsolutePath().normalize();
    }

    private static URI parseEndpoint(String value) {
        String trimmed = value.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = URI.create(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT,
                    "Invalid Hugging Face endpoint '" + value + "': expected an http(s) URL such as "
                            + DEFAULT_ENDPOINT, e);
        }
    }

    private static boolean isTrue(String value) {
        return value != null && TRUE_VALUES.contains(value.strip().toLowerCase(Locale.ROOT));
    }

    private static String firstNonBlank(String option, String fromEnvironment, String fallback) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        return fallback;
    }

    /** Settings left unset fall back to the environment, then to the defaults. */
    public static final class Builder {
        private Path cacheDir;
        private String endpoint;
        private String token;
        private Boolean offline;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private int retries = 3;
        private Duration retryBackoff = Duration.ofSeconds(1);
        private String revision = DEFAULT_REVISION;
        private Function<String, String> environment = System::getenv;

        private Builder() {
        }

        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
            return this;
        }

        /** Hub or mirror base URL, e.g. {@code https://hf-mirror.com}. */
        public Builder endpoint(String endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        public Builder retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must not be negative, got " + retries);
            }
            this.retries = retries;
            return this;
        }

        public Builder retryBackoff(Duration backoff) {
            Objects.requireNonNull(backoff, "retryBackoff");
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("retryBackoff must not be negative, got " + backoff);
            }
            this.retryBackoff = backoff;
            return this;
        }

        public Builder revision(String revision) {
            this.revision = HubNames.requireRevision(revision);
            return this;
        }

        /** The environment variable lookup (default {@link System#getenv(String)}); may return null. */
        public Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Shorthand for {@link #environment(Function)} with a fixed map. */
        public Builder environment(Map<String, String> environment) {
            Map<String, String> copy = Map.copyOf(environment);
            return environment(copy::get);
        }

        public HubOptions build() {
            return new HubOptions(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}

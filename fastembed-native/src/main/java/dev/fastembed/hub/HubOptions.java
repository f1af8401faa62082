package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

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
 *
 * <p>Credentials in the endpoint ({@code https://user:password@host}) are taken out of it: {@link #endpoint()} has
 * none, and they are sent as HTTP basic authentication to the endpoint's host only (never to the CDN an LFS file
 * redirects to), unless a token is set, which then is sent instead. Neither credentials nor token appear in
 * {@link #toString()}, in log lines or in exception messages.
 *
 * <p>Every download ends: {@link #downloadTimeout()} bounds one file's fetch (all attempts), {@link #stallTimeout()}
 * a pause in its body, and no more bytes are written than the hub announced, or than {@link #maxDownloadSize()}
 * when it announced none.
 */
public final class HubOptions {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    public static final String DEFAULT_REVISION = "main";
    public static final String CACHE_PATH_VARIABLE = "FASTEMBED_CACHE_PATH";
    public static final String ENDPOINT_VARIABLE = "HF_ENDPOINT";
    public static final String TOKEN_VARIABLE = "HF_TOKEN";
    public static final String OFFLINE_VARIABLE = "HF_HUB_OFFLINE";

    /** Default of {@link #downloadTimeout()}: 30 minutes, room for a 2 GB model at ~1 MB/s. */
    public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofMinutes(30);
    /** Default of {@link #stallTimeout()}. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);
    /** Default of {@link #maxDownloadSize()}: 20 GiB. */
    public static final long DEFAULT_MAX_DOWNLOAD_SIZE = 20L << 30;

    private static final Set<String> TRUE_VALUES = Set.of("1", "true", "yes", "on");
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/@\\s]*@");

    private final Path cacheDir;
    private final URI endpoint;
    private final String endpointUserInfo;
    private final String token;
    private final boolean offline;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration stallTimeout;
    private final Duration downloadTimeout;
    private final long maxDownloadSize;
    private final int retries;
    private final Duration retryBackoff;
    private final String revision;
    private final Function<String, String> environment;

    private HubOptions(Builder builder) {
        Function<String, String> env = builder.environment;
        this.environment = env;
        this.cacheDir = resolveCacheDir(builder.cacheDir, env.apply(CACHE_PATH_VARIABLE));
        URI withUserInfo = parseEndpoint(firstNonBlank(builder.endpoint, env.apply(ENDPOINT_VARIABLE), DEFAULT_ENDPOINT));
        this.endpointUserInfo = withUserInfo.getRawUserInfo();
        this.endpoint = withoutUserInfo(withUserInfo);
        this.token = firstNonBlank(builder.token, env.apply(TOKEN_VARIABLE), null);
        this.offline = builder.offline != null ? builder.offline : isTrue(env.apply(OFFLINE_VARIABLE));
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.stallTimeout = builder.stallTimeout;
        this.downloadTimeout = builder.downloadTimeout;
        this.maxDownloadSize = builder.maxDownloadSize;
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
        Builder builder = new Builder().cacheDir(cacheDir).offline(offline)
                .connectTimeout(connectTimeout).readTimeout(readTimeout).stallTimeout(stallTimeout)
                .downloadTimeout(downloadTimeout).maxDownloadSize(maxDownloadSize).retries(retries)
                .retryBackoff(retryBackoff).revision(revision).environment(environment);
        builder.endpoint = endpointUserInfo == null ? endpoint.toString()
                : endpoint.getScheme() + "://" + endpointUserInfo + "@" + endpoint.getRawAuthority()
                        + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
        builder.token = token;
        return builder;
    }

    /** The cache folder (Hugging Face hub layout: {@code models--org--name/blobs|snapshots|refs}). */
    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * The hub or mirror, without trailing slash and without credentials; files are at
     * {@code {endpoint}/{repo}/resolve/{revision}/{file}}.
     */
    public URI endpoint() {
        return endpoint;
    }

    /** True when the configured endpoint carried {@code user:password@} (used as basic authentication). */
    public boolean endpointHasCredentials() {
        return endpointUserInfo != null;
    }

    /** The {@code Authorization} value for the endpoint's host: the token as bearer, else the endpoint's user-info. */
    Optional<String> authorization() {
        if (token != null) {
            return Optional.of("Bearer " + token);
        }
        if (endpointUserInfo != null) {
            String userInfo = URLDecoder.decode(endpointUserInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
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

    /** Longest wait for the response headers of a request. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** Longest pause within a download's body (no byte for this long: the attempt fails; default 60 s). */
    public Duration stallTimeout() {
        return stallTimeout;
    }

    /**
     * Longest time one file's fetch may take, metadata request, every attempt and the waits between them included
     * (default 30 min). When it passes the fetch fails; what arrived is kept and resumed by the next fetch.
     */
    public Duration downloadTimeout() {
        return downloadTimeout;
    }

    /** Most bytes written for a file whose size the hub does not announce (default 20 GiB). */
    public long maxDownloadSize() {
        return maxDownloadSize;
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
        String shownEndpoint = endpointUserInfo == null ? endpoint.toString()
                : endpoint.getScheme() + "://***@" + endpoint.toString().substring(endpoint.getScheme().length() + 3);
        return "HubOptions[cacheDir=" + cacheDir + ", endpoint=" + shownEndpoint
                + ", token=" + (token == null ? "none" : "***") + ", offline=" + offline + ", connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + ", stallTimeout=" + stallTimeout
                + ", downloadTimeout=" + downloadTimeout + ", maxDownloadSize=" + maxDownloadSize + ", retries=" + retries
                + ", retryBackoff=" + retryBackoff + ", revision=" + revision + "]";
    }

    /**
     * {@code text} with the user-info of every URL in it ({@code //user:password@}) replaced by {@code ***}: for
     * messages and logs that show a configured URL.
     */
    public static String redact(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("***@");
    }

    private static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        String authority = uri.getRawAuthority();
        return URI.create(uri.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath()));
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
            // The cause's message quotes the URL: leave it out, it may hold a password.
            throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT,
                    "Invalid Hugging Face endpoint '" + redact(value) + "': expected an http(s) URL such as "
                            + DEFAULT_ENDPOINT);
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
        private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
        private Duration downloadTimeout = DEFAULT_DOWNLOAD_TIMEOUT;
        private long maxDownloadSize = DEFAULT_MAX_DOWNLOAD_SIZE;
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

        /**
         * Hub or mirror base URL, e.g. {@code https://hf-mirror.com}; {@code https://user:password@host} sends the
         * credentials as basic authentication (see the class comment).
         */
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

        public Builder stallTimeout(Duration timeout) {
            this.stallTimeout = positive(timeout, "stallTimeout");
            return this;
        }

        public Builder downloadTimeout(Duration timeout) {
            this.downloadTimeout = positive(timeout, "downloadTimeout");
            return this;
        }

        public Builder maxDownloadSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxDownloadSize must be positive, got " + bytes);
            }
            this.maxDownloadSize = bytes;
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

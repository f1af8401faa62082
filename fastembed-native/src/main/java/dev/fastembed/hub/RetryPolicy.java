package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * How {@link HuggingFaceHub} repeats a failed request or download: {@link HubOptions#retries()} more tries after
 * I/O errors and {@link RetryableFailure}s, exponential back-off from {@link HubOptions#retryBackoff()} (at most
 * 30 s, never past the deadline), a warning per failed try and one error naming every try's count at the end.
 */
final class RetryPolicy {

    private static final Logger log = LoggerFactory.getLogger(HuggingFaceHub.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final HubOptions options;

    RetryPolicy(HubOptions options) {
        this.options = options;
    }

    /** One try; throws IOException or RetryableFailure when another try may succeed. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws IOException, InterruptedException, RetryableFailure;
    }

    /**
     * Runs {@code attempt} up to {@link HubOptions#retries()} + 1 times, waiting between tries, until the deadline;
     * {@code what} and {@code url} name the fetch in messages.
     */
    <T> T run(String what, URI url, Deadline deadline, Attempt<T> attempt) {
        int attempts = options.retries() + 1;
        Exception last = null;
        for (int i = 1; i <= attempts; i++) {
            try {
                return attempt.run();
            } catch (IOException | RetryableFailure e) {
                last = e;
                if (deadline.passed()) {
                    throw deadline.exceeded(what, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Interrupted while fetching " + what, e);
            }
            if (i < attempts) {
                Duration wait = backoff(i);
                Duration left = Duration.ofNanos(Math.max(0, deadline.remainingNanos()));
                wait = wait.compareTo(left) < 0 ? wait : left;
                log.warn("Fetching {} failed ({}), attempt {} of {}; retrying in {} ms", what, describe(last), i,
                        attempts, wait.toMillis());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Interrupted while fetching " + what, e);
                }
            }
        }
        throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD,
                "Could not fetch " + what + " from " + HubHttp.where(url) + " (" + attempts + " attempt" + (attempts == 1 ? "" : "s")
                        + "): " + describe(last), last);
    }

    private Duration backoff(int failedAttempts) {
        Duration wait = options.retryBackoff().multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private String describe(Exception e) {
        return HubOptions.redact(describeUnredacted(e));
    }

    private String describeUnredacted(Exception e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + options.connectTimeout().toMillis() + " ms (connect timeout)";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out: " + e.getMessage() + " within " + options.readTimeout().toMillis() + " ms (read timeout)";
        }
        if (e instanceof ConnectException) {
            return "connection refused or unreachable";
        }
        if (e instanceof RetryableFailure) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}

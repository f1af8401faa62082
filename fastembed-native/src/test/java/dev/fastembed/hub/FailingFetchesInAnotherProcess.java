package dev.fastembed.hub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Entry point of the child JVM in {@link HuggingFaceHubTest#noSecretInAnyLogLineOrMessageOfFailingDownloads()}:
 * with an endpoint carrying user:password@ and a token, both from the environment lookup, it prints the options,
 * fetches each file (printing the path, or the whole stack trace of the failure), then builds options with a
 * malformed endpoint holding the same credentials and prints that failure too. Every log level is on, so the
 * parent sees all output there is.
 *
 * <p>Arguments: endpoint, token, cache folder, repo, files...
 */
public final class FailingFetchesInAnotherProcess {

    private FailingFetchesInAnotherProcess() {
    }

    public static void main(String[] args) {
        HubOptions options = HubOptions.builder()
                .environment(Map.of(HubOptions.ENDPOINT_VARIABLE, args[0], HubOptions.TOKEN_VARIABLE, args[1]))
                .cacheDir(Path.of(args[2]))
                .retries(1)
                .retryBackoff(Duration.ofMillis(10))
                .build();
        System.out.println(options);
        try (HuggingFaceHub hub = new HuggingFaceHub(options)) {
            for (int i = 4; i < args.length; i++) {
                try {
                    hub.fetch(args[3], args[i]);
                    System.out.println("FETCHED " + args[i]);
                } catch (RuntimeException e) {
                    e.printStackTrace(System.out);
                }
            }
        }
        try {
            HubOptions.builder().environment(Map.of()).endpoint(args[0].replaceFirst(":(\\d+)$", ":port$1")).build();
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
        }
    }
}

package dev.fastembed.hub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Entry point of the child JVMs in {@link HuggingFaceHubTest}: waits until an agreed instant so the children
 * start fetching together, fetches one file and prints its path.
 *
 * <p>Arguments: endpoint, cache folder, repo, file, start instant (epoch millis).
 */
public final class FetchInAnotherProcess {

    private FetchInAnotherProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (HuggingFaceHub hub = new HuggingFaceHub(HubOptions.builder()
                .endpoint(args[0])
                .cacheDir(Path.of(args[1]))
                .environment(Map.of())
                .retries(0)
                .readTimeout(Duration.ofSeconds(20))
                .build())) {
            long waitMillis = Long.parseLong(args[4]) - System.currentTimeMillis();
            if (waitMillis > 0) {
                Thread.sleep(waitMillis);
            }
            System.out.println(hub.fetch(args[2], "main", args[3]));
        }
    }
}

package dev.fastembed.reliability;

import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.testing.TestModels;

import java.util.Arrays;

/**
 * Run in a JVM of its own by {@link TwoJvmsTest}: waits for a common start time, loads the native
 * libraries (extracting them into the folder given by {@code -Dfastembed.native.dir}) and bge-small, embeds
 * one text and prints its vector on one line.
 *
 * <p>usage: EmbedInAnotherJvm &lt;start at, epoch millis&gt; &lt;text&gt;
 */
public final class EmbedInAnotherJvm {

    private EmbedInAnotherJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        long startAt = Long.parseLong(args[0]);
        var files = TestModels.BGE_SMALL_EN_V15.files();
        Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
        try (TextEmbedding model = TextEmbedding.builder().modelFiles(files).pooling(Pooling.CLS).threads(1).build()) {
            System.out.println("VECTOR " + Arrays.toString(model.embed(args[1])));
        }
    }
}

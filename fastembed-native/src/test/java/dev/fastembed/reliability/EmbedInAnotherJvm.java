package dev.fastembed.reliability;

import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.testing.TestModels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Run in a JVM of its own by {@link TwoJvmsTest}: loads the native libraries (extracting them into the folder
 * given by {@code -Dfastembed.native.dir}) and bge-small, embeds one text and prints its vector on one line.
 *
 * <p>With {@value #WAIT_FOR_GO} it first prepares everything that does not touch the native libraries, prints
 * {@value #READY_LINE} and blocks until {@code GO} arrives on its standard input, so the parent can release
 * several JVMs at the same moment. With {@value #AT_ONCE} it starts straight away.
 *
 * <p>usage: EmbedInAnotherJvm (--wait-for-go | --at-once) &lt;text&gt;
 */
public final class EmbedInAnotherJvm {

    static final String WAIT_FOR_GO = "--wait-for-go";
    static final String AT_ONCE = "--at-once";
    static final String READY_LINE = "READY";
    static final String GO_LINE = "GO\n";

    private EmbedInAnotherJvm() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals(WAIT_FOR_GO) || args[0].equals(AT_ONCE))) {
            throw new IllegalArgumentException("usage: EmbedInAnotherJvm (--wait-for-go | --at-once) <text>");
        }
        var files = TestModels.BGE_SMALL_EN_V15.files();
        var builder = TextEmbedding.builder().modelFiles(files).pooling(Pooling.CLS).threads(1);
        if (args[0].equals(WAIT_FOR_GO)) {
            System.out.println(READY_LINE);
            System.out.flush();
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!GO_LINE.strip().equals(go)) {
                System.err.println("EmbedInAnotherJvm: expected GO on standard input, got " + go);
                System.exit(2);
            }
        }
        try (TextEmbedding model = builder.build()) {
            System.out.println("VECTOR " + Arrays.toString(model.embed(args[1])));
        }
    }
}

package dev.fastembed.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Varied real texts for parity tests, including long ones from the licence texts every Debian system has. */
public final class TestTexts {

    private TestTexts() {
    }

    /** Short texts across scripts, symbols and edge cases. */
    public static List<String> varied() {
        return List.of(
                "Hello, world!",
                "The quick brown fox jumps over the lazy dog.",
                "Café crème brûlée à la française, naïve façade.",
                "東京は日本の首都です。北京是中国的首都。",
                "Emoji: 🚀🔥👍🏽 and a family 👨‍👩‍👧‍👦.",
                "Tabs\tand\nnewlines\r\nand   many    spaces",
                "control\u0000chars\u0007here\u001b[0m",
                "Ünïcödé with combining: e\u0301 a\u0308 o\u0302",
                "مرحبا بالعالم — שלום עולם",
                "Numbers 3.14159, 1,000,000 and dates 2026-11-26.",
                "URLs like https://example.com/path?q=1&r=2 and emails a.b@example.org",
                "UPPERCASE lowercase MiXeD",
                "",
                " ",
                "a");
    }

    /** Paragraphs of real English prose of mixed length, including several beyond 400 tokens. */
    public static List<String> paragraphs(int count) {
        List<String> out = new ArrayList<>();
        for (String licence : List.of("Apache-2.0", "GPL-3", "LGPL-2.1", "MPL-2.0", "Artistic")) {
            Path file = Path.of("/usr/share/common-licenses", licence);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                Arrays.stream(Files.readString(file).split("\\n\\s*\\n"))
                        .map(String::strip)
                        .filter(p -> p.length() > 20)
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no licence texts under /usr/share/common-licenses");
        }
        return out.subList(0, Math.min(count, out.size()));
    }

    /** A text far longer than any model's maximum length. */
    public static String longText(int words) {
        List<String> source = paragraphs(200);
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < words * 6; i++) {
            text.append(source.get(i % source.size())).append(' ');
        }
        return text.toString();
    }
}

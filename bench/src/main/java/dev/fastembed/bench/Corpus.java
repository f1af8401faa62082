package dev.fastembed.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A deterministic corpus of real English prose of mixed length, cut from the licence texts every Debian
 * system ships ({@code /usr/share/common-licenses}) and then from {@code /usr/share/doc/<package>/copyright}
 * (essential packages first, the rest in name order), so no download is needed.
 *
 * <p>Paragraphs and sentences become candidates; a third each is short (a sentence or two), medium and long (a
 * paragraph, at most {@value #MAX_CHARS} characters so no contender has to truncate or split a text). The final
 * order is a fixed shuffle (by CRC-32 of the text), so lengths are mixed as a real workload would send them.
 * The corpus is identified by its SHA-256 in the results, since other machines may have other packages.
 */
final class Corpus {

    static final int SHORT_CHARS = 100;
    static final int MEDIUM_CHARS = 400;
    static final int MAX_CHARS = 1500;

    /** Packages of Debian's essential and required sets, whose copyright files every system has. */
    private static final List<String> BASE_PACKAGES = List.of("base-files", "bash", "coreutils", "dpkg", "apt",
            "tar", "grep", "sed", "gzip", "util-linux", "libc6", "perl-base", "debianutils", "diffutils",
            "findutils", "hostname", "login", "ncurses-base", "mawk", "dash", "e2fsprogs", "zlib1g", "gpgv");

    private static final Pattern FIELD = Pattern.compile("^[A-Z][A-Za-z-]*:( |$).*");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z(\"])");

    private Corpus() {
    }

    /** Shares of short, medium and long texts, in percent. */
    enum Mix {
        /** Mostly short texts, as queries and chat messages are (mean about 55 bge tokens). */
        MIXED(40, 35),
        /** Mostly paragraphs, as documents being ingested are (mean about 100 bge tokens). */
        LONG(5, 25);

        final int shortPercent;
        final int mediumPercent;

        Mix(int shortPercent, int mediumPercent) {
            this.shortPercent = shortPercent;
            this.mediumPercent = mediumPercent;
        }
    }

    static List<String> build(int count) {
        return build(count, Mix.MIXED);
    }

    /** {@code count} texts in the shares of {@code mix}. */
    static List<String> build(int count, Mix mix) {
        Candidates candidates = new Candidates();
        for (Path file : sourceFiles()) {
            candidates.addFile(file);
            if (candidates.enough(count, mix)) {
                break;
            }
        }
        int shortCount = count * mix.shortPercent / 100;
        int mediumCount = count * mix.mediumPercent / 100;
        int longCount = count - shortCount - mediumCount;
        List<String> texts = new ArrayList<>(count);
        texts.addAll(spread(candidates.shortTexts, shortCount));
        texts.addAll(spread(candidates.mediumTexts, mediumCount));
        texts.addAll(spread(candidates.longTexts, longCount));
        if (texts.size() < count) {
            throw new IllegalStateException("only " + texts.size() + " distinct texts found on this machine, " + count + " needed");
        }
        texts.sort(Comparator.comparingLong(Corpus::crc).thenComparing(Comparator.naturalOrder()));
        return texts;
    }

    static String sha256(List<String> texts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String text : texts) {
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Short texts for the single-text latency test: the corpus's sentences of 40 to 100 characters. */
    static List<String> shortTexts(List<String> corpus, int count) {
        List<String> candidates = corpus.stream().filter(t -> t.length() >= 40 && t.length() < SHORT_CHARS).toList();
        List<String> picked = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            picked.add(candidates.get(i % candidates.size()));
        }
        return picked;
    }

    /** Evenly spaced picks, so every part of the source material is represented. */
    private static List<String> spread(List<String> pool, int count) {
        if (pool.size() <= count) {
            return pool;
        }
        List<String> picked = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            picked.add(pool.get((int) ((long) i * pool.size() / count)));
        }
        return picked;
    }

    private static List<Path> sourceFiles() {
        Set<Path> files = new LinkedHashSet<>();
        try {
            Path licenses = Path.of("/usr/share/common-licenses");
            if (Files.isDirectory(licenses)) {
                try (Stream<Path> list = Files.list(licenses)) {
                    // Symbolic links (GPL → GPL-3, ...) resolve to a file already listed.
                    list.sorted().map(Corpus::real).filter(Files::isRegularFile).forEach(files::add);
                }
            }
            for (String name : BASE_PACKAGES) {
                Path copyright = Path.of("/usr/share/doc", name, "copyright");
                if (Files.isRegularFile(copyright)) {
                    files.add(real(copyright));
                }
            }
            try (Stream<Path> docs = Files.list(Path.of("/usr/share/doc"))) {
                docs.sorted().map(d -> d.resolve("copyright")).filter(Files::isRegularFile).map(Corpus::real)
                        .forEach(files::add);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the corpus sources: " + e.getMessage(), e);
        }
        return List.copyOf(files);
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    private static long crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** Distinct prose candidates by length class, in source order. */
    private static final class Candidates {
        private final Set<String> seen = new LinkedHashSet<>();
        final List<String> shortTexts = new ArrayList<>();
        final List<String> mediumTexts = new ArrayList<>();
        final List<String> longTexts = new ArrayList<>();

        /** Three times what is needed per class, so the evenly spaced picks still have choice. */
        boolean enough(int count, Mix mix) {
            int longPercent = 100 - mix.shortPercent - mix.mediumPercent;
            return shortTexts.size() >= count * 3 * mix.shortPercent / 100
                    && mediumTexts.size() >= count * 3 * mix.mediumPercent / 100
                    && longTexts.size() >= count * 3 * longPercent / 100;
        }

        void addFile(Path file) {
            String content;
            try {
                content = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return; // not UTF-8 or unreadable: skip, the corpus is what the other files give
            }
            for (String paragraph : paragraphs(content)) {
                add(paragraph);
                for (String sentence : SENTENCE_END.split(paragraph)) {
                    if (!sentence.equals(paragraph)) {
                        add(sentence);
                    }
                }
            }
        }

        private void add(String text) {
            if (!isProse(text) || !seen.add(text)) {
                return;
            }
            if (text.length() < SHORT_CHARS) {
                shortTexts.add(text);
            } else if (text.length() < MEDIUM_CHARS) {
                mediumTexts.add(text);
            } else if (text.length() <= MAX_CHARS) {
                longTexts.add(text);
            }
        }

        /**
         * Blocks separated by blank lines (or by the " ." lines of machine-readable copyright files), each
         * joined to one line with single spaces.
         */
        private static List<String> paragraphs(String content) {
            List<String> paragraphs = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : content.split("\\R")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.equals(".")) {
                    flush(current, paragraphs);
                    continue;
                }
                if (FIELD.matcher(line).matches()) {
                    // a "Field: value" line of a machine-readable copyright file starts a new block
                    flush(current, paragraphs);
                }
                if (!current.isEmpty()) {
                    current.append(' ');
                }
                current.append(trimmed);
            }
            flush(current, paragraphs);
            return paragraphs;
        }

        private static void flush(StringBuilder current, List<String> paragraphs) {
            if (!current.isEmpty()) {
                paragraphs.add(current.toString().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }

        /** Sentences of words: no field lines, no lists of names, e-mails and years. */
        private static boolean isProse(String text) {
            if (FIELD.matcher(text).matches() || text.split(" ").length < 5) {
                return false;
            }
            long letters = text.chars().filter(c -> Character.isLetter(c) || c == ' ').count();
            long digits = text.chars().filter(Character::isDigit).count();
            return letters >= text.length() * 0.8 && digits <= text.length() * 0.05 && !text.contains("@")
                    && text.chars().allMatch(c -> c < 0x2000);
        }
    }

    /** Lengths by class, for the report. */
    static Map<String, Integer> classCounts(List<String> texts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("short (< " + SHORT_CHARS + " chars)", (int) texts.stream().filter(t -> t.length() < SHORT_CHARS).count());
        counts.put("medium (< " + MEDIUM_CHARS + " chars)", (int) texts.stream()
                .filter(t -> t.length() >= SHORT_CHARS && t.length() < MEDIUM_CHARS).count());
        counts.put("long (≤ " + MAX_CHARS + " chars)", (int) texts.stream().filter(t -> t.length() >= MEDIUM_CHARS).count());
        return counts;
    }
}

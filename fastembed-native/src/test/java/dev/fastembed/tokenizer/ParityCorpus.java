package dev.fastembed.tokenizer;

import dev.fastembed.testing.TestTexts;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Texts for tokenizer parity: hand-picked trouble spots, real prose, and seeded random strings. */
final class ParityCorpus {

    private ParityCorpus() {
    }

    /** A single text, or a pair when {@code second} is not null. */
    record Input(String first, String second) {
        @Override
        public String toString() {
            String shown = second == null ? first : first + " ||| " + second;
            return shown.length() > 120 ? shown.substring(0, 120) + "…" : shown;
        }
    }

    static List<String> varied() {
        List<String> texts = new ArrayList<>(TestTexts.varied());
        texts.addAll(List.of(
                "Straße İstanbul ΣΑΣ ǅ ﬁ ﬂ ① ² ½ Ⅻ ｆｕｌｌｗｉｄｔｈ",
                "你好，世界！这是一个测试。日本語のテキスト、カタカナ ひらがな。한국어 텍스트",
                "RTL: שלום עולם مرحبا بالعالم ‏mixed‎ direction",
                "ZWJ and friends: a\u200bb\u200cc\u200dd\ufeffe \u00a0nbsp\u2003em\u3000ideographic",
                "Combining marks: x" + "\u0301".repeat(30) + " Z\u0351\u0352\u0353 q\u0323\u0302",
                "Controls \u0001\u0002\u0003\u007f\u0085\u008f and replacement \ufffd",
                "Math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐛𝐨𝐥𝐝 and circled Ⓐⓑ ⒜ ㈱, Thai ภาษาไทย, Hindi हिन्दी",
                "whitespace     runs\t\t\tand\n\n\nblank lines     ",
                "don't won't it's I'm we've they're y'all O'Neil",
                "[CLS] [SEP] [MASK] <s> </s> <mask> <unk> <|endoftext|> <0x41> inline[MASK]x",
                "supercalifragilisticexpialidocious " + "a".repeat(150),
                "word ".repeat(400)));
        texts.addAll(TestTexts.paragraphs(20));
        texts.add(TestTexts.longText(3_000));
        return texts;
    }

    static List<Input> pairs() {
        List<Input> pairs = new ArrayList<>();
        pairs.add(new Input("what is a tokenizer?", "A tokenizer splits text into tokens."));
        pairs.add(new Input("", "empty query"));
        pairs.add(new Input("empty document", ""));
        pairs.add(new Input("什么是分词？", "Réponse: c'est ça. ".repeat(60)));
        pairs.add(new Input("long query " + "words ".repeat(300), "short"));
        List<String> paragraphs = TestTexts.paragraphs(12);
        for (int i = 0; i + 1 < paragraphs.size(); i += 2) {
            pairs.add(new Input(paragraphs.get(i), paragraphs.get(i + 1)));
        }
        return pairs;
    }

    /** Code point ranges random texts draw from: many scripts and planes, marks, controls. */
    private static final int[][] RANGES = {
            {0x20, 0x7E}, {0xA0, 0x17F}, {0x300, 0x36F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x590, 0x6FF},
            {0x900, 0x97F}, {0xE00, 0xE7F}, {0x1100, 0x11FF}, {0x2000, 0x206F}, {0x20A0, 0x20CF},
            {0x2100, 0x218F}, {0x2460, 0x24FF}, {0x3000, 0x30FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
            {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFB00, 0xFB4F}, {0xFE00, 0xFE6F}, {0xFF00, 0xFFEF},
            {0x1F300, 0x1F6FF}, {0x1D400, 0x1D7FF}, {0x20000, 0x2A6DF}, {0x0, 0x1F}, {0x80, 0x9F},
            {0xE000, 0xE0FF}, {0x10000, 0x10FFFF}};
    private static final String ASCII =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"-_()[]{}<>@#$%^&*+=/\\|~`\t\n";
    private static final int[] LENGTHS = {0, 1, 2, 3, 5, 8, 13, 20, 40, 80, 200};

    /** {@code count} random inputs (one in ten a pair), reproducible from {@code seed}. */
    static List<Input> random(long seed, int count, List<String> specials) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Input> inputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String first = randomText(random, specials);
            inputs.add(new Input(first, random.nextInt(10) == 0 ? randomText(random, specials) : null));
        }
        return inputs;
    }

    private static String randomText(SplittableRandom random, List<String> specials) {
        int length = LENGTHS[random.nextInt(LENGTHS.length)];
        boolean asciiHeavy = random.nextInt(10) < 3;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (asciiHeavy) {
                text.append(ASCII.charAt(random.nextInt(ASCII.length())));
            } else {
                int[] range = RANGES[random.nextInt(RANGES.length)];
                int codePoint = range[0] + random.nextInt(range[1] - range[0] + 1);
                text.appendCodePoint(codePoint >= 0xD800 && codePoint <= 0xDFFF ? 'A' : codePoint);
            }
            if (random.nextInt(100) < 15) {
                text.append(' ');
            }
            if (random.nextInt(100) < 2) {
                text.append(specials.get(random.nextInt(specials.size())));
            }
        }
        return text.toString();
    }
}

package dev.fastembed.sample.index;

import org.springframework.ai.document.ContentFormatter;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.transformer.splitter.TokenTextSplitter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a document into chunks the model reads whole: Markdown first at its headings (a chunk never spans two
 * sections), then everything with Spring AI's {@link TokenTextSplitter}. Each chunk carries {@code source},
 * {@code title}, {@code section} (Markdown) and {@code format} metadata; the model embeds the title with the
 * chunk text, since a chunk in the middle of an article often does not say what the article is about.
 */
public class DocumentSplitter {

    public static final String SOURCE = "source";
    public static final String TITLE = "title";
    public static final String SECTION = "section";
    public static final String FORMAT = "format";
    /** The chunk's place in its document, from 0. */
    public static final String CHUNK = "chunk";
    /** How many chunks the document has. */
    public static final String CHUNKS = "chunks";

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})[ \\t]+(.+?)[ \\t#]*$", Pattern.MULTILINE);
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)", Pattern.MULTILINE);
    private static final int MAX_TITLE_LENGTH = 120;

    /** Embeds the title above the chunk; other metadata is bookkeeping, not meaning. */
    static final ContentFormatter TITLE_AND_TEXT = (document, mode) -> {
        Object title = document.getMetadata().get(TITLE);
        if (mode == MetadataMode.NONE || title == null || startsWithTitle(document.getText(), title.toString())) {
            return document.getText();
        }
        return title + "\n\n" + document.getText();
    };

    /** Whether the text's first line is the title already, as a Markdown heading or plain. */
    private static boolean startsWithTitle(String text, String title) {
        String firstLine = text.lines().findFirst().orElse("");
        return firstLine.replaceFirst("^ {0,3}#{1,6}[ \t]+", "").strip().equals(title);
    }

    private final TokenTextSplitter splitter;
    private final int shortPieceChars;

    /** @param chunkTokens target chunk size in cl100k tokens (the splitter's tokenizer) */
    public DocumentSplitter(int chunkTokens) {
        // About a quarter of a chunk, at roughly four characters per token.
        this.shortPieceChars = chunkTokens;
        this.splitter = TokenTextSplitter.builder()
                .withChunkSize(chunkTokens)
                .withMinChunkSizeChars(Math.min(350, chunkTokens))
                .withMinChunkLengthToEmbed(5)
                .withKeepSeparator(true)
                .build();
    }

    /** The document's chunks, in reading order; empty if it has no text. */
    public List<Document> split(SourceDocument document) {
        String title = titleOf(document);
        List<String> texts = new ArrayList<>();
        List<String> headings = new ArrayList<>();
        for (Section section : sections(document)) {
            if (section.body().isBlank()) {
                continue; // a heading directly followed by a sub-heading
            }
            for (String chunk : splitSection(section.text())) {
                texts.add(chunk);
                headings.add(section.heading());
            }
        }
        List<Document> chunks = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put(SOURCE, document.source());
            metadata.put(TITLE, title);
            // The title's own heading is no section: it already names the document.
            metadata.put(SECTION, headings.get(i).equals(title) ? "" : headings.get(i));
            metadata.put(FORMAT, document.format().label());
            metadata.put(CHUNK, i);
            metadata.put(CHUNKS, texts.size());
            Document chunk = new Document(texts.get(i), metadata);
            chunk.setContentFormatter(TITLE_AND_TEXT);
            chunks.add(chunk);
        }
        return chunks;
    }

    /**
     * The section cut by the token splitter. A last piece much shorter than a chunk (the splitter leaves a
     * sentence or two over) joins the piece before it: alone it has too little text to be found by meaning,
     * and together they stay well within the model's 512 tokens.
     */
    private List<String> splitSection(String text) {
        List<String> pieces = new ArrayList<>(splitter.split(new Document(text)).stream()
                .map(Document::getText).toList());
        if (pieces.size() > 1 && pieces.getLast().length() < shortPieceChars) {
            String last = pieces.removeLast();
            pieces.add(pieces.removeLast() + " " + last);
        }
        return pieces;
    }

    /** The given title, else the first heading (Markdown) or first line, else the source name. */
    public static String titleOf(SourceDocument document) {
        if (document.title() != null && !document.title().isBlank()) {
            return document.title().strip();
        }
        if (document.format() == TextFormat.MARKDOWN) {
            Matcher heading = HEADING.matcher(document.content());
            if (heading.find()) {
                return shorten(heading.group(2));
            }
        }
        return document.content().lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst()
                .filter(line -> line.length() <= MAX_TITLE_LENGTH)
                .orElse(document.source());
    }

    /** A heading (empty before the first one) and the lines under it. */
    private record Section(String heading, String headingLine, String body) {

        String text() {
            return headingLine.isEmpty() ? body.strip() : headingLine.strip() + "\n\n" + body.strip();
        }
    }

    /** Markdown split before each heading outside code fences; plain text as one section. */
    private static List<Section> sections(SourceDocument document) {
        if (document.format() != TextFormat.MARKDOWN) {
            return List.of(new Section("", "", document.content()));
        }
        List<Section> sections = new ArrayList<>();
        String heading = "";
        String headingLine = "";
        StringBuilder body = new StringBuilder();
        boolean inFence = false;
        for (String line : document.content().split("\\R", -1)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
            }
            Matcher match = inFence ? null : HEADING.matcher(line);
            if (match != null && match.matches()) {
                sections.add(new Section(heading, headingLine, body.toString()));
                heading = match.group(2).strip();
                headingLine = line;
                body.setLength(0);
                continue;
            }
            body.append(line).append('\n');
        }
        sections.add(new Section(heading, headingLine, body.toString()));
        return sections;
    }

    private static String shorten(String text) {
        String stripped = text.strip();
        return stripped.length() <= MAX_TITLE_LENGTH ? stripped : stripped.substring(0, MAX_TITLE_LENGTH) + "…";
    }
}

package dev.fastembed.sample.index;

import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentSplitterTest {

    private final DocumentSplitter splitter = new DocumentSplitter(256);

    @Test
    void markdownIsSplitAtHeadingsAndEachChunkKnowsItsSection() {
        List<Document> chunks = splitter.split(new SourceDocument("garden.md", null, TextFormat.MARKDOWN, """
                # Growing tomatoes

                Tomatoes need sun.

                ## Watering

                Water deeply twice a week.

                ## Pests

                Watch for hornworms.
                """));
        assertThat(chunks).extracting(chunk -> chunk.getMetadata().get(DocumentSplitter.SECTION))
                .as("the title's own heading is no section").containsExactly("", "Watering", "Pests");
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.getMetadata()).containsEntry(DocumentSplitter.TITLE, "Growing tomatoes")
                    .containsEntry(DocumentSplitter.SOURCE, "garden.md")
                    .containsEntry(DocumentSplitter.FORMAT, "markdown");
        });
        assertThat(chunks.get(1).getText()).isEqualTo("## Watering\n\nWater deeply twice a week.");
    }

    @Test
    void aHeadingWithoutTextOfItsOwnMakesNoChunk() {
        List<Document> chunks = splitter.split(new SourceDocument("a.md", null, TextFormat.MARKDOWN, """
                # Title
                ## First
                Some text here.
                """));
        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.getMetadata()).containsEntry(DocumentSplitter.SECTION, "First");
            assertThat(chunk.getMetadata()).containsEntry(DocumentSplitter.TITLE, "Title");
        });
    }

    @Test
    void hashesInsideCodeFencesAreNotHeadings() {
        List<Document> chunks = splitter.split(new SourceDocument("sh.md", null, TextFormat.MARKDOWN, """
                # Shell scripts

                Comments start with a hash:

                ```
                # this is a comment, not a heading
                echo hello
                ```
                """));
        assertThat(chunks).singleElement().satisfies(chunk ->
                assertThat(chunk.getText()).contains("# this is a comment, not a heading"));
    }

    @Test
    void theTitleIsEmbeddedWithChunksThatDoNotStartWithIt() {
        List<Document> chunks = splitter.split(new SourceDocument("bees.md", null, TextFormat.MARKDOWN, """
                # Honeybees

                Intro.

                ## Wax

                Wax comes from glands.
                """));
        assertThat(chunks.get(1).getFormattedContent(MetadataMode.EMBED))
                .isEqualTo("Honeybees\n\n## Wax\n\nWax comes from glands.");
        assertThat(chunks.get(0).getFormattedContent(MetadataMode.EMBED))
                .as("the first chunk starts with the title already").isEqualTo("# Honeybees\n\nIntro.");
    }

    @Test
    void plainTextTakesItsFirstLineAsTitleAndStaysOneSection() {
        SourceDocument text = new SourceDocument("notes.txt", null, TextFormat.TEXT,
                "\n  Shopping list\n\n# not a heading in plain text\nmilk, eggs\n");
        assertThat(DocumentSplitter.titleOf(text)).isEqualTo("Shopping list");
        assertThat(splitter.split(text)).singleElement().satisfies(chunk ->
                assertThat(chunk.getMetadata()).containsEntry(DocumentSplitter.SECTION, ""));
    }

    @Test
    void aGivenTitleWinsAndALongFirstLineFallsBackToTheSourceName() {
        assertThat(DocumentSplitter.titleOf(new SourceDocument("x.md", " Mine ", TextFormat.MARKDOWN, "# Theirs")))
                .isEqualTo("Mine");
        assertThat(DocumentSplitter.titleOf(new SourceDocument("long.txt", null, TextFormat.TEXT, "word ".repeat(40))))
                .isEqualTo("long.txt");
    }

    @Test
    void longSectionsAreCutIntoSeveralNumberedChunks() {
        String paragraph = "The quick brown fox jumps over the lazy dog near the river bank. ";
        List<Document> chunks = splitter.split(new SourceDocument("long.txt", "Long", TextFormat.TEXT,
                paragraph.repeat(60)));
        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.getText().length()).isLessThan(paragraph.length() * 25));
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).getMetadata()).containsEntry(DocumentSplitter.CHUNK, i)
                    .containsEntry(DocumentSplitter.CHUNKS, chunks.size());
        }
    }

    /** Whatever the length, no chunk is a stray sentence left over by the splitter, and no word is lost. */
    @Test
    void noChunkIsAShortLeftoverAndNoWordIsLost() {
        String sentence = "Tides rise and fall as the Moon pulls the oceans into two bulges. ";
        for (int sentences = 1; sentences <= 40; sentences++) {
            String text = sentence.repeat(sentences);
            List<Document> chunks = splitter.split(new SourceDocument("t.txt", "T", TextFormat.TEXT, text));
            if (chunks.size() > 1) {
                assertThat(chunks).as("%d sentences", sentences)
                        .allSatisfy(chunk -> assertThat(chunk.getText().length()).isGreaterThanOrEqualTo(256));
            }
            String joined = String.join(" ", chunks.stream().map(Document::getText).toList());
            assertThat(joined.split("\\s+")).as("%d sentences", sentences).isEqualTo(text.strip().split("\\s+"));
        }
    }
}

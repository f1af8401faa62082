package dev.fastembed.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Ingestion, search and embedding over HTTP, on the real embedded model and the bundled corpus. */
class SearchApiTest extends RunningSampleApp {

    private static final Set<String> STOPWORDS = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "at",
            "for", "with", "how", "why", "what", "when", "do", "does", "is", "it", "my", "your", "i", "you", "we",
            "its", "into", "from", "that", "they", "who", "before", "any", "some", "like", "keeps", "get", "up");

    @Test
    void bundledCorpusIsIngestedOnFirstStart() {
        HttpResponse<String> response = get("/api/documents");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> sources = read(response.body(), "$.items[*].source");
        assertThat(sources).contains("tides.txt", "honeybees.md", "black-holes.md", "git-branches.md",
                "tcp-handshake.md", "vaccines.txt");
        assertThat(sources).as("ABOUT is not a .md or .txt file").doesNotContain("ABOUT");
        int chunks = read(response.body(), "$.chunks");
        assertThat(chunks).isGreaterThanOrEqualTo(sources.size());
    }

    /**
     * Each query says what one document is about in other words: no word of the query is in the document's
     * title, so ranking it first takes meaning, not word overlap.
     */
    @ParameterizedTest(name = "{1} → {0}")
    @CsvSource(delimiter = '|', textBlock = """
            tides.txt              | why does the ocean rise and fall along the shore twice daily
            honeybees.md           | how do insects turn flower juice into a sweet food they store
            black-holes.md         | what happens to an astronaut who falls into a collapsed star
            sourdough.md           | a loaf that rises from a fermented flour paste instead of packaged yeast
            photosynthesis.txt     | how do leaves turn sunshine, air and water into sugar
            tcp-handshake.md       | how does a computer connection get set up before any data flows
            composting.md          | turning kitchen scraps into rich garden soil
            vaccines.txt           | why a shot in the arm keeps you from getting ill years later
            marathon-training.md   | preparing your legs for a 42 km road race
            sleep.md               | why do I dream most vividly in the early morning
            password-security.md   | how to stop criminals logging into my email
            volcanoes.md           | what makes a mountain explode and spew ash
            chess-openings.md      | good first moves on the board to control the middle squares
            coffee-roasting.txt    | when does a heated bean audibly pop and what does it taste like
            bicycle-maintenance.md | oiling the drive chain and checking tyre inflation
            git-branches.md        | combine my feature work with the main line of history
            """)
    void paraphrasedQueryFindsTheRightDocumentFirst(String expectedSource, String query) {
        HttpResponse<String> response = search(query, 3);
        assertThat(response.statusCode()).isEqualTo(200);
        String title = read(get("/api/documents/" + expectedSource).body(), "$.title");
        assertThat(contentWords(query)).as("query shares no word with the title '%s'", title)
                .doesNotContainAnyElementsOf(contentWords(title));

        List<String> sources = read(response.body(), "$.results[*].source");
        List<Double> scores = read(response.body(), "$.results[*].score");
        assertThat(sources).first().isEqualTo(expectedSource);
        assertThat(sources).as("one result per document").doesNotHaveDuplicates();
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(scores.get(0)).isBetween(0.0, 1.0);
        assertThat(read(response.body(), "$.mode").toString()).isEqualTo("dense");
    }

    @Test
    void ingestedMarkdownBecomesSearchableAndReingestingReplacesIt() {
        String markdown = """
                # Keeping a lighthouse

                ## The lamp

                Before automation, a keeper climbed the tower every evening at dusk to light the lamp, trimmed its
                wick through the night and polished the great glass lens so that the beam reached ships far out at
                sea.

                ## The foghorn

                When fog rolled in and the light could not be seen, the keeper started the foghorn, whose deep
                blasts warned sailors away from the rocks.
                """;
        HttpResponse<String> created = postJson("/api/documents",
                "{\"source\": \"lighthouse.md\", \"content\": " + json(markdown) + "}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/api/documents/lighthouse.md"));
        assertThat(read(created.body(), "$.title").toString()).isEqualTo("Keeping a lighthouse");
        assertThat(read(created.body(), "$.format").toString()).isEqualTo("markdown");
        int chunks = read(created.body(), "$.chunks");
        assertThat(chunks).as("one chunk per section").isEqualTo(2);

        HttpResponse<String> found = search("who warned boats about rocks when visibility was poor", 3);
        assertThat(read(found.body(), "$.results[0].source").toString()).isEqualTo("lighthouse.md");
        assertThat(read(found.body(), "$.results[0].section").toString()).isEqualTo("The foghorn");

        int chunksBefore = read(get("/api/documents").body(), "$.chunks");
        HttpResponse<String> replaced = postJson("/api/documents",
                "{\"source\": \"lighthouse.md\", \"content\": " + json(markdown.replace("foghorn", "fog signal"))
                        + "}");
        assertThat(replaced.statusCode()).isEqualTo(201);
        int chunksAfter = read(get("/api/documents").body(), "$.chunks");
        assertThat(chunksAfter).as("the old chunks are gone").isEqualTo(chunksBefore);
        HttpResponse<String> again = search("who warned boats about rocks when visibility was poor", 1);
        assertThat(read(again.body(), "$.results[0].text").toString()).contains("fog signal")
                .doesNotContain("foghorn");
    }

    @Test
    void uploadedTextFileIsIngested() {
        String boundary = "sample-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"origami.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "Folding a paper crane\n\nStart from a square sheet, fold a bird base, then narrow the neck and "
                + "tail and fold down the head. The wings open when you pull the tail gently.\r\n"
                + "--" + boundary + "--\r\n";
        HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        url("/api/documents")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(read(response.body(), "$.format").toString()).isEqualTo("text");
        assertThat(read(response.body(), "$.title").toString()).isEqualTo("Folding a paper crane");

        HttpResponse<String> found = search("making a bird shape out of a sheet without scissors or glue", 1);
        assertThat(read(found.body(), "$.results[0].source").toString()).isEqualTo("origami.txt");
    }

    @Test
    void embedReturnsOneUnitVectorPerTextAndParaphrasesAreCloser() {
        HttpResponse<String> response = postJson("/api/embed", """
                {"texts": ["The cat sat on the mat.", "A kitten was sitting on the rug.", "Interest rates rose again."]}
                """);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(read(response.body(), "$.dimensions").toString()).isEqualTo("384");
        assertThat(read(response.body(), "$.model").toString()).isEqualTo("classpath:bge-small-en-v1.5.onnx");
        int tokens = read(response.body(), "$.tokens");
        assertThat(tokens).isGreaterThan(3 * 2);
        List<List<Double>> vectors = read(response.body(), "$.embeddings");
        assertThat(vectors).hasSize(3).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        });
        assertThat(dot(vectors.get(0), vectors.get(1))).isGreaterThan(dot(vectors.get(0), vectors.get(2)) + 0.1);
    }

    @Test
    void infoDescribesTheModelAndIndex() {
        HttpResponse<String> response = get("/api/info");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(read(response.body(), "$.model").toString()).isEqualTo("classpath:bge-small-en-v1.5.onnx");
        assertThat(read(response.body(), "$.dimensions").toString()).isEqualTo("384");
        int documents = read(response.body(), "$.documents");
        assertThat(documents).isGreaterThanOrEqualTo(16);
    }

    private static Set<String> contentWords(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .filter(word -> !word.isEmpty() && !STOPWORDS.contains(word))
                .collect(Collectors.toSet());
    }

    private static double dot(List<Double> a, List<Double> b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += a.get(i) * b.get(i);
        }
        return sum;
    }

    private static String json(String text) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(text);
    }
}

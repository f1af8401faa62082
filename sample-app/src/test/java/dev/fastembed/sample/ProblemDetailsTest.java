package dev.fastembed.sample;

import dev.fastembed.spring.TextEmbeddingPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors as RFC 9457 problem details: 400 for bad input (also what Tomcat rejects before the app: bad
 * percent-encoding, a request line or header over its limit, a broken multipart body), 413 for an oversized
 * upload, 503 with Retry-After when the model is overloaded.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProblemDetailsTest extends RunningSampleApp {

    @Autowired
    @Qualifier("embedded")
    private TextEmbeddingPool embedded;

    @Test
    void emptyQueryIsRejected() {
        assertBadRequest(search("   ", 5), "/api/search", "q", "empty");
    }

    @Test
    void missingQueryIsRejected() {
        HttpResponse<String> response = get("/api/search?k=3");
        assertProblem(response, 400, "/api/search");
        assertThat(read(response.body(), "$.detail").toString()).contains("q");
    }

    @Test
    void oversizedQueryIsRejected() {
        assertBadRequest(search("tides ".repeat(200), 5), "/api/search", "q", "at most 1000");
    }

    @Test
    void kOutOfRangeIsRejected() {
        assertBadRequest(search("tides", 0), "/api/search", "k", "between 1 and 20");
        assertBadRequest(search("tides", 21), "/api/search", "k", "between 1 and 20");
    }

    @Test
    void nonNumericKIsRejected() {
        assertProblem(get("/api/search?q=tides&k=many"), 400, "/api/search");
    }

    @Test
    void embedWithoutTextsIsRejected() {
        assertBadRequest(postJson("/api/embed", "{\"texts\": []}"), "/api/embed", "texts", "at least one text");
        assertBadRequest(postJson("/api/embed", "{}"), "/api/embed", "texts", "at least one text");
        assertBadRequest(postJson("/api/embed", "{\"texts\": [\"fine\", \" \"]}"), "/api/embed", "texts[1]",
                "empty");
    }

    @Test
    void oversizedEmbedRequestsAreRejected() {
        String tooMany = "{\"texts\": [" + String.join(",", java.util.Collections.nCopies(65, "\"x\"")) + "]}";
        assertBadRequest(postJson("/api/embed", tooMany), "/api/embed", "texts", "at most 64");
        String tooLong = "{\"texts\": [\"" + "a".repeat(8001) + "\"]}";
        assertBadRequest(postJson("/api/embed", tooLong), "/api/embed", "texts[0]", "at most 8000");
    }

    @Test
    void malformedJsonIsRejected() {
        assertProblem(postJson("/api/embed", "{\"texts\": [\"unclosed"), 400, "/api/embed");
    }

    @Test
    void badDocumentsAreRejected() {
        assertBadRequest(postJson("/api/documents", "{\"content\": \"text\"}"), "/api/documents", "source",
                "source name");
        assertBadRequest(postJson("/api/documents", "{\"source\": \"../etc/passwd.txt\", \"content\": \"x\"}"),
                "/api/documents", "source", "letters, digits");
        assertBadRequest(postJson("/api/documents", "{\"source\": \"notes.pdf\", \"content\": \"some text\"}"),
                "/api/documents", "format", ".md");
        assertBadRequest(postJson("/api/documents", "{\"source\": \"notes\", \"format\": \"html\", "
                + "\"content\": \"some text\"}"), "/api/documents", "format", "markdown or text");
        assertBadRequest(postJson("/api/documents", "{\"source\": \"empty.md\", \"content\": \"  \"}"),
                "/api/documents", "content", "empty");
        assertBadRequest(postJson("/api/documents", "{\"source\": \"big.txt\", \"content\": \""
                + "word ".repeat(40_001) + "\"}"), "/api/documents", "content", "at most 200000");
    }

    @Test
    void truncatedMultipartBodyIsAProblem(CapturedOutput output) {
        String body = "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nThe upload stops in the middle of";
        assertProblem(multipart("cut", body), 400, "/api/documents");
        assertNoErrorLogged(output);
    }

    @Test
    void multipartFileNameWithNulIsAProblem(CapturedOutput output) {
        String body = "--nul\r\nContent-Disposition: form-data; name=\"file\"; filename=\"no\u0000tes.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nSome text.\r\n--nul--\r\n";
        HttpResponse<String> response = multipart("nul", body);
        assertProblem(response, 400, "/api/documents");
        assertNoErrorLogged(output);
    }

    @Test
    void oversizedUploadIsAProblem() {
        String body = "--big\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + "word ".repeat(300_000) + "\r\n--big--\r\n";
        assertProblem(multipart("big", body), 413, "/api/documents");
    }

    @Test
    void badPercentEncodingIsAProblem(CapturedOutput output) {
        // Java's HTTP client refuses to send it: over a socket, as a careless client would.
        String response = rawHttp10("GET /api/search?q=%zz&k=3");
        assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertThat(read(body, "$.status").toString()).isEqualTo("400");
        assertThat(read(body, "$.instance").toString()).isEqualTo("/api/search");
        assertThat(read(body, "$.detail").toString()).contains("%25");
        assertNoErrorLogged(output);
    }

    @Test
    void queryLargerThanTomcatAllowsIsAProblem(CapturedOutput output) {
        HttpResponse<String> response = search("tides ".repeat(20_000), 5);
        assertProblem(response, 400, null);
        assertThat(read(response.body(), "$.detail").toString()).contains("larger than allowed");
        assertNoErrorLogged(output);
    }

    @Test
    void headerLargerThanTomcatAllowsIsAProblem(CapturedOutput output) {
        HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                url("/api/search?q=tides"))).header("X-Padding", "p".repeat(100_000)).GET().build());
        assertProblem(response, 400, null);
        assertNoErrorLogged(output);
    }

    @Test
    void unknownDocumentIsNotFound() {
        assertProblem(get("/api/documents/no-such.md"), 404, "/api/documents/no-such.md");
    }

    @Test
    void overloadedModelAnswers503WithRetryAfter() throws Exception {
        int size = embedded.pool().size();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            holders.add(Thread.ofPlatform().start(() -> embedded.pool().call("hold", 0, model -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }, nothing -> -1)));
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (embedded.pool().stats().active() < size && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(embedded.pool().stats().active()).as("all permits held").isEqualTo(size);

            HttpResponse<String> search = search("why is the sky blue", 3);
            assertProblem(search, 503, "/api/search");
            assertThat(search.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(read(search.body(), "$.title").toString()).isEqualTo("Model overloaded");
            assertThat(read(search.body(), "$.model").toString()).isEqualTo("embedded");

            HttpResponse<String> embed = postJson("/api/embed", "{\"texts\": [\"hello\"]}");
            assertProblem(embed, 503, "/api/embed");
            assertThat(embed.headers().firstValue("Retry-After")).hasValue("1");
        } finally {
            release.countDown();
            for (Thread holder : holders) {
                holder.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertThat(embedded.pool().stats().active()).as("no permit leaked").isZero();
        String errors = get("/actuator/metrics/fastembed.errors?tag=model:embedded&tag=type:pool-exhausted").body();
        java.util.List<Double> count = read(errors, "$.measurements[?(@.statistic == 'COUNT')].value");
        assertThat(count).as("the two refused calls are counted").singleElement()
                .satisfies(value -> assertThat(value).isGreaterThanOrEqualTo(2.0));
        assertThat(search("why is the sky blue", 3).statusCode()).isEqualTo(200);
    }

    /** The whole response to a request line sent as is, HTTP/1.0 (no chunked body). */
    private String rawHttp10(String requestLine) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLine + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> multipart(String boundary, String body) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/documents")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A client's mistake is no server error: nothing at ERROR level, no stack trace. */
    private static void assertNoErrorLogged(CapturedOutput output) {
        assertThat(output.getOut() + output.getErr()).doesNotContain(" ERROR ").doesNotContain("\tat ");
    }

    private static void assertBadRequest(HttpResponse<String> response, String instance, String parameter,
                                         String detail) {
        assertProblem(response, 400, instance);
        assertThat(read(response.body(), "$.title").toString()).isEqualTo("Invalid request");
        assertThat(read(response.body(), "$.parameter").toString()).isEqualTo(parameter);
        assertThat(read(response.body(), "$.detail").toString()).contains(detail);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String instance) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(read(response.body(), "$.status").toString()).isEqualTo(String.valueOf(status));
        assertThat(read(response.body(), "$.title").toString()).isNotBlank();
        if (instance != null) {
            assertThat(read(response.body(), "$.instance").toString()).isEqualTo(instance);
        }
    }
}

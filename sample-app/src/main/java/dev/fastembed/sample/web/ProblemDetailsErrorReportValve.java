package dev.fastembed.sample.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat's error report for what it rejects before the app sees it (a request line or headers over
 * {@code server.max-http-request-header-size}, a malformed request line), as a problem detail instead of
 * Tomcat's HTML page. Errors the app answers itself are already problem details and pass untouched.
 */
public class ProblemDetailsErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
        problem.setDetail(detail(status, response.getMessage()));
        String uri = request.getDecodedRequestURI();
        if (uri != null && !uri.isEmpty()) {
            try {
                problem.setInstance(URI.create(request.getRequestURI()));
            } catch (IllegalArgumentException e) {
                // not a URI: leave it out
            }
        }
        try {
            response.resetBuffer();
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response was committed meanwhile: nothing more to say
        }
    }

    private static String detail(int status, String message) {
        if (status == 400) {
            return "The server could not read the request: its request line or headers are malformed or larger "
                    + "than allowed" + (message == null || message.isBlank() ? "" : " (" + message + ")");
        }
        return message == null || message.isBlank() ? "The server could not process the request" : message;
    }
}

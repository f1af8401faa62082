package dev.fastembed.sample.web;

import dev.fastembed.FastEmbedException;
import dev.fastembed.spring.ModelPoolExhaustedException;
import dev.fastembed.spring.ModelUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.time.Duration;

/**
 * Every error of the API as an RFC 9457 problem detail ({@code application/problem+json}). Spring MVC's own
 * errors (missing parameter, unreadable JSON, wrong type) come from the base class; this adds the sample's:
 * 400 for bad input, 503 with {@code Retry-After} when a model's pool stayed busy past its wait time, 503
 * when a model is unavailable.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Log log = LogFactory.getLog(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalidRequest(InvalidRequestException e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), request);
        problem.setProperty("parameter", e.parameter());
        return ResponseEntity.of(problem).build();
    }

    @ExceptionHandler(FeatureUnavailableException.class)
    ResponseEntity<ProblemDetail> featureUnavailable(FeatureUnavailableException e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Feature not configured", e.getMessage(), request);
        problem.setProperty("parameter", e.parameter());
        return ResponseEntity.of(problem).build();
    }

    @ExceptionHandler(ModelPoolExhaustedException.class)
    ResponseEntity<ProblemDetail> poolExhausted(ModelPoolExhaustedException e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Model overloaded",
                "Model '" + e.modelName() + "' is overloaded: no free slot among its " + e.poolSize()
                        + " within " + e.maxWait().toMillis() + " ms. Retry later.", request);
        problem.setProperty("model", e.modelName());
        return ResponseEntity.of(problem).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(e.maxWait())).build();
    }

    @ExceptionHandler(ModelUnavailableException.class)
    ResponseEntity<ProblemDetail> modelUnavailable(ModelUnavailableException e, HttpServletRequest request) {
        log.warn(e.getMessage());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Model unavailable", e.getMessage(), request);
        problem.setProperty("model", e.modelName());
        return ResponseEntity.of(problem).build();
    }

    /** The engine rejects input it cannot read (e.g. invalid UTF-16 in a text): the caller's mistake. */
    @ExceptionHandler(FastEmbedException.class)
    ResponseEntity<ProblemDetail> engineError(FastEmbedException e, HttpServletRequest request) {
        if (e.kind() == FastEmbedException.Kind.INVALID_ARGUMENT) {
            return ResponseEntity.of(problem(HttpStatus.BAD_REQUEST, "Invalid input", e.getMessage(), request))
                    .build();
        }
        log.error("Embedding failed", e);
        return ResponseEntity.of(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Embedding failed",
                "The model could not process the request (" + e.kind() + ")", request)).build();
    }

    /**
     * A multipart body Tomcat cannot parse (truncated, a bad part header); a body over the size limits is
     * Spring's 413 from the base class.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> badMultipart(MultipartException e, HttpServletRequest request) {
        Throwable cause = e.getMostSpecificCause();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid multipart request",
                "The multipart body could not be read: " + cause.getMessage(), request);
        problem.setProperty("parameter", "file");
        return ResponseEntity.of(problem).build();
    }

    /** A query string Tomcat cannot decode, e.g. {@code q=%zz} or too many parameters. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> badParameters(InvalidParameterException e, HttpServletRequest request) {
        return ResponseEntity.of(problem(HttpStatus.BAD_REQUEST, "Invalid request",
                "The query string could not be decoded: " + e.getMessage()
                        + ". Percent-encode it as UTF-8 (a '%' itself is %25).", request)).build();
    }

    /** A pool waits in whole seconds for clients: at least one, rounded up. */
    static String retryAfterSeconds(Duration maxWait) {
        long millis = Math.max(1, maxWait.toMillis());
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getRequestURI()));
        return problem;
    }
}

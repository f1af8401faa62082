package dev.fastembed.spring.web;

import dev.fastembed.spring.ModelPoolExhaustedException;
import dev.fastembed.spring.ModelUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.time.Duration;

/**
 * The models' exceptions as RFC 9457 problem details ({@code application/problem+json}), for Spring MVC and
 * Spring WebFlux alike: {@link ModelPoolExhaustedException} is 503 with {@code Retry-After} (the pool's wait, in
 * whole seconds, at least one), {@link ModelUnavailableException} is 503. Each problem names the model in its
 * {@code model} property. Ordered last, so an application's own {@code @ExceptionHandler} for these wins.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class FastEmbedProblemDetailsHandler {

    private static final Log log = LogFactory.getLog(FastEmbedProblemDetailsHandler.class);

    @ExceptionHandler(ModelPoolExhaustedException.class)
    public ResponseEntity<ProblemDetail> poolExhausted(ModelPoolExhaustedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Model '" + e.modelName() + "' is overloaded: all " + e.poolSize() + " of its permits stayed busy for "
                        + e.maxWait().toMillis() + " ms. Retry later.");
        problem.setTitle("Model overloaded");
        problem.setProperty("model", e.modelName());
        return ResponseEntity.of(problem).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(e.maxWait())).build();
    }

    @ExceptionHandler(ModelUnavailableException.class)
    public ResponseEntity<ProblemDetail> modelUnavailable(ModelUnavailableException e) {
        log.warn(e.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Model '" + e.modelName() + "' is unavailable");
        problem.setTitle("Model unavailable");
        problem.setProperty("model", e.modelName());
        return ResponseEntity.of(problem).build();
    }

    /** Clients should wait about as long as the pool let them: whole seconds, rounded up, at least one. */
    static String retryAfterSeconds(Duration maxWait) {
        long millis = Math.max(1, maxWait.toMillis());
        return Long.toString((millis + 999) / 1000);
    }
}

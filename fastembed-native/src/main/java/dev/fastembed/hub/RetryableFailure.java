package dev.fastembed.hub;

/** A failed attempt worth repeating: a 5xx or 429 answer, a corrupt or cut-off download. */
final class RetryableFailure extends Exception {

    private static final long serialVersionUID = 1L;

    RetryableFailure(String message) {
        super(message, null, false, false);
    }
}

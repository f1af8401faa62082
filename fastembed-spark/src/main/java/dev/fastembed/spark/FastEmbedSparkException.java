package dev.fastembed.spark;

import java.io.Serial;

/** A row the transformer could not embed; the message names the row's position, partition and input column. */
public class FastEmbedSparkException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public FastEmbedSparkException(String message, Throwable cause) {
        super(message, cause);
    }
}

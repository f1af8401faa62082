package dev.fastembed.spring;

/**
 * A call could not run on a pooled model. The subclasses say why; this class itself is thrown when the
 * caller's thread was interrupted while waiting for a permit (the interrupt flag is set again).
 */
public class ModelPoolException extends RuntimeException {

    private final String modelName;

    public ModelPoolException(String modelName, String message, Throwable cause) {
        super(message, cause);
        this.modelName = modelName;
    }

    /** The configured name of the model ({@code fastembed.models.<name>}). */
    public String modelName() {
        return modelName;
    }
}

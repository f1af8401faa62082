package dev.fastembed.spring;

/**
 * The model cannot serve calls: it failed to load (the cause says why) or it was closed with its context.
 */
public class ModelUnavailableException extends ModelPoolException {

    public ModelUnavailableException(String modelName, String message, Throwable cause) {
        super(modelName, message, cause);
    }
}

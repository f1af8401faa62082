package dev.fastembed.sample.web;

/** The request asks for a feature whose model is not configured (e.g. rerank without a reranker): 400. */
public class FeatureUnavailableException extends RuntimeException {

    private final String parameter;

    public FeatureUnavailableException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}

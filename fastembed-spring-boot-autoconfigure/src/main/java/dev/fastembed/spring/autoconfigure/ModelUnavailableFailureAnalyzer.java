package dev.fastembed.spring.autoconfigure;

import dev.fastembed.spring.ModelUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a startup that failed because a model could not load, and how to start without it. */
class ModelUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<ModelUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ModelUnavailableException cause) {
        String prefix = FastEmbedProperties.PREFIX + ".models." + cause.modelName();
        return new FailureAnalysis(cause.getMessage(),
                "Check the source of the model under " + prefix + " (catalogue name, folder, class path resources, "
                        + "network or " + FastEmbedProperties.PREFIX + ".offline). To start the application without "
                        + "it and report it DOWN in health instead, set " + prefix + ".pool.fail-fast=false.",
                cause);
    }
}

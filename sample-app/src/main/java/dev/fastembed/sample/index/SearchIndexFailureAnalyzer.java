package dev.fastembed.sample.index;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Startup stopped by the search index: what was found and what to do, without a stack trace to read. */
class SearchIndexFailureAnalyzer extends AbstractFailureAnalyzer<SearchIndexException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SearchIndexException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}

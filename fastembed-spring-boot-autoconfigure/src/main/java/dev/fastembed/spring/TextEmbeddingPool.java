package dev.fastembed.spring;

import dev.fastembed.TextEmbedding;
import dev.fastembed.TextEmbedding.DenseEmbeddings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dense text embedding model as a bean: the methods of {@link TextEmbedding}, each run on the one loaded
 * model under a permit of its {@link SharedModel}.
 *
 * <p>Inject it by type, or by the model's name with {@code @Qualifier("<name>")}:
 * <pre>{@code
 * TextEmbeddingPool docs;          // the primary text model
 * float[] vector = docs.queryEmbed("how do I reset my password?");
 * }</pre>
 *
 * <p>Besides the exceptions of {@link TextEmbedding}, every method may throw
 * {@link ModelPoolExhaustedException} (overloaded), {@link ModelUnavailableException} (the model did not
 * load, or the context is closing) and {@link ModelPoolException} (interrupted while waiting).
 */
public final class TextEmbeddingPool extends AbstractPooledModel<TextEmbedding> {

    private final String queryPrefix;
    private final String passagePrefix;

    /**
     * @param pool           the pool over the model
     * @param knownDimension the vector length if known before loading (e.g. from the catalogue), else 0
     * @param queryPrefix    text put before each search query (e.g. {@code "query: "}), "" for none, or null for
     *                       the loaded model's own ({@link TextEmbedding#queryPrefix()})
     * @param passagePrefix  text put before each document (e.g. {@code "passage: "}), "" for none, or null for
     *                       the loaded model's own ({@link TextEmbedding#passagePrefix()})
     */
    public TextEmbeddingPool(SharedModel<TextEmbedding> pool, int knownDimension, String queryPrefix,
                             String passagePrefix) {
        super(pool, knownDimension, TextEmbedding::dimension, model -> model.embed("fastembed health probe"));
        this.queryPrefix = queryPrefix;
        this.passagePrefix = passagePrefix;
    }

    /** The vector length, loading a lazy model if needed. */
    public int loadDimension() {
        return pool.load().dimension();
    }

    /** Embeds one text as it is. */
    public float[] embed(String text) {
        return embedWithUsage(Collections.singletonList(text)).vectors()[0];
    }

    /** Embeds texts as they are, one vector per text in input order. */
    public float[][] embed(List<String> texts) {
        return embedWithUsage(texts).vectors();
    }

    /** Embeds texts as they are and reports the tokens the model read. */
    public DenseEmbeddings embedWithUsage(List<String> texts) {
        return pool.call("embed", sizeOf(texts), model -> model.embedWithUsage(texts), DenseEmbeddings::tokenCount);
    }

    /**
     * Embeds texts as they are for one task of a task-adapter model (see {@link TextEmbedding#embed(List, String)});
     * a null task is the model's default.
     */
    public DenseEmbeddings embedWithUsage(List<String> texts, String task) {
        return pool.call("embed", sizeOf(texts), model -> model.embedWithUsage(texts, task), DenseEmbeddings::tokenCount);
    }

    /** Embeds a search query with the model's query prefix. */
    public float[] queryEmbed(String query) {
        return queryEmbedWithUsage(Collections.singletonList(query)).vectors()[0];
    }

    /** Embeds search queries with the model's query prefix and reports the tokens the model read. */
    public DenseEmbeddings queryEmbedWithUsage(List<String> queries) {
        return pool.call("query", sizeOf(queries),
                model -> model.embedWithUsage(prefixed(queryPrefix(model), queries, "queries"),
                        task(model, TextEmbedding.QUERY_TASK)), DenseEmbeddings::tokenCount);
    }

    /** Embeds documents with the model's passage prefix. */
    public float[][] passageEmbed(List<String> passages) {
        return passageEmbedWithUsage(passages).vectors();
    }

    /** Embeds documents with the model's passage prefix and reports the tokens the model read. */
    public DenseEmbeddings passageEmbedWithUsage(List<String> passages) {
        return pool.call("passage", sizeOf(passages),
                model -> model.embedWithUsage(prefixed(passagePrefix(model), passages, "passages"),
                        task(model, TextEmbedding.PASSAGE_TASK)), DenseEmbeddings::tokenCount);
    }

    /** The text {@link #queryEmbed} puts before each query, or "" (the model's own: "" until it is loaded). */
    public String queryPrefix() {
        return queryPrefix != null ? queryPrefix : pool.loadedModel().map(TextEmbedding::queryPrefix).orElse("");
    }

    /** The text {@link #passageEmbed} puts before each document, or "" (the model's own: "" until it is loaded). */
    public String passagePrefix() {
        return passagePrefix != null ? passagePrefix
                : pool.loadedModel().map(TextEmbedding::passagePrefix).orElse("");
    }

    /** The retrieval task of a task-adapter model, as its queryEmbed / passageEmbed choose; null for others. */
    private static String task(TextEmbedding model, String task) {
        return model.tasks().contains(task) ? task : null;
    }

    private String queryPrefix(TextEmbedding model) {
        return queryPrefix != null ? queryPrefix : model.queryPrefix();
    }

    private String passagePrefix(TextEmbedding model) {
        return passagePrefix != null ? passagePrefix : model.passagePrefix();
    }

    /** The loaded model's settings and where each came from (see {@link TextEmbedding#settings()}). */
    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        pool.loadedModel().ifPresent(model -> model.settings()
                .forEach((name, setting) -> settings.put(name, setting.toString())));
        return settings;
    }

    private static int sizeOf(List<String> texts) {
        return texts == null ? 0 : texts.size();
    }

    private static List<String> prefixed(String prefix, List<String> texts, String what) {
        if (texts == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException(what + "[" + i + "] is null");
            }
        }
        if (prefix.isEmpty()) {
            return texts;
        }
        return texts.stream().map(text -> prefix + text).toList();
    }
}

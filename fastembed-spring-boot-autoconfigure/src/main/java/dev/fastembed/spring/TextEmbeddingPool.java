package dev.fastembed.spring;

import dev.fastembed.TextEmbedding;
import dev.fastembed.TextEmbedding.DenseEmbeddings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * <p>With {@link CallBatching} on, single-text calls of concurrent callers ({@link #embed(String)},
 * {@link #queryEmbed(String)}, and the list methods given one text) are merged into one engine call and each caller
 * gets its own vector; see {@link CallMerger}. The tokens the engine counts for a merged call are shared among its
 * callers in proportion to their texts' lengths (the engine reports one total per call); the pool's listeners, and
 * so the metrics, get the exact total once.
 *
 * <p>Besides the exceptions of {@link TextEmbedding}, every method may throw
 * {@link ModelPoolExhaustedException} (overloaded), {@link ModelUnavailableException} (the model did not
 * load, or the context is closing) and {@link ModelPoolException} (interrupted while waiting).
 */
public final class TextEmbeddingPool extends AbstractPooledModel<TextEmbedding> {

    private final String queryPrefix;
    private final String passagePrefix;
    /** One merger per operation, since the texts of a call share its prefix and task; null with batching off. */
    private final CallMerger<String, OneText> embedMerger;
    private final CallMerger<String, OneText> queryMerger;
    private final CallMerger<String, OneText> passageMerger;

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
        this(pool, knownDimension, queryPrefix, passagePrefix, CallBatching.off());
    }

    /**
     * @param batching whether single-text calls of concurrent callers are merged into one engine call
     * @see #TextEmbeddingPool(SharedModel, int, String, String)
     */
    public TextEmbeddingPool(SharedModel<TextEmbedding> pool, int knownDimension, String queryPrefix,
                             String passagePrefix, CallBatching batching) {
        super(pool, knownDimension, TextEmbedding::dimension, model -> model.embed("fastembed health probe"),
                Objects.requireNonNull(batching, "batching"));
        this.queryPrefix = queryPrefix;
        this.passagePrefix = passagePrefix;
        this.embedMerger = merger("embed", texts -> perText(texts, embedDirect(texts)));
        this.queryMerger = merger("query", texts -> perText(texts, queryDirect(texts)));
        this.passageMerger = merger("passage", texts -> perText(texts, passageDirect(texts)));
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
        return mergeable(embedMerger, texts) ? merged(embedMerger, texts) : embedDirect(texts);
    }

    /**
     * Embeds texts as they are for one task of a task-adapter model (see {@link TextEmbedding#embed(List, String)});
     * a null task is the model's default.
     */
    public DenseEmbeddings embedWithUsage(List<String> texts, String task) {
        if (task == null) {
            return embedWithUsage(texts);
        }
        return pool.call("embed", sizeOf(texts), model -> model.embedWithUsage(texts, task), DenseEmbeddings::tokenCount);
    }

    /** Embeds a search query with the model's query prefix. */
    public float[] queryEmbed(String query) {
        return queryEmbedWithUsage(Collections.singletonList(query)).vectors()[0];
    }

    /** Embeds search queries with the model's query prefix and reports the tokens the model read. */
    public DenseEmbeddings queryEmbedWithUsage(List<String> queries) {
        return mergeable(queryMerger, queries) ? merged(queryMerger, queries) : queryDirect(queries);
    }

    private DenseEmbeddings queryDirect(List<String> queries) {
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
        return mergeable(passageMerger, passages) ? merged(passageMerger, passages) : passageDirect(passages);
    }

    private DenseEmbeddings passageDirect(List<String> passages) {
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

    private DenseEmbeddings embedDirect(List<String> texts) {
        return pool.call("embed", sizeOf(texts), model -> model.embedWithUsage(texts), DenseEmbeddings::tokenCount);
    }

    /** One text's vector and its share of the merged call's tokens. */
    private record OneText(float[] vector, long tokens) {
    }

    private static DenseEmbeddings merged(CallMerger<String, OneText> merger, List<String> texts) {
        OneText one = merger.call(texts.getFirst());
        return new DenseEmbeddings(new float[][] {one.vector()}, one.tokens());
    }

    /**
     * Each text's vector with its share of the call's tokens, in proportion to its length (largest remainders, so
     * the shares add up to the total; a call of one text gets the exact count).
     */
    private static List<OneText> perText(List<String> texts, DenseEmbeddings result) {
        int n = texts.size();
        long total = Math.max(0, result.tokenCount());
        long length = 0;
        for (String text : texts) {
            length += text.length() + 1;
        }
        long[] shares = new long[n];
        double[] remainders = new double[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            double exact = (double) total * (texts.get(i).length() + 1) / length;
            shares[i] = (long) Math.floor(exact);
            remainders[i] = exact - shares[i];
            given += shares[i];
        }
        for (long left = total - given; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            shares[best]++;
            remainders[best] = -1;
        }
        List<OneText> perText = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            perText.add(new OneText(result.vectors()[i], shares[i]));
        }
        return perText;
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

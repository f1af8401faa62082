package dev.fastembed.spring.ai;

import dev.fastembed.TextEmbedding.DenseEmbeddings;
import dev.fastembed.spring.TextEmbeddingPool;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.AbstractEmbeddingModel;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.ai.embedding.observation.DefaultEmbeddingModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationDocumentation;
import org.springframework.util.Assert;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Spring AI's {@code EmbeddingModel} on a fastembed text model, running in process through its
 * {@link TextEmbeddingPool}.
 *
 * <p>Retrieval models want queries and documents embedded differently (E5's {@code "query: "} and
 * {@code "passage: "}), so the model's prefixes are applied where Spring AI's calls say which is which:
 * <ul>
 *   <li>{@link #embed(Document)} and {@link #embed(List, EmbeddingOptions, BatchingStrategy)} embed documents
 *       (what vector stores call when adding): passage prefix, content formatted with the metadata mode;</li>
 *   <li>{@link #embed(String)} embeds a search query (what vector stores call when searching): query prefix;</li>
 *   <li>{@link #call(EmbeddingRequest)} and {@link #embed(List)} embed the texts exactly as given.</li>
 * </ul>
 * A task-adapter model (jina-embeddings-v3) embeds queries with its {@code retrieval.query} adapter, documents with
 * {@code retrieval.passage}, and {@link #call} with the task of {@link FastEmbedEmbeddingOptions} or the model's
 * default ({@code fastembed.models.<name>.task}).
 * For models without prefixes (BGE, MiniLM) all three are the same. Single-text calls of concurrent callers are
 * merged into one engine call when the model's batching is on ({@code fastembed.models.<name>.batching}, see
 * {@link TextEmbeddingPool}). Every call is observed as
 * {@code gen_ai.client.operation} with provider {@value #PROVIDER}, and its response carries the model name
 * and the number of tokens read.
 */
public class FastEmbedEmbeddingModel extends AbstractEmbeddingModel {

    /** The provider name in observations ({@code gen_ai.system}). */
    public static final String PROVIDER = "fastembed";

    private static final EmbeddingModelObservationConvention DEFAULT_CONVENTION =
            new DefaultEmbeddingModelObservationConvention();

    private final TextEmbeddingPool model;
    private final MetadataMode metadataMode;
    private final ObservationRegistry observationRegistry;
    private EmbeddingModelObservationConvention observationConvention = DEFAULT_CONVENTION;

    /**
     * @param model               the pooled model to run on
     * @param metadataMode        which document metadata goes into the embedded text
     * @param observationRegistry where calls are observed ({@link ObservationRegistry#NOOP} for none)
     */
    public FastEmbedEmbeddingModel(TextEmbeddingPool model, MetadataMode metadataMode,
                                   ObservationRegistry observationRegistry) {
        this.model = Objects.requireNonNull(model, "model");
        this.metadataMode = Objects.requireNonNull(metadataMode, "metadataMode");
        this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
    }

    /** The pooled model this adapter runs on. */
    public TextEmbeddingPool textEmbeddingPool() {
        return model;
    }

    /** The model name in responses and observations: the catalogue name, or where the files come from. */
    public String modelName() {
        return model.pool().source();
    }

    public void setObservationConvention(EmbeddingModelObservationConvention observationConvention) {
        Assert.notNull(observationConvention, "observationConvention must not be null");
        this.observationConvention = observationConvention;
    }

    /**
     * Embeds the request's texts as they are; {@link FastEmbedEmbeddingOptions} may choose the task adapter of a
     * task-adapter model (else its default task).
     */
    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        Assert.notNull(request, "request must not be null");
        String task = request.getOptions() instanceof FastEmbedEmbeddingOptions options ? options.getTask() : null;
        return observed(request, texts -> model.embedWithUsage(texts, task));
    }

    /** Embeds a search query, with the model's query prefix. */
    @Override
    public float[] embed(String text) {
        Assert.notNull(text, "text must not be null");
        return observed(new EmbeddingRequest(List.of(text), null), model::queryEmbedWithUsage)
                .getResult().getOutput();
    }

    /** Embeds a document's content formatted with the metadata mode, with the model's passage prefix. */
    @Override
    public float[] embed(Document document) {
        Assert.notNull(document, "document must not be null");
        return observed(new EmbeddingRequest(List.of(getEmbeddingContent(document)), null),
                model::passageEmbedWithUsage).getResult().getOutput();
    }

    /** Embeds documents in the strategy's batches, as {@link #embed(Document)} does one. */
    @Override
    public List<float[]> embed(List<Document> documents, EmbeddingOptions options, BatchingStrategy batchingStrategy) {
        Assert.notNull(documents, "documents must not be null");
        Assert.notNull(batchingStrategy, "batchingStrategy must not be null");
        List<float[]> vectors = new ArrayList<>(documents.size());
        for (List<Document> batch : batchingStrategy.batch(documents)) {
            List<String> texts = batch.stream().map(this::getEmbeddingContent).toList();
            EmbeddingResponse response = observed(new EmbeddingRequest(texts, options), model::passageEmbedWithUsage);
            response.getResults().forEach(embedding -> vectors.add(embedding.getOutput()));
        }
        return vectors;
    }

    /** The document's text with the metadata the metadata mode selects. */
    @Override
    public String getEmbeddingContent(Document document) {
        Assert.notNull(document, "document must not be null");
        return document.getFormattedContent(metadataMode);
    }

    /** The vector length, from the catalogue or the loaded model; never runs an embedding to find out. */
    @Override
    public int dimensions() {
        return model.dimension().orElseGet(model::loadDimension);
    }

    private EmbeddingResponse observed(EmbeddingRequest request, Function<List<String>, DenseEmbeddings> embedder) {
        EmbeddingRequest effective = new EmbeddingRequest(request.getInstructions(), effectiveOptions(request.getOptions()));
        EmbeddingModelObservationContext context = EmbeddingModelObservationContext.builder()
                .embeddingRequest(effective)
                .provider(PROVIDER)
                .build();
        return EmbeddingModelObservationDocumentation.EMBEDDING_MODEL_OPERATION
                .observation(observationConvention, DEFAULT_CONVENTION, () -> context, observationRegistry)
                .observe(() -> {
                    DenseEmbeddings result = embedder.apply(effective.getInstructions());
                    List<Embedding> embeddings = new ArrayList<>(result.vectors().length);
                    for (int i = 0; i < result.vectors().length; i++) {
                        embeddings.add(new Embedding(result.vectors()[i], i));
                    }
                    int tokens = Math.toIntExact(result.tokenCount());
                    EmbeddingResponse response = new EmbeddingResponse(embeddings,
                            new EmbeddingResponseMetadata(modelName(), new DefaultUsage(tokens, 0, tokens)));
                    context.setResponse(response);
                    return response;
                });
    }

    /**
     * The request's options with this model's name filled in. A request can not switch models or vector
     * lengths here: naming another model or length is an error, not silently ignored.
     */
    private EmbeddingOptions effectiveOptions(EmbeddingOptions requested) {
        Integer dimensions = null;
        if (requested != null) {
            String asked = requested.getModel();
            if (asked != null && !asked.isBlank() && !asked.equals(modelName()) && !asked.equals(model.name())) {
                throw new IllegalArgumentException("This EmbeddingModel runs fastembed model '" + model.name() + "' ("
                        + modelName() + "), but the request names model '" + asked
                        + "'. Inject the EmbeddingModel of that model instead (@Qualifier(\"<name>\") of fastembed.models.<name>)");
            }
            dimensions = requested.getDimensions();
            if (dimensions != null && dimensions != dimensions()) {
                throw new IllegalArgumentException("fastembed model '" + model.name() + "' returns " + dimensions()
                        + "-dimensional vectors; the request asks for " + dimensions);
            }
        }
        String task = requested instanceof FastEmbedEmbeddingOptions options ? options.getTask() : null;
        return FastEmbedEmbeddingOptions.builder().model(modelName()).dimensions(dimensions).task(task).build();
    }

    @Override
    public String toString() {
        return "FastEmbedEmbeddingModel[" + model.name() + ", " + modelName() + "]";
    }
}

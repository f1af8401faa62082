package dev.fastembed.spring.ai;

import dev.fastembed.spring.ImageEmbeddingPool;
import org.springframework.ai.content.Media;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.DocumentEmbeddingModel;
import org.springframework.ai.embedding.DocumentEmbeddingRequest;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.ai.embedding.EmbeddingResultMetadata;
import org.springframework.util.Assert;
import org.springframework.util.MimeTypeUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Spring AI's {@code DocumentEmbeddingModel} on a fastembed image model: embeds the image {@link Media} of
 * each document. The image is the media's bytes, or the file of a {@code file:} URI; other URLs are not
 * fetched (read them and pass the bytes). A document without an image is an error, not skipped.
 */
public class FastEmbedImageEmbeddingModel implements DocumentEmbeddingModel {

    private final ImageEmbeddingPool model;

    public FastEmbedImageEmbeddingModel(ImageEmbeddingPool model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The pooled model this adapter runs on. */
    public ImageEmbeddingPool imageEmbeddingPool() {
        return model;
    }

    /** The model name in responses: the catalogue name, or where the files come from. */
    public String modelName() {
        return model.pool().source();
    }

    @Override
    public EmbeddingResponse call(DocumentEmbeddingRequest request) {
        Assert.notNull(request, "request must not be null");
        List<Document> documents = request.getInstructions();
        Assert.notNull(documents, "documents must not be null");
        List<byte[]> images = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            images.add(imageOf(documents.get(i), i));
        }
        float[][] vectors = model.embedBytes(images);
        List<Embedding> embeddings = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            Document document = documents.get(i);
            embeddings.add(new Embedding(vectors[i], i, new EmbeddingResultMetadata(document.getId(),
                    EmbeddingResultMetadata.ModalityType.IMAGE, document.getMedia().getMimeType(), null)));
        }
        return new EmbeddingResponse(embeddings, new EmbeddingResponseMetadata(modelName(), null));
    }

    /** The vector length, from the catalogue or the loaded model; never embeds an image to find out. */
    @Override
    public int dimensions() {
        return model.dimension().orElseGet(() -> model.pool().load().dimension());
    }

    private static byte[] imageOf(Document document, int index) {
        if (document == null) {
            throw new IllegalArgumentException("documents[" + index + "] is null");
        }
        Media media = document.getMedia();
        if (media == null) {
            throw new IllegalArgumentException("documents[" + index + "] (id " + document.getId()
                    + ") has no media; an image model embeds images");
        }
        if (!MimeTypeUtils.parseMimeType("image/*").includes(media.getMimeType())) {
            throw new IllegalArgumentException("documents[" + index + "] (id " + document.getId() + ") holds "
                    + media.getMimeType() + ", not an image");
        }
        return switch (media.getData()) {
            case byte[] bytes -> bytes;
            case String uri when uri.startsWith("file:") -> read(Path.of(URI.create(uri)));
            case Object other -> throw new IllegalArgumentException("documents[" + index + "] (id " + document.getId()
                    + ") points at " + other + ", which is not fetched: read the image and pass its bytes");
        };
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read image " + file, e);
        }
    }

    @Override
    public String toString() {
        return "FastEmbedImageEmbeddingModel[" + model.name() + ", " + modelName() + "]";
    }
}

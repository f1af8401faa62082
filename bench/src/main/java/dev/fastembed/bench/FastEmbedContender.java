package dev.fastembed.bench;

import dev.fastembed.Plan;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;

import java.nio.file.Path;
import java.util.List;

/** This project's {@link TextEmbedding}: one call for the whole bulk, the engine batches by length. */
final class FastEmbedContender implements Contender {

    private final TextEmbedding model;

    FastEmbedContender(ModelDir dir) {
        this.model = TextEmbedding.builder().modelFiles(dir.files()).pooling(Pooling.CLS).build();
    }

    /** With the engine's batches capped at {@code batchSize} texts, as the floor's are. */
    FastEmbedContender(ModelDir dir, int batchSize) {
        this.model = TextEmbedding.builder().modelFiles(dir.files()).pooling(Pooling.CLS).batchSize(batchSize).build();
    }

    /** With the execution plan pinned, or chosen by timing both at load ({@link Plan#AUTO}, remembered in {@code plans}). */
    FastEmbedContender(ModelDir dir, Plan plan, Path plans) {
        this.model = TextEmbedding.builder().modelFiles(dir.files()).pooling(Pooling.CLS).plan(plan).planCacheDir(plans).build();
        model.executionPlan().ifPresent(chosen -> System.out.println("execution plan: " + chosen));
    }

    TextEmbedding model() {
        return model;
    }

    @Override
    public float[][] embedAll(List<String> texts) {
        return model.embed(texts);
    }

    @Override
    public float[] embedOne(String text) {
        return model.embed(text);
    }

    @Override
    public void close() {
        model.close();
    }
}

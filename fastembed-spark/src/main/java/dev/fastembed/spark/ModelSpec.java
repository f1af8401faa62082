package dev.fastembed.spark;

import dev.fastembed.ModelBuilder;
import dev.fastembed.ModelFiles;
import dev.fastembed.ModelSource;
import dev.fastembed.Pooling;
import dev.fastembed.SparseEmbedding;
import dev.fastembed.SparseTextEmbedding;
import dev.fastembed.TextEmbedding;
import org.apache.spark.SparkFiles;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What defines one loaded model: the transformer's params that choose the files and how the engine runs them.
 * Serialized with each task (a few strings); the model itself is built from it once per executor JVM by
 * {@link ExecutorModels}. Equal specs share one model.
 *
 * @param kind          {@code dense} or {@code sparse}
 * @param model         a catalogue name (e.g. {@code BAAI/bge-small-en-v1.5}, {@code Qdrant/bm25}), or null
 * @param modelDir      a folder laid out as on Hugging Face, or null
 * @param modelPath     the ONNX file, or null (with {@code tokenizerPath})
 * @param tokenizerPath its {@code tokenizer.json}, or null
 * @param pooling       dense: {@code cls}, {@code mean} or {@code none}; null for the model's default
 * @param normalize     dense: L2-normalize; null for the model's default
 * @param threads       ONNX Runtime intra-op threads per run; null for one per core
 */
record ModelSpec(String kind, String model, String modelDir, String modelPath, String tokenizerPath, String pooling,
                 Boolean normalize, Integer threads) implements Serializable {

    static final String DENSE = "dense";
    static final String SPARSE = "sparse";
    static final String DOCUMENT = "document";
    static final String QUERY = "query";
    static final String PASSAGE = "passage";

    ModelSpec {
        int sources = (model != null ? 1 : 0) + (modelDir != null ? 1 : 0) + (modelPath != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException("Set exactly one model source: model (a catalogue name), modelDir, or"
                    + " modelPath with tokenizerPath; got " + describe(model, modelDir, modelPath));
        }
        if (tokenizerPath != null && modelPath == null) {
            throw new IllegalArgumentException("tokenizerPath is set without modelPath");
        }
        if (modelPath != null && tokenizerPath == null) {
            throw new IllegalArgumentException("modelPath " + modelPath + " needs tokenizerPath (its tokenizer.json)");
        }
        if (!DENSE.equals(kind) && !SPARSE.equals(kind)) {
            throw new IllegalArgumentException("kind must be dense or sparse, not " + kind);
        }
        if (SPARSE.equals(kind) && (pooling != null || normalize != null)) {
            throw new IllegalArgumentException("pooling and normalize apply to dense models only (kind=sparse)");
        }
    }

    private static String describe(String model, String modelDir, String modelPath) {
        return "model=" + model + ", modelDir=" + modelDir + ", modelPath=" + modelPath;
    }

    /** A readable name for logs. */
    String source() {
        return model != null ? model : modelDir != null ? modelDir : modelPath;
    }

    /**
     * A path as given if it exists here; else, for a bare file name, the copy Spark made of a file shipped with
     * {@code --files} / {@code spark.files} / {@code SparkContext.addFile} ({@link SparkFiles#get}).
     */
    static Path local(String path) {
        Path given = Path.of(path);
        if (Files.exists(given) || given.getParent() != null) {
            return given;
        }
        try {
            Path shipped = Path.of(SparkFiles.get(path));
            return Files.exists(shipped) ? shipped : given;
        } catch (RuntimeException e) {
            return given; // not inside Spark: the engine reports the missing file
        }
    }

    /** The settings both kinds share: where the files come from and the threads per run. */
    private <B extends ModelBuilder<B>> B sourceAndThreads(B builder) {
        if (model != null) {
            builder.model(model);
        } else if (modelDir != null) {
            builder.model(ModelSource.directory(local(modelDir)));
        } else {
            builder.modelFiles(ModelFiles.of(local(modelPath), local(tokenizerPath)));
        }
        if (threads != null) {
            builder.threads(threads);
        }
        return builder;
    }

    /** Loads the model (downloading catalogue files into the hub cache if needed). */
    Embedder open() {
        if (DENSE.equals(kind)) {
            TextEmbedding.Builder builder = sourceAndThreads(TextEmbedding.builder());
            if (pooling != null) {
                builder.pooling(Pooling.valueOf(pooling.toUpperCase(Locale.ROOT)));
            }
            if (normalize != null) {
                builder.normalize(normalize);
            }
            TextEmbedding embedding = builder.build();
            return new Embedder() {
                @Override
                public List<?> embed(List<String> texts, String textType) {
                    return switch (textType) {
                        case QUERY -> texts.stream().map(embedding::queryEmbed).toList();
                        case PASSAGE -> List.of(embedding.passageEmbed(texts));
                        default -> List.of(embedding.embed(texts));
                    };
                }

                @Override
                public void close() {
                    embedding.close();
                }
            };
        }
        SparseTextEmbedding embedding = sourceAndThreads(SparseTextEmbedding.builder()).build();
        return new Embedder() {
            @Override
            public List<SparseEmbedding> embed(List<String> texts, String textType) {
                return QUERY.equals(textType) ? embedding.queryEmbed(texts) : embedding.embed(texts);
            }

            @Override
            public void close() {
                embedding.close();
            }
        };
    }
}

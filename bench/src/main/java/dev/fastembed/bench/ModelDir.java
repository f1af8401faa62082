package dev.fastembed.bench;

import dev.fastembed.ModelFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The model files every contender reads, extracted once from the LangChain4j model jars on the class path, so
 * all contenders run the same ONNX bytes and tokenizer.json (LangChain4j reads the same resources in place).
 */
record ModelDir(Path model, Path tokenizer) {

    static final String FP32 = "bge-small-en-v1.5";
    static final String INT8 = "bge-small-en-v1.5-q";

    /** Extracts {@code <name>.onnx} and {@code <name>-tokenizer.json} into {@code root/<name>/} if missing. */
    static ModelDir extract(Path root, String name) {
        Path folder = root.resolve(name);
        ModelDir dir = new ModelDir(folder.resolve("model.onnx"), folder.resolve("tokenizer.json"));
        copy(name + ".onnx", dir.model());
        copy(name + "-tokenizer.json", dir.tokenizer());
        return dir;
    }

    static ModelDir of(Path root, String name) {
        Path folder = root.resolve(name);
        return new ModelDir(folder.resolve("model.onnx"), folder.resolve("tokenizer.json"));
    }

    ModelFiles files() {
        return ModelFiles.of(model, tokenizer);
    }

    private static void copy(String resource, Path target) {
        if (Files.isRegularFile(target)) {
            return;
        }
        try (InputStream in = ModelDir.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: is the LangChain4j model jar a dependency?");
            }
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

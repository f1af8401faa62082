package dev.fastembed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The local files of one model. Only {@code model} is always required; text models also need
 * {@code tokenizer}. The optional configuration files tune the tokenizer as fastembed does
 * (max length, pad token); an ONNX external-data file must sit next to {@code model}.
 *
 * @param model              the ONNX file
 * @param tokenizer          {@code tokenizer.json}, or null for models without text input
 * @param config             {@code config.json}, or null
 * @param specialTokensMap   {@code special_tokens_map.json}, or null
 * @param tokenizerConfig    {@code tokenizer_config.json}, or null
 * @param preprocessorConfig {@code preprocessor_config.json} of image models, or null
 */
public record ModelFiles(Path model, Path tokenizer, Path config, Path specialTokensMap, Path tokenizerConfig,
                         Path preprocessorConfig) {

    public ModelFiles {
        Objects.requireNonNull(model, "model");
    }

    /** A model file and its tokenizer.json, without configuration files. */
    public static ModelFiles of(Path model, Path tokenizer) {
        return new ModelFiles(model, tokenizer, null, null, null, null);
    }

    /** An image model: its ONNX file and {@code preprocessor_config.json}. */
    public static ModelFiles image(Path model, Path preprocessorConfig) {
        return new ModelFiles(model, null, null, null, null, Objects.requireNonNull(preprocessorConfig,
                "preprocessorConfig"));
    }

    /**
     * The files of a folder laid out as on Hugging Face: {@code model.onnx} (or {@code onnx/model.onnx}),
     * {@code tokenizer.json}, and the configuration files where present.
     */
    public static ModelFiles inDirectory(Path directory) {
        Path model = firstExisting(directory, "model.onnx", "onnx/model.onnx");
        if (model == null) {
            throw new FastEmbedException(FastEmbedException.Kind.IO,
                    "No model.onnx or onnx/model.onnx in " + directory.toAbsolutePath());
        }
        return new ModelFiles(model,
                firstExisting(directory, "tokenizer.json"),
                firstExisting(directory, "config.json"),
                firstExisting(directory, "special_tokens_map.json"),
                firstExisting(directory, "tokenizer_config.json"),
                firstExisting(directory, "preprocessor_config.json"));
    }

    private static Path firstExisting(Path directory, String... names) {
        for (String name : names) {
            Path candidate = directory.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

package dev.fastembed.internal;

import dev.fastembed.ModelFiles;
import dev.fastembed.ModelSource;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.hub.HubOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a model builder loads: explicit files, or the files a {@link ModelSource} resolves to, with the
 * catalogue description (if any) whose defaults fill the options the caller left unset, and what the model's
 * own configuration files say (used where neither the caller nor the catalogue says anything).
 *
 * @param files       the local files
 * @param description the catalogue entry: the one named for settings, else the source's own
 * @param configFiles what the model's sentence-transformers and tokenizer configuration files say
 * @param location    where the files come from, for messages
 */
public record ResolvedModel(ModelFiles files, Optional<ModelDescription> description, ModelConfigFiles configFiles,
                            String location) {

    /**
     * @param settingsModel the catalogue entry whose settings apply whatever the source, or null for the
     *                      source's own (catalogue models and Hugging Face repos the catalogue knows)
     */
    public static ResolvedModel of(ModelFiles files, ModelSource source, HubOptions hubOptions,
                                   ModelDescription settingsModel) {
        if (files != null && source != null) {
            throw new IllegalArgumentException("set either modelFiles or model (a source), not both");
        }
        if (files != null) {
            Path folder = folderOf(files);
            return new ResolvedModel(files, Optional.ofNullable(settingsModel),
                    settingsModel != null ? ModelConfigFiles.NONE
                            : ModelConfigFiles.read(inFolder(folder), folder.toString()), files.model().toString());
        }
        if (source == null) {
            throw new IllegalArgumentException("a model is required: set model(ModelSource) or modelFiles(ModelFiles)");
        }
        ModelFiles resolved = source.resolve(hubOptions == null ? HubOptions.defaults() : hubOptions);
        Optional<ModelDescription> description = settingsModel != null ? Optional.of(settingsModel)
                : source.description();
        if (description.isPresent()) {
            return new ResolvedModel(resolved, description, ModelConfigFiles.NONE, location(source));
        }
        ModelConfigFiles configFiles = switch (source) {
            case ModelSource.Directory directory ->
                    ModelConfigFiles.read(inFolder(directory.directory()), directory.directory().toString());
            case ModelSource.Classpath classpath -> ModelConfigFiles.read(onClasspath(classpath, folderOf(resolved)),
                    "class path " + classpath.modelResource());
            default -> ModelConfigFiles.read(inFolder(folderOf(resolved)), location(source));
        };
        return new ResolvedModel(resolved, description, configFiles, location(source));
    }

    /** The explicit value, else the catalogue's, else null (the engine's default). */
    public <T> T orDefault(T explicit, Function<ModelDescription, T> fromCatalogue) {
        if (explicit != null) {
            return explicit;
        }
        return description.map(fromCatalogue).orElse(null);
    }

    /** The folder a model's configuration files sit in: the tokenizer's (the repository root), else the model's. */
    private static Path folderOf(ModelFiles files) {
        Path anchor = files.tokenizer() != null ? files.tokenizer() : files.model();
        Path parent = anchor.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(".");
    }

    private static Function<String, Optional<String>> inFolder(Path folder) {
        return name -> {
            Path file = folder.resolve(name);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + file, e);
            }
        };
    }

    /**
     * Class-path models: the files next to the model resource when it sits in a folder of its own (a resource at
     * the root could be any jar's), else the configuration files listed with it and copied into the cache.
     */
    private static Function<String, Optional<String>> onClasspath(ModelSource.Classpath classpath, Path copied) {
        String resource = classpath.modelResource();
        int slash = resource.lastIndexOf('/');
        if (slash < 0) {
            Function<String, Optional<String>> inCopy = inFolder(copied);
            return name -> {
                boolean listed = classpath.otherResources().stream()
                        .anyMatch(other -> other.equals(name) || other.endsWith("/" + name));
                return listed && !name.contains("/") ? inCopy.apply(name) : Optional.empty();
            };
        }
        String folder = resource.substring(0, slash + 1);
        ClassLoader loader = ClasspathCopy.loader(classpath.classLoader());
        return name -> {
            URL url = loader.getResource(folder + name);
            if (url == null) {
                return Optional.empty();
            }
            try (InputStream in = url.openStream()) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read class-path resource " + folder + name, e);
            }
        };
    }

    private static String location(ModelSource source) {
        return switch (source) {
            case ModelSource.Catalog catalog -> catalog.model().name();
            case ModelSource.HuggingFace hf -> "hf:" + hf.repo();
            case ModelSource.Directory directory -> "directory " + directory.directory();
            case ModelSource.Classpath classpath -> "classpath:" + classpath.modelResource();
        };
    }
}

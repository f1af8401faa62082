package dev.fastembed.internal;

import dev.fastembed.ModelFiles;
import dev.fastembed.ModelSource;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.hub.HubOptions;

import java.util.Optional;

/**
 * What a model builder loads: explicit files, or the files a {@link ModelSource} resolves to, with the
 * catalogue description (if any) whose defaults fill the options the caller left unset.
 */
public record ResolvedModel(ModelFiles files, Optional<ModelDescription> description) {

    public static ResolvedModel of(ModelFiles files, ModelSource source, HubOptions hubOptions) {
        if (files != null && source != null) {
            throw new IllegalArgumentException("set either modelFiles or model (a source), not both");
        }
        if (files != null) {
            return new ResolvedModel(files, Optional.empty());
        }
        if (source == null) {
            throw new IllegalArgumentException("a model is required: set model(ModelSource) or modelFiles(ModelFiles)");
        }
        ModelFiles resolved = source.resolve(hubOptions == null ? HubOptions.defaults() : hubOptions);
        return new ResolvedModel(resolved, source.description());
    }

    /** The explicit value, else the catalogue's, else null (the engine's default). */
    public <T> T orDefault(T explicit, java.util.function.Function<ModelDescription, T> fromCatalogue) {
        if (explicit != null) {
            return explicit;
        }
        return description.map(fromCatalogue).orElse(null);
    }
}

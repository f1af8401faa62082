package dev.fastembed.spring.autoconfigure;

import dev.fastembed.ModelSource;
import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.spring.autoconfigure.FastEmbedProperties.ModelProperties;

import java.util.Objects;
import java.util.Optional;

/**
 * One configured model after validation: its name, kind, settings and where its files come from.
 *
 * @param name       the key under {@code fastembed.models} ({@code default} for the {@code fastembed.model} shortcut)
 * @param kind       what the model produces
 * @param properties its settings as bound
 * @param source     where its files come from
 * @param primary    whether its beans are the primary ones of their type
 * @param eager      whether it loads at startup (else on its first call)
 */
public record ModelDefinition(String name, ModelKind kind, ModelProperties properties, ModelSource source,
                              boolean primary, boolean eager) {

    public ModelDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(source, "source");
    }

    /** A model that loads at startup unless its {@code pool.eager} is false. */
    public ModelDefinition(String name, ModelKind kind, ModelProperties properties, ModelSource source,
                           boolean primary) {
        this(name, kind, properties, source, primary, !Boolean.FALSE.equals(properties.getPool().getEager()));
    }

    /**
     * The bean name of a model's bean of the given type: the model name followed by the type's simple name,
     * e.g. {@code docsTextEmbeddingPool} or {@code docsEmbeddingModel}. Every such bean also carries the
     * qualifier {@code @Qualifier("docs")}.
     */
    public static String beanName(String modelName, Class<?> type) {
        return modelName + type.getSimpleName();
    }

    /**
     * The catalogue entry whose defaults apply: the one {@code model} names next to a file source, else the
     * source's own (a catalogue model, or a Hugging Face repo the catalogue knows).
     */
    public Optional<ModelDescription> catalog() {
        return settingsCatalog().or(source::description);
    }

    /**
     * The catalogue entry named by {@code model} next to a file source (class path, folder, Hugging Face repo):
     * the files run with its pooling, normalization and prefixes.
     */
    public Optional<ModelDescription> settingsCatalog() {
        String model = properties.getModel();
        if (source instanceof ModelSource.Catalog || model == null || model.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(ModelCatalog.get(kind, model.strip()));
    }

    /** The full name of one of this model's properties, for messages. */
    public String property(String suffix) {
        return FastEmbedProperties.PREFIX + ".models." + name + "." + suffix;
    }

    /** Where the model comes from, for people: a catalogue name, {@code hf:org/name}, a folder or a resource. */
    public String location() {
        return switch (source) {
            case ModelSource.Catalog catalog -> catalog.model().name();
            case ModelSource.HuggingFace hf -> "hf:" + hf.repo() + (hf.revision() == null ? "" : "@" + hf.revision())
                    + (hf.modelFile() == null ? "" : "/" + hf.modelFile());
            case ModelSource.Directory directory -> "directory:" + directory.directory();
            case ModelSource.Classpath classpath -> "classpath:" + classpath.modelResource();
        };
    }
}

package dev.fastembed.spring.ai.autoconfigure;

import org.springframework.ai.document.MetadataMode;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How the Spring AI adapters use the models, under {@code fastembed.spring-ai}. */
@ConfigurationProperties(prefix = FastEmbedSpringAiProperties.PREFIX)
public class FastEmbedSpringAiProperties {

    public static final String PREFIX = "fastembed.spring-ai";

    /** Which document metadata the EmbeddingModel beans embed along with a document's text. */
    private MetadataMode metadataMode = MetadataMode.EMBED;

    public MetadataMode getMetadataMode() {
        return metadataMode;
    }

    public void setMetadataMode(MetadataMode metadataMode) {
        this.metadataMode = metadataMode;
    }
}

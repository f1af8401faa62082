package dev.fastembed.spring.autoconfigure;

import com.jayway.jsonpath.JsonPath;
import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The IDE metadata: generated property descriptions, and value hints that match the catalogue. */
class ConfigurationMetadataTest {

    @Test
    void theShortcutHintsEveryTextModelOfTheCatalogue() throws IOException {
        List<String> hinted = JsonPath.read(resource("META-INF/additional-spring-configuration-metadata.json"),
                "$.hints[?(@.name == 'fastembed.model')].values[*].value");
        assertThat(hinted).containsExactlyElementsOf(
                ModelCatalog.list(ModelKind.TEXT).stream().map(ModelDescription::name).toList());
    }

    @Test
    void generatedMetadataDescribesTheProperties() throws IOException {
        String metadata = resource("META-INF/spring-configuration-metadata.json");
        List<String> names = JsonPath.read(metadata, "$.properties[*].name");
        assertThat(names).contains("fastembed.model", "fastembed.models", "fastembed.cache-dir", "fastembed.offline",
                "fastembed.threads", "fastembed.hugging-face.endpoint", "fastembed.hugging-face.token",
                "fastembed.health.probe", "fastembed.web.problem-details.enabled");
        List<Object> undocumented = JsonPath.read(metadata, "$.properties[?(!@.description)].name");
        assertThat(undocumented).isEmpty();
        List<String> hints = JsonPath.read(metadata, "$.hints[*].name");
        assertThat(hints).as("merged from the additional metadata").contains("fastembed.model");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}

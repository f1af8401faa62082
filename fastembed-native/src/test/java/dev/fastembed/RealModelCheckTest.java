package dev.fastembed;

import dev.fastembed.hub.HubOptions;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * Opt-in check of one real catalogue model against the outputs fastembed's own tests expect of it
 * ({@code canonical/dense.tsv}, each row naming its source): {@code scripts/test-model.sh NAME} runs it with
 * {@code -Dfastembed.test-model=NAME}. The model comes from the cache or the hub ({@link HubOptions#defaults()},
 * so {@code HF_HUB_OFFLINE} and {@code FASTEMBED_CACHE_PATH} apply); when it is in neither, the check is skipped
 * with the model's name, never passed.
 */
class RealModelCheckTest {

    static final String RESOURCE = "dev/fastembed/canonical/dense.tsv";

    /** One expected output: what to call on which text, and what to compare. */
    record Expectation(String model, String call, String text, String check, float[] values, float tolerance,
                       String source) {

        static Expectation parse(String line) {
            String[] f = line.split("\t");
            if (f.length != 7) {
                throw new IllegalArgumentException("expected 7 tab-separated columns in " + RESOURCE + ": " + line);
            }
            String[] numbers = f[4].split(",");
            float[] values = new float[numbers.length];
            for (int i = 0; i < numbers.length; i++) {
                values[i] = Float.parseFloat(numbers[i]);
            }
            return new Expectation(f[0], f[1], f[2], f[3], values, Float.parseFloat(f[5]), f[6]);
        }
    }

    static List<Expectation> expectations() throws IOException {
        try (InputStream in = RealModelCheckTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).map(Expectation::parse).toList();
        }
    }

    @Test
    void everyRowParsesAndNamesACatalogueModel() throws IOException {
        assertThat(expectations()).isNotEmpty().allSatisfy(e -> {
            assertThat(TextEmbedding.listSupportedModels()).as(e.model()).anyMatch(m -> m.name().equals(e.model()));
            assertThat(e.check()).isIn("first", "sum");
            assertThat(e.call()).matches("embed|query|passage|task:.+");
            assertThat(e.source()).isNotBlank();
        });
    }

    @Test
    @EnabledIfSystemProperty(named = "fastembed.test-model", matches = ".+",
            disabledReason = "opt-in: scripts/test-model.sh NAME")
    void theModelGivesFastembedsValues() throws IOException {
        String name = System.getProperty("fastembed.test-model").strip();
        List<Expectation> rows = expectations().stream().filter(e -> e.model().equals(name)).toList();
        if (rows.isEmpty()) {
            fail("No expected values for '" + name + "' in " + RESOURCE + "; models with values: "
                    + expectations().stream().map(Expectation::model).distinct().toList());
        }
        TextEmbedding model;
        try {
            model = TextEmbedding.builder().model(name).hubOptions(HubOptions.defaults()).build();
        } catch (FastEmbedException e) {
            if (e.kind() != FastEmbedException.Kind.DOWNLOAD) {
                throw e;
            }
            Assumptions.abort("SKIPPED " + name + ": not in the cache and the hub is not reachable (" + e.getMessage()
                    + ")");
            return;
        }
        try (model) {
            check(model, rows);
        }
    }

    /** The models whose files LangChain4j's jars bring are checked on every run, not only on request. */
    @Test
    void theModelsOfTheTestJarsGiveFastembedsValues() throws IOException {
        Map<String, TestModels> jars = Map.of("BAAI/bge-small-en-v1.5", TestModels.BGE_SMALL_EN_V15,
                "sentence-transformers/all-MiniLM-L6-v2", TestModels.ALL_MINILM_L6_V2,
                "BAAI/bge-small-zh-v1.5", TestModels.BGE_SMALL_ZH_V15);
        for (Map.Entry<String, TestModels> jar : jars.entrySet()) {
            List<Expectation> rows = expectations().stream().filter(e -> e.model().equals(jar.getKey())).toList();
            assertThat(rows).as(jar.getKey()).isNotEmpty();
            try (TextEmbedding model = TextEmbedding.builder().modelFiles(jar.getValue().files())
                    .catalogSettings(jar.getKey()).build()) {
                check(model, rows);
            }
        }
    }

    private static void check(TextEmbedding model, List<Expectation> rows) {
        for (Expectation row : rows) {
            float[] vector = switch (row.call()) {
                case "embed" -> model.embed(row.text());
                case "query" -> model.queryEmbed(row.text());
                case "passage" -> model.passageEmbed(List.of(row.text()))[0];
                default -> model.embed(List.of(row.text()), row.call().substring("task:".length()))[0];
            };
            String what = row.model() + " " + row.call() + "(\"" + row.text() + "\"), expected by " + row.source();
            if (row.check().equals("sum")) {
                double sum = 0;
                for (float v : vector) {
                    sum += v;
                }
                assertThat((float) sum).as(what).isCloseTo(row.values()[0], within(row.tolerance()));
            } else {
                assertThat(Arrays.copyOf(vector, row.values().length)).as(what)
                        .containsExactly(row.values(), within(row.tolerance()));
            }
        }
    }
}

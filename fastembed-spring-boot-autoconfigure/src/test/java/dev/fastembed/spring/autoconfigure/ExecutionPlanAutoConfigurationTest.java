package dev.fastembed.spring.autoconfigure;

import dev.fastembed.ExecutionPlan;
import dev.fastembed.Plan;
import dev.fastembed.spring.TextEmbeddingPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static dev.fastembed.spring.autoconfigure.StartupFailures.causeOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The execution plan through the starter: auto by default with its choice cached under the model cache, the
 * plan, parallel-runs, threads and token-budget properties as pins, the plan in the health details, and bad values
 * refused at startup naming the property. all-MiniLM-L6-v2 from the LangChain4j jar on the class path.
 */
class ExecutionPlanAutoConfigurationTest {

    @TempDir
    static Path cache;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedHealthContributorAutoConfiguration.class))
            .withPropertyValues("fastembed.cache-dir=" + cache,
                    "fastembed.models.mini.classpath.model=all-minilm-l6-v2.onnx",
                    "fastembed.models.mini.classpath.tokenizer=all-minilm-l6-v2-tokenizer.json",
                    "fastembed.models.mini.pooling=mean");

    private static ExecutionPlan plan(org.springframework.context.ApplicationContext context) {
        return context.getBean(TextEmbeddingPool.class).executionPlan().orElseThrow();
    }

    @Test
    void autoIsTheDefaultMeasuredOnceThenReadFromThePlanCache() throws IOException {
        Path plans = cache.resolve(FastEmbedModelFactory.PLAN_CACHE);
        ExecutionPlan[] first = new ExecutionPlan[1];
        runner.withPropertyValues("fastembed.models.mini.token-budget=256").run(context -> {
            assertThat(context).hasNotFailed();
            first[0] = plan(context);
            Map<String, Object> details = ((HealthIndicator) context.getBean("fastembedHealthContributor",
                    CompositeHealthContributor.class).getContributor("mini")).health().getDetails();
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) details.get("executionPlan");
            assertThat(shown).containsEntry("kind", first[0].kind().id()).containsEntry("source", "calibrated")
                    .containsEntry("tokenBudget", 256).containsEntry("runs", first[0].runs());
        });
        assertThat(first[0].source()).isEqualTo(ExecutionPlan.Source.CALIBRATED);
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        assertThat(first[0].calibration()).isPresent();
        try (Stream<Path> files = Files.list(plans)) {
            assertThat(files).hasSize(1);
        }
        runner.withPropertyValues("fastembed.models.mini.token-budget=256").run(context -> {
            assertThat(plan(context).source()).as("the second start reads the cached plan")
                    .isEqualTo(ExecutionPlan.Source.CACHED);
            assertThat(plan(context).kind()).isEqualTo(first[0].kind());
        });
    }

    @Test
    void planThreadsParallelRunsAndTokenBudgetArePins() {
        runner.withPropertyValues("fastembed.models.mini.plan=parallel-runs", "fastembed.models.mini.parallel-runs=3",
                "fastembed.models.mini.threads=1", "fastembed.models.mini.token-budget=64").run(context -> {
                    ExecutionPlan plan = plan(context);
                    assertThat(plan.kind()).isEqualTo(Plan.PARALLEL_RUNS);
                    assertThat(plan.runs()).isEqualTo(3);
                    assertThat(plan.threadsPerRun()).isEqualTo(1);
                    assertThat(plan.tokenBudget()).isEqualTo(64);
                    assertThat(plan.source()).isEqualTo(ExecutionPlan.Source.CONFIGURED);
                    float[][] vectors = context.getBean(TextEmbeddingPool.class)
                            .embed(java.util.List.of("one text", "and another, a little longer", "a third"));
                    assertThat(vectors).hasNumberOfRows(3);
                });
        runner.withPropertyValues("fastembed.models.mini.plan=single-run", "fastembed.models.mini.threads=1")
                .run(context -> assertThat(plan(context).toString())
                        .isEqualTo("single-run: 1 run × 1 thread, token budget 1024 (configured)"));
    }

    @Test
    void badPlanValuesStopStartupNamingTheProperty() {
        runner.withPropertyValues("fastembed.models.mini.plan=fastest").run(context ->
                assertThat(causeOf(context, BindException.class).getProperty().getName().toString())
                        .isEqualTo("fastembed.models.mini.plan"));
        runner.withPropertyValues("fastembed.models.mini.parallel-runs=0").run(context ->
                assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class).getName())
                        .isEqualTo("fastembed.models.mini.parallel-runs"));
        runner.withPropertyValues("fastembed.models.mini.plan=single-run", "fastembed.models.mini.parallel-runs=2")
                .run(context -> assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class)
                        .getReason()).contains("plan parallel-runs or auto"));
    }
}

package dev.fastembed.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key under fastembed.* is checked: a typo stops startup naming the closest key, an enum lists its values. */
class StrictBindingTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class))
            .withPropertyValues("fastembed.models.mini.model=sentence-transformers/all-MiniLM-L6-v2",
                    "fastembed.models.mini.pool.eager=false");

    @Test
    void aMistypedNestedKeyFailsNamingTheClosestKey() {
        runner.withPropertyValues("fastembed.models.mini.polling=mean").run(context -> {
            InvalidConfigurationPropertyValueException e =
                    StartupFailures.causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(e.getName()).isEqualTo("fastembed.models.mini.polling");
            assertThat(e.getMessage()).contains("did you mean fastembed.models.mini.pooling?");
        });
    }

    @Test
    void aMistypedKeyDeepInAModelFailsToo() {
        runner.withPropertyValues("fastembed.models.mini.pool.max-wiat=2s").run(context ->
                assertThat(StartupFailures.causeOf(context, InvalidConfigurationPropertyValueException.class)
                        .getMessage()).contains("did you mean fastembed.models.mini.pool.max-wait?"));
    }

    @Test
    void aMistypedTopLevelKeyFails() {
        runner.withPropertyValues("fastembed.ofline=true").run(context ->
                assertThat(StartupFailures.causeOf(context, InvalidConfigurationPropertyValueException.class)
                        .getMessage()).contains("fastembed.ofline").contains("did you mean fastembed.offline?"));
    }

    @Test
    void anInvalidEnumValueListsTheValidOnes() {
        runner.withPropertyValues("fastembed.models.mini.pooling=meen").run(context -> {
            BindException bind = StartupFailures.causeOf(context, BindException.class);
            assertThat(bind.getName().toString()).isEqualTo("fastembed.models.mini.pooling");
            assertThat(StartupFailures.causeOf(context, InvalidConfigurationPropertyValueException.class)
                    .getMessage()).contains("meen").contains("Valid values: cls, mean, last-token, none");
        });
    }

    @Test
    void listIndicesMapKeysAndRelaxedNamesAreKnown() {
        runner.withPropertyValues("fastembed.models.Other_1.hugging-face.repo=my-org/my-model",
                        "fastembed.models.Other_1.hugging-face.additional-files[0]=onnx/model.onnx_data",
                        "fastembed.models.Other_1.pool.eager=false", "fastembed.models.mini.pool.maxWait=2s",
                        "fastembed.hugging-face.read_timeout=20s")
                .run(context -> assertThat(context).hasNotFailed().hasBean("Other_1TextEmbeddingPool"));
    }

    @Test
    void theEnginesOwnSystemPropertiesAreNotChecked() {
        runner.withSystemProperties("fastembed.native.dir=/nowhere", "fastembed.library.path=/nowhere/lib.so")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theWebSettingsAreKnown() {
        runner.withPropertyValues("fastembed.web.problem-details.enabled=true")
                .run(context -> assertThat(context).hasNotFailed());
    }
}

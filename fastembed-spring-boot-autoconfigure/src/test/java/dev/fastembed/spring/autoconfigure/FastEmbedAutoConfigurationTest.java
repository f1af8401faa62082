package dev.fastembed.spring.autoconfigure;

import dev.fastembed.TextEmbedding;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.spring.ImageEmbeddingPool;
import dev.fastembed.spring.LateInteractionMultimodalEmbeddingPool;
import dev.fastembed.spring.LateInteractionTextEmbeddingPool;
import dev.fastembed.spring.SharedModel;
import dev.fastembed.spring.ModelState;
import dev.fastembed.spring.ModelUnavailableException;
import dev.fastembed.spring.PooledModel;
import dev.fastembed.spring.SparseTextEmbeddingPool;
import dev.fastembed.spring.CallBatching;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.TextRerankPool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;

import static dev.fastembed.spring.autoconfigure.StartupFailures.causeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which beans the configuration creates, and the messages of wrong configurations. No model is loaded
 * here (models are lazy or fail before reaching the engine); loading and inference are in
 * {@link RealModelAutoConfigurationTest}.
 */
class FastEmbedAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class));

    @Test
    void withoutModelsThereAreNoModelBeans() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(HubOptions.class)
                    .hasSingleBean(FastEmbedModelFactory.class).doesNotHaveBean(PooledModel.class);
        });
    }

    @Test
    void theShortcutDefinesATextModelNamedDefault() {
        runner.withPropertyValues("fastembed.model=BGESmallENV15", "fastembed.models.default.pool.eager=false",
                "fastembed.models.default.pool.size=3").run(context -> {
            assertThat(context).hasNotFailed().hasBean("defaultTextEmbeddingPool");
            TextEmbeddingPool model = context.getBean(TextEmbeddingPool.class);
            assertThat(model.name()).isEqualTo("default");
            assertThat(model.kind()).isEqualTo(ModelKind.TEXT);
            assertThat(model.pool().source()).isEqualTo("BAAI/bge-small-en-v1.5");
            assertThat(model.pool().size()).isEqualTo(3);
            assertThat(model.pool().state()).isEqualTo(ModelState.NOT_LOADED);
            assertThat(model.dimension()).hasValue(384);
        });
    }

    @Test
    void catalogueDefaultsApplyAndSettingsOverrideThem() {
        runner.withPropertyValues(
                "fastembed.models.e5.model=intfloat/multilingual-e5-small", "fastembed.models.e5.pool.eager=false",
                "fastembed.models.nomic.model=nomic-ai/nomic-embed-text-v1.5", "fastembed.models.nomic.pool.eager=false",
                "fastembed.models.nomic.query-prefix=question:", "fastembed.models.nomic.passage-prefix=")
                .run(context -> {
                    TextEmbeddingPool e5 = context.getBean("e5TextEmbeddingPool", TextEmbeddingPool.class);
                    assertThat(e5.queryPrefix()).isEqualTo("query: ");
                    assertThat(e5.passagePrefix()).isEqualTo("passage: ");
                    TextEmbeddingPool nomic = context.getBean("nomicTextEmbeddingPool", TextEmbeddingPool.class);
                    assertThat(nomic.queryPrefix()).isEqualTo("question:");
                    assertThat(nomic.passagePrefix()).isEmpty();
                    assertThat(nomic.dimension()).hasValue(768);
                });
    }

    @Test
    void eachNamedModelIsABeanInjectableByItsName() {
        runner.withUserConfiguration(NeedsModelB.class).withPropertyValues(
                "fastembed.models.a.model=BAAI/bge-small-en-v1.5", "fastembed.models.a.pool.eager=false",
                "fastembed.models.b.classpath.model=classpath:models/b/model.onnx",
                "fastembed.models.b.classpath.tokenizer=models/b/tokenizer.json",
                "fastembed.models.b.pool.eager=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(TextEmbeddingPool.class))
                    .containsOnlyKeys("aTextEmbeddingPool", "bTextEmbeddingPool");
            assertThat(context.getBean(NeedsModelB.class).model.name()).isEqualTo("b");
            assertThat(context.getBean(NeedsModelB.class).model.pool().source())
                    .isEqualTo("classpath:models/b/model.onnx");
            assertThat(context.getBean(TextEmbeddingPool.class).name())
                    .as("the first declared model is primary").isEqualTo("a");
        });
    }

    @Test
    void anImageModelIsAnImageEmbeddingPoolBean() {
        runner.withPropertyValues(
                "fastembed.models.text.model=Qdrant/clip-ViT-B-32-text", "fastembed.models.text.pool.eager=false",
                "fastembed.models.photos.model=Qdrant/clip-ViT-B-32-vision", "fastembed.models.photos.pool.eager=false",
                "fastembed.models.photos.image-limits.max-side=4096").run(context -> {
            assertThat(context).hasNotFailed().hasBean("photosImageEmbeddingPool").hasBean("textTextEmbeddingPool");
            ImageEmbeddingPool photos = context.getBean(ImageEmbeddingPool.class);
            assertThat(photos.name()).isEqualTo("photos");
            assertThat(photos.kind()).isEqualTo(ModelKind.IMAGE);
            assertThat(photos.dimension()).hasValue(512);
            assertThat(context.getBean(TextEmbeddingPool.class).name())
                    .as("primary per kind: the image model does not take the text model's place").isEqualTo("text");
        });
    }

    @Test
    void aLateInteractionModelIsItsOwnPoolBean() {
        runner.withPropertyValues("fastembed.models.colbert.model=colbert-ir/colbertv2.0",
                "fastembed.models.colbert.pool.eager=false", "fastembed.models.colbert.max-length=300").run(context -> {
            assertThat(context).hasNotFailed().hasBean("colbertLateInteractionTextEmbeddingPool")
                    .doesNotHaveBean(TextEmbeddingPool.class);
            LateInteractionTextEmbeddingPool colbert = context.getBean(LateInteractionTextEmbeddingPool.class);
            assertThat(colbert.kind()).isEqualTo(ModelKind.LATE_INTERACTION);
            assertThat(colbert.dimension()).as("per token").hasValue(128);
        });
        runner.withPropertyValues("fastembed.models.colbert.model=colbert-ir/colbertv2.0",
                "fastembed.models.colbert.pooling=mean").run(context ->
                assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class).getReason())
                        .isEqualTo("pooling applies to text, image models, not to late-interaction models"));
    }

    @Test
    void aLateInteractionMultimodalModelIsItsOwnPoolBean() {
        runner.withPropertyValues("fastembed.models.pages.model=Qdrant/colpali-v1.3-fp16",
                "fastembed.models.pages.pool.eager=false", "fastembed.models.pages.image-limits.max-side=4096",
                "fastembed.models.pages.normalize=true").run(context -> {
            assertThat(context).hasNotFailed().hasBean("pagesLateInteractionMultimodalEmbeddingPool")
                    .doesNotHaveBean(ImageEmbeddingPool.class).doesNotHaveBean(LateInteractionTextEmbeddingPool.class);
            LateInteractionMultimodalEmbeddingPool pages = context.getBean(LateInteractionMultimodalEmbeddingPool.class);
            assertThat(pages.kind()).isEqualTo(ModelKind.LATE_INTERACTION_MULTIMODAL);
            assertThat(pages.dimension()).as("per token, from the catalogue before loading").hasValue(128);
        });
        runner.withPropertyValues("fastembed.models.pages.model=Qdrant/colpali-v1.3-fp16",
                "fastembed.models.pages.pooling=mean").run(context ->
                assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class).getReason())
                        .isEqualTo("pooling applies to text, image models, not to late-interaction-multimodal models"));
    }

    @Test
    void anAliasSharedByTwoKindsNeedsTheKind() {
        runner.withPropertyValues("fastembed.models.clip.model=ClipVitB32").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getReason()).contains("names several models", "Qdrant/clip-ViT-B-32-text",
                    "Qdrant/clip-ViT-B-32-vision");
        });
        runner.withPropertyValues("fastembed.models.clip.model=ClipVitB32", "fastembed.models.clip.kind=image",
                "fastembed.models.clip.pool.eager=false").run(context ->
                assertThat(context.getBean(ImageEmbeddingPool.class).pool().source())
                        .isEqualTo("Qdrant/clip-ViT-B-32-vision"));
    }

    @Test
    void settingsOfAnotherKindAreRejected() {
        runner.withPropertyValues("fastembed.models.photos.model=Qdrant/resnet50-onnx",
                "fastembed.models.photos.query-prefix=query:").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.photos.query-prefix");
            assertThat(failure.getReason()).isEqualTo("query-prefix applies to text models, not to image models");
        });
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.sparse.k1=1.5").run(context ->
                assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class).getReason())
                        .isEqualTo("sparse applies to sparse models, not to text models"));
        runner.withPropertyValues("fastembed.models.bm25.model=Qdrant/bm25",
                "fastembed.models.bm25.rerank.sigmoid=true").run(context ->
                assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class).getReason())
                        .isEqualTo("rerank applies to rerank models, not to sparse models"));
        runner.withPropertyValues("fastembed.models.bm25.model=Qdrant/bm25", "fastembed.models.bm25.sparse.b=1.5")
                .run(context -> assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class)
                        .getName()).isEqualTo("fastembed.models.bm25.sparse.b"));
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.image-limits.max-pixels=1000").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.docs.image-limits");
            assertThat(failure.getReason())
                    .isEqualTo("image-limits applies to image, late-interaction-multimodal models, not to text models");
        });
    }

    @Test
    void primaryCanBeChosen() {
        runner.withPropertyValues(
                "fastembed.models.a.model=BAAI/bge-small-en-v1.5", "fastembed.models.a.pool.eager=false",
                "fastembed.models.b.model=BAAI/bge-base-en-v1.5", "fastembed.models.b.pool.eager=false",
                "fastembed.models.b.primary=true").run(context ->
                assertThat(context.getBean(TextEmbeddingPool.class).name()).isEqualTo("b"));
    }

    @Test
    void twoPrimaryModelsOfOneKindAreRejected() {
        runner.withPropertyValues(
                "fastembed.models.a.model=BAAI/bge-small-en-v1.5", "fastembed.models.a.primary=true",
                "fastembed.models.b.model=BAAI/bge-base-en-v1.5", "fastembed.models.b.primary=true").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.b.primary");
            assertThat(failure.getReason()).contains("Only one text model can be primary", "a and b");
        });
    }

    @Test
    void anUnknownModelNameListsTheClosestKnownNames() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-smal-en-v1.5").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.docs.model");
            assertThat(failure.getValue()).isEqualTo("BAAI/bge-smal-en-v1.5");
            assertThat(failure.getReason()).contains("Unknown model 'BAAI/bge-smal-en-v1.5'", "BAAI/bge-small-en-v1.5");
        });
    }

    @Test
    void theShortcutValidatesItsNameToo() {
        runner.withPropertyValues("fastembed.model=all-MiniLM-L6").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.model");
            assertThat(failure.getReason()).contains("Closest known models", "MiniLM");
        });
    }

    @Test
    void aKindThatContradictsTheCatalogueIsExplained() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-reranker-base",
                "fastembed.models.docs.kind=text").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getReason()).contains("'BAAI/bge-reranker-base' is a rerank model",
                    "the kind is set to text");
        });
    }

    @Test
    void sparseModelsAndRerankersAreTheirOwnPoolBeans() {
        runner.withPropertyValues(
                "fastembed.models.splade.model=prithivida/Splade_PP_en_v1", "fastembed.models.splade.pool.eager=false",
                "fastembed.models.bm25.model=Qdrant/bm25", "fastembed.models.bm25.pool.eager=false",
                "fastembed.models.bm25.sparse.language=german",
                "fastembed.models.rerank.model=BAAI/bge-reranker-base", "fastembed.models.rerank.pool.eager=false",
                "fastembed.models.rerank.rerank.top-k=5").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(SparseTextEmbeddingPool.class))
                    .containsOnlyKeys("spladeSparseTextEmbeddingPool", "bm25SparseTextEmbeddingPool");
            assertThat(context.getBean(SparseTextEmbeddingPool.class).name()).as("primary").isEqualTo("splade");
            TextRerankPool rerank = context.getBean("rerankTextRerankPool", TextRerankPool.class);
            assertThat(rerank.kind()).isEqualTo(ModelKind.RERANK);
            assertThat(rerank.dimension()).isEmpty();
            assertThat(context).doesNotHaveBean(TextEmbeddingPool.class);
        });
    }

    @Test
    void twoSourcesOfFilesForOneModelAreRejected() {
        runner.withPropertyValues("fastembed.models.docs.classpath.model=models/bge.onnx",
                "fastembed.models.docs.classpath.tokenizer=models/tokenizer.json",
                "fastembed.models.docs.directory=/models/bge").run(context -> {
            var failure = causeOf(context, MutuallyExclusiveConfigurationPropertiesException.class);
            assertThat(failure.getConfiguredNames()).containsExactlyInAnyOrder("fastembed.models.docs.classpath.model",
                    "fastembed.models.docs.directory");
            assertThat(failure.getMutuallyExclusiveNames()).contains("fastembed.models.docs.hugging-face.repo",
                    "fastembed.models.docs.model");
        });
    }

    @Test
    void aCatalogueNameNextToFilesGivesTheFilesItsSettings() {
        runner.withPropertyValues("fastembed.models.docs.model=intfloat/multilingual-e5-small",
                "fastembed.models.docs.directory=/models/e5", "fastembed.models.docs.pool.eager=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TextEmbeddingPool docs = context.getBean(TextEmbeddingPool.class);
                    assertThat(docs.pool().source()).as("the files' source").isEqualTo("directory:/models/e5");
                    assertThat(docs.queryPrefix()).as("the catalogue's prefix").isEqualTo("query: ");
                    assertThat(docs.dimension()).hasValue(384);
                });
    }

    @Test
    void anEmptySourceCountsAsUnsetSoACommandLineCanSwitchSources() {
        runner.withPropertyValues("fastembed.models.docs.classpath.model=bge-small-en-v1.5.onnx",
                "fastembed.models.docs.classpath.tokenizer=bge-small-en-v1.5-tokenizer.json",
                "fastembed.models.docs.pool.eager=false",
                // as in: --fastembed.models.docs.classpath.model= --fastembed.models.docs.model=...
                "fastembed.models.docs.classpath.model=", "fastembed.models.docs.classpath.tokenizer=",
                "fastembed.models.docs.model=sentence-transformers/all-MiniLM-L6-v2").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TextEmbeddingPool.class).pool().source())
                    .isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
        });
    }

    @Test
    void theShortcutAndAnExplicitDefaultSourceExcludeEachOther() {
        runner.withPropertyValues("fastembed.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.default.directory=/models/bge").run(context -> {
            var failure = causeOf(context, MutuallyExclusiveConfigurationPropertiesException.class);
            assertThat(failure.getConfiguredNames())
                    .containsExactlyInAnyOrder("fastembed.model", "fastembed.models.default.directory");
        });
    }

    @Test
    void aModelWithoutSourceSaysWhatToSet() {
        runner.withPropertyValues("fastembed.models.docs.pool.size=2").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.docs.model");
            assertThat(failure.getReason()).contains("no source", "fastembed.models.docs.hugging-face.repo",
                    "fastembed.models.docs.model=BAAI/bge-small-en-v1.5");
        });
    }

    @Test
    void anUnknownExecutionProviderIsABindingError() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.execution-provider=tpu").run(context -> {
            var failure = causeOf(context, BindException.class);
            assertThat(failure.getProperty().getName().toString()).isEqualTo("fastembed.models.docs.execution-provider");
        });
    }

    @Test
    void theOnlyFallbackIsTheCpu() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.execution-provider=cuda", "fastembed.models.docs.fallback=cuda").run(context -> {
            var failure = causeOf(context, BindException.class);
            assertThat(failure.getProperty().getName().toString()).isEqualTo("fastembed.models.docs.fallback");
        });
    }

    @Test
    void providerAndFallbackBindCaseInsensitively() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.pool.eager=false",
                "fastembed.models.docs.execution-provider=CUDA", "fastembed.models.docs.fallback=cpu").run(context -> {
            assertThat(context).hasNotFailed();
            var model = context.getBean(FastEmbedProperties.class).getModels().get("docs");
            assertThat(model.getExecutionProvider()).isEqualTo(dev.fastembed.ExecutionProvider.CUDA);
            assertThat(model.getFallback()).isEqualTo(FastEmbedProperties.Fallback.CPU);
            assertThat(context.getBean(FastEmbedProperties.class).isOptimizedGraphCache()).isTrue();
        });
    }

    @Test
    void anUnknownPoolingIsABindingError() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.pooling=maximum").run(context -> {
            var failure = causeOf(context, BindException.class);
            assertThat(failure).hasMessageContaining("fastembed");
            assertThat(failure.getProperty().getName().toString()).isEqualTo("fastembed.models.docs.pooling");
        });
    }

    @Test
    void sizesMustBePositive() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.pool.size=0").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.docs.pool.size");
            assertThat(failure.getReason()).contains("at least 1");
        });
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.max-length=-5").run(context ->
                assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class).getName())
                        .isEqualTo("fastembed.models.docs.max-length"));
        runner.withPropertyValues("fastembed.threads=0").run(context ->
                assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class).getName())
                        .isEqualTo("fastembed.threads"));
    }

    @Test
    void aNegativeMaxWaitIsRejected() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.pool.max-wait=-1s").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.docs.pool.max-wait");
            assertThat(failure.getReason()).contains("zero or more");
        });
    }

    @Test
    void singleTextCallsAreMergedByDefaultAndTheBatchingSettingsReachTheBean() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.pool.eager=false").run(context ->
                assertThat(context.getBean(TextEmbeddingPool.class).batching()).contains(CallBatching.on()));
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.pool.eager=false", "fastembed.models.docs.batching.max-size=8",
                "fastembed.models.docs.batching.window=2ms").run(context ->
                assertThat(context.getBean(TextEmbeddingPool.class).batching())
                        .contains(new CallBatching(true, 8, Duration.ofMillis(2))));
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.pool.eager=false", "fastembed.models.docs.batching.enabled=false").run(context ->
                assertThat(context.getBean(TextEmbeddingPool.class).batching().orElseThrow().enabled()).isFalse());
    }

    @Test
    void aBatchingWindowAbove100msOrAMaxSizeBelow1IsRejected() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.batching.window=1s").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.docs.batching.window");
            assertThat(failure.getReason()).contains("from 0 to 100ms");
        });
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.batching.max-size=0").run(context ->
                assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class).getName())
                        .isEqualTo("fastembed.models.docs.batching.max-size"));
    }

    @Test
    void aRunTimeoutBelowAMillisecondIsRejected() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.run-timeout=0ms").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.docs.run-timeout");
            assertThat(failure.getReason()).contains("at least 1ms");
        });
    }

    @Test
    void modelNamesMustBeUsableAsQualifiers() {
        runner.withPropertyValues("fastembed.models._docs.model=BAAI/bge-small-en-v1.5").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getValue()).isEqualTo("_docs");
            assertThat(failure.getReason()).contains("letters, digits");
        });
    }

    @Test
    void aMalformedHuggingFaceRepoIsRejected() {
        runner.withPropertyValues("fastembed.models.docs.hugging-face.repo=org/name/extra").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.docs.hugging-face.repo");
            assertThat(failure.getReason()).contains("org/name/extra");
        });
    }

    @Test
    void huggingFaceSettingsWithoutARepoAreRejected() {
        runner.withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.docs.hugging-face.revision=v2").run(context ->
                assertThat(causeOf(context, InvalidConfigurationPropertyValueException.class).getReason())
                        .contains("set hugging-face.repo"));
    }

    @Test
    void aClasspathTextModelNeedsItsTokenizer() {
        runner.withPropertyValues("fastembed.models.docs.classpath.model=models/bge.onnx").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.models.docs.classpath.tokenizer");
        });
    }

    @Test
    void aBadHuggingFaceEndpointNamesItsProperty() {
        runner.withPropertyValues("fastembed.hugging-face.endpoint=ftp://mirror").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.hugging-face.endpoint");
            assertThat(failure.getReason()).contains("http(s) URL");
        });
    }

    @Test
    void aBadEndpointWithCredentialsIsReportedWithoutThem() {
        runner.withPropertyValues("fastembed.hugging-face.endpoint=ftp://reader:s3cret@mirror").run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.hugging-face.endpoint");
            assertThat(failure.getValue()).isEqualTo("ftp://***@mirror");
            assertThat(failure.getMessage()).doesNotContain("s3cret");
        });
    }

    @Test
    void threadCountsBeyondTheBoundAreRejectedWithTheBound() {
        int beyond = dev.fastembed.ModelBuilder.maxThreads() + 1;
        runner.withPropertyValues("fastembed.threads=" + beyond).run(context -> {
            var failure = causeOf(context, InvalidConfigurationPropertyValueException.class);
            assertThat(failure.getName()).isEqualTo("fastembed.threads");
            assertThat(failure.getReason()).contains("at most " + (beyond - 1));
        });
    }

    @Test
    void globalSettingsReachTheHubOptions() {
        runner.withPropertyValues("fastembed.cache-dir=/tmp/fastembed-test-cache", "fastembed.offline=true",
                "fastembed.hugging-face.endpoint=https://hf-mirror.example", "fastembed.hugging-face.retries=0",
                "fastembed.hugging-face.read-timeout=5s", "fastembed.hugging-face.stall-timeout=7s",
                "fastembed.hugging-face.download-timeout=2m", "fastembed.hugging-face.max-download-size=3GB").run(context -> {
            HubOptions options = context.getBean(HubOptions.class);
            assertThat(options.stallTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(options.downloadTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(options.maxDownloadSize()).isEqualTo(3L << 30);
            assertThat(options.cacheDir()).isEqualTo(Path.of("/tmp/fastembed-test-cache"));
            assertThat(options.offline()).isTrue();
            assertThat(options.endpoint().toString()).isEqualTo("https://hf-mirror.example");
            assertThat(options.retries()).isZero();
            assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void anApplicationBeanWithAModelsBeanNameReplacesThatModel() {
        runner.withUserConfiguration(OwnDocsModel.class).withPropertyValues(
                "fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.other.model=BAAI/bge-small-en-v1.5", "fastembed.models.other.pool.eager=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("docsTextEmbeddingPool")).isSameAs(OwnDocsModel.MODEL);
                    assertThat(context).hasBean("otherTextEmbeddingPool");
                });
    }

    @Test
    void anApplicationHubOptionsBeanIsUsedForDownloads() {
        HubOptions own = HubOptions.builder().cacheDir(Path.of("/tmp/own-cache")).build();
        runner.withBean(HubOptions.class, () -> own).run(context ->
                assertThat(context.getBean(FastEmbedModelFactory.class).hubOptions()).isSameAs(own));
    }

    @Test
    void disabledMeansNoBeans() {
        runner.withPropertyValues("fastembed.enabled=false", "fastembed.model=BAAI/bge-small-en-v1.5").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(PooledModel.class)
                        .doesNotHaveBean(FastEmbedModelFactory.class));
    }

    @Test
    void aModelThatCannotLoadStopsStartupWithAnExplanation() {
        runner.withPropertyValues("fastembed.models.docs.directory=/nonexistent/bge").run(context -> {
            var failure = causeOf(context, ModelUnavailableException.class);
            assertThat(failure.modelName()).isEqualTo("docs");
            assertThat(failure).hasMessageContaining("/nonexistent/bge");
            FailureAnalysis analysis = new ModelUnavailableFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'docs'", "/nonexistent/bge");
            assertThat(analysis.getAction()).contains("fastembed.models.docs.pool.fail-fast=false");
        });
    }

    @Test
    void withoutFailFastTheApplicationStartsAndCallsSayWhyTheModelIsMissing() {
        runner.withPropertyValues("fastembed.models.docs.directory=/nonexistent/bge",
                "fastembed.models.docs.pool.fail-fast=false").run(context -> {
            assertThat(context).hasNotFailed();
            TextEmbeddingPool model = context.getBean(TextEmbeddingPool.class);
            assertThat(model.pool().state()).isEqualTo(ModelState.FAILED);
            assertThatThrownBy(() -> model.embed("hello")).isInstanceOf(ModelUnavailableException.class)
                    .hasMessageContaining("/nonexistent/bge");
        });
    }

    @Test
    void modelsCloseWithTheContext() {
        SharedModel<?>[] pool = new SharedModel<?>[1];
        runner.withPropertyValues("fastembed.model=BAAI/bge-small-en-v1.5", "fastembed.models.default.pool.eager=false")
                .run(context -> pool[0] = context.getBean(TextEmbeddingPool.class).pool());
        assertThat(pool[0].state()).isEqualTo(ModelState.CLOSED);
    }

    @Configuration(proxyBeanMethods = false)
    static class NeedsModelB {
        final TextEmbeddingPool model;

        NeedsModelB(@Qualifier("b") TextEmbeddingPool model) {
            this.model = model;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDocsModel {
        static final TextEmbeddingPool MODEL = new TextEmbeddingPool(new SharedModel<TextEmbedding>("docs",
                ModelKind.TEXT, "own", 1, Duration.ZERO, () -> {
            throw new IllegalStateException("never loaded in this test");
        }), 0, "", "");

        @Bean
        TextEmbeddingPool docsTextEmbeddingPool() {
            return MODEL;
        }
    }
}

package dev.fastembed.catalog;

import dev.fastembed.FastEmbedException;
import dev.fastembed.Pooling;
import dev.fastembed.hub.HubNames;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCatalogTest {

    private static final List<ModelDescription> ALL = ModelCatalog.all();

    @Test
    void namesAreUniqueIgnoringCase() {
        Set<String> seen = new HashSet<>();
        for (ModelDescription model : ALL) {
            assertThat(seen.add(model.name().toLowerCase(Locale.ROOT))).as("duplicate name %s", model.name()).isTrue();
        }
    }

    @Test
    void aliasesAreUniqueWithinAKindAndNeverShadowAName() {
        Set<String> names = new HashSet<>();
        ALL.forEach(m -> names.add(m.name().toLowerCase(Locale.ROOT)));
        for (ModelKind kind : ModelKind.values()) {
            Set<String> aliases = new HashSet<>();
            for (ModelDescription model : ModelCatalog.list(kind)) {
                if (model.alias() != null) {
                    String alias = model.alias().toLowerCase(Locale.ROOT);
                    assertThat(aliases.add(alias)).as("duplicate %s alias %s", kind, model.alias()).isTrue();
                    assertThat(names).as("alias %s equals a model name", model.alias()).doesNotContain(alias);
                }
            }
        }
    }

    @Test
    void reposAreOrgSlashName() {
        Pattern orgSlashName = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*/[A-Za-z0-9_][A-Za-z0-9_.-]*");
        for (ModelDescription model : ALL) {
            assertThat(model.repo()).as(model.name()).matches(orgSlashName);
            assertThat(HubNames.isNamespacedRepoId(model.repo())).as(model.name()).isTrue();
        }
    }

    @Test
    void filePathsAreRelativeAndStayInsideTheRepo() {
        for (ModelDescription model : ALL) {
            assertThat(model.files()).as(model.name()).doesNotHaveDuplicates();
            // Only BM25 has no files at all: its stemmers and stopwords are built into the engine.
            if (model.modelFile() != null) {
                assertThat(model.files()).as(model.name()).isNotEmpty();
            }
            for (String file : model.files()) {
                assertThat(file).as(model.name()).doesNotStartWith("/").doesNotContain("..").doesNotContain("\\");
                assertThat(HubNames.requireFilePath(file)).isEqualTo(file);
            }
        }
    }

    @Test
    void externalDataSitsNextToItsModel() {
        for (ModelDescription model : ALL) {
            for (String file : model.additionalFiles()) {
                if (file.endsWith(".onnx_data") || file.endsWith(".onnx.data")) {
                    assertThat(parent(file)).as(model.name() + " " + file).isEqualTo(parent(model.modelFile()));
                }
            }
        }
    }

    @Test
    void denseModelsHavePositiveDimensionsAndSparseOrRerankNone() {
        for (ModelDescription model : ALL) {
            switch (model.kind()) {
                case TEXT, IMAGE, LATE_INTERACTION -> assertThat(model.dimension()).as(model.name()).isPositive();
                case SPARSE, RERANK -> assertThat(model.dimension()).as(model.name()).isZero();
            }
        }
    }

    @Test
    void textModelsHaveTokenizerPoolingAndLength() {
        for (ModelDescription model : ModelCatalog.list(ModelKind.TEXT)) {
            assertThat(model.modelFile()).as(model.name()).endsWith(".onnx");
            assertThat(model.tokenizerFile()).as(model.name()).isEqualTo("tokenizer.json");
            assertThat(model.configFiles()).as(model.name()).containsAll(ModelDescription.TEXT_CONFIG_FILES);
            assertThat(model.pooling()).as(model.name()).isNotNull();
            assertThat(model.normalize()).as(model.name()).isTrue();
            assertThat(model.maxLength()).as(model.name()).isPositive();
            if (model.pooling() == Pooling.NONE) {
                assertThat(model.outputName()).as("a pre-pooled model names its output: " + model.name()).isNotNull();
            }
        }
    }

    @Test
    void imageModelsNeedPreprocessingButNoTokenizer() {
        for (ModelDescription model : ModelCatalog.list(ModelKind.IMAGE)) {
            assertThat(model.tokenizerFile()).as(model.name()).isNull();
            assertThat(model.files()).as(model.name()).contains("preprocessor_config.json");
            assertThat(model.maxLength()).as(model.name()).isZero();
        }
    }

    @Test
    void everyKindHasModelsAndListsPartitionTheCatalogue() {
        int total = 0;
        for (ModelKind kind : ModelKind.values()) {
            List<ModelDescription> models = ModelCatalog.list(kind);
            assertThat(models).as(kind.name()).isNotEmpty().allMatch(m -> m.kind() == kind);
            total += models.size();
        }
        assertThat(total).isEqualTo(ALL.size());
        assertThat(ModelCatalog.list(ModelKind.SPARSE)).extracting(ModelDescription::name)
                .contains("prithivida/Splade_PP_en_v1", "Qdrant/bm25", "Qdrant/bm42-all-minilm-l6-v2-attentions");
    }

    @Test
    void quantizedVariantsAreMarkedAndPointAtQuantizedWeights() {
        for (ModelDescription model : ALL) {
            if (model.name().endsWith("-Q")) {
                assertThat(model.quantized()).as(model.name()).isTrue();
            }
            if (model.quantized()) {
                assertThat(model.modelFile()).as(model.name()).containsAnyOf("quantized", "optimized");
            } else if (model.modelFile() != null) {
                assertThat(model.modelFile()).as(model.name()).doesNotContain("quantized");
            }
        }
    }

    @Test
    void prefixesOnlyWhereTheModelCardPrescribesThem() {
        Pattern prescribed = Pattern.compile(
                "(?i)(intfloat/multilingual-e5|nomic-ai/nomic-embed-text|lightonai/modernbert-embed|"
                        + "mixedbread-ai/mxbai-embed|Snowflake/snowflake-arctic-embed|google/embeddinggemma).*");
        for (ModelDescription model : ALL) {
            boolean hasPrefix = !model.queryPrefix().isEmpty() || !model.passagePrefix().isEmpty();
            assertThat(hasPrefix).as(model.name()).isEqualTo(prescribed.matcher(model.name()).matches());
            if (hasPrefix) {
                assertThat(model.kind()).isEqualTo(ModelKind.TEXT);
                assertThat(model.queryPrefix()).as(model.name()).isNotEmpty();
            }
        }
        ModelDescription e5 = ModelCatalog.get("MultilingualE5Small");
        assertThat(e5.queryPrefix()).isEqualTo("query: ");
        assertThat(e5.passagePrefix()).isEqualTo("passage: ");
        ModelDescription nomic = ModelCatalog.get("nomic-ai/nomic-embed-text-v1.5");
        assertThat(nomic.queryPrefix()).isEqualTo("search_query: ");
        assertThat(nomic.passagePrefix()).isEqualTo("search_document: ");
        assertThat(ModelCatalog.get("BGESmallENV15").queryPrefix()).isEmpty();
    }

    @Test
    void licencesAreHubIdentifiers() {
        Set<String> known = Set.of("apache-2.0", "mit", "cc-by-nc-4.0", "gemma");
        assertThat(ALL).allSatisfy(m -> assertThat(known).as(m.name()).contains(m.licence()));
    }

    @Test
    void lookupWorksByNameOrAliasIgnoringCase() {
        ModelDescription byName = ModelCatalog.get("baai/BGE-small-en-v1.5");
        ModelDescription byAlias = ModelCatalog.get("bgesmallenv15");
        assertThat(byName).isSameAs(byAlias);
        assertThat(byName.name()).isEqualTo("BAAI/bge-small-en-v1.5");
        assertThat(byName.repo()).isEqualTo("Xenova/bge-small-en-v1.5");
        assertThat(byName.modelFile()).isEqualTo("onnx/model.onnx");
        assertThat(byName.dimension()).isEqualTo(384);
        assertThat(byName.pooling()).isEqualTo(Pooling.CLS);
        assertThat(ModelCatalog.find("  BGESmallENV15 ")).contains(byName);
    }

    @Test
    void unknownModelErrorNamesTheThreeClosestModels() {
        assertThatThrownBy(() -> ModelCatalog.get("BAAI/bge-smal-en-v1.5"))
                .isInstanceOfSatisfying(FastEmbedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("BAAI/bge-smal-en-v1.5")
                            .contains("Closest known models: BAAI/bge-small-en-v1.5, ");
                    String suggestions = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
                    assertThat(suggestions.split(", ")).hasSize(3);
                });
        assertThat(ModelCatalog.closestNames("AllMiniLML6V2X", 3)).first().isEqualTo("AllMiniLML6V2");
        assertThat(ModelCatalog.find("no-such-model")).isEmpty();
    }

    @Test
    void aliasSharedByTextAndImageNeedsTheKind() {
        assertThatThrownBy(() -> ModelCatalog.get("ClipVitB32"))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("Qdrant/clip-ViT-B-32-text")
                .hasMessageContaining("Qdrant/clip-ViT-B-32-vision");
        assertThat(ModelCatalog.get(ModelKind.IMAGE, "ClipVitB32").name()).isEqualTo("Qdrant/clip-ViT-B-32-vision");
        assertThat(ModelCatalog.get(ModelKind.TEXT, "clipvitb32").name()).isEqualTo("Qdrant/clip-ViT-B-32-text");
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
        assertThat(EditDistance.between("", "abc")).isEqualTo(3);
        assertThat(EditDistance.between("same", "same")).isZero();
    }

    @Test
    void descriptionsRejectPathsThatLeaveTheRepo() {
        assertThatThrownBy(() -> ModelDescription.builder("x/y", ModelKind.TEXT, "x/y").modelFile("../model.onnx")
                .licence("mit").description("d").build())
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("../model.onnx");
        assertThatThrownBy(() -> ModelDescription.builder("x/y", ModelKind.TEXT, "../y")
                .licence("mit").description("d").build())
                .isInstanceOf(FastEmbedException.class);
    }

    private static String parent(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }
}

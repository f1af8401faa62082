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
    void namesAreUniqueIgnoringCaseExceptForTheTwoTowersOfAMultimodalModel() {
        for (ModelKind kind : ModelKind.values()) {
            Set<String> seen = new HashSet<>();
            for (ModelDescription model : ModelCatalog.list(kind)) {
                assertThat(seen.add(model.name().toLowerCase(Locale.ROOT))).as("duplicate name %s", model.name())
                        .isTrue();
            }
        }
        for (ModelDescription model : ALL) {
            List<ModelDescription> named = ALL.stream().filter(m -> m.name().equalsIgnoreCase(model.name())).toList();
            if (named.size() > 1) {
                assertThat(named).extracting(ModelDescription::kind).as(model.name())
                        .containsExactlyInAnyOrder(ModelKind.TEXT, ModelKind.IMAGE);
                assertThat(named).extracting(ModelDescription::dimension).as("one space").containsOnly(model.dimension());
            }
        }
    }

    @Test
    void jinaClipIsOneNameForTwoTowersOfOneSpace() {
        ModelDescription text = ModelCatalog.get(ModelKind.TEXT, "jinaai/jina-clip-v1");
        ModelDescription image = ModelCatalog.get(ModelKind.IMAGE, "jinaai/jina-clip-v1");
        assertThat(text.modelFile()).isEqualTo("onnx/text_model.onnx");
        assertThat(image.modelFile()).isEqualTo("onnx/vision_model.onnx");
        assertThat(image.files()).contains("preprocessor_config.json");
        assertThat(text.repo()).isEqualTo(image.repo());
        assertThat(text.dimension()).isEqualTo(image.dimension()).isEqualTo(768);
        assertThatThrownBy(() -> ModelCatalog.get("jinaai/jina-clip-v1")).isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("names several models").hasMessageContaining("(TEXT)")
                .hasMessageContaining("(IMAGE)");
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
            if (model.name().endsWith("-Q") || model.name().endsWith("-Q4")) {
                assertThat(model.quantized()).as(model.name()).isTrue();
            }
            if (model.quantized()) {
                assertThat(model.modelFile()).as(model.name()).containsAnyOf("quantized", "optimized", "_q4");
            } else if (model.modelFile() != null) {
                assertThat(model.modelFile()).as(model.name()).doesNotContain("quantized");
            }
        }
    }

    @Test
    void prefixesOnlyWhereTheModelCardPrescribesThem() {
        Pattern prescribed = Pattern.compile(
                "(?i)(intfloat/multilingual-e5|nomic-ai/nomic-embed-text|lightonai/modernbert-embed|"
                        + "mixedbread-ai/mxbai-embed|Snowflake/snowflake-arctic-embed|google/embeddinggemma).*"
                        + "|BAAI/bge-(small|base)-en|Qwen/Qwen3-Embedding.*");
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
        assertThat(ModelCatalog.get("BAAI/bge-small-en").queryPrefix())
                .isEqualTo("Represent this sentence for searching relevant passages: ");
    }

    /**
     * The dense names of qdrant/fastembed's {@code supported_*_models} lists (fastembed/text/*.py) and the dense
     * enum of fastembed-rs (src/models/text_embedding.rs), as of their August 2026 sources; the catalogue holds each
     * of them, and the image side of the multimodal ones.
     */
    private static final List<String> FASTEMBED_DENSE = List.of(
            "BAAI/bge-base-en", "BAAI/bge-base-en-v1.5", "BAAI/bge-large-en-v1.5", "BAAI/bge-small-en",
            "BAAI/bge-small-en-v1.5", "BAAI/bge-small-zh-v1.5", "mixedbread-ai/mxbai-embed-large-v1",
            "snowflake/snowflake-arctic-embed-xs", "snowflake/snowflake-arctic-embed-s",
            "snowflake/snowflake-arctic-embed-m", "snowflake/snowflake-arctic-embed-m-long",
            "snowflake/snowflake-arctic-embed-l", "jinaai/jina-clip-v1", "Qdrant/clip-ViT-B-32-text",
            "google/siglip2-base-patch16-224", "sentence-transformers/all-MiniLM-L6-v2",
            "jinaai/jina-embeddings-v2-base-en", "jinaai/jina-embeddings-v2-small-en",
            "jinaai/jina-embeddings-v2-base-de", "jinaai/jina-embeddings-v2-base-code",
            "jinaai/jina-embeddings-v2-base-zh", "jinaai/jina-embeddings-v2-base-es", "thenlper/gte-base",
            "thenlper/gte-large", "nomic-ai/nomic-embed-text-v1.5", "nomic-ai/nomic-embed-text-v1.5-Q",
            "nomic-ai/nomic-embed-text-v1", "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2",
            "sentence-transformers/paraphrase-multilingual-mpnet-base-v2", "intfloat/multilingual-e5-large",
            "jinaai/jina-embeddings-v3", "google/embeddinggemma-300m", "Qwen/Qwen3-Embedding-0.6B",
            "Qwen/Qwen3-Embedding-0.6B-Q",
            // fastembed-rs enum names
            "AllMiniLML6V2", "AllMiniLML6V2Q", "AllMiniLML12V2", "AllMiniLML12V2Q", "AllMpnetBaseV2", "BGEBaseENV15",
            "BGEBaseENV15Q", "BGELargeENV15", "BGELargeENV15Q", "BGESmallENV15", "BGESmallENV15Q", "NomicEmbedTextV1",
            "NomicEmbedTextV15", "NomicEmbedTextV15Q", "ParaphraseMLMiniLML12V2", "ParaphraseMLMiniLML12V2Q",
            "ParaphraseMLMpnetBaseV2", "BGESmallZHV15", "BGELargeZHV15", "BGEM3", "ModernBertEmbedLarge",
            "MultilingualE5Small", "MultilingualE5Base", "MultilingualE5Large", "MxbaiEmbedLargeV1",
            "MxbaiEmbedLargeV1Q", "GTEBaseENV15", "GTEBaseENV15Q", "GTELargeENV15", "GTELargeENV15Q", "ClipVitB32",
            "JinaEmbeddingsV2BaseCode", "JinaEmbeddingsV2BaseEN", "EmbeddingGemma300M", "EmbeddingGemma300MQ4",
            "EmbeddingGemma300MQ", "SnowflakeArcticEmbedXS", "SnowflakeArcticEmbedXSQ", "SnowflakeArcticEmbedS",
            "SnowflakeArcticEmbedSQ", "SnowflakeArcticEmbedM", "SnowflakeArcticEmbedMQ", "SnowflakeArcticEmbedMLong",
            "SnowflakeArcticEmbedMLongQ", "SnowflakeArcticEmbedL", "SnowflakeArcticEmbedLQ");

    @Test
    void holdsEveryDenseModelOfFastembed() {
        for (String name : FASTEMBED_DENSE) {
            boolean listed = ModelCatalog.find(name).isPresent()
                    || ModelCatalog.list(ModelKind.TEXT).stream().anyMatch(m -> m.isNamed(name));
            assertThat(listed).as(name).isTrue();
        }
        // fastembed's image lists (fastembed/image/*.py) hold the image towers of its multimodal text models.
        for (String name : List.of("jinaai/jina-clip-v1", "google/siglip2-base-patch16-224",
                "Qdrant/clip-ViT-B-32-vision", "nomic-ai/nomic-embed-vision-v1.5")) {
            assertThat(ModelCatalog.get(ModelKind.IMAGE, name).dimension()).as(name).isPositive();
        }
    }

    /**
     * The other {@code supported_*_models} lists of qdrant/fastembed (commit c48247f): sparse (fastembed/sparse/*.py),
     * late interaction (fastembed/late_interaction/*.py), rerank (fastembed/rerank/cross_encoder/*.py) and image
     * (fastembed/image/*.py) and late interaction over images (fastembed/late_interaction_multimodal/*.py). Each is in
     * the catalogue under its kind.
     */
    @Test
    void holdsEveryModelOfFastembedsOtherLists() {
        var lists = java.util.Map.of(
                ModelKind.SPARSE, List.of("prithivida/Splade_PP_en_v1", "prithvida/Splade_PP_en_v1", "Qdrant/bm25",
                        "Qdrant/bm42-all-minilm-l6-v2-attentions", "Qdrant/minicoil-v1",
                        "opensearch-project/opensearch-neural-sparse-encoding-doc-v3-gte"),
                ModelKind.LATE_INTERACTION, List.of("colbert-ir/colbertv2.0", "answerdotai/answerai-colbert-small-v1",
                        "jinaai/jina-colbert-v2", "jinaai/jina-embeddings-v2-small-en-tokens"),
                ModelKind.RERANK, List.of("BAAI/bge-reranker-base", "Xenova/ms-marco-MiniLM-L-6-v2",
                        "Xenova/ms-marco-MiniLM-L-12-v2", "jinaai/jina-reranker-v1-tiny-en",
                        "jinaai/jina-reranker-v1-turbo-en", "jinaai/jina-reranker-v2-base-multilingual"),
                ModelKind.IMAGE, List.of("Qdrant/clip-ViT-B-32-vision", "Qdrant/resnet50-onnx",
                        "Qdrant/Unicom-ViT-B-16", "Qdrant/Unicom-ViT-B-32", "jinaai/jina-clip-v1",
                        "nomic-ai/nomic-embed-vision-v1.5", "nomic-ai/nomic-embed-vision-v1.5-Q",
                        "google/siglip2-base-patch16-224"),
                ModelKind.LATE_INTERACTION_MULTIMODAL, List.of("Qdrant/colpali-v1.3-fp16", "Qdrant/ColPali-v1.3-fp16",
                        "Qdrant/colmodernvbert"));
        lists.forEach((kind, names) -> names.forEach(name ->
                assertThat(ModelCatalog.get(kind, name).kind()).as(name).isEqualTo(kind)));
        ModelDescription colmodernvbert = ModelCatalog.get("Qdrant/colmodernvbert");
        assertThat(colmodernvbert.dimension()).isEqualTo(128);
        assertThat(colmodernvbert.normalize()).isFalse();
        assertThat(colmodernvbert.files()).contains("model.onnx", "processor_config.json", "tokenizer.json",
                "config.json", "preprocessor_config.json");
    }

    @Test
    void decoderEmbeddersPoolTheLastTokenAndInstructQueriesOnly() {
        ModelDescription qwen = ModelCatalog.get("Qwen/Qwen3-Embedding-0.6B");
        assertThat(qwen.pooling()).isEqualTo(Pooling.LAST_TOKEN);
        assertThat(qwen.queryPrefix()).startsWith("Instruct: ").endsWith("\nQuery:");
        assertThat(qwen.passagePrefix()).isEmpty();
        assertThat(qwen.additionalFiles()).containsExactly("onnx/model.onnx_data");
        assertThat(ModelCatalog.list(ModelKind.TEXT)).filteredOn(m -> m.pooling() == Pooling.LAST_TOKEN)
                .extracting(ModelDescription::name)
                .containsExactly("Qwen/Qwen3-Embedding-0.6B", "Qwen/Qwen3-Embedding-0.6B-Q");
    }

    @Test
    void taskAdaptersAreNamedInTheOrderOfTheirIds() {
        assertThat(ModelCatalog.get("jinaai/jina-embeddings-v3").tasks()).containsExactly("retrieval.query",
                "retrieval.passage", "separation", "classification", "text-matching");
        assertThat(ALL).filteredOn(m -> !m.tasks().isEmpty()).extracting(ModelDescription::name)
                .containsExactly("jinaai/jina-embeddings-v3");
    }

    @Test
    void onlyMatryoshkaModelsMayBeCut() {
        assertThat(ALL).filteredOn(m -> m.minDimension() > 0).extracting(ModelDescription::name)
                .allMatch(n -> n.matches("(Qwen/Qwen3-Embedding|nomic-ai/nomic-embed-text-v1\\.5|google/embeddinggemma"
                        + "|jinaai/jina-embeddings-v3).*"))
                .contains("Qwen/Qwen3-Embedding-0.6B", "nomic-ai/nomic-embed-text-v1.5", "google/embeddinggemma-300m");
        assertThat(ModelCatalog.get("Qwen/Qwen3-Embedding-0.6B").minDimension()).isEqualTo(32);
        assertThat(ModelCatalog.get("BGESmallENV15").minDimension()).isZero();
        assertThatThrownBy(() -> ModelDescription.builder("x/y", ModelKind.TEXT, "x/y").dimension(8).matryoshka(16)
                .licence("mit").description("d").build()).hasMessageContaining("minDimension");
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

    /**
     * The README's model table is generated from the catalogue, so it cannot drift: this test fails with the expected
     * table when the README's differs; {@code -Dupdate-readme=true} writes it instead.
     */
    @Test
    void everyModelFastembedListsCarriesFastembedsSize() throws java.io.IOException {
        List<String> lines;
        try (var in = ModelCatalog.class.getResourceAsStream("fastembed-sizes.tsv")) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).toList();
        }
        assertThat(lines).hasSizeGreaterThan(50);
        for (String line : lines) {
            String[] f = line.split("\t");
            ModelKind kind = ModelKind.valueOf(f[0].toUpperCase(Locale.ROOT).replace('-', '_'));
            assertThat(ModelCatalog.get(kind, f[1]).sizeGb()).as(line).isEqualTo(Double.parseDouble(f[2]));
        }
        assertThat(ModelCatalog.get(ModelKind.TEXT, "BAAI/bge-small-en-v1.5").sizeGb()).isEqualTo(0.067);
    }

    @Test
    void theReadmeTableListsTheCatalogue() throws java.io.IOException {
        String start = "<!-- model-catalogue: generated by ModelCatalogTest -->";
        String end = "<!-- /model-catalogue -->";
        StringBuilder table = new StringBuilder("\n| kind | name | alias | dimension | size (GB) | licence | description |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (ModelDescription m : ALL) {
            table.append("| ").append(m.kind().id()).append(" | `")
                    .append(m.name()).append("` | ").append(m.alias() == null ? "" : "`" + m.alias() + "`").append(" | ")
                    .append(m.dimension() == 0 ? "" : m.dimension()).append(" | ")
                    .append(m.sizeGb() == 0 ? "" : String.format(Locale.ROOT, "%.2f", m.sizeGb())).append(" | ")
                    .append(m.licence()).append(" | ")
                    .append(m.description().replace("|", "\\|")).append(" |\n");
        }
        java.nio.file.Path readme = java.nio.file.Path.of("..", "README.md");
        String text = java.nio.file.Files.readString(readme);
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        assertThat(from).as("README marker " + start).isNotNegative();
        assertThat(to).as("README marker " + end).isGreaterThan(from);
        String expected = table.append('\n').toString();
        if (text.substring(from + start.length(), to).equals(expected)) {
            return;
        }
        if (Boolean.getBoolean("update-readme")) {
            java.nio.file.Files.writeString(readme, text.substring(0, from + start.length()) + expected
                    + text.substring(to));
            return;
        }
        org.assertj.core.api.Assertions.fail("README.md's model table is out of date (or run this test with "
                + "-Dupdate-readme=true). Expected between the markers:\n" + expected);
    }

    private static String parent(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }
}

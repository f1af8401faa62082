package dev.fastembed.catalog;

import dev.fastembed.FastEmbedException;
import dev.fastembed.Pooling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The models fastembed offers, by name ({@code BAAI/bge-small-en-v1.5}) or fastembed-rs enum name
 * ({@code BGESmallENV15}), ignoring case. A name or alias may stand for the two towers of a multimodal model
 * ({@code jinaai/jina-clip-v1}, {@code ClipVitB32}): then the kind picks one.
 *
 * <p>Repos, files, dimensions and pooling follow fastembed-rs; licences, and the models fastembed-rs lacks (so
 * they have no alias: the sparse BM25/BM42 entries, the MS MARCO rerankers, BGE v1, GTE, Jina v2 small/de/zh/es,
 * Jina v3, jina-clip, SigLIP 2, Qwen3-Embedding, the Jina v2 small token embeddings), follow qdrant/fastembed.
 * Prefixes are set only where the model card prescribes them for retrieval and fastembed's own notes call them
 * necessary (E5, nomic, ModernBERT-embed, mxbai, Snowflake Arctic,
 * EmbeddingGemma, BGE v1, Qwen3-Embedding). BGE v1.5 models get none: fastembed embeds their queries as they
 * are, and the BGE card calls the query instruction optional for v1.5.
 */
public final class ModelCatalog {

    private static final String RETRIEVAL_INSTRUCTION = "Represent this sentence for searching relevant passages: ";
    /** Qwen3-Embedding's query format, {@code Instruct: {task}\nQuery:{query}}, with the card's retrieval task. */
    private static final String QWEN3_QUERY_INSTRUCTION =
            "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery:";

    private static final List<ModelDescription> MODELS = withFastembedSizes(entries());

    private ModelCatalog() {
    }

    /** Every model, in catalogue order. */
    public static List<ModelDescription> all() {
        return MODELS;
    }

    /** The models of one kind, in catalogue order. */
    public static List<ModelDescription> list(ModelKind kind) {
        return MODELS.stream().filter(m -> m.kind() == kind).toList();
    }

    /**
     * The model with this name or alias, ignoring case.
     *
     * @throws FastEmbedException (INVALID_ARGUMENT) naming the closest known names when there is none, or
     *                            the candidates when an alias is shared by models of different kinds
     */
    public static ModelDescription get(String name) {
        return single(name, MODELS);
    }

    /** The model of this kind with this name or alias, ignoring case. */
    public static ModelDescription get(ModelKind kind, String name) {
        return single(name, list(kind));
    }

    /** The model with this name or alias, or empty (also when the name is ambiguous). */
    public static Optional<ModelDescription> find(String name) {
        List<ModelDescription> matches = matches(name, MODELS);
        return matches.size() == 1 ? Optional.of(matches.getFirst()) : Optional.empty();
    }

    /** Up to {@code limit} known names and aliases closest to {@code name} by edit distance (ignoring case). */
    public static List<String> closestNames(String name, int limit) {
        return closestNames(name, MODELS, limit);
    }

    private static ModelDescription single(String name, List<ModelDescription> candidates) {
        List<ModelDescription> matches = matches(name, candidates);
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT,
                    "Unknown model '" + name + "'. Closest known models: "
                            + String.join(", ", closestNames(name, candidates, 3)));
        }
        throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT,
                "'" + name + "' names several models; use the full name or the model kind: "
                        + String.join(", ", matches.stream().map(m -> m.name() + " (" + m.kind() + ")").toList()));
    }

    private static List<ModelDescription> matches(String name, List<ModelDescription> candidates) {
        String wanted = name == null ? "" : name.strip();
        return candidates.stream().filter(m -> m.isNamed(wanted)).toList();
    }

    private static List<String> closestNames(String name, List<ModelDescription> candidates, int limit) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        // Score each model by its closer spelling (name or alias) and suggest that spelling.
        Map<String, Integer> best = new LinkedHashMap<>();
        for (ModelDescription model : candidates) {
            String spelling = model.name();
            int distance = EditDistance.between(wanted, model.name().toLowerCase(Locale.ROOT));
            if (model.alias() != null) {
                int aliasDistance = EditDistance.between(wanted, model.alias().toLowerCase(Locale.ROOT));
                if (aliasDistance < distance) {
                    spelling = model.alias();
                    distance = aliasDistance;
                }
            }
            best.merge(spelling, distance, Math::min);
        }
        return best.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The entries with the download sizes fastembed lists (resource {@code fastembed-sizes.tsv}). */
    private static List<ModelDescription> withFastembedSizes(List<ModelDescription> entries) {
        Map<String, Double> sizes = new LinkedHashMap<>();
        try (var in = ModelCatalog.class.getResourceAsStream("fastembed-sizes.tsv")) {
            if (in == null) {
                throw new IllegalStateException("fastembed-sizes.tsv is missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.split("\t");
                if (!line.startsWith("#") && fields.length == 3) {
                    // Names match ignoring case, as everywhere in the catalogue.
                    sizes.put((fields[0] + " " + fields[1]).toLowerCase(Locale.ROOT), Double.parseDouble(fields[2]));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return entries.stream().map(m -> m.withSizeGb(sizes.getOrDefault(
                (m.kind().id() + " " + m.name()).toLowerCase(Locale.ROOT), 0.0))).toList();
    }

    private static List<ModelDescription> entries() {
        List<ModelDescription> m = new ArrayList<>();

        // ---- Dense text ----
        m.add(text("sentence-transformers/all-MiniLM-L6-v2", "AllMiniLML6V2", "Qdrant/all-MiniLM-L6-v2-onnx")
                .modelFile("model.onnx").dimension(384).pooling(Pooling.MEAN).maxLength(256).licence("apache-2.0")
                .description("Sentence Transformers MiniLM-L6-v2, small and fast English model").build());
        m.add(text("sentence-transformers/all-MiniLM-L6-v2-Q", "AllMiniLML6V2Q", "Xenova/all-MiniLM-L6-v2")
                .modelFile("onnx/model_quantized.onnx").quantized(true).dimension(384).pooling(Pooling.MEAN)
                .maxLength(256).licence("apache-2.0")
                .description("Quantized Sentence Transformers MiniLM-L6-v2").build());
        m.add(text("sentence-transformers/all-MiniLM-L12-v2", "AllMiniLML12V2", "Xenova/all-MiniLM-L12-v2")
                .modelFile("onnx/model.onnx").dimension(384).pooling(Pooling.MEAN).maxLength(256)
                .licence("apache-2.0").description("Sentence Transformers MiniLM-L12-v2, English").build());
        m.add(text("sentence-transformers/all-MiniLM-L12-v2-Q", "AllMiniLML12V2Q", "Xenova/all-MiniLM-L12-v2")
                .modelFile("onnx/model_quantized.onnx").quantized(true).dimension(384).pooling(Pooling.MEAN)
                .maxLength(256).licence("apache-2.0")
                .description("Quantized Sentence Transformers MiniLM-L12-v2").build());
        m.add(text("sentence-transformers/all-mpnet-base-v2", "AllMpnetBaseV2", "Xenova/all-mpnet-base-v2")
                .modelFile("onnx/model.onnx").dimension(768).pooling(Pooling.MEAN).maxLength(384)
                .licence("apache-2.0").description("Sentence Transformers mpnet-base-v2, English").build());
        bge(m, "BAAI/bge-base-en-v1.5", "BGEBaseENV15", "Xenova/bge-base-en-v1.5",
                "Qdrant/bge-base-en-v1.5-onnx-Q", 768, "base English model");
        bge(m, "BAAI/bge-large-en-v1.5", "BGELargeENV15", "Xenova/bge-large-en-v1.5",
                "Qdrant/bge-large-en-v1.5-onnx-Q", 1024, "large English model");
        bge(m, "BAAI/bge-small-en-v1.5", "BGESmallENV15", "Xenova/bge-small-en-v1.5",
                "Qdrant/bge-small-en-v1.5-onnx-Q", 384, "small English model, fastembed's default");
        m.add(nomic("nomic-ai/nomic-embed-text-v1", "NomicEmbedTextV1", "onnx/model.onnx", false)
                .description("Nomic text embeddings v1, English, 8192-token context").build());
        m.add(nomic("nomic-ai/nomic-embed-text-v1.5", "NomicEmbedTextV15", "onnx/model.onnx", false).matryoshka(64)
                .description("Nomic text embeddings v1.5, English, 8192-token context").build());
        m.add(nomic("nomic-ai/nomic-embed-text-v1.5-Q", "NomicEmbedTextV15Q", "onnx/model_quantized.onnx", true)
                .matryoshka(64)
                .description("Quantized Nomic text embeddings v1.5").build());
        m.add(text("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", "ParaphraseMLMiniLML12V2",
                "Xenova/paraphrase-multilingual-MiniLM-L12-v2")
                .modelFile("onnx/model.onnx").dimension(384).pooling(Pooling.MEAN).maxLength(512)
                .licence("apache-2.0").description("Multilingual paraphrase MiniLM-L12-v2, about 50 languages").build());
        m.add(text("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2-Q", "ParaphraseMLMiniLML12V2Q",
                "Qdrant/paraphrase-multilingual-MiniLM-L12-v2-onnx-Q")
                .modelFile("model_optimized.onnx").quantized(true).dimension(384).pooling(Pooling.MEAN)
                .maxLength(512).licence("apache-2.0")
                .description("Quantized multilingual paraphrase MiniLM-L12-v2").build());
        m.add(text("sentence-transformers/paraphrase-multilingual-mpnet-base-v2", "ParaphraseMLMpnetBaseV2",
                "Xenova/paraphrase-multilingual-mpnet-base-v2")
                .modelFile("onnx/model.onnx").dimension(768).pooling(Pooling.MEAN).maxLength(384)
                .licence("apache-2.0").description("Multilingual paraphrase mpnet-base-v2, about 50 languages").build());
        m.add(text("BAAI/bge-small-zh-v1.5", "BGESmallZHV15", "Xenova/bge-small-zh-v1.5")
                .modelFile("onnx/model.onnx").dimension(512).pooling(Pooling.CLS).maxLength(512).licence("mit")
                .description("BGE v1.5 small Chinese model").build());
        m.add(text("BAAI/bge-large-zh-v1.5", "BGELargeZHV15", "Xenova/bge-large-zh-v1.5")
                .modelFile("onnx/model.onnx").dimension(1024).pooling(Pooling.CLS).maxLength(512).licence("mit")
                .description("BGE v1.5 large Chinese model").build());
        m.add(text("BAAI/bge-m3", "BGEM3", "BAAI/bge-m3")
                .modelFile("onnx/model.onnx").additionalFiles("onnx/model.onnx_data", "onnx/Constant_7_attr__value")
                .dimension(1024).pooling(Pooling.CLS).maxLength(8192).licence("mit")
                .description("BGE-M3 dense embeddings, 100+ languages, 8192-token context").build());
        m.add(text("lightonai/modernbert-embed-large", "ModernBertEmbedLarge", "lightonai/modernbert-embed-large")
                .modelFile("onnx/model.onnx").dimension(1024).pooling(Pooling.MEAN).maxLength(8192)
                .licence("apache-2.0").prefixes("search_query: ", "search_document: ")
                .description("ModernBERT-based large English embedding model").build());
        e5(m, "intfloat/multilingual-e5-small", "MultilingualE5Small", "intfloat/multilingual-e5-small",
                "onnx/model.onnx", 384, "small");
        e5(m, "intfloat/multilingual-e5-base", "MultilingualE5Base", "intfloat/multilingual-e5-base",
                "onnx/model.onnx", 768, "base");
        e5(m, "intfloat/multilingual-e5-large", "MultilingualE5Large", "Qdrant/multilingual-e5-large-onnx",
                "model.onnx", 1024, "large");
        m.add(text("mixedbread-ai/mxbai-embed-large-v1", "MxbaiEmbedLargeV1", "mixedbread-ai/mxbai-embed-large-v1")
                .modelFile("onnx/model.onnx").dimension(1024).pooling(Pooling.CLS).maxLength(512)
                .licence("apache-2.0").prefixes(RETRIEVAL_INSTRUCTION, "")
                .description("mixedbread.ai large English embedding model").build());
        m.add(text("mixedbread-ai/mxbai-embed-large-v1-Q", "MxbaiEmbedLargeV1Q", "mixedbread-ai/mxbai-embed-large-v1")
                .modelFile("onnx/model_quantized.onnx").quantized(true).dimension(1024).pooling(Pooling.CLS)
                .maxLength(512).licence("apache-2.0").prefixes(RETRIEVAL_INSTRUCTION, "")
                .description("Quantized mixedbread.ai large English embedding model").build());
        gte(m, "Alibaba-NLP/gte-base-en-v1.5", "GTEBaseENV15", 768, "base");
        gte(m, "Alibaba-NLP/gte-large-en-v1.5", "GTELargeENV15", 1024, "large");
        m.add(text("Qdrant/clip-ViT-B-32-text", "ClipVitB32", "Qdrant/clip-ViT-B-32-text")
                .modelFile("model.onnx").dimension(512).pooling(Pooling.NONE).outputName("text_embeds")
                .maxLength(77).licence("mit")
                .description("CLIP ViT-B/32 text encoder, shares its vector space with the image encoder").build());
        m.add(text("jinaai/jina-embeddings-v2-base-code", "JinaEmbeddingsV2BaseCode",
                "jinaai/jina-embeddings-v2-base-code")
                .modelFile("onnx/model.onnx").dimension(768).pooling(Pooling.MEAN).maxLength(8192)
                .licence("apache-2.0").description("Jina v2 embeddings for English and 30 programming languages").build());
        m.add(text("jinaai/jina-embeddings-v2-base-en", "JinaEmbeddingsV2BaseEN", "jinaai/jina-embeddings-v2-base-en")
                .modelFile("model.onnx").dimension(768).pooling(Pooling.MEAN).maxLength(8192)
                .licence("apache-2.0").description("Jina v2 English embeddings, 8192-token context").build());
        m.add(embeddingGemma("google/embeddinggemma-300m", "EmbeddingGemma300M", "onnx/model.onnx")
                .description("Google EmbeddingGemma 300M, multilingual, pooled inside the model").build());
        arctic(m, "xs", "XS", "snowflake/snowflake-arctic-embed-xs", 384, 512);
        arctic(m, "s", "S", "snowflake/snowflake-arctic-embed-s", 384, 512);
        arctic(m, "m", "M", "Snowflake/snowflake-arctic-embed-m", 768, 512);
        arctic(m, "m-long", "MLong", "snowflake/snowflake-arctic-embed-m-long", 768, 2048);
        arctic(m, "l", "L", "snowflake/snowflake-arctic-embed-l", 1024, 512);
        m.add(text("Snowflake/snowflake-arctic-embed-l-v2.0", "SnowflakeArcticEmbedLV2",
                "Snowflake/snowflake-arctic-embed-l-v2.0")
                .modelFile("onnx/model_quantized.onnx").quantized(true).dimension(1024).pooling(Pooling.CLS)
                .maxLength(8192).licence("apache-2.0").prefixes("query: ", "")
                .description("Snowflake Arctic Embed L v2.0, multilingual, quantized").build());
        // From qdrant/fastembed's dense lists (fastembed-rs lacks these, so they have no alias). BGE v1 needs its
        // query instruction (the v1.5 models made it optional); the GTE and Jina v2 models need none.
        bgeV1(m, "BAAI/bge-small-en", "Qdrant/bge-small-en", 384, "small");
        bgeV1(m, "BAAI/bge-base-en", "Qdrant/fast-bge-base-en", 768, "base");
        m.add(text("thenlper/gte-base", null, "thenlper/gte-base")
                .modelFile("onnx/model.onnx").dimension(768).pooling(Pooling.MEAN).maxLength(512).licence("mit")
                .description("GTE base, general English text embeddings").build());
        m.add(text("thenlper/gte-large", null, "Qdrant/gte-large-onnx")
                .modelFile("model.onnx").dimension(1024).pooling(Pooling.MEAN).maxLength(512).licence("mit")
                .description("GTE large, general English text embeddings").build());
        jinaV2(m, "small-en", "Xenova/jina-embeddings-v2-small-en", 512, "Jina v2 small English embeddings");
        jinaV2(m, "base-de", "jinaai/jina-embeddings-v2-base-de", 768, "Jina v2 German and English embeddings");
        jinaV2(m, "base-zh", "jinaai/jina-embeddings-v2-base-zh", 768, "Jina v2 Chinese and English embeddings");
        jinaV2(m, "base-es", "jinaai/jina-embeddings-v2-base-es", 768, "Jina v2 Spanish and English embeddings");
        // Decoder embedders: last-token pooling (batches padded on the left; the tokenizer's template appends the
        // end-of-text token), an instruction before queries only, vectors that may be cut to 32 values.
        m.add(qwen3("Qwen/Qwen3-Embedding-0.6B", "onnx/model.onnx", "Qwen3 Embedding 0.6B, multilingual decoder")
                .additionalFiles("onnx/model.onnx_data").build());
        m.add(qwen3("Qwen/Qwen3-Embedding-0.6B-Q", "onnx/model_quantized.onnx",
                "Qwen3 Embedding 0.6B with int8 weights (ONNX Runtime 1.23 or later)").quantized(true).build());
        // jina-clip-v1: one name for its two towers, as fastembed lists it among text and image models; they share
        // one vector space, so texts find images. The kind tells them apart.
        m.add(text("jinaai/jina-clip-v1", null, "jinaai/jina-clip-v1").modelFile("onnx/text_model.onnx")
                .dimension(768).pooling(Pooling.CLS).maxLength(8192).licence("apache-2.0")
                .description("Jina CLIP v1 text encoder, shares its vector space with the image encoder").build());
        // SigLIP 2: the text tower pools its last position whatever the mask, so texts are padded to its fixed
        // 64 tokens (as fastembed pads them) and the pooled output is read; the image tower shares the space.
        m.add(text("google/siglip2-base-patch16-224", null, "onnx-community/siglip2-base-patch16-224-ONNX")
                .modelFile("onnx/text_model.onnx").dimension(768).pooling(Pooling.NONE).outputName("pooler_output")
                .padToMaxLength(true).maxLength(64).licence("apache-2.0")
                .description("SigLIP 2 base text encoder, multilingual, shares its space with the image encoder").build());
        // Task adapters: one LoRA adapter per task, chosen per call through the model's task_id input (the ids are
        // the positions in this list, as fastembed's Task enum numbers them).
        m.add(text("jinaai/jina-embeddings-v3", null, "jinaai/jina-embeddings-v3")
                .modelFile("onnx/model.onnx").additionalFiles("onnx/model.onnx_data").dimension(1024)
                .pooling(Pooling.MEAN).maxLength(8192).licence("cc-by-nc-4.0").matryoshka(32)
                .tasks("retrieval.query", "retrieval.passage", "separation", "classification", "text-matching")
                .description("Jina v3 multilingual embeddings with task adapters (non-commercial licence)").build());
        // fastembed-rs' quantized EmbeddingGemma variants: int8 and 4-bit weights of the same export.
        m.add(embeddingGemma("google/embeddinggemma-300m-Q", "EmbeddingGemma300MQ", "onnx/model_quantized.onnx")
                .description("Quantized (int8) Google EmbeddingGemma 300M").build());
        m.add(embeddingGemma("google/embeddinggemma-300m-Q4", "EmbeddingGemma300MQ4", "onnx/model_q4.onnx")
                .description("Quantized (4-bit) Google EmbeddingGemma 300M").build());

        // ---- Sparse ----
        m.add(ModelDescription.builder("prithivida/Splade_PP_en_v1", ModelKind.SPARSE, "Qdrant/Splade_PP_en_v1")
                .alias("SPLADEPPV1").modelFile("model.onnx").maxLength(512).licence("apache-2.0")
                .description("SPLADE++ learned sparse vectors for English").build());
        // fastembed keeps this misspelled name of the same model for compatibility.
        m.add(ModelDescription.builder("prithvida/Splade_PP_en_v1", ModelKind.SPARSE, "Qdrant/Splade_PP_en_v1")
                .modelFile("model.onnx").maxLength(512).licence("apache-2.0")
                .description("SPLADE++ learned sparse vectors for English (fastembed's older, misspelled name)").build());
        // Inference-free SPLADE: documents through the model, queries by the shipped idf.json alone (the model is
        // never loaded for them). The idf.json among the files is what selects the algorithm.
        m.add(ModelDescription.builder("opensearch-project/opensearch-neural-sparse-encoding-doc-v3-gte",
                        ModelKind.SPARSE, "Qdrant/opensearch-neural-sparse-encoding-doc-v3-gte")
                .modelFile("model.onnx").additionalFiles("idf.json").licence("apache-2.0")
                .description("OpenSearch v3 GTE inference-free sparse: model for documents, IDF lookup for queries")
                .build());
        // miniCOIL: its vocabulary, per-word matrices and stopwords beside the model select the algorithm.
        m.add(ModelDescription.builder("Qdrant/minicoil-v1", ModelKind.SPARSE, "Qdrant/minicoil-v1")
                .modelFile("onnx/model.onnx")
                .additionalFiles("stopwords.txt", "minicoil.triplet.model.npy", "minicoil.triplet.model.vocab")
                .licence("apache-2.0")
                .description("miniCOIL v1: BM25 with 4-value word meanings, on jina-embeddings-v2-small-en tokens")
                .build());
        // BM25 and BM42 stem and drop stopwords with the engine's built-in Snowball stemmers and NLTK stopword
        // lists (the lists fastembed downloads as Qdrant/bm25's <language>.txt and BM42's stopwords.txt), so
        // BM25 fetches nothing and BM42 only its model and tokenizer.
        m.add(ModelDescription.builder("Qdrant/bm25", ModelKind.SPARSE, "Qdrant/bm25")
                .modelFile(null).tokenizerFile(null).configFiles()
                .licence("apache-2.0")
                .description("BM25 term frequencies as sparse vectors (IDF applied by Qdrant); no model files")
                .build());
        m.add(ModelDescription.builder("Qdrant/bm42-all-minilm-l6-v2-attentions", ModelKind.SPARSE,
                        "Qdrant/all_miniLM_L6_v2_with_attentions")
                .modelFile("model.onnx").outputName("attention_6")
                .maxLength(512).licence("apache-2.0")
                .description("BM42: BM25 with token weights from MiniLM attention (IDF applied by Qdrant)").build());

        // ---- Image ----
        m.add(image("Qdrant/clip-ViT-B-32-vision", "ClipVitB32", "model.onnx", 512, Pooling.NONE, "mit")
                .outputName("image_embeds")
                .description("CLIP ViT-B/32 image encoder, shares its vector space with the text encoder").build());
        m.add(image("jinaai/jina-clip-v1", null, "onnx/vision_model.onnx", 768, Pooling.NONE, "apache-2.0")
                .description("Jina CLIP v1 image encoder, shares its vector space with the text encoder").build());
        m.add(ModelDescription.builder("google/siglip2-base-patch16-224", ModelKind.IMAGE,
                        "onnx-community/siglip2-base-patch16-224-ONNX")
                .modelFile("onnx/vision_model.onnx").dimension(768).pooling(Pooling.NONE).outputName("pooler_output")
                .licence("apache-2.0")
                .description("SigLIP 2 base image encoder, shares its vector space with the text encoder").build());
        m.add(image("Qdrant/resnet50-onnx", "Resnet50", "model.onnx", 2048, Pooling.NONE, "apache-2.0")
                .description("ResNet-50 image features").build());
        m.add(image("Qdrant/Unicom-ViT-B-16", "UnicomVitB16", "model.onnx", 768, Pooling.NONE, "apache-2.0")
                .description("Unicom ViT-B/16 image embeddings, finer-grained than B/32").build());
        m.add(image("Qdrant/Unicom-ViT-B-32", "UnicomVitB32", "model.onnx", 512, Pooling.NONE, "apache-2.0")
                .description("Unicom ViT-B/32 image embeddings").build());
        m.add(image("nomic-ai/nomic-embed-vision-v1.5", "NomicEmbedVisionV15", "onnx/model.onnx", 768, Pooling.CLS,
                "apache-2.0")
                .description("Nomic vision v1.5, shares its vector space with nomic-embed-text-v1.5").build());
        m.add(ModelDescription.builder("nomic-ai/nomic-embed-vision-v1.5-Q", ModelKind.IMAGE,
                        "nomic-ai/nomic-embed-vision-v1.5").modelFile("onnx/model_quantized.onnx").quantized(true)
                .dimension(768).pooling(Pooling.CLS).licence("apache-2.0")
                .description("Quantized Nomic vision v1.5, shares its vector space with nomic-embed-text-v1.5").build());

        // ---- Rerank ----
        m.add(rerank("BAAI/bge-reranker-base", "BGERerankerBase", "BAAI/bge-reranker-base", "onnx/model.onnx", 512,
                "mit").description("BGE cross-encoder reranker for English and Chinese").build());
        m.add(rerank("BAAI/bge-reranker-v2-m3", "BGERerankerV2M3", "rozgo/bge-reranker-v2-m3", "model.onnx", 8192,
                "apache-2.0").additionalFiles("model.onnx.data")
                .description("BGE v2-m3 multilingual cross-encoder reranker").build());
        m.add(rerank("jinaai/jina-reranker-v1-tiny-en", null, "jinaai/jina-reranker-v1-tiny-en", "onnx/model.onnx", 8192,
                "apache-2.0").description("Jina v1 tiny English reranker, fewer parameters than the turbo one").build());
        m.add(rerank("jinaai/jina-reranker-v1-turbo-en", "JINARerankerV1TurboEn", "jinaai/jina-reranker-v1-turbo-en",
                "onnx/model.onnx", 8192, "apache-2.0").description("Jina v1 turbo English reranker").build());
        m.add(rerank("Xenova/ms-marco-MiniLM-L-6-v2", null, "Xenova/ms-marco-MiniLM-L-6-v2", "onnx/model.onnx", 512,
                "apache-2.0").description("MS MARCO MiniLM-L-6 cross-encoder, small and fast English reranker").build());
        m.add(rerank("Xenova/ms-marco-MiniLM-L-12-v2", null, "Xenova/ms-marco-MiniLM-L-12-v2", "onnx/model.onnx", 512,
                "apache-2.0").description("MS MARCO MiniLM-L-12 cross-encoder, English reranker").build());
        m.add(rerank("jinaai/jina-reranker-v2-base-multilingual", "JINARerankerV2BaseMultiligual",
                "jinaai/jina-reranker-v2-base-multilingual", "onnx/model.onnx", 1024, "cc-by-nc-4.0")
                .description("Jina v2 multilingual reranker (non-commercial licence)").build());

        // ---- Late interaction ----
        m.add(ModelDescription.builder("colbert-ir/colbertv2.0", ModelKind.LATE_INTERACTION, "colbert-ir/colbertv2.0")
                .alias("ColBERTV2").modelFile("model.onnx").dimension(128).maxLength(512).licence("mit")
                .description("ColBERT v2 token-level embeddings, English").build());
        m.add(ModelDescription.builder("answerdotai/answerai-colbert-small-v1", ModelKind.LATE_INTERACTION,
                        "answerdotai/answerai-colbert-small-v1")
                .alias("AnswerAIColBERTSmallV1").modelFile("vespa_colbert.onnx").dimension(96).maxLength(512)
                .licence("apache-2.0").description("Answer.AI small ColBERT token-level embeddings").build());
        m.add(ModelDescription.builder("jinaai/jina-colbert-v2", ModelKind.LATE_INTERACTION, "jinaai/jina-colbert-v2")
                .modelFile("onnx/model.onnx").additionalFiles("onnx/model.onnx_data").dimension(128).maxLength(8192)
                .licence("cc-by-nc-4.0")
                .description("Jina ColBERT v2, multilingual, 8192 tokens (non-commercial licence)").build());
        m.add(ModelDescription.builder("lightonai/LateOn", ModelKind.LATE_INTERACTION, "lightonai/LateOn")
                .modelFile("model.onnx").additionalFiles("onnx_config.json").dimension(128).maxLength(300)
                .licence("apache-2.0")
                .description("LightOn LateOn: ModernBERT ColBERT, English, 300 document / 32 query tokens").build());
        // fastembed's token embeddings (token_embeddings.py): jina-embeddings-v2-small-en's last_hidden_state for
        // every attended token, unnormalized, no markers; the files of the dense jina-embeddings-v2-small-en.
        m.add(ModelDescription.builder("jinaai/jina-embeddings-v2-small-en-tokens", ModelKind.LATE_INTERACTION,
                        "Xenova/jina-embeddings-v2-small-en")
                .modelFile("onnx/model.onnx").dimension(512).normalize(false).maxLength(8192).licence("apache-2.0")
                .description("Jina v2 small English token embeddings: one unnormalized vector per attended token, "
                        + "8192-token context, no prefixes").build());

        // ---- Late interaction over images ----
        // fastembed's colpali.py and colmodernvbert.py; the engine tells them apart by preprocessor_config.json
        // (Idefics3ImageProcessor: ColModernVBERT), see docs/late-interaction-multimodal.md.
        m.add(ModelDescription.builder("Qdrant/colpali-v1.3-fp16", ModelKind.LATE_INTERACTION_MULTIMODAL,
                        "Qdrant/colpali-v1.3-fp16")
                .modelFile("model.onnx").additionalFiles("model.onnx_data").dimension(128).licence("mit")
                .description("ColPali v1.3 (PaliGemma 3B): page images and queries as token vectors, English").build());
        m.add(ModelDescription.builder("Qdrant/colmodernvbert", ModelKind.LATE_INTERACTION_MULTIMODAL,
                        "Qdrant/colmodernvbert")
                .modelFile("model.onnx").additionalFiles("processor_config.json").dimension(128).maxLength(8192)
                .licence("mit")
                .description("ColModernVBERT, late interaction ModernVBERT: page images cut into 512-pixel tiles and queries as "
                        + "token vectors, CPU friendly, English").build());
        return m;
    }

    /**
     * The engine options a late interaction family needs beyond ColBERT v2's defaults, as fastembed defines them
     * (jina_colbert.py; LateOn's lateon.py): markers by token id, the mask token, whether queries are padded with
     * it (query expansion) and whether that padding is attended, the query truncation. Empty for ColBERT v2 itself.
     * Token embeddings (token_embeddings.py) turn ColBERT's additions off: no markers, no query expansion, no
     * punctuation skip list (and no normalization, which the catalogue entry says).
     */
    public static Map<String, Object> lateInteractionSettings(String name) {
        return switch (name) {
            case "jinaai/jina-colbert-v2" -> Map.of("query_marker_id", 250002, "document_marker_id", 250003,
                    "mask_token", "<mask>", "query_mask_attention", true);
            case "lightonai/LateOn" -> Map.of("query_marker_id", 50368, "document_marker_id", 50369,
                    "mask_token", "[MASK]", "query_expansion", false, "query_max_length", 32);
            case "jinaai/jina-embeddings-v2-small-en-tokens" -> Map.of("markers", false, "query_expansion", false,
                    "skip_punctuation", false);
            default -> Map.of();
        };
    }

    private static ModelDescription.Builder text(String name, String alias, String repo) {
        return ModelDescription.builder(name, ModelKind.TEXT, repo).alias(alias);
    }

    private static void bge(List<ModelDescription> m, String name, String alias, String repo, String quantizedRepo,
                            int dimension, String what) {
        m.add(text(name, alias, repo).modelFile("onnx/model.onnx").dimension(dimension).pooling(Pooling.CLS)
                .maxLength(512).licence("mit").description("BGE v1.5 " + what).build());
        m.add(text(name + "-Q", alias + "Q", quantizedRepo).modelFile("model_optimized.onnx").quantized(true)
                .dimension(dimension).pooling(Pooling.CLS).maxLength(512).licence("mit")
                .description("Quantized BGE v1.5 " + what).build());
    }

    private static void bgeV1(List<ModelDescription> m, String name, String repo, int dimension, String size) {
        m.add(text(name, null, repo).modelFile("model_optimized.onnx").dimension(dimension).pooling(Pooling.CLS)
                .maxLength(512).licence("mit").prefixes(RETRIEVAL_INSTRUCTION, "")
                .description("BGE v1 " + size + " English model, queries need its instruction").build());
    }

    private static void jinaV2(List<ModelDescription> m, String variant, String repo, int dimension,
                               String description) {
        String name = "jinaai/jina-embeddings-v2-" + variant;
        m.add(text(name, null, repo).modelFile("onnx/model.onnx").dimension(dimension).pooling(Pooling.MEAN)
                .maxLength(8192).licence("apache-2.0").description(description + ", 8192-token context").build());
    }

    private static ModelDescription.Builder embeddingGemma(String name, String alias, String file) {
        return text(name, alias, "onnx-community/embeddinggemma-300m-ONNX").modelFile(file)
                .additionalFiles(file + "_data").quantized(!file.equals("onnx/model.onnx"))
                .dimension(768).pooling(Pooling.NONE).outputName("sentence_embedding").maxLength(2048)
                .licence("gemma").prefixes("task: search result | query: ", "title: none | text: ").matryoshka(128);
    }

    private static ModelDescription.Builder qwen3(String name, String file, String description) {
        return text(name, null, "Qdrant/Qwen3-Embedding-0.6B-onnx").modelFile(file).dimension(1024)
                .pooling(Pooling.LAST_TOKEN).maxLength(32768).licence("apache-2.0")
                .prefixes(QWEN3_QUERY_INSTRUCTION, "").matryoshka(32).description(description);
    }

    private static ModelDescription.Builder nomic(String name, String alias, String file, boolean quantized) {
        String repo = name.endsWith("-Q") ? name.substring(0, name.length() - 2) : name;
        return text(name, alias, repo).modelFile(file).quantized(quantized).dimension(768).pooling(Pooling.MEAN)
                .maxLength(8192).licence("apache-2.0").prefixes("search_query: ", "search_document: ");
    }

    private static void e5(List<ModelDescription> m, String name, String alias, String repo, String file,
                           int dimension, String size) {
        ModelDescription.Builder builder = text(name, alias, repo).modelFile(file).dimension(dimension)
                .pooling(Pooling.MEAN).maxLength(512).licence("mit").prefixes("query: ", "passage: ")
                .description("Multilingual E5 " + size + ", about 100 languages");
        if (file.equals("model.onnx")) {
            builder.additionalFiles("model.onnx_data");
        }
        m.add(builder.build());
    }

    private static void gte(List<ModelDescription> m, String name, String alias, int dimension, String size) {
        m.add(text(name, alias, name).modelFile("onnx/model.onnx").dimension(dimension).pooling(Pooling.CLS)
                .maxLength(8192).licence("apache-2.0")
                .description("Alibaba GTE v1.5 " + size + " English model, 8192-token context").build());
        m.add(text(name + "-Q", alias + "Q", name).modelFile("onnx/model_quantized.onnx").quantized(true)
                .dimension(dimension).pooling(Pooling.CLS).maxLength(8192).licence("apache-2.0")
                .description("Quantized Alibaba GTE v1.5 " + size + " English model").build());
    }

    private static void arctic(List<ModelDescription> m, String size, String aliasSuffix, String repo, int dimension,
                               int maxLength) {
        String name = "Snowflake/snowflake-arctic-embed-" + size;
        String alias = "SnowflakeArcticEmbed" + aliasSuffix;
        m.add(text(name, alias, repo).modelFile("onnx/model.onnx").dimension(dimension).pooling(Pooling.CLS)
                .maxLength(maxLength).licence("apache-2.0").prefixes(RETRIEVAL_INSTRUCTION, "")
                .description("Snowflake Arctic Embed " + size + ", English retrieval").build());
        m.add(text(name + "-Q", alias + "Q", repo).modelFile("onnx/model_quantized.onnx").quantized(true)
                .dimension(dimension).pooling(Pooling.CLS).maxLength(maxLength).licence("apache-2.0")
                .prefixes(RETRIEVAL_INSTRUCTION, "")
                .description("Quantized Snowflake Arctic Embed " + size).build());
    }

    private static ModelDescription.Builder image(String name, String alias, String file, int dimension,
                                                  Pooling pooling, String licence) {
        return ModelDescription.builder(name, ModelKind.IMAGE, name).alias(alias).modelFile(file)
                .dimension(dimension).pooling(pooling).licence(licence);
    }

    private static ModelDescription.Builder rerank(String name, String alias, String repo, String file,
                                                   int maxLength, String licence) {
        return ModelDescription.builder(name, ModelKind.RERANK, repo).alias(alias).modelFile(file)
                .maxLength(maxLength).licence(licence);
    }
}

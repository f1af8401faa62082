package dev.fastembed.bindingreference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import dev.fastembed.testing.Murmur3;
import dev.fastembed.testing.TinyOnnx;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Computes, without the fastembed engine, the results the Go binding's tests compare against, and writes them
 * with their inputs as one JSON file; the C example reranks with the cross-encoder it writes.
 *
 * <ul>
 *   <li>Dense vectors: Hugging Face tokenizers (DJL) and ONNX Runtime's Java API on the real model, one text at
 *   a time, CLS-pooled and normalized here.</li>
 *   <li>Rerank scores: a small cross-encoder written here (TinyOnnx) whose logit is a sum of per-token and
 *   per-segment weights, summed here over Hugging Face's pair encoding of each (query, document).</li>
 *   <li>BM25 vectors: computed here from fastembed's definition (lowercase word runs, term-frequency
 *   saturation, MurmurHash3 indices).</li>
 *   <li>Late interaction token vectors: the real model's last_hidden_state (ONNX Runtime's Java API, DJL's token
 *   ids, one text at a time), every token's row normalized here: the model run with no markers, no query
 *   padding and no punctuation skip list.</li>
 *   <li>Image vectors: a small image model written here (TinyOnnx) whose output is its input's channel means
 *   times a fixed matrix, on PNG pictures drawn here; the expected vectors follow CLIP's preprocessing
 *   arithmetic, written out here.</li>
 *   <li>Late interaction over images (ColPali): a small graph written here whose token vectors spell out the
 *   token id, the attention and the largest value of each channel of the image fed; the expected token
 *   sequences are fastembed's prompts (colpali.py's constants) tokenized by DJL, the pixels SigLIP's
 *   arithmetic.</li>
 * </ul>
 *
 * <p>usage: BindingReference &lt;model folder&gt; &lt;work folder&gt; &lt;output.json&gt;
 */
public final class BindingReference {

    private static final int MAX_LENGTH = 512;

    /** Texts with what tends to break bindings: empty, non-ASCII, whitespace, more tokens than the model takes. */
    static final List<String> DENSE_TEXTS = List.of(
            "How do I bake bread at home?",
            "A simple recipe for homemade bread: flour, water, salt and yeast.",
            "The central bank raised interest rates.",
            "",
            "  leading, trailing\tand\nnewline whitespace  ",
            "Müller's café serves crème brûlée — naïve façade.",
            "日本語の文章と中文句子。",
            "Emoji 🚀 and symbols ∑ ≠ ∞ in text",
            "A long document. ".repeat(300));

    private BindingReference() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BindingReference <model folder> <work folder> <output.json>");
            System.exit(2);
        }
        // The hash is the oracle's own code: check it against mmh3's published values first.
        if (Murmur3.hash32("foo".getBytes(StandardCharsets.UTF_8), 0) != -156908512
                || Murmur3.hash32("hello".getBytes(StandardCharsets.UTF_8), 0) != 613153351) {
            throw new IllegalStateException("MurmurHash3 does not give mmh3's published hashes");
        }
        Path modelDir = Path.of(args[0]);
        Path workDir = Path.of(args[1]);
        Path output = Path.of(args[2]);
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("dense", dense(modelDir));
        reference.put("rerank", rerank(modelDir, workDir));
        reference.put("bm25", bm25());
        reference.put("late_interaction", lateInteraction(modelDir));
        reference.put("image", image(workDir));
        reference.put("multimodal", multimodal(modelDir, workDir));
        Files.writeString(output, new GsonBuilder().setPrettyPrinting().create().toJson(reference));
    }

    private static Map<String, Object> dense(Path modelDir) throws Exception {
        List<float[]> embeddings = new ArrayList<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (HuggingFaceTokenizer tokenizer = tokenizer(modelDir);
             OrtSession session = env.createSession(modelDir.resolve("model.onnx").toString(),
                     new OrtSession.SessionOptions())) {
            for (String text : DENSE_TEXTS) {
                embeddings.add(normalize(clsVector(env, session, tokenizer.encode(text))));
            }
        }
        Map<String, Object> dense = new LinkedHashMap<>();
        dense.put("pooling", "cls");
        dense.put("max_length", MAX_LENGTH);
        dense.put("texts", DENSE_TEXTS);
        dense.put("embeddings", embeddings);
        return dense;
    }

    static final String RERANK_QUERY = "How do I bake bread at home?";

    /** Documents for the cross-encoder; the long one makes the pair exceed the model's length. */
    static final List<String> RERANK_DOCUMENTS = List.of(
            "A simple recipe for homemade bread: flour, water, salt and yeast.",
            "The central bank raised interest rates.",
            "",
            "Pâte à pain maison : farine, eau, sel et levure.",
            "Knead the dough, let it rise, bake it. ".repeat(120));

    /**
     * A cross-encoder with the real models' inputs and a [batch, 1] "logits" output, whose logit for a pair is
     * the sum over its attended tokens of tokenWeight[id] + typeWeight[segment]: every token, the pair template
     * and the truncation count, so the score shows whether the engine encoded the pair as Hugging Face does.
     */
    private static Map<String, Object> rerank(Path modelDir, Path workDir) throws Exception {
        int vocabulary = JsonParser.parseString(Files.readString(modelDir.resolve("tokenizer.json")))
                .getAsJsonObject().getAsJsonObject("model").getAsJsonObject("vocab").size();
        float[] tokenWeights = new float[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            tokenWeights[i] = (float) Math.sin(i * 0.618) / 8;
        }
        float[] typeWeights = {0.125f, -0.375f};
        Path model = TinyOnnx.graph("tiny-cross-encoder")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
                .input("token_type_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("token_weights", tokenWeights, vocabulary)
                .initializer("type_weights", typeWeights, 2)
                .initializer("sequence_axis", new long[] {1}, 1)
                .node("Gather", "token_scores", List.of("token_weights", "input_ids"), TinyOnnx.attr("axis", 0L))
                .node("Gather", "type_scores", List.of("type_weights", "token_type_ids"), TinyOnnx.attr("axis", 0L))
                .node("Add", "scores", List.of("token_scores", "type_scores"))
                .node("Cast", "mask", List.of("attention_mask"), TinyOnnx.attr("to", (long) TinyOnnx.FLOAT))
                .node("Mul", "attended", List.of("scores", "mask"))
                .node("ReduceSum", "logits", List.of("attended", "sequence_axis"), TinyOnnx.attr("keepdims", 1L))
                .output("logits", TinyOnnx.FLOAT, "batch", 1)
                .write(workDir.resolve("tiny-cross-encoder").resolve("model.onnx"));
        // A model folder as a real reranker's: the ONNX file next to its tokenizer.
        Files.copy(modelDir.resolve("tokenizer.json"), model.resolveSibling("tokenizer.json"),
                StandardCopyOption.REPLACE_EXISTING);

        List<Float> scores = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = tokenizer(modelDir)) {
            for (String document : RERANK_DOCUMENTS) {
                Encoding pair = tokenizer.encode(RERANK_QUERY, document);
                double logit = 0;
                for (int t = 0; t < pair.getIds().length; t++) {
                    logit += tokenWeights[(int) pair.getIds()[t]] + typeWeights[(int) pair.getTypeIds()[t]];
                }
                scores.add((float) logit);
            }
        }
        Map<String, Object> rerank = new LinkedHashMap<>();
        rerank.put("model_dir", model.getParent().toAbsolutePath().toString());
        rerank.put("max_length", MAX_LENGTH);
        rerank.put("query", RERANK_QUERY);
        rerank.put("documents", RERANK_DOCUMENTS);
        rerank.put("scores", scores);
        return rerank;
    }

    /** ASCII texts, so that "word" means the same here as in Python's \w. */
    static final List<String> BM25_TEXTS = List.of(
            "The quick brown fox jumps over the lazy dog",
            "the THE the fox, fox; fox!",
            "snake_case words and numbers 42 4.2 _ __init__",
            "a",
            "",
            "short " + "x".repeat(41) + " words");
    static final double K1 = 1.5;
    static final double B = 0.6;
    static final double AVG_LEN = 6;

    /**
     * BM25 without stemmer (so without stopwords either), as fastembed defines it: words are the runs of
     * [a-z0-9_] of the lowercased text, minus punctuation-only words and words over 40 characters; a document
     * gives each distinct word tf * (k1 + 1) / (tf + k1 * (1 - b + b * words / avg_len)), a query 1.0; the
     * index of a word is |MurmurHash3_x86_32(UTF-8 bytes, seed 0)|.
     */
    private static Map<String, Object> bm25() {
        List<Map<String, Object>> documents = new ArrayList<>();
        List<Map<String, Object>> queries = new ArrayList<>();
        for (String text : BM25_TEXTS) {
            List<String> words = new ArrayList<>();
            for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9_]+")) {
                if (!word.isEmpty() && !word.equals("_") && word.length() <= 40) {
                    words.add(word);
                }
            }
            Map<String, Integer> frequencies = new LinkedHashMap<>();
            words.forEach(w -> frequencies.merge(w, 1, Integer::sum));
            Map<Long, Float> document = new TreeMap<>();
            Map<Long, Float> query = new TreeMap<>();
            frequencies.forEach((word, tf) -> {
                long index = Math.abs((long) Murmur3.hash32(word.getBytes(StandardCharsets.UTF_8), 0));
                document.put(index, (float) (tf * (K1 + 1) / (tf + K1 * (1 - B + B * words.size() / AVG_LEN))));
                query.put(index, 1.0f);
            });
            documents.add(sparse(document));
            queries.add(sparse(query));
        }
        Map<String, Object> bm25 = new LinkedHashMap<>();
        bm25.put("k1", K1);
        bm25.put("b", B);
        bm25.put("avg_len", AVG_LEN);
        bm25.put("texts", BM25_TEXTS);
        bm25.put("documents", documents);
        bm25.put("queries", queries);
        return bm25;
    }

    /** A late interaction model's length here: short, so the long text shows truncation in a small file. */
    static final int LATE_INTERACTION_MAX_LENGTH = 64;

    /** Punctuation and special tokens stay (no skip list); the last text has more tokens than the length. */
    static final List<String> LATE_INTERACTION_TEXTS = List.of(
            "hello world",
            "Hello, world! It's token-level (per token) -- see: x?y=1.",
            "",
            "Müller's café — naïve façade.",
            "日本語の文章と中文句子。",
            "A long document. ".repeat(40));

    /**
     * bge-small-en-v1.5 as a token embeddings model: the last_hidden_state row of every token of each text
     * (one text per run, so every token is attended), each row scaled to unit length.
     */
    private static Map<String, Object> lateInteraction(Path modelDir) throws Exception {
        List<float[][]> documents = new ArrayList<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (HuggingFaceTokenizer tokenizer = tokenizer(modelDir, LATE_INTERACTION_MAX_LENGTH);
             OrtSession session = env.createSession(modelDir.resolve("model.onnx").toString(),
                     new OrtSession.SessionOptions())) {
            for (String text : LATE_INTERACTION_TEXTS) {
                float[][] states = hiddenStates(env, session, tokenizer.encode(text));
                float[][] rows = new float[states.length][];
                for (int t = 0; t < states.length; t++) {
                    rows[t] = normalize(states[t]);
                }
                documents.add(rows);
            }
        }
        Map<String, Object> lateInteraction = new LinkedHashMap<>();
        lateInteraction.put("max_length", LATE_INTERACTION_MAX_LENGTH);
        lateInteraction.put("texts", LATE_INTERACTION_TEXTS);
        lateInteraction.put("documents", documents);
        return lateInteraction;
    }

    /** CLIPImageProcessor's settings (Qdrant/clip-ViT-B-32-vision's preprocessor_config.json). */
    static final String CLIP_PREPROCESSOR = """
            {"crop_size": {"height": 224, "width": 224}, "do_center_crop": true, "do_convert_rgb": true,
             "do_normalize": true, "do_rescale": true, "do_resize": true,
             "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_processor_type": "CLIPImageProcessor",
             "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3,
             "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 224}}""";
    static final double RESCALE = 0.00392156862745098;
    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
    static final int SIDE = 224;
    static final int IMAGE_DIMENSION = 8;
    static final Color RED = new Color(200, 30, 40);
    static final Color BLUE = new Color(10, 60, 230);
    static final Color GREEN = new Color(20, 180, 70);

    /**
     * An image model with CLIP vision's interface (pixel_values [batch, 3, 224, 224] → image_embeds [batch, 8]):
     * the three channel means times a fixed 3 x 8 matrix. Pictures: a small solid one (resized up, stays solid),
     * a 224 x 448 one red in its top 168 rows and blue below (the center crop keeps rows 112 to 335: a quarter
     * red; squeezing instead of cropping would give 3/8), and a 448 x 224 one green in its left 224 columns
     * (crop: columns 112 to 335, half green).
     */
    private static Map<String, Object> image(Path workDir) throws IOException {
        float[] projection = new float[3 * IMAGE_DIMENSION];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < IMAGE_DIMENSION; j++) {
                projection[c * IMAGE_DIMENSION + j] = ((j * 7 + c * 5) % 11 - 5) / 4f;
            }
        }
        Path model = TinyOnnx.graph("tiny-image-model")
                .input("pixel_values", TinyOnnx.FLOAT, "batch", 3, SIDE, SIDE)
                .initializer("projection", projection, 3, IMAGE_DIMENSION)
                .node("ReduceMean", "channel_means", List.of("pixel_values"), TinyOnnx.ints("axes", 2, 3),
                        TinyOnnx.attr("keepdims", 0L))
                .node("MatMul", "image_embeds", List.of("channel_means", "projection"))
                .output("image_embeds", TinyOnnx.FLOAT, "batch", IMAGE_DIMENSION)
                .write(workDir.resolve("tiny-image-model").resolve("model.onnx"));
        Files.writeString(model.resolveSibling("preprocessor_config.json"), CLIP_PREPROCESSOR);

        Path pictures = Files.createDirectories(workDir.resolve("images"));
        List<String> files = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        // name, picture, the share of the first colour in the cropped 224 x 224 (the rest is the second)
        record Picture(String name, BufferedImage image, Color first, Color second, double firstShare) {
        }
        for (Picture p : List.of(
                new Picture("small-red.png", split(32, 32, RED, BLUE, 32, true), RED, BLUE, 1),
                new Picture("tall-red-over-blue.png", split(SIDE, 2 * SIDE, RED, BLUE, 168, true), RED, BLUE, 0.25),
                new Picture("wide-green-beside-red.png", split(2 * SIDE, SIDE, GREEN, RED, SIDE, false), GREEN, RED,
                        0.5))) {
            Path file = pictures.resolve(p.name());
            if (!ImageIO.write(p.image(), "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer");
            }
            double[] means = new double[3];
            for (int c = 0; c < 3; c++) {
                means[c] = p.firstShare() * channelValue(component(p.first(), c), c)
                        + (1 - p.firstShare()) * channelValue(component(p.second(), c), c);
            }
            float[] embedding = new float[IMAGE_DIMENSION];
            for (int j = 0; j < IMAGE_DIMENSION; j++) {
                double sum = 0;
                for (int c = 0; c < 3; c++) {
                    sum += means[c] * projection[c * IMAGE_DIMENSION + j];
                }
                embedding[j] = (float) sum;
            }
            files.add(file.toAbsolutePath().toString());
            embeddings.add(normalize(embedding));
        }
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("model_dir", model.getParent().toAbsolutePath().toString());
        image.put("files", files);
        image.put("embeddings", embeddings);
        return image;
    }

    /** PaliGemma's processor settings (Qdrant/colpali-v1.3-fp16's preprocessor_config.json). */
    static final String COLPALI_PREPROCESSOR = """
            {"do_convert_rgb": null, "do_normalize": true, "do_rescale": true, "do_resize": true,
             "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor", "image_seq_length": 1024,
             "image_std": [0.5, 0.5, 0.5], "processor_class": "PaliGemmaProcessor", "resample": 3,
             "rescale_factor": 0.00392156862745098, "size": {"height": 448, "width": 448}}""";
    /** 2^-18: token ids up to 262144 are exact floats in [0, 1). */
    static final float COLPALI_ID_SCALE = 1f / 262144;
    // fastembed's colpali.py: a query's first two ids (QUERY_MARKER_TOKEN_ID), the <image> token repeated
    // image_seq_length times, then the ids of "<bos>Describe the image.\n" (EMPTY_TEXT_PLACEHOLDER's tail).
    static final long[] QUERY_START_IDS = {2, 5098};
    static final long IMAGE_TOKEN = 257152;
    static final int IMAGE_TOKENS = 1024;
    static final long[] IMAGE_PROMPT = {2, 50721, 573, 2416, 235265, 108};
    static final List<String> COLPALI_QUERIES = List.of("hello world", "", "a longer query, with punctuation!");

    /**
     * A graph with ColPali's interface (input_ids, attention_mask, pixel_values [batch, 3, 448, 448] → [batch,
     * tokens, 5]): token t's vector is [id × 2^-18, attention, largest value of channel 0, 1, 2 of the image].
     * Queries run beside a blank image (zeros); images are solid, so each channel's largest value is its
     * preprocessed value, (v × rescale − 0.5) / 0.5. The tokenizer is bge's: any tokenizer serves the graph.
     */
    private static Map<String, Object> multimodal(Path modelDir, Path workDir) throws Exception {
        Path model = TinyOnnx.graph("tiny-colpali")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
                .input("pixel_values", TinyOnnx.FLOAT, "batch", 3, 448, 448)
                .initializer("axis2", new long[] {2}, 1)
                .initializer("axis1", new long[] {1}, 1)
                .initializer("id_scale", new float[] {COLPALI_ID_SCALE}, 1)
                .initializer("zero", new float[] {0}, 1)
                .node("Cast", "ids", List.of("input_ids"), TinyOnnx.attr("to", (long) TinyOnnx.FLOAT))
                .node("Mul", "scaled", List.of("ids", "id_scale"))
                .node("Cast", "mask", List.of("attention_mask"), TinyOnnx.attr("to", (long) TinyOnnx.FLOAT))
                .node("Unsqueeze", "ids3", List.of("scaled", "axis2"))
                .node("Unsqueeze", "mask3", List.of("mask", "axis2"))
                .node("ReduceMax", "maxima", List.of("pixel_values"), TinyOnnx.ints("axes", 2, 3),
                        TinyOnnx.attr("keepdims", 0L))
                .node("Unsqueeze", "maxima3", List.of("maxima", "axis1"))
                .node("Mul", "zeros", List.of("mask3", "zero"))
                .node("Add", "per_token_maxima", List.of("maxima3", "zeros"))
                .node("Concat", "output_embeddings", List.of("ids3", "mask3", "per_token_maxima"),
                        TinyOnnx.attr("axis", 2L))
                .output("output_embeddings", TinyOnnx.FLOAT, "batch", "sequence", 5)
                .write(workDir.resolve("tiny-colpali").resolve("model.onnx"));
        Files.copy(modelDir.resolve("tokenizer.json"), model.resolveSibling("tokenizer.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(model.resolveSibling("preprocessor_config.json"), COLPALI_PREPROCESSOR);

        List<float[][]> queries = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = tokenizer(modelDir)) {
            for (String query : COLPALI_QUERIES) {
                long[] ids = tokenizer.encode("<s>Query: " + query + "<pad>".repeat(10) + "\n").getIds();
                ids[0] = QUERY_START_IDS[0];
                ids[1] = QUERY_START_IDS[1];
                queries.add(tokenRows(ids, new float[3]));
            }
        }
        long[] imageIds = new long[IMAGE_TOKENS + IMAGE_PROMPT.length];
        java.util.Arrays.fill(imageIds, 0, IMAGE_TOKENS, IMAGE_TOKEN);
        System.arraycopy(IMAGE_PROMPT, 0, imageIds, IMAGE_TOKENS, IMAGE_PROMPT.length);
        Path pictures = Files.createDirectories(workDir.resolve("images"));
        List<String> files = new ArrayList<>();
        List<float[][]> images = new ArrayList<>();
        record Page(String name, int width, int height, Color colour) {
        }
        for (Page page : List.of(new Page("page-red.png", 300, 200, RED), new Page("page-blue.png", 40, 90, BLUE))) {
            Path file = pictures.resolve(page.name());
            if (!ImageIO.write(split(page.width(), page.height(), page.colour(), page.colour(), page.height(), true), "png",
                    file.toFile())) {
                throw new IllegalStateException("no PNG writer");
            }
            float[] maxima = new float[3];
            for (int c = 0; c < 3; c++) {
                maxima[c] = ((float) (component(page.colour(), c) * RESCALE) - 0.5f) / 0.5f;
            }
            files.add(file.toAbsolutePath().toString());
            images.add(tokenRows(imageIds, maxima));
        }
        Map<String, Object> multimodal = new LinkedHashMap<>();
        multimodal.put("model_dir", model.getParent().toAbsolutePath().toString());
        multimodal.put("queries", COLPALI_QUERIES);
        multimodal.put("query_embeddings", queries);
        multimodal.put("files", files);
        multimodal.put("image_embeddings", images);
        return multimodal;
    }

    /** The tiny ColPali's vector of each token: [id × 2^-18, 1 (attended), the image's channel maxima]. */
    private static float[][] tokenRows(long[] ids, float[] maxima) {
        float[][] rows = new float[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            rows[t] = new float[] {ids[t] * COLPALI_ID_SCALE, 1, maxima[0], maxima[1], maxima[2]};
        }
        return rows;
    }

    /** A picture in two colours: the first fills the first {@code split} rows (or columns), the second the rest. */
    private static BufferedImage split(int width, int height, Color first, Color second, int split, boolean rows) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(second);
        g.fillRect(0, 0, width, height);
        g.setColor(first);
        g.fillRect(0, 0, rows ? width : split, rows ? split : height);
        g.dispose();
        return image;
    }

    /** CLIP's preprocessing of one 8-bit value as fastembed does it: rescale in float64, normalize in float32. */
    private static float channelValue(int value, int channel) {
        float rescaled = (float) (value * RESCALE);
        return (rescaled - MEAN[channel]) / STD[channel];
    }

    private static int component(Color colour, int channel) {
        return switch (channel) {
            case 0 -> colour.getRed();
            case 1 -> colour.getGreen();
            default -> colour.getBlue();
        };
    }

    private static Map<String, Object> sparse(Map<Long, Float> entries) {
        Map<String, Object> vector = new LinkedHashMap<>();
        vector.put("indices", new ArrayList<>(entries.keySet()));
        vector.put("values", new ArrayList<>(entries.values()));
        return vector;
    }

    /** The model's tokenizer.json as the model uses it: truncated to its length, no padding (one text per run). */
    private static HuggingFaceTokenizer tokenizer(Path modelDir) throws Exception {
        return tokenizer(modelDir, MAX_LENGTH);
    }

    private static HuggingFaceTokenizer tokenizer(Path modelDir, int maxLength) throws Exception {
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(modelDir.resolve("tokenizer.json"))
                .optMaxLength(maxLength)
                .optTruncation(true)
                .optPadding(false)
                .build();
    }

    /** The hidden state of the first token ([CLS]) of one text. */
    private static float[] clsVector(OrtEnvironment env, OrtSession session, Encoding encoding) throws Exception {
        return hiddenStates(env, session, encoding)[0];
    }

    /** The hidden states (the model's first output) of every token of one text. */
    private static float[][] hiddenStates(OrtEnvironment env, OrtSession session, Encoding encoding)
            throws Exception {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, new long[][] {encoding.getIds()}));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, new long[][] {encoding.getAttentionMask()}));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, new long[][] {encoding.getTypeIds()}));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] states = (float[][][]) result.get(0).getValue();
                return states[0];
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] unit = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] / norm);
        }
        return unit;
    }
}

package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;
import dev.fastembed.ModelFiles;
import dev.fastembed.ModelSource;
import dev.fastembed.Pooling;
import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The four kinds of {@link ModelSource}, without running a model (see {@link ModelSourceEndToEndTest}). */
class ModelSourceTest {

    private static final String CONFIGS = "dev/fastembed/hub/bge-small-en-v1.5/";

    @TempDir
    Path cache;

    private HubTestServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HubTestServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private HubOptions options() {
        return HubOptions.builder().endpoint(server.endpoint()).cacheDir(cache).environment(Map.of())
                .retries(0).readTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void catalogSourceFetchesEveryFileOfTheEntryFromOneCommit() throws IOException {
        String repo = ModelCatalog.get("BGESmallENV15").repo();
        String commit = server.addRepo(repo);
        server.addFile(repo, "onnx/model.onnx", bytes("fake onnx"), true);
        server.addFile(repo, "tokenizer.json", bytes("{}"), false);
        for (String config : List.of("config.json", "special_tokens_map.json", "tokenizer_config.json")) {
            server.addFile(repo, config, resource(CONFIGS + config), false);
        }

        ModelSource source = ModelSource.catalog("bgesmallenv15");
        ModelFiles files = source.resolve(options());

        Path snapshot = cache.resolve("models--Xenova--bge-small-en-v1.5/snapshots/" + commit);
        assertThat(files.model()).isEqualTo(snapshot.resolve("onnx/model.onnx"));
        assertThat(files.tokenizer()).isEqualTo(snapshot.resolve("tokenizer.json"));
        assertThat(files.config()).hasBinaryContent(resource(CONFIGS + "config.json"));
        assertThat(files.specialTokensMap()).isEqualTo(snapshot.resolve("special_tokens_map.json"));
        assertThat(files.tokenizerConfig()).isEqualTo(snapshot.resolve("tokenizer_config.json"));
        assertThat(files.preprocessorConfig()).isNull();
        assertThat(source.description()).hasValueSatisfying(d -> {
            assertThat(d.pooling()).isEqualTo(Pooling.CLS);
            assertThat(d.dimension()).isEqualTo(384);
        });

        server.clearRequests();
        assertThat(ModelSource.catalog("BAAI/bge-small-en-v1.5").resolve(options())).isEqualTo(files);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void catalogSourceOfflineWithColdCacheNamesModelAndFile() {
        HubOptions offline = options().toBuilder().offline(true).build();

        assertThatThrownBy(() -> ModelSource.catalog("BGESmallENV15").resolve(offline))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.DOWNLOAD))
                .hasMessageContaining("BAAI/bge-small-en-v1.5")
                .hasMessageContaining("onnx/model.onnx")
                .hasMessageContaining("Offline");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void unknownCatalogNameSuggestsClosestModels() {
        assertThatThrownBy(() -> ModelSource.catalog("BGESmallENV1.5"))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("Closest known models: BGESmallENV15");
    }

    @Test
    void modelWithoutOnnxFileOffersItsFilesInstead() {
        // Shaped like fastembed's Qdrant/bm25, which downloads stopword lists only.
        ModelSource.Catalog stopwords = ModelSource.catalog(ModelDescription.builder("someone/stopwords",
                        ModelKind.SPARSE, "someone/stopwords")
                .modelFile(null).tokenizerFile(null).configFiles().additionalFiles("english.txt", "german.txt")
                .licence("apache-2.0").description("stopword lists").build());
        for (String file : stopwords.model().additionalFiles()) {
            server.addFile("someone/stopwords", file, bytes("a\nthe\n"), false);
        }

        assertThatThrownBy(() -> stopwords.resolve(options())).isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("no ONNX model");
        Map<String, Path> files = stopwords.fetchFiles(options());
        assertThat(files).containsKey("english.txt").hasSize(2);
        assertThat(files.get("english.txt")).hasContent("a\nthe");
    }

    @Test
    void huggingFaceSourceFindsTheModelFileAndTheConfigurationItHas() {
        String repo = "someone/custom-model";
        server.addFile(repo, "model.onnx", bytes("onnx at the root"), true);
        server.addFile(repo, "tokenizer.json", bytes("{}"), false);
        server.addFile(repo, "config.json", bytes("{\"hidden_size\": 8}"), false);

        ModelSource source = ModelSource.huggingFace(repo);
        ModelFiles files = source.resolve(options());

        assertThat(files.model()).hasContent("onnx at the root")
                .endsWithRaw(Path.of("snapshots").resolve(commitOf(files)).resolve("model.onnx"));
        assertThat(files.tokenizer()).hasContent("{}");
        assertThat(files.config()).isNotNull();
        assertThat(files.specialTokensMap()).isNull();
        assertThat(source.description()).isEmpty();

        server.clearRequests();
        assertThat(source.resolve(options())).isEqualTo(files);
        assertThat(server.requests()).as("missing files are remembered per commit").isEmpty();
    }

    @Test
    void huggingFaceSourceHonoursExplicitFilesAndRevision() {
        String repo = "someone/custom-model";
        String commit = server.addRepo(repo);
        server.addFile(repo, "onnx/model_quantized.onnx", bytes("q"), true);
        server.addFile(repo, "onnx/model_quantized.onnx_data", bytes("weights"), true);
        server.addFile(repo, "vocab/tok.json", bytes("{}"), false);

        ModelFiles files = ModelSource.huggingFace(repo).revision(commit).modelFile("onnx/model_quantized.onnx")
                .additionalFiles("onnx/model_quantized.onnx_data").tokenizerFile("vocab/tok.json").resolve(options());

        assertThat(files.model()).hasContent("q");
        assertThat(files.model().resolveSibling("model_quantized.onnx_data")).hasContent("weights");
        assertThat(files.tokenizer()).hasContent("{}");
    }

    @Test
    void huggingFaceSourceWithoutAnyModelFileSaysWhatItLookedFor() {
        server.addFile("someone/empty", "tokenizer.json", bytes("{}"), false);

        assertThatThrownBy(() -> ModelSource.huggingFace("someone/empty").resolve(options()))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("Neither onnx/model.onnx nor model.onnx exists in someone/empty");
    }

    @Test
    void huggingFaceSourceOfAKnownRepoCarriesTheCatalogueDefaults() {
        assertThat(ModelSource.huggingFace("Xenova/bge-small-en-v1.5").description())
                .contains(ModelCatalog.get("BGESmallENV15"));
        assertThat(ModelSource.huggingFace("Xenova/all-MiniLM-L6-v2").modelFile("onnx/model_quantized.onnx")
                .description()).contains(ModelCatalog.get("AllMiniLML6V2Q"));
        assertThat(ModelSource.huggingFace("someone/else").description()).isEmpty();
    }

    @Test
    void huggingFaceSourceRefusesNamesThatLeaveTheCache() {
        assertThatThrownBy(() -> ModelSource.huggingFace("../etc")).isInstanceOf(FastEmbedException.class);
        assertThatThrownBy(() -> ModelSource.huggingFace("a/b").modelFile("../../x.onnx"))
                .isInstanceOf(FastEmbedException.class);
        assertThatThrownBy(() -> ModelSource.huggingFace("a/b").additionalFiles("/abs")).isInstanceOf(FastEmbedException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void directorySourceFindsHuggingFaceLayoutOrNamedFiles(@TempDir Path folder) throws IOException {
        Files.createDirectories(folder.resolve("onnx"));
        Files.writeString(folder.resolve("onnx/model.onnx"), "m");
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        Files.writeString(folder.resolve("config.json"), "{}");
        Files.writeString(folder.resolve("other.onnx"), "o");

        ModelFiles found = ModelSource.directory(folder).resolve(options());
        ModelFiles named = ModelSource.directory(folder).modelFile("other.onnx").resolve(options());

        assertThat(found.model()).isEqualTo(folder.resolve("onnx/model.onnx"));
        assertThat(found.tokenizer()).isEqualTo(folder.resolve("tokenizer.json"));
        assertThat(found.config()).isEqualTo(folder.resolve("config.json"));
        assertThat(named.model()).isEqualTo(folder.resolve("other.onnx"));
        assertThat(named.tokenizer()).isEqualTo(folder.resolve("tokenizer.json"));
        assertThat(ModelSource.directory(folder).description()).isEmpty();
    }

    @Test
    void directorySourceReportsMissingFolderAndFiles(@TempDir Path folder) {
        assertThatThrownBy(() -> ModelSource.directory(folder.resolve("nope")).resolve(options()))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.IO))
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> ModelSource.directory(folder).modelFile("absent.onnx").resolve(options()))
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("absent.onnx");
    }

    @Test
    void classpathSourceCopiesOnceIntoAContentKeyedFolder() throws IOException {
        ModelSource source = ModelSource.classpath(CONFIGS + "config.json", CONFIGS + "special_tokens_map.json",
                CONFIGS + "tokenizer_config.json");

        ModelFiles first = source.resolve(options());
        FileTime copiedAt = Files.getLastModifiedTime(first.model());
        ModelFiles second = source.resolve(options());

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second.model())).isEqualTo(copiedAt);
        assertThat(first.model()).hasBinaryContent(resource(CONFIGS + "config.json"));
        assertThat(first.tokenizer()).hasBinaryContent(resource(CONFIGS + "special_tokens_map.json"));
        assertThat(first.tokenizerConfig()).hasBinaryContent(resource(CONFIGS + "tokenizer_config.json"));
        assertThat(first.model().getParent().getParent()).isEqualTo(cache.resolve("classpath"));
        assertThat(first.model().getParent().getFileName().toString()).matches("config\\.json-[0-9a-f]{16}");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void classpathSourceResolvedConcurrentlyEndsWithOneCompleteFolder() throws Exception {
        ModelSource source = ModelSource.classpath(CONFIGS + "config.json", CONFIGS + "special_tokens_map.json");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ModelFiles>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return source.resolve(options());
                }));
            }
            start.countDown();
            ModelFiles first = results.getFirst().get(30, TimeUnit.SECONDS);
            for (Future<ModelFiles> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(first);
            }
            assertThat(first.model()).hasBinaryContent(resource(CONFIGS + "config.json"));
            try (Stream<Path> entries = Files.list(cache.resolve("classpath"))) {
                assertThat(entries).hasSize(1); // no temporary folders left behind
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void classpathSourceReportsMissingResourcesAndClashingNames() {
        assertThatThrownBy(() -> ModelSource.classpath("no/such/model.onnx", null).resolve(options()))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.IO))
                .hasMessageContaining("no/such/model.onnx");
        assertThatThrownBy(() -> ModelSource.classpath("a/model.onnx", "b/model.onnx"))
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("model.onnx");
        assertThatThrownBy(() -> ModelSource.classpath("../model.onnx", null)).isInstanceOf(FastEmbedException.class);
    }

    private static String commitOf(ModelFiles files) {
        return files.tokenizer().getParent().getFileName().toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelSourceTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }
}

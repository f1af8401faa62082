package dev.fastembed.sample;

import dev.fastembed.sample.index.DocumentIndex;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hybrid search on a word or name the article uses: the engine's BM25 weights in the index rank the article
 * first. {@link #engineBm25AgainstLuceneBm25} compares the choice made for the index (the engine's BM25 as
 * feature fields) with Lucene's own BM25 over an English-analyzed text field, fused with the same dense
 * ranking, and prints both.
 */
class HybridKeywordRankingTest extends RunningSampleApp {

    private static final String[][] QUERIES = {
            {"photosynthesis.txt", "RuBisCO"},
            {"password-security.md", "Argon2 or bcrypt"},
            {"black-holes.md", "Hawking radiation"},
            {"chess-openings.md", "Sicilian"},
            {"git-branches.md", "fast-forward merge"},
            {"tides.txt", "neap tide"},
            {"honeybees.md", "waggle dance"},
            {"tcp-handshake.md", "SYN ACK"},
            {"sleep.md", "REM"},
            {"coffee-roasting.txt", "first crack"},
            {"vaccines.txt", "antibodies"},
            {"photosynthesis.txt", "chlorophyll"},
    };

    /** SearchApiTest's paraphrases: no word of the title, where keywords can only add noise to the dense ranking. */
    private static final String[][] PARAPHRASES = {
            {"tides.txt", "why does the ocean rise and fall along the shore twice daily"},
            {"honeybees.md", "how do insects turn flower juice into a sweet food they store"},
            {"black-holes.md", "what happens to an astronaut who falls into a collapsed star"},
            {"sourdough.md", "a loaf that rises from a fermented flour paste instead of packaged yeast"},
            {"photosynthesis.txt", "how do leaves turn sunshine, air and water into sugar"},
            {"tcp-handshake.md", "how does a computer connection get set up before any data flows"},
            {"composting.md", "turning kitchen scraps into rich garden soil"},
            {"vaccines.txt", "why a shot in the arm keeps you from getting ill years later"},
            {"marathon-training.md", "preparing your legs for a 42 km road race"},
            {"sleep.md", "why do I dream most vividly in the early morning"},
            {"password-security.md", "how to stop criminals logging into my email"},
            {"volcanoes.md", "what makes a mountain explode and spew ash"},
            {"chess-openings.md", "good first moves on the board to control the middle squares"},
            {"coffee-roasting.txt", "when does a heated bean audibly pop and what does it taste like"},
            {"bicycle-maintenance.md", "oiling the drive chain and checking tyre inflation"},
            {"git-branches.md", "combine my feature work with the main line of history"},
    };

    @Autowired
    private DocumentIndex index;

    @ParameterizedTest(name = "{1} → {0}")
    @CsvSource(delimiter = '|', textBlock = """
            photosynthesis.txt   | RuBisCO
            password-security.md | Argon2 or bcrypt
            black-holes.md       | Hawking radiation
            honeybees.md         | waggle dance
            tcp-handshake.md     | SYN ACK
            coffee-roasting.txt  | first crack
            """)
    void hybridRanksTheArticleWithTheWordFirst(String expected, String query) {
        String body = get("/api/search?k=3&hybrid=true&q=" + encode(query)).body();
        assertThat(read(body, "$.results[0].source").toString()).isEqualTo(expected);
    }

    @Test
    void engineBm25AgainstLuceneBm25() throws IOException {
        List<Document> chunks = index.store().list(null);
        try (ByteBuffersDirectory directory = new ByteBuffersDirectory(); Analyzer english = new EnglishAnalyzer()) {
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(english))) {
                for (Document chunk : chunks) {
                    writer.addDocument(List.of(new StoredField("id", chunk.getId()), new TextField("text",
                            chunk.getMetadata().get("title") + "\n\n" + chunk.getText(), Field.Store.NO)));
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                Map<String, String> sourceOf = new HashMap<>();
                chunks.forEach(chunk -> sourceOf.put(chunk.getId(), chunk.getMetadata().get("source").toString()));
                int[] keywords = compare("keyword", QUERIES, searcher, english, chunks.size(), sourceOf);
                compare("paraphrase", PARAPHRASES, searcher, english, chunks.size(), sourceOf);
                assertThat(keywords[0]).as("the index's choice ranks most keyword queries' article first")
                        .isGreaterThanOrEqualTo(QUERIES.length - 2);
            }
        }
    }

    /** Prints hybrid and keyword-only document ranks of both BM25s; returns the engine's and Lucene's top-1s. */
    private int[] compare(String kind, String[][] queries, IndexSearcher searcher, Analyzer english, int all,
                          Map<String, String> sourceOf) throws IOException {
        double[] mrr = new double[4];
        int[] top = new int[4];
        StringBuilder report = new StringBuilder();
        for (String[] query : queries) {
            List<String> dense = index.search(query[1], all).stream().map(Document::getId).toList();
            List<String> engine = index.store().keywordSearch(query[1], all).stream().map(Document::getId).toList();
            List<String> lucene = luceneBm25(searcher, english, query[1], all);
            int[] ranks = {documentRank(fuse(dense, engine), sourceOf, query[0]),
                    documentRank(fuse(dense, lucene), sourceOf, query[0]), documentRank(engine, sourceOf, query[0]),
                    documentRank(lucene, sourceOf, query[0])};
            for (int i = 0; i < 4; i++) {
                mrr[i] += ranks[i] > 0 ? 1.0 / ranks[i] : 0;
                top[i] += ranks[i] == 1 ? 1 : 0;
            }
            report.append(String.format("  %-66s hybrid %d / %d, keywords alone %d / %d%n",
                    query[1] + " → " + query[0], ranks[0], ranks[1], ranks[2], ranks[3]));
        }
        int n = queries.length;
        System.out.printf("%d %s queries (document rank, engine BM25 / Lucene BM25 with EnglishAnalyzer; 0 = not"
                        + " found): hybrid top-1 %d / %d, MRR %.3f / %.3f; keywords alone top-1 %d / %d, MRR %.3f /"
                        + " %.3f%n%s", n, kind, top[0], top[1], mrr[0] / n, mrr[1] / n, top[2], top[3], mrr[2] / n,
                mrr[3] / n, report);
        return top;
    }

    private static List<String> luceneBm25(IndexSearcher searcher, Analyzer analyzer, String query, int n)
            throws IOException {
        BooleanQuery.Builder terms = new BooleanQuery.Builder();
        try (TokenStream tokens = analyzer.tokenStream("text", query)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                terms.add(new TermQuery(new Term("text", term.toString())), BooleanClause.Occur.SHOULD);
            }
            tokens.end();
        }
        List<String> ids = new ArrayList<>();
        for (ScoreDoc hit : searcher.search(terms.build(), n).scoreDocs) {
            ids.add(searcher.storedFields().document(hit.doc).get("id"));
        }
        return ids;
    }

    /** Reciprocal rank fusion, as the search service does it: 1 / (60 + rank) from each ranking. */
    private static List<String> fuse(List<String> dense, List<String> sparse) {
        Map<String, Double> fused = new HashMap<>();
        for (int i = 0; i < dense.size(); i++) {
            fused.merge(dense.get(i), 1.0 / (60 + i + 1), Double::sum);
        }
        for (int i = 0; i < sparse.size(); i++) {
            fused.merge(sparse.get(i), 1.0 / (60 + i + 1), Double::sum);
        }
        List<String> ranked = new ArrayList<>(fused.keySet());
        ranked.sort((a, b) -> Double.compare(fused.get(b), fused.get(a)));
        return ranked;
    }

    /** The rank of the expected document among documents (each counted at its best chunk), 0 if absent. */
    private static int documentRank(List<String> chunkRanking, Map<String, String> sourceOf, String expected) {
        List<String> documents = new ArrayList<>(new LinkedHashSet<>(chunkRanking.stream().map(sourceOf::get).toList()));
        return documents.indexOf(expected) + 1;
    }
}

//! BM25 on a real corpus (the paragraphs of the Apache License 2.0 that Debian ships) ranks
//! documents as a plain reference BM25 scorer written here does.

use std::collections::HashMap;

use fastembed_bm25::{Bm25, Bm25Config, SparseVector};

const LICENSE: &str = "/usr/share/common-licenses/Apache-2.0";

fn paragraphs() -> Vec<String> {
    let text = std::fs::read_to_string(LICENSE).expect("Debian ships the Apache License 2.0");
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The reference: counts the stems itself and scores
/// `sum over distinct query stems of idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / avgdl))`,
/// with Qdrant's idf `ln(1 + (N - n + 0.5) / (n + 0.5))` or without idf.
struct ReferenceBm25 {
    docs: Vec<HashMap<String, usize>>,
    lengths: Vec<usize>,
    document_frequency: HashMap<String, usize>,
}

impl ReferenceBm25 {
    fn new(tokenized: &[Vec<String>]) -> Self {
        let docs: Vec<HashMap<String, usize>> = tokenized
            .iter()
            .map(|tokens| {
                let mut tf = HashMap::new();
                for t in tokens {
                    *tf.entry(t.clone()).or_insert(0) += 1;
                }
                tf
            })
            .collect();
        let mut document_frequency = HashMap::new();
        for doc in &docs {
            for term in doc.keys() {
                *document_frequency.entry(term.clone()).or_insert(0) += 1;
            }
        }
        ReferenceBm25 {
            docs,
            lengths: tokenized.iter().map(Vec::len).collect(),
            document_frequency,
        }
    }

    fn idf(&self, term: &str) -> f64 {
        let n = self.docs.len() as f64;
        let df = *self.document_frequency.get(term).unwrap_or(&0) as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    fn score(&self, query: &[String], doc: usize, with_idf: bool) -> f64 {
        let (k1, b, avg_len) = (1.2, 0.75, 256.0);
        let mut distinct: Vec<&String> = query.iter().collect();
        distinct.sort();
        distinct.dedup();
        distinct
            .into_iter()
            .map(|term| {
                let tf = *self.docs[doc].get(term).unwrap_or(&0) as f64;
                let len = self.lengths[doc] as f64;
                let weight = tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len / avg_len));
                if with_idf {
                    self.idf(term) * weight
                } else {
                    weight
                }
            })
            .sum()
    }
}

/// Query vector with Qdrant's idf modifier applied to its values.
fn with_idf(query: &SparseVector, idf_by_index: &HashMap<u32, f64>) -> SparseVector {
    SparseVector {
        indices: query.indices.clone(),
        values: query
            .indices
            .iter()
            .zip(&query.values)
            .map(|(i, v)| v * idf_by_index[i] as f32)
            .collect(),
    }
}

fn ranking(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).filter(|&i| scores[i] > 0.0).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order
}

const QUERIES: &[(&str, &str)] = &[
    (
        "patent infringement litigation against a contributor",
        "Grant of Patent License",
    ),
    ("trademarks and trade names of the licensor", "Trademarks"),
    (
        "warranty disclaimer: provided on an AS IS basis",
        "Disclaimer of Warranty",
    ),
    (
        "liable for damages, including indirect or consequential damages",
        "Limitation of Liability",
    ),
    (
        "redistribution of derivative works in source or object form",
        "Redistribution",
    ),
];

#[test]
fn ranks_license_sections_as_the_reference_bm25() {
    let bm25 = Bm25::new(Bm25Config::default()).unwrap();
    let docs = paragraphs();
    assert!(docs.len() > 25, "{} paragraphs", docs.len());
    let tokenized: Vec<Vec<String>> = docs.iter().map(|d| bm25.tokens(d)).collect();
    let reference = ReferenceBm25::new(&tokenized);
    let doc_vectors: Vec<SparseVector> = docs.iter().map(|d| bm25.embed_document(d)).collect();

    // idf per sparse index, from the indices each document has (what Qdrant computes).
    let mut df_by_index: HashMap<u32, usize> = HashMap::new();
    for v in &doc_vectors {
        for &i in &v.indices {
            *df_by_index.entry(i).or_insert(0) += 1;
        }
    }
    let n = docs.len() as f64;
    let idf_by_index: HashMap<u32, f64> = df_by_index
        .iter()
        .map(|(&i, &df)| (i, (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln()))
        .collect();

    for &(query_text, expected_heading) in QUERIES {
        let query_tokens = bm25.tokens(query_text);
        let query = bm25.embed_query(query_text);
        for use_idf in [false, true] {
            let query_vector = if use_idf {
                let known: HashMap<u32, f64> = query
                    .indices
                    .iter()
                    .map(|i| (*i, *idf_by_index.get(i).unwrap_or(&0.0)))
                    .collect();
                with_idf(&query, &known)
            } else {
                query.clone()
            };
            let ours: Vec<f64> = doc_vectors.iter().map(|d| f64::from(query_vector.dot(d))).collect();
            let theirs: Vec<f64> = (0..docs.len())
                .map(|d| reference.score(&query_tokens, d, use_idf))
                .collect();
            for (d, (a, b)) in ours.iter().zip(&theirs).enumerate() {
                assert!((a - b).abs() <= 1e-5 * b.max(1.0), "{query_text:?} doc {d}: {a} vs {b}");
            }
            // Same documents in the same order (a swap is allowed only within a reference tie).
            let (our_order, their_order) = (ranking(&ours), ranking(&theirs));
            let mut sorted_ours = our_order.clone();
            sorted_ours.sort();
            let mut sorted_theirs = their_order.clone();
            sorted_theirs.sort();
            assert_eq!(sorted_ours, sorted_theirs, "{query_text:?} idf={use_idf}");
            for pair in our_order.windows(2) {
                let (x, y) = (theirs[pair[0]], theirs[pair[1]]);
                assert!(
                    x >= y - 1e-6 * x.max(1.0),
                    "{query_text:?} idf={use_idf}: {pair:?} out of order"
                );
            }
            assert!(our_order.len() > 1, "{query_text:?} matches more than one paragraph");
            let top = our_order[0];
            assert!(
                docs[top].contains(expected_heading),
                "{query_text:?} ranked first:\n{}",
                docs[top]
            );
        }
    }
}

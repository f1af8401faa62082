//! fastembed's `Bm25`: text → stemmed tokens → term-frequency weights keyed by token hash.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::config::widen;
use crate::murmur3::token_index;
use crate::stemmer::{self, Stemmer, SUPPORTED_LANGUAGES};
use crate::{stopwords, text, Bm25Config, Bm25Error, SparseVector};

/// BM25 as sparse vectors, meant for a Qdrant sparse index with the `idf` modifier (the inverse
/// document frequency is computed by Qdrant, so only the term-frequency part is here).
pub struct Bm25 {
    config: Bm25Config,
    k1: f64,
    b: f64,
    avg_len: f64,
    stopwords: HashSet<String>,
    stemmer: Option<Box<dyn Stemmer>>,
}

impl fmt::Debug for Bm25 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bm25")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Bm25 {
    /// Checks the parameters and loads the stemmer and stopwords of `config.language`.
    pub fn new(config: Bm25Config) -> Result<Bm25, Bm25Error> {
        config.validate()?;
        let (stemmer, language_stopwords) = if config.disable_stemmer {
            (None, HashSet::new())
        } else {
            let language = config.language.trim().to_lowercase();
            let stemmer = stemmer::for_language(&language).ok_or_else(|| Bm25Error::UnsupportedLanguage {
                language: config.language.clone(),
                supported: SUPPORTED_LANGUAGES.join(", "),
            })?;
            (Some(stemmer), stopwords::for_language(&language))
        };
        // Stopwords the user gives win over the language's list, as in fastembed.
        let stopwords = match &config.stopwords {
            Some(words) => words
                .iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
            None => language_stopwords,
        };
        Ok(Bm25 {
            k1: widen(config.k1),
            b: widen(config.b),
            avg_len: widen(config.avg_len),
            config,
            stopwords,
            stemmer,
        })
    }

    pub fn config(&self) -> &Bm25Config {
        &self.config
    }

    /// The tokens BM25 counts: lowercase words without punctuation, stopwords and overlong
    /// tokens, stemmed, in text order.
    pub fn tokens(&self, text: &str) -> Vec<String> {
        text::words(text)
            .into_iter()
            .filter(|word| !text::is_punctuation_word(word))
            .filter(|word| !self.stopwords.contains(word.as_str()))
            .filter(|word| word.chars().count() <= self.config.token_max_length)
            .filter_map(|word| {
                let stemmed = self.stem(&word);
                (!stemmed.is_empty()).then_some(stemmed)
            })
            .collect()
    }

    /// Document vector: for each distinct token,
    /// `tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avg_len))`, where `doc_len` counts
    /// the document's tokens.
    pub fn embed_document(&self, text: &str) -> SparseVector {
        let tokens = self.tokens(text);
        let doc_len = tokens.len() as f64;
        let length_norm = self.k1 * (1.0 - self.b + self.b * doc_len / self.avg_len);
        let weights = distinct_with_counts(&tokens).into_iter().map(|(token, count)| {
            let tf = count as f64;
            (token_index(token), tf * (self.k1 + 1.0) / (tf + length_norm))
        });
        SparseVector::from_pairs(weights)
    }

    /// Query vector: weight 1.0 for each distinct token.
    pub fn embed_query(&self, text: &str) -> SparseVector {
        let tokens = self.tokens(text);
        SparseVector::from_pairs(tokens.iter().map(|token| (token_index(token), 1.0)))
    }

    pub(crate) fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(stemmer) => stemmer.stem(word).into_owned(),
            None => word.to_owned(),
        }
    }

    pub(crate) fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }
}

/// Distinct tokens with their counts, in order of first occurrence (Python's dict order, which
/// decides which token wins when two hash to the same index).
fn distinct_with_counts(tokens: &[String]) -> Vec<(&str, usize)> {
    let mut position: HashMap<&str, usize> = HashMap::new();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for token in tokens {
        match position.get(token.as_str()) {
            Some(&i) => counts[i].1 += 1,
            None => {
                position.insert(token, counts.len());
                counts.push((token, 1));
            }
        }
    }
    counts
}

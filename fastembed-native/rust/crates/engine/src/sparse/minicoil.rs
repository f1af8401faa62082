//! miniCOIL (fastembed's `MiniCOIL`, Qdrant/minicoil-v1): BM25 whose known words carry a small meaning vector.
//!
//! The model gives one vector per token; WordPiece tokens are joined into words, and each word is resolved
//! against miniCOIL's vocabulary (`minicoil.triplet.model.vocab`: the word itself, else its stem through the
//! vocabulary's `stem_mapping`); stopwords stay unknown. Per known word, its tokens' vectors are averaged and
//! projected by the word's own matrix (`minicoil.triplet.model.npy`, `[words + 1, hidden, dim]`) through `tanh`;
//! the result, L2-normalized and scaled by BM25's term-frequency weight, fills indices `word_id * dim + j`.
//! Unknown words fall back to BM25: cleaned and stemmed as BM25 does, one index past the vocabulary's range
//! (`shift + abs(murmur3(stem)) % (i32::MAX - shift)`). Queries use weight 1 instead of the term frequency.
//! Values may be negative.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::SparseVector;
use crate::error::EngineError;
use crate::options::ModelOptions;
use crate::runs::ModelSession;
use crate::session::TextSession;
use crate::tensors::float_data;
use fastembed_bm25::stemmer::{self, Stemmer};
use fastembed_tokenizer::Tokenizer;

/// fastembed's `SparseVectorConverter` constants.
const GAP: u64 = 32_000;
const INT32_MAX: u64 = i32::MAX as u64;
const TOKEN_MAX_LENGTH: usize = 40;
const SPECIAL_TOKENS: [&str; 5] = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"];

/// miniCOIL's BM25 parameters (fastembed's defaults: k 1.2, b 0.75, avg_len 150).
#[derive(Debug, Clone, Copy)]
pub struct MiniCoilParams {
    pub k: f64,
    pub b: f64,
    pub avg_len: f64,
}

/// The vocabulary, stems and per-word matrices, independent of the ONNX model.
pub struct MiniCoilVocab {
    words: Vec<String>,
    ids: HashMap<String, usize>,
    stem_mapping: HashMap<String, String>,
    stopwords: HashSet<String>,
    stemmer: Box<dyn Stemmer>,
    weights: Vec<f32>,
    hidden: usize,
    dim: usize,
}

/// One resolved word of a text: its vocabulary id (0 for unknown), occurrences and vector.
#[derive(Clone)]
struct WordEntry {
    word_id: usize,
    count: usize,
    embedding: Vec<f32>,
}

impl MiniCoilVocab {
    pub fn load(vocab_file: &Path, weights_file: &Path, stopwords_file: Option<&Path>) -> Result<Self, EngineError> {
        let read = |path: &Path| {
            std::fs::read(path)
                .map_err(|e| EngineError::new(crate::ErrorKind::Io, format!("cannot read {}: {e}", path.display())))
        };
        let vocab: serde_json::Value = serde_json::from_slice(&read(vocab_file)?)
            .map_err(|e| EngineError::invalid_model(format!("{}: {e}", vocab_file.display())))?;
        let words: Vec<String> = vocab["vocab"]
            .as_array()
            .and_then(|a| a.iter().map(|w| w.as_str().map(str::to_owned)).collect())
            .ok_or_else(|| {
                EngineError::invalid_model(format!("{}: no \"vocab\" list of words", vocab_file.display()))
            })?;
        let stem_mapping: HashMap<String, String> = vocab["stem_mapping"]
            .as_object()
            .and_then(|m| {
                m.iter()
                    .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .ok_or_else(|| {
                EngineError::invalid_model(format!("{}: no \"stem_mapping\" object", vocab_file.display()))
            })?;
        let (shape, weights) = read_npy_f32(&read(weights_file)?)
            .map_err(|e| EngineError::invalid_model(format!("{}: {e}", weights_file.display())))?;
        let [rows, hidden, dim] = shape[..] else {
            return Err(EngineError::invalid_model(format!(
                "{}: expected a [words + 1, hidden, dim] array, got shape {shape:?}",
                weights_file.display()
            )));
        };
        if rows < words.len() + 1 || hidden == 0 || dim == 0 {
            return Err(EngineError::invalid_model(format!(
                "{}: shape {shape:?} does not cover {} words",
                weights_file.display(),
                words.len()
            )));
        }
        let stopwords = match stopwords_file {
            Some(path) => String::from_utf8_lossy(&read(path)?)
                .lines()
                .map(str::to_owned)
                .collect(),
            None => HashSet::new(),
        };
        let ids = words.iter().enumerate().map(|(i, w)| (w.clone(), i + 1)).collect();
        Ok(MiniCoilVocab {
            words,
            ids,
            stem_mapping,
            stopwords,
            stemmer: stemmer::for_language("english").expect("English is built in"),
            weights,
            hidden,
            dim,
        })
    }

    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// One text's sparse vector from its attended tokens and their model vectors (`tokens × hidden`).
    pub fn vector(&self, tokens: &[String], states: &[f32], params: MiniCoilParams, query: bool) -> SparseVector {
        let words = self.resolve(tokens, states);
        let cleaned = self.clean(words);
        let vocab_size = (self.words.len() + 1) as u64;
        let shift = ((vocab_size * self.dim as u64) / GAP + 2) * GAP;
        let sentence_len: usize = cleaned.iter().map(|(_, e)| e.count).sum();
        let mut entries: BTreeMap<u32, f32> = BTreeMap::new();
        for (word, entry) in &cleaned {
            let tf = if query {
                1.0
            } else {
                let n = entry.count as f64;
                n * (params.k + 1.0)
                    / (n + params.k * (1.0 - params.b + params.b * sentence_len as f64 / params.avg_len))
            };
            if entry.word_id > 0 {
                let norm = entry
                    .embedding
                    .iter()
                    .map(|&x| f64::from(x).powi(2))
                    .sum::<f64>()
                    .sqrt();
                let scale = if norm < 1e-8 { 1.0 } else { 1.0 / norm };
                for (j, &x) in entry.embedding.iter().enumerate() {
                    let index = (entry.word_id * self.dim + j) as u32;
                    entries.insert(index, (f64::from(x) * scale * tf) as f32);
                }
            } else {
                let hash = u64::from(fastembed_bm25::token_index(word));
                let index = shift + hash % (INT32_MAX - shift);
                entries.insert(index as u32, tf as f32);
            }
        }
        SparseVector {
            indices: entries.keys().copied().collect(),
            values: entries.values().copied().collect(),
        }
    }

    /// fastembed's `VocabResolver.resolve_tokens` and `Encoder.forward`: known words in ascending id order with
    /// the tanh projection of their tokens' mean vector, then unknown words in order of first occurrence.
    fn resolve(&self, tokens: &[String], states: &[f32]) -> Vec<(String, WordEntry)> {
        let mut token_word = vec![0usize; tokens.len()];
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        let mut unknown: Vec<(String, usize)> = Vec::new();
        for (word, positions) in join_word_pieces(tokens) {
            let id = if self.stopwords.contains(&word) {
                0
            } else if let Some(&id) = self.ids.get(&word) {
                id
            } else if let Some(base) = self.stem_mapping.get(&word) {
                self.ids.get(base).copied().unwrap_or(0)
            } else {
                let stem = self.stemmer.stem(&word);
                self.stem_mapping
                    .get(stem.as_ref())
                    .and_then(|base| self.ids.get(base).copied())
                    .unwrap_or(0)
            };
            for &p in &positions {
                token_word[p] = id;
            }
            if id == 0 {
                match unknown.iter_mut().find(|(w, _)| *w == word) {
                    Some((_, n)) => *n += 1,
                    None => unknown.push((word, 1)),
                }
            } else {
                *counts.entry(id).or_default() += 1;
            }
        }
        let mut result: Vec<(String, WordEntry)> = Vec::new();
        let put = |result: &mut Vec<(String, WordEntry)>, word: String, entry: WordEntry| match result
            .iter_mut()
            .find(|(w, _)| *w == word)
        {
            Some(slot) => slot.1 = entry,
            None => result.push((word, entry)),
        };
        for (&id, &count) in &counts {
            let mut mean = vec![0f32; self.hidden];
            let mut n = 0f32;
            for (t, _) in token_word.iter().enumerate().filter(|(_, &w)| w == id) {
                for (m, &x) in mean.iter_mut().zip(&states[t * self.hidden..(t + 1) * self.hidden]) {
                    *m += x;
                }
                n += 1.0;
            }
            mean.iter_mut().for_each(|m| *m /= n);
            let matrix = &self.weights[id * self.hidden * self.dim..(id + 1) * self.hidden * self.dim];
            let embedding = (0..self.dim)
                .map(|o| {
                    let dot: f32 = (0..self.hidden).map(|i| mean[i] * matrix[i * self.dim + o]).sum();
                    dot.tanh()
                })
                .collect();
            let entry = WordEntry {
                word_id: id,
                count,
                embedding,
            };
            put(&mut result, self.words[id - 1].clone(), entry);
        }
        for (word, count) in unknown {
            let entry = WordEntry {
                word_id: 0,
                count,
                embedding: Vec::new(),
            };
            put(&mut result, word, entry);
        }
        result
    }

    /// fastembed's `clean_words`: unknown words become BM25 stems (punctuation, special tokens and stopwords
    /// dropped, overlong stems too), counts of equal stems added up.
    fn clean(&self, words: Vec<(String, WordEntry)>) -> Vec<(String, WordEntry)> {
        let unwanted = |w: &str| SPECIAL_TOKENS.contains(&w) || self.stopwords.contains(w) || is_single_punctuation(w);
        let mut out: Vec<(String, WordEntry)> = Vec::new();
        for (word, entry) in words {
            if entry.word_id > 0 {
                match out.iter_mut().find(|(w, _)| *w == word) {
                    Some(slot) => slot.1 = entry,
                    None => out.push((word, entry)),
                }
                continue;
            }
            if unwanted(&word) {
                continue;
            }
            for sub in fastembed_bm25::split_words(&word) {
                let stem = self.stemmer.stem(&sub).into_owned();
                if stem.chars().count() > TOKEN_MAX_LENGTH || unwanted(&stem) {
                    continue;
                }
                match out.iter_mut().find(|(w, _)| *w == stem) {
                    Some(slot) => slot.1.count += entry.count,
                    None => out.push((stem, entry.clone())),
                }
            }
        }
        out
    }
}

/// Whether `word` is one character of Unicode category P, as fastembed's punctuation set holds them; the only
/// one that can survive its cleaning is the connector `_`, the rest are removed as non-word characters.
fn is_single_punctuation(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c == '_' || c.is_ascii_punctuation())
}

/// WordPiece tokens joined into words (`##` continues the previous one), each with its token positions.
fn join_word_pieces(tokens: &[String]) -> Vec<(String, Vec<usize>)> {
    let mut words: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match (token.strip_prefix("##"), words.last_mut()) {
            (Some(rest), Some(last)) => {
                last.0.push_str(rest);
                last.1.push(i);
            }
            (Some(rest), None) => words.push((rest.to_owned(), vec![i])),
            (None, _) => words.push((token.clone(), vec![i])),
        }
    }
    words
}

/// An `f32` option through its shortest decimal form, so that `1.2f32` is Python's `1.2`.
fn widen(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// A little-endian float32 `.npy` array in C order: its shape and values.
fn read_npy_f32(bytes: &[u8]) -> Result<(Vec<usize>, Vec<f32>), String> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err("not a .npy file".into());
    }
    let (header_len, start) = match bytes[6] {
        1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(format!("unsupported .npy version {v}")),
    };
    let header = bytes
        .get(start..start + header_len)
        .map(String::from_utf8_lossy)
        .ok_or("truncated .npy header")?;
    if !header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False") {
        return Err(format!("expected little-endian float32 in C order, header {header}"));
    }
    let shape_text = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or("no shape in the .npy header")?;
    let shape: Vec<usize> = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| format!("bad shape {shape_text}")))
        .collect::<Result<_, _>>()?;
    let count = shape
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .ok_or("shape overflows")?;
    let data = &bytes[start + header_len..];
    if data.len() != count * 4 {
        return Err(format!("{} data bytes for shape {shape:?}", data.len()));
    }
    Ok((
        shape,
        data.chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    ))
}

/// The model and its vocabulary: documents and queries both run the model.
pub struct MiniCoilModel {
    text: TextSession,
    tokenizer: Tokenizer,
    vocab: MiniCoilVocab,
    params: MiniCoilParams,
}

impl MiniCoilModel {
    pub fn cancel_runs(&self) {
        self.text.cancel_runs();
    }

    /// How the model's ONNX Runtime session was set up (execution provider, optimized graph); None before a
    /// lazily loaded model is loaded, or without a model.
    pub fn session_info(&self) -> Option<crate::session::SessionInfo> {
        Some(self.text.info().clone())
    }

    pub fn new(
        session: ModelSession,
        tokenizer: Tokenizer,
        output: String,
        options: &ModelOptions,
    ) -> Result<Self, EngineError> {
        let file = |f: &Option<std::path::PathBuf>, name: &str| {
            options
                .optional_file(f, name)?
                .ok_or_else(|| EngineError::invalid_argument(format!("{name} is required for miniCOIL")))
        };
        let vocab_file = file(&options.minicoil_vocab_file, "minicoil_vocab_file")?;
        let weights_file = file(&options.minicoil_weights_file, "minicoil_weights_file")?;
        let stopwords_file = options.optional_file(&options.stopwords_file, "stopwords_file")?;
        let vocab = MiniCoilVocab::load(&vocab_file, &weights_file, stopwords_file.as_deref())?;
        let params = MiniCoilParams {
            k: widen(options.k1.unwrap_or(1.2)),
            b: widen(options.b.unwrap_or(0.75)),
            avg_len: widen(options.avg_len.unwrap_or(150.0)),
        };
        Ok(MiniCoilModel {
            text: TextSession::new(session, output, &tokenizer, options)?,
            tokenizer,
            vocab,
            params,
        })
    }

    pub fn embed(&self, texts: &[&str], query: bool) -> Result<Vec<SparseVector>, EngineError> {
        let mut vectors = vec![SparseVector::default(); texts.len()];
        let hidden = self.vocab.hidden();
        let encode = |i: usize| self.tokenizer.encode(texts[i], true).map_err(EngineError::from);
        self.text
            .for_each_run(texts.len(), encode, None, |batch, rows, tokens, output| {
                let expected = [tokens.rows as i64, tokens.seq as i64, hidden as i64];
                if output.shape() != expected {
                    return Err(EngineError::invalid_model(format!(
                    "output '{}' has shape {:?}, expected {expected:?} (the vocabulary's matrices are {hidden} wide)",
                    self.text.output(),
                    output.shape()
                )));
                }
                let states = float_data(output)?;
                for (row, (&index, encoding)) in batch.indices.iter().zip(rows).enumerate() {
                    let attended: Vec<usize> = (0..encoding.ids.len())
                        .filter(|&t| encoding.attention_mask[t] == 1)
                        .collect();
                    let names: Vec<String> = attended.iter().map(|&t| encoding.tokens[t].clone()).collect();
                    let mut kept = Vec::with_capacity(attended.len() * hidden);
                    for &t in &attended {
                        let at = (row * tokens.seq + t) * hidden;
                        kept.extend_from_slice(&states[at..at + hidden]);
                    }
                    vectors[index] = self.vocab.vector(&names, &kept, self.params, query);
                }
                Ok(())
            })?;
        Ok(vectors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_pieces_join_into_words() {
        let tokens: Vec<String> = ["[CLS]", "zeb", "##ras", "run", "##s", "[SEP]"]
            .map(String::from)
            .to_vec();
        let words = join_word_pieces(&tokens);
        assert_eq!(words[1], ("zebras".to_string(), vec![1, 2]));
        assert_eq!(words[2], ("runs".to_string(), vec![3, 4]));
        assert_eq!(words.len(), 4);
    }

    #[test]
    fn npy_arrays_are_read_and_bad_ones_rejected() {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 2), }";
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
        bytes.extend_from_slice(header.as_bytes());
        for x in [1.0f32, -2.0, 0.5, 4.0] {
            bytes.extend_from_slice(&x.to_le_bytes());
        }
        assert_eq!(
            read_npy_f32(&bytes).unwrap(),
            (vec![2, 1, 2], vec![1.0, -2.0, 0.5, 4.0])
        );
        assert!(read_npy_f32(&bytes[..bytes.len() - 1]).is_err());
        assert!(read_npy_f32(b"PK\x03\x04 not npy").is_err());
    }
}

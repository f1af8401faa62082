//! Sparse text embeddings as fastembed makes them: SPLADE (learned weights over the vocabulary), BM25 (term
//! frequencies of stemmed words, no model file) and BM25's attention-weighted variant BM42.
//!
//! Documents and queries differ for BM25 and BM42 (fastembed's `embed` and `query_embed`): BM25 weighs
//! document words by term frequency and query words by 1.0; BM42 weighs document words by attention and query
//! words by 1.0. SPLADE embeds both alike. Vectors have ascending indices and positive values.

pub mod bm42;
pub mod if_splade;
pub mod minicoil;
pub mod splade;

use crate::error::EngineError;
use crate::options::ModelOptions;
use crate::session::open_session;
use crate::text::load_tokenizer;
use fastembed_bm25::{Bm25, Bm25Config};
use fastembed_ort::Session;

pub use bm42::Bm42Model;
pub use fastembed_bm25::SparseVector;
pub use if_splade::IfSpladeModel;
pub use minicoil::MiniCoilModel;
pub use splade::SpladeModel;

/// How a sparse model weighs terms. The numbers are the C ABI's `fe_sparse_algorithm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SparseAlgorithm {
    Splade = 0,
    Bm25 = 1,
    Bm42 = 2,
    IfSplade = 3,
    MiniCoil = 4,
}

impl SparseAlgorithm {
    pub fn parse(name: &str) -> Result<SparseAlgorithm, EngineError> {
        match name.to_ascii_lowercase().as_str() {
            "splade" => Ok(SparseAlgorithm::Splade),
            "bm25" => Ok(SparseAlgorithm::Bm25),
            "bm42" => Ok(SparseAlgorithm::Bm42),
            "if_splade" => Ok(SparseAlgorithm::IfSplade),
            "minicoil" => Ok(SparseAlgorithm::MiniCoil),
            other => Err(EngineError::invalid_argument(format!(
                "unknown sparse_model '{other}' (expected splade, bm25, bm42, if_splade or minicoil)"
            ))),
        }
    }
}

pub struct SparseEmbedder {
    model: Model,
}

enum Model {
    Splade(SpladeModel),
    Bm25(Bm25),
    Bm42(Bm42Model),
    // Boxed: it holds a tokenizer and the options besides the lazily opened model.
    IfSplade(Box<IfSpladeModel>),
    MiniCoil(Box<MiniCoilModel>),
}

impl SparseEmbedder {
    /// Loads the model the options describe. Without `sparse_model`, a missing `model_file` means BM25 and
    /// otherwise the model's output decides: logits `[batch, tokens, vocab]` are SPLADE, an attention output
    /// `[batch, heads, tokens, tokens]` is BM42.
    pub fn new(options: &ModelOptions) -> Result<SparseEmbedder, EngineError> {
        let declared = options
            .sparse_model
            .as_deref()
            .map(SparseAlgorithm::parse)
            .transpose()?;
        if declared == Some(SparseAlgorithm::Bm25) || (declared.is_none() && options.model_file.is_none()) {
            if options.model_file.is_some() {
                return Err(EngineError::invalid_argument(
                    "BM25 has no ONNX model: model_file must not be set",
                ));
            }
            check_applicable(options, SparseAlgorithm::Bm25)?;
            return Ok(SparseEmbedder {
                model: Model::Bm25(bm25(options)?),
            });
        }
        if declared == Some(SparseAlgorithm::IfSplade) {
            // Queries need no model: the session is opened by the first document call.
            check_applicable(options, SparseAlgorithm::IfSplade)?;
            return Ok(SparseEmbedder {
                model: Model::IfSplade(Box::new(IfSpladeModel::new(options)?)),
            });
        }
        let tokenizer = load_tokenizer(options)?;
        let session = open_session(options.require_model_file()?, options)?;
        if declared == Some(SparseAlgorithm::MiniCoil) {
            check_applicable(options, SparseAlgorithm::MiniCoil)?;
            // fastembed reads the model's first output: the token vectors.
            let output = match options.output_name.as_deref() {
                Some(name) => output_for(&session, SparseAlgorithm::Splade, Some(name))?,
                None => session
                    .outputs()
                    .first()
                    .map(|o| o.name.clone())
                    .ok_or_else(|| EngineError::invalid_model("the model declares no outputs"))?,
            };
            let model = MiniCoilModel::new(session, tokenizer, output, options)?;
            return Ok(SparseEmbedder {
                model: Model::MiniCoil(Box::new(model)),
            });
        }
        let (algorithm, output) = match declared {
            Some(algorithm) => (
                algorithm,
                output_for(&session, algorithm, options.output_name.as_deref())?,
            ),
            None => infer(&session, options.output_name.as_deref())?,
        };
        check_applicable(options, algorithm)?;
        let model = match algorithm {
            SparseAlgorithm::Splade => Model::Splade(SpladeModel::new(session, tokenizer, output, options)?),
            SparseAlgorithm::Bm42 => Model::Bm42(Bm42Model::new(session, tokenizer, output, bm25(options)?, options)?),
            SparseAlgorithm::Bm25 | SparseAlgorithm::IfSplade | SparseAlgorithm::MiniCoil => {
                unreachable!("returned above")
            }
        };
        Ok(SparseEmbedder { model })
    }

    pub fn algorithm(&self) -> SparseAlgorithm {
        match self.model {
            Model::Splade(_) => SparseAlgorithm::Splade,
            Model::Bm25(_) => SparseAlgorithm::Bm25,
            Model::Bm42(_) => SparseAlgorithm::Bm42,
            Model::IfSplade(_) => SparseAlgorithm::IfSplade,
            Model::MiniCoil(_) => SparseAlgorithm::MiniCoil,
        }
    }

    /// Stops the ONNX Runtime runs under way on this model (BM25 has none); their calls fail with `Cancelled`.
    pub fn cancel_runs(&self) {
        match &self.model {
            Model::Splade(model) => model.cancel_runs(),
            Model::Bm42(model) => model.cancel_runs(),
            Model::IfSplade(model) => model.cancel_runs(),
            Model::MiniCoil(model) => model.cancel_runs(),
            Model::Bm25(_) => {}
        }
    }

    /// How the model's ONNX Runtime session was set up (execution provider, optimized graph); None before a
    /// lazily loaded model is loaded, or without a model.
    pub fn session_info(&self) -> Option<crate::session::SessionInfo> {
        match &self.model {
            Model::Splade(model) => model.session_info(),
            Model::Bm42(model) => model.session_info(),
            Model::IfSplade(model) => model.session_info(),
            Model::MiniCoil(model) => model.session_info(),
            Model::Bm25(_) => None,
        }
    }

    /// Document vectors, one per text in input order (fastembed's `embed`).
    pub fn embed_documents(&self, texts: &[&str]) -> Result<Vec<SparseVector>, EngineError> {
        match &self.model {
            Model::Splade(m) => m.embed(texts),
            Model::Bm25(m) => Ok(texts.iter().map(|t| m.embed_document(t)).collect()),
            Model::Bm42(m) => m.embed_documents(texts),
            Model::IfSplade(m) => m.embed_documents(texts),
            Model::MiniCoil(m) => m.embed(texts, false),
        }
    }

    /// Query vectors, one per text in input order (fastembed's `query_embed`).
    pub fn embed_queries(&self, texts: &[&str]) -> Result<Vec<SparseVector>, EngineError> {
        match &self.model {
            Model::Splade(m) => m.embed(texts),
            Model::Bm25(m) => Ok(texts.iter().map(|t| m.embed_query(t)).collect()),
            Model::Bm42(m) => m.embed_queries(texts),
            Model::IfSplade(m) => m.embed_queries(texts),
            Model::MiniCoil(m) => m.embed(texts, true),
        }
    }
}

/// BM25's parameters from the options, fastembed's defaults for the rest.
fn bm25(options: &ModelOptions) -> Result<Bm25, EngineError> {
    let defaults = Bm25Config::default();
    let config = Bm25Config {
        k1: options.k1.unwrap_or(defaults.k1),
        b: options.b.unwrap_or(defaults.b),
        avg_len: options.avg_len.unwrap_or(defaults.avg_len),
        language: options.language.clone().unwrap_or(defaults.language),
        token_max_length: options.token_max_length.unwrap_or(defaults.token_max_length),
        disable_stemmer: options.disable_stemmer.unwrap_or(defaults.disable_stemmer),
        stopwords: options.stopwords.clone(),
    };
    Bm25::new(config).map_err(|e| EngineError::invalid_argument(e.to_string()))
}

/// Rejects options the chosen algorithm would silently ignore.
fn check_applicable(options: &ModelOptions, algorithm: SparseAlgorithm) -> Result<(), EngineError> {
    let given = |set: bool, name: &'static str| set.then_some(name);
    let bm25_only = [
        given(options.k1.is_some(), "k1"),
        given(options.b.is_some(), "b"),
        given(options.avg_len.is_some(), "avg_len"),
        given(options.token_max_length.is_some(), "token_max_length"),
    ];
    let text_processing = [
        given(options.language.is_some(), "language"),
        given(options.disable_stemmer.is_some(), "disable_stemmer"),
        given(options.stopwords.is_some(), "stopwords"),
    ];
    let bm42_only = [given(options.alpha.is_some(), "alpha")];
    let if_splade_only = [given(options.idf_file.is_some(), "idf_file")];
    let minicoil_only = [
        given(options.minicoil_vocab_file.is_some(), "minicoil_vocab_file"),
        given(options.minicoil_weights_file.is_some(), "minicoil_weights_file"),
        given(options.stopwords_file.is_some(), "stopwords_file"),
    ];
    let bm25_text = [
        given(options.token_max_length.is_some(), "token_max_length"),
        given(options.language.is_some(), "language"),
        given(options.disable_stemmer.is_some(), "disable_stemmer"),
        given(options.stopwords.is_some(), "stopwords"),
    ];
    let onnx = [
        given(options.tokenizer_file.is_some(), "tokenizer_file"),
        given(options.output_name.is_some(), "output_name"),
        given(options.max_length.is_some(), "max_length"),
    ];
    let not_applicable: Vec<&str> = match algorithm {
        SparseAlgorithm::Splade => [
            &bm25_only[..],
            &text_processing,
            &bm42_only,
            &if_splade_only,
            &minicoil_only,
        ]
        .concat(),
        SparseAlgorithm::Bm25 => [&bm42_only[..], &onnx, &if_splade_only, &minicoil_only].concat(),
        SparseAlgorithm::Bm42 => [&bm25_only[..], &if_splade_only, &minicoil_only].concat(),
        SparseAlgorithm::IfSplade => [&bm25_only[..], &text_processing, &bm42_only, &minicoil_only].concat(),
        SparseAlgorithm::MiniCoil => [&bm25_text[..], &bm42_only, &if_splade_only].concat(),
    }
    .into_iter()
    .flatten()
    .collect();
    match not_applicable.as_slice() {
        [] => Ok(()),
        names => Err(EngineError::invalid_argument(format!(
            "{} do(es) not apply to {} models",
            names.join(", "),
            match algorithm {
                SparseAlgorithm::Splade => "SPLADE",
                SparseAlgorithm::Bm25 => "BM25",
                SparseAlgorithm::Bm42 => "BM42",
                SparseAlgorithm::IfSplade => "inference-free SPLADE",
                SparseAlgorithm::MiniCoil => "miniCOIL",
            }
        ))),
    }
}

/// The output a declared algorithm reads: the configured one, else its usual name, else the model's only
/// output of the right rank.
fn output_for(session: &Session, algorithm: SparseAlgorithm, configured: Option<&str>) -> Result<String, EngineError> {
    let outputs = session.outputs();
    if let Some(name) = configured {
        return match outputs.iter().find(|o| o.name == name) {
            Some(o) => Ok(o.name.clone()),
            None => Err(EngineError::invalid_model(format!(
                "the model has no output '{name}' (it declares {:?})",
                outputs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>()
            ))),
        };
    }
    let (preferred, rank): (&[&str], usize) = match algorithm {
        SparseAlgorithm::Splade => (&splade::PREFERRED_OUTPUTS, 3),
        _ => (&[bm42::DEFAULT_OUTPUT], 4),
    };
    if let Some(name) = preferred.iter().find(|p| outputs.iter().any(|o| o.name == **p)) {
        return Ok(name.to_string());
    }
    let of_rank: Vec<&str> = outputs
        .iter()
        .filter(|o| o.shape.len() == rank)
        .map(|o| o.name.as_str())
        .collect();
    match of_rank.as_slice() {
        [only] => Ok(only.to_string()),
        _ => Err(EngineError::invalid_model(format!(
            "cannot tell which output to read (the model declares {:?}): set output_name",
            outputs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>()
        ))),
    }
}

/// The algorithm and output of a model given without `sparse_model`: the configured output's rank decides,
/// else a `logits` output means SPLADE and an `attention_*` output of rank 4 means BM42.
fn infer(session: &Session, configured: Option<&str>) -> Result<(SparseAlgorithm, String), EngineError> {
    let by_rank = |rank: usize| match rank {
        3 => Some(SparseAlgorithm::Splade),
        4 => Some(SparseAlgorithm::Bm42),
        _ => None,
    };
    let outputs = session.outputs();
    if let Some(name) = configured {
        let output = output_for(session, SparseAlgorithm::Splade, Some(name))?;
        let rank = session.output_shape(&output).map_or(0, <[i64]>::len);
        return by_rank(rank).map(|a| (a, output)).ok_or_else(|| {
            EngineError::invalid_model(format!(
                "output '{name}' has rank {rank}: neither SPLADE logits (rank 3) nor BM42 attention (rank 4)"
            ))
        });
    }
    if outputs.iter().any(|o| o.name == "logits" && o.shape.len() == 3) {
        return Ok((SparseAlgorithm::Splade, "logits".to_string()));
    }
    if let Ok(output) = output_for(session, SparseAlgorithm::Bm42, None) {
        if output.starts_with("attention") {
            return Ok((SparseAlgorithm::Bm42, output));
        }
    }
    match outputs {
        [only] if by_rank(only.shape.len()).is_some() => Ok((by_rank(only.shape.len()).unwrap(), only.name.clone())),
        _ => Err(EngineError::invalid_model(format!(
            "cannot tell whether this is a SPLADE or a BM42 model from its outputs {:?}: set sparse_model",
            outputs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(json: &str) -> ModelOptions {
        ModelOptions::from_json(json).unwrap()
    }

    #[test]
    fn algorithm_names_parse_ignoring_case_and_unknown_ones_list_the_choices() {
        assert_eq!(SparseAlgorithm::parse("SPLADE").unwrap(), SparseAlgorithm::Splade);
        assert_eq!(SparseAlgorithm::parse("bm42").unwrap(), SparseAlgorithm::Bm42);
        assert_eq!(SparseAlgorithm::parse("IF_SPLADE").unwrap(), SparseAlgorithm::IfSplade);
        assert_eq!(SparseAlgorithm::parse("MiniCOIL").unwrap(), SparseAlgorithm::MiniCoil);
        assert!(SparseAlgorithm::parse("tfidf")
            .unwrap_err()
            .message()
            .contains("splade, bm25, bm42, if_splade or minicoil"));
    }

    #[test]
    fn no_model_file_means_bm25_without_onnx_runtime() {
        let embedder = SparseEmbedder::new(&options("{}")).unwrap();
        assert_eq!(embedder.algorithm(), SparseAlgorithm::Bm25);
        let docs = embedder.embed_documents(&["cats chase cats", ""]).unwrap();
        let query = embedder.embed_queries(&["cat"]).unwrap();
        // "cats chase cats" stems to cat, chase, cat: two distinct terms.
        assert_eq!(docs[0].len(), 2);
        assert!(docs[1].is_empty());
        assert_eq!(query[0].values, [1.0]);
        assert!(
            docs[0].get(query[0].indices[0]).is_some(),
            "query and document share the stem 'cat'"
        );
    }

    #[test]
    fn bm25_parameters_reach_the_weights() {
        let weight = |json: &str| {
            SparseEmbedder::new(&options(json))
                .unwrap()
                .embed_documents(&["word"])
                .unwrap()[0]
                .values[0]
        };
        // tf 1, doc length 1: 1 * (k1 + 1) / (1 + k1 * (1 - b + b * 1 / avg_len))
        let expected = |k1: f64, b: f64, avg: f64| (k1 + 1.0) / (1.0 + k1 * (1.0 - b + b / avg));
        assert!((weight("{}") as f64 - expected(1.2, 0.75, 256.0)).abs() < 1e-6);
        assert!((weight(r#"{"k1": 2.0, "b": 0.5, "avg_len": 4.0}"#) as f64 - expected(2.0, 0.5, 4.0)).abs() < 1e-6);
    }

    #[test]
    fn bm25_rejects_options_it_would_ignore_and_bad_parameters() {
        for json in [
            r#"{"alpha": 0.5}"#,
            r#"{"sparse_model": "bm25", "max_length": 10}"#,
            r#"{"b": 2.0}"#,
            r#"{"language": "klingon"}"#,
        ] {
            let err = SparseEmbedder::new(&options(json))
                .err()
                .unwrap_or_else(|| panic!("{json} accepted"));
            assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument, "{json}");
        }
        let err = SparseEmbedder::new(&options(r#"{"sparse_model": "bm25", "model_file": "/x.onnx"}"#))
            .err()
            .unwrap();
        assert!(err.message().contains("no ONNX model"));
    }

    #[test]
    fn the_language_option_chooses_stemmer_and_stopwords() {
        let german = SparseEmbedder::new(&options(r#"{"language": "German"}"#)).unwrap();
        let english = SparseEmbedder::new(&options("{}")).unwrap();
        // "und" is a German stopword, not an English one.
        assert!(german.embed_queries(&["und"]).unwrap()[0].is_empty());
        assert_eq!(english.embed_queries(&["und"]).unwrap()[0].len(), 1);
    }

    #[test]
    fn the_stopwords_option_replaces_the_language_list() {
        let own = SparseEmbedder::new(&options(r#"{"language": "french", "stopwords": ["Chat"]}"#)).unwrap();
        let french = SparseEmbedder::new(&options(r#"{"language": "french"}"#)).unwrap();
        let count = |m: &SparseEmbedder, text: &str| m.embed_queries(&[text]).unwrap()[0].len();
        // French's list drops "le"; the user's list replaces it, dropping "chat" (case ignored) and keeping "le".
        assert_eq!(count(&french, "le chat noir"), 2);
        assert_eq!(count(&own, "le chat noir"), 2);
        assert_eq!(count(&french, "le"), 0);
        assert_eq!(count(&own, "le"), 1);
        assert_eq!(count(&french, "chat"), 1);
        assert_eq!(count(&own, "chat"), 0);
    }
}

//! Dense text embeddings: tokenize → length-sorted batches → ONNX Runtime → pool → L2-normalize.

use crate::batching;
use crate::error::EngineError;
use crate::options::ModelOptions;
use crate::pooling::{l2_normalize, pool_tokens, Pooling};
use crate::session::{open_session, PadSide, TextInputNames, TokenBatch};
use fastembed_ort::Session;
use fastembed_tokenizer::Tokenizer;

/// Output names tried in order when none is configured, as fastembed-rs picks them: a projection such as
/// CLIP's `text_embeds` (the space shared with its image tower) before the hidden states it is computed from.
const PREFERRED_OUTPUTS: [&str; 3] = ["text_embeds", "last_hidden_state", "sentence_embedding"];

pub struct TextEmbedder {
    session: Session,
    tokenizer: Tokenizer,
    inputs: TextInputNames,
    output: String,
    /// True when the output has a token axis and must be pooled.
    per_token_output: bool,
    /// The model's vector length ...
    hidden: usize,
    /// ... and the length returned: `hidden`, or fewer with the `dimensions` option (Matryoshka truncation).
    dimension: usize,
    pad_side: PadSide,
    pooling: Pooling,
    normalize: bool,
    batch_size: usize,
    token_budget: usize,
    pad_id: u32,
}

impl TextEmbedder {
    pub fn new(options: &ModelOptions) -> Result<TextEmbedder, EngineError> {
        let tokenizer = load_tokenizer(options)?;
        let session = open_session(options.require_model_file()?, options)?;
        let inputs = TextInputNames::of(&session)?;
        let output = select_output(&session, options.output_name.as_deref())?;
        let shape = session
            .outputs()
            .iter()
            .find(|o| o.name == output)
            .expect("selected output exists")
            .shape
            .clone();
        let per_token_output = match shape.len() {
            3 => true,
            2 => false,
            n => {
                return Err(EngineError::invalid_model(format!(
                    "output '{output}' has rank {n}; a text embedding output is [batch, tokens, dim] or [batch, dim]"
                )))
            }
        };
        let pooling = match &options.pooling {
            Some(name) => Pooling::parse(name)?,
            // The Java builder recognises "no pooling was given" and names the setting to set.
            None if per_token_output && options.pooling_required == Some(true) => {
                return Err(EngineError::invalid_argument(format!(
                    "output '{output}' holds one vector per token and no pooling was given: \
                     set \"pooling\" (\"cls\", \"mean\", \"last_token\" or \"none\")"
                )))
            }
            None => Pooling::Cls,
        };
        let pad_id = tokenizer.padding().map(|p| p.pad_id).unwrap_or(0);
        let pooling = if per_token_output { pooling } else { Pooling::None };
        let mut embedder = TextEmbedder {
            session,
            tokenizer,
            inputs,
            output,
            per_token_output,
            hidden: shape.last().copied().filter(|&d| d > 0).unwrap_or(0) as usize,
            dimension: 0,
            // A decoder's last token must sit in the same column whatever the batch's other texts.
            pad_side: if pooling == Pooling::LastToken {
                PadSide::Left
            } else {
                PadSide::Right
            },
            pooling,
            normalize: options.normalize.unwrap_or(true),
            batch_size: options.batch_size(),
            token_budget: options.token_budget(),
            pad_id,
        };
        if embedder.hidden == 0 {
            // Symbolic hidden size: learn it from one tiny run.
            embedder.hidden = embedder.probe_dimension()?;
        }
        embedder.dimension = match options.dimensions {
            None => embedder.hidden,
            Some(d) if d <= embedder.hidden => d,
            Some(d) => {
                return Err(EngineError::invalid_argument(format!(
                    "dimensions = {d} is more than the model's {} (vectors can only be cut shorter)",
                    embedder.hidden
                )))
            }
        };
        Ok(embedder)
    }

    pub fn dimension(&self) -> usize {
        self.dimension
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Embeds `texts` into `out` (`texts.len() * dimension` floats, row per text in input order).
    /// Returns the number of tokens processed (after truncation, excluding padding).
    pub fn embed_into(&self, texts: &[&str], out: &mut [f32]) -> Result<usize, EngineError> {
        let expected = texts.len() * self.dimension;
        if out.len() != expected {
            return Err(EngineError::invalid_argument(format!(
                "output buffer holds {} floats, {} texts of dimension {} need {expected}",
                out.len(),
                texts.len(),
                self.dimension
            )));
        }
        let encode = |i: usize| self.tokenizer.encode(texts[i], true).map_err(EngineError::from);
        batching::for_each_batch(
            texts.len(),
            self.batch_size,
            self.token_budget,
            encode,
            |batch, rows| {
                let tokens = TokenBatch::padded(rows, batch.padded_length, self.pad_id, self.pad_side);
                let outputs = tokens.run(&self.session, &self.inputs, &[self.output.as_str()])?;
                let states = outputs[0].as_f32()?;
                let (seq, hidden) = self.check_output_shape(outputs[0].shape(), &tokens)?;
                let mut pooled = vec![0.0; hidden];
                let dimension = self.dimension;
                for (row, &index) in batch.indices.iter().enumerate() {
                    pool_tokens(
                        self.pooling,
                        states,
                        seq,
                        hidden,
                        row,
                        &tokens.attention_mask,
                        &mut pooled,
                    );
                    // Matryoshka: the leading values are a vector of their own, normalized after the cut.
                    let target = &mut out[index * dimension..(index + 1) * dimension];
                    target.copy_from_slice(&pooled[..dimension]);
                    if self.normalize {
                        l2_normalize(target);
                    }
                    // A broken or numerically unstable model must fail loudly, not poison a vector index.
                    if target.iter().any(|v| !v.is_finite()) {
                        return Err(EngineError::invalid_model(format!(
                            "the model produced non-finite values (NaN or infinity) for text {index}"
                        )));
                    }
                }
                Ok(())
            },
        )
    }

    /// Convenience for Rust callers and tests.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EngineError> {
        let mut flat = vec![0.0; texts.len() * self.dimension];
        self.embed_into(texts, &mut flat)?;
        Ok(flat.chunks(self.dimension.max(1)).map(|c| c.to_vec()).collect())
    }

    /// Validates the output against the batch; returns (tokens per row, hidden size).
    fn check_output_shape(&self, shape: &[i64], batch: &TokenBatch) -> Result<(usize, usize), EngineError> {
        let dims: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
        let ok = match (self.per_token_output, dims.as_slice()) {
            (true, [b, s, h]) => *b == batch.rows && *s == batch.seq && *h == self.hidden,
            (false, [b, h]) => *b == batch.rows && *h == self.hidden,
            _ => false,
        };
        if !ok {
            return Err(EngineError::invalid_model(format!(
                "output '{}' has shape {shape:?}, expected [{}, {}{}]",
                self.output,
                batch.rows,
                if self.per_token_output {
                    format!("{}, ", batch.seq)
                } else {
                    String::new()
                },
                self.hidden
            )));
        }
        Ok(if self.per_token_output {
            (dims[1], dims[2])
        } else {
            (1, dims[1])
        })
    }

    fn probe_dimension(&self) -> Result<usize, EngineError> {
        let encoding = self.tokenizer.encode("a", true)?;
        let tokens = TokenBatch::new(&[&encoding], encoding.ids.len().max(1), self.pad_id);
        let outputs = tokens.run(&self.session, &self.inputs, &[self.output.as_str()])?;
        match outputs[0].shape().last() {
            Some(&d) if d > 0 => Ok(d as usize),
            _ => Err(EngineError::invalid_model(format!(
                "output '{}' has no hidden size",
                self.output
            ))),
        }
    }
}

/// Loads tokenizer.json with fastembed's rules (truncation at the model's max length, pad token).
pub fn load_tokenizer(options: &ModelOptions) -> Result<Tokenizer, EngineError> {
    let config = options.optional_file(&options.config_file, "config_file")?;
    let special = options.optional_file(&options.special_tokens_map_file, "special_tokens_map_file")?;
    let tokenizer_config = options.optional_file(&options.tokenizer_config_file, "tokenizer_config_file")?;
    let tokenizer_json = options.require_tokenizer_file()?;
    let files = fastembed_tokenizer::TokenizerFiles {
        tokenizer_json,
        config_json: config.as_deref(),
        special_tokens_map_json: special.as_deref(),
        tokenizer_config_json: tokenizer_config.as_deref(),
    };
    fastembed_tokenizer::load_for_model(&files, options.max_length())
        .map_err(|e| EngineError::from(e).in_file(tokenizer_json))
}

/// The configured output, else the first of the preferred names, else the model's only/first output.
pub fn select_output(session: &Session, configured: Option<&str>) -> Result<String, EngineError> {
    let names: Vec<&str> = session.outputs().iter().map(|o| o.name.as_str()).collect();
    if let Some(name) = configured {
        return if names.contains(&name) {
            Ok(name.to_string())
        } else {
            Err(EngineError::invalid_model(format!(
                "the model has no output '{name}' (it declares {names:?})"
            )))
        };
    }
    PREFERRED_OUTPUTS
        .iter()
        .find(|p| names.contains(p))
        .map(|p| p.to_string())
        .or_else(|| names.first().map(|n| n.to_string()))
        .ok_or_else(|| EngineError::invalid_model("the model declares no outputs"))
}

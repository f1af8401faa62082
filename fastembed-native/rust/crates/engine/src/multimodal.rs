//! Late interaction over images (ColPali): one vector per token of a query, one per token of an image's prompt,
//! as fastembed runs `vidore/colpali-v1.3` (its ONNX export `Qdrant/colpali-v1.3-fp16`).
//!
//! Both sides run the same graph with `input_ids`, `attention_mask` and `pixel_values`:
//! - a query is tokenized as `<s>Query: {query}<pad>×10\n` (the prefix and the `<pad>` query augmentation of
//!   fastembed's `ColPali.tokenize`), its first two ids replaced by `[2, 5098]` as fastembed does, beside a blank
//!   (all-zero) image;
//! - an image is decoded and preprocessed as its `preprocessor_config.json` says (SigLIP: resize to 448×448,
//!   rescale, normalize) and fed with PaliGemma's prompt, 1024 `<image>` tokens and `<bos>Describe the image.\n`,
//!   as the ids fastembed hard-codes.
//!
//! Vectors are returned as the model computes them (ColPali's projection is L2-normalized inside the graph), all
//! of an image's 1030, a query's own tokens; columns that only pad a query to the longest of its batch are
//! dropped (fastembed returns them as the zero vectors the model makes of them, so its query shapes depend on the
//! batch).

use crate::batching;
use crate::error::EngineError;
use crate::image::{ImagePixels, ImageSource};
use crate::late_interaction::{select_output, TokenEmbeddings};
use crate::options::ModelOptions;
use crate::pooling::l2_normalize;
use crate::session::{open_session, TextSession};
use crate::tensors::{declared_size, embedding_dimension, float_data};
use crate::text::load_tokenizer;
use fastembed_ort::{ElementType, InputTensor, OutputTensor, Session};
use fastembed_tokenizer::{Encoding, Tokenizer};

/// fastembed's `ColPali.QUERY_PREFIX`, after its `BOS_TOKEN` (`<s>`).
pub const QUERY_PREFIX: &str = "<s>Query: ";
/// fastembed appends `PAD_TOKEN * 10` and a newline to every query (ColPali's query augmentation).
pub const QUERY_SUFFIX: &str = "<pad><pad><pad><pad><pad><pad><pad><pad><pad><pad>\n";
/// fastembed's `QUERY_MARKER_TOKEN_ID`: they replace the first two ids of a query.
pub const QUERY_START_IDS: [u32; 2] = [2, 5098];
/// PaliGemma's `<image>` token and the number of them an image takes (448×448 in patches of 14: 32×32).
pub const IMAGE_TOKEN_ID: u32 = 257_152;
pub const IMAGE_TOKENS: usize = 1024;
/// `<bos>Describe the image.\n` after the image tokens (fastembed's `EMPTY_TEXT_PLACEHOLDER`).
pub const IMAGE_PROMPT_IDS: [u32; 6] = [2, 50_721, 573, 2_416, 235_265, 108];
/// Inputs per run unless configured: a run feeds a 3×448×448 image per row, blank for queries (2.4 MB each).
pub const DEFAULT_MULTIMODAL_BATCH_SIZE: usize = 16;
const PIXEL_INPUT: &str = "pixel_values";

pub struct LateInteractionMultimodalEmbedder {
    text: TextSession,
    tokenizer: Tokenizer,
    pixels: ImagePixels,
    batch_size: usize,
    /// Padded query tokens per run (queries only: an image's 1030 tokens always run in batches of `batch_size`).
    token_budget: usize,
    dimension: usize,
    normalize: bool,
}

impl LateInteractionMultimodalEmbedder {
    pub fn new(options: &ModelOptions) -> Result<LateInteractionMultimodalEmbedder, EngineError> {
        let tokenizer = load_tokenizer(options)?;
        let pixels = ImagePixels::new(options)?;
        let session = open_session(options.require_model_file()?, options)?;
        check_pixel_input(&session, &pixels)?;
        let output = select_output(&session, options.output_name.as_deref())?;
        let shape = session.output_shape(&output).expect("selected output exists").to_vec();
        let batch_size = options.batch_size.unwrap_or(DEFAULT_MULTIMODAL_BATCH_SIZE);
        let batched = ModelOptions {
            batch_size: Some(batch_size),
            ..options.clone()
        };
        let mut embedder = LateInteractionMultimodalEmbedder {
            text: TextSession::new(session, output, &tokenizer, &batched)?,
            tokenizer,
            pixels,
            batch_size,
            token_budget: options.token_budget(),
            dimension: 0,
            // The model normalizes its own vectors; fastembed adds nothing.
            normalize: options.normalize.unwrap_or(false),
        };
        let declared = declared_size(&shape[2..]);
        embedder.dimension = embedding_dimension(embedder.text.output(), declared, || embedder.probe_dimension())?;
        Ok(embedder)
    }

    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Stops the ONNX Runtime runs under way on this model; their calls fail with `Cancelled`.
    pub fn cancel_runs(&self) {
        self.text.cancel_runs();
    }

    /// How the model's ONNX Runtime session was set up (execution provider, optimized graph).
    pub fn session_info(&self) -> Option<crate::session::SessionInfo> {
        Some(self.text.info().clone())
    }

    /// The model input for one query: fastembed's prompt around it, the first two ids replaced.
    pub fn encode_query(&self, query: &str) -> Result<Encoding, EngineError> {
        let mut encoding = self
            .tokenizer
            .encode(&format!("{QUERY_PREFIX}{query}{QUERY_SUFFIX}"), true)?;
        if encoding.ids.len() < QUERY_START_IDS.len() {
            return Err(EngineError::invalid_model(format!(
                "the query prompt encodes to {} tokens, fewer than the {} fastembed replaces",
                encoding.ids.len(),
                QUERY_START_IDS.len()
            )));
        }
        encoding.ids[..QUERY_START_IDS.len()].copy_from_slice(&QUERY_START_IDS);
        Ok(encoding)
    }

    /// The prompt every image is fed with: the image tokens, then `<bos>Describe the image.\n`, all attended.
    pub fn image_prompt() -> Encoding {
        let ids: Vec<u32> = std::iter::repeat_n(IMAGE_TOKEN_ID, IMAGE_TOKENS)
            .chain(IMAGE_PROMPT_IDS)
            .collect();
        let n = ids.len();
        Encoding {
            ids,
            type_ids: vec![0; n],
            attention_mask: vec![1; n],
            special_tokens_mask: vec![0; n],
            offsets: vec![(0, 0); n],
            tokens: vec![String::new(); n],
        }
    }

    /// Embeds queries: per query, one vector per token of its prompt.
    pub fn embed_queries(&self, queries: &[&str]) -> Result<TokenEmbeddings, EngineError> {
        let per_image = self.pixels_per_image();
        // One blank image per row of the largest run, shared by every run of the call.
        let blank = crate::alloc::zeroed::<f32>(
            self.batch_size.min(queries.len()).saturating_mul(per_image),
            "blank images",
        )?;
        let mut per_text: Vec<Vec<f32>> = vec![Vec::new(); queries.len()];
        let encode = |i: usize| self.encode_query(queries[i]);
        batching::for_each_batch(
            queries.len(),
            self.batch_size,
            self.token_budget,
            encode,
            |batch, rows| {
                let shape = self.pixel_shape(rows.len());
                let pixels = InputTensor::F32 {
                    data: &blank[..rows.len() * per_image],
                    shape: &shape,
                };
                let (tokens, output) = self.text.run(rows, batch.padded_length, Some((PIXEL_INPUT, pixels)))?;
                let states = self.states(&output, tokens.rows, tokens.seq)?;
                for (row, (&index, encoding)) in batch.indices.iter().zip(rows).enumerate() {
                    let start = row * tokens.seq * self.dimension;
                    per_text[index] = self.vectors(&states[start..start + encoding.ids.len() * self.dimension]);
                }
                Ok(())
            },
        )?;
        Ok(self.collect(per_text))
    }

    /// Embeds images: per image, one vector per token of its prompt (image tokens first).
    ///
    /// A failing image fails the call with a message naming its index (and path); the model stays usable.
    pub fn embed_images(&self, images: &[ImageSource<'_>]) -> Result<TokenEmbeddings, EngineError> {
        self.pixels.check_files(images)?;
        let prompt = Self::image_prompt();
        let seq = prompt.ids.len();
        let mut per_image = Vec::with_capacity(images.len());
        for (batch_number, batch) in images.chunks(self.batch_size.max(1)).enumerate() {
            let pixels = self.pixels.batch(batch, batch_number * self.batch_size.max(1))?;
            let shape = self.pixel_shape(batch.len());
            let rows = vec![&prompt; batch.len()];
            let input = InputTensor::F32 {
                data: &pixels,
                shape: &shape,
            };
            let (_, output) = self.text.run(&rows, seq, Some((PIXEL_INPUT, input)))?;
            let states = self.states(&output, batch.len(), seq)?;
            let per_row = seq * self.dimension;
            per_image.extend(states.chunks(per_row).map(|row| self.vectors(row)));
        }
        Ok(self.collect(per_image))
    }

    /// The output of a run, checked to be `[rows, seq, dimension]`, as float32.
    fn states<'a>(
        &self,
        output: &'a OutputTensor,
        rows: usize,
        seq: usize,
    ) -> Result<std::borrow::Cow<'a, [f32]>, EngineError> {
        let expected = [rows as i64, seq as i64, self.dimension as i64];
        if output.shape() != expected {
            return Err(EngineError::invalid_model(format!(
                "output '{}' has shape {:?}, expected {expected:?}",
                self.text.output(),
                output.shape()
            )));
        }
        float_data(output)
    }

    /// A text's or image's vectors, normalized if configured.
    fn vectors(&self, states: &[f32]) -> Vec<f32> {
        let mut vectors = states.to_vec();
        if self.normalize {
            vectors.chunks_mut(self.dimension).for_each(l2_normalize);
        }
        vectors
    }

    fn collect(&self, per_input: Vec<Vec<f32>>) -> TokenEmbeddings {
        let mut offsets = Vec::with_capacity(per_input.len() + 1);
        offsets.push(0);
        for vectors in &per_input {
            offsets.push(offsets.last().unwrap() + vectors.len() / self.dimension.max(1));
        }
        TokenEmbeddings {
            dimension: self.dimension,
            offsets,
            data: per_input.concat(),
        }
    }

    fn pixels_per_image(&self) -> usize {
        let (channels, height, width) = self.pixels.preprocessor.output_shape();
        channels * height * width
    }

    fn pixel_shape(&self, rows: usize) -> [i64; 4] {
        let (channels, height, width) = self.pixels.preprocessor.output_shape();
        [rows as i64, channels as i64, height as i64, width as i64]
    }

    fn probe_dimension(&self) -> Result<usize, EngineError> {
        let encoding = self.encode_query("a")?;
        let blank = vec![0.0f32; self.pixels_per_image()];
        let shape = self.pixel_shape(1);
        let pixels = InputTensor::F32 {
            data: &blank,
            shape: &shape,
        };
        let (_, output) = self
            .text
            .run(&[&encoding], encoding.ids.len(), Some((PIXEL_INPUT, pixels)))?;
        match output.shape() {
            [_, _, d] => Ok((*d).max(0) as usize),
            shape => Err(EngineError::invalid_model(format!(
                "output '{}' has no token dimension ({shape:?})",
                self.text.output()
            ))),
        }
    }
}

/// The model must take float images of the size the preprocessor makes as `pixel_values`, besides the tokens.
fn check_pixel_input(session: &Session, pixels: &ImagePixels) -> Result<(), EngineError> {
    let inputs = session.inputs();
    let Some(input) = inputs.iter().find(|i| i.name == PIXEL_INPUT) else {
        let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
        return Err(EngineError::invalid_model(format!(
            "the model has no '{PIXEL_INPUT}' input (it declares {names:?}); late interaction over images feeds \
             input_ids, attention_mask and {PIXEL_INPUT}"
        )));
    };
    let (channels, height, width) = pixels.preprocessor.output_shape();
    let wanted = [channels as i64, height as i64, width as i64];
    let fits = input.element_type == ElementType::Float32
        && input.shape.len() == 4
        && input.shape[1..]
            .iter()
            .zip(wanted)
            .all(|(&declared, produced)| declared <= 0 || declared == produced);
    if !fits {
        return Err(EngineError::invalid_model(format!(
            "input '{PIXEL_INPUT}' is {:?} of shape {:?}, but preprocessor_config.json produces float32 [batch, \
             {channels}, {height}, {width}]",
            input.element_type, input.shape
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_prompt_is_fastembeds_placeholder() {
        let prompt = LateInteractionMultimodalEmbedder::image_prompt();
        assert_eq!(prompt.ids.len(), 1030);
        assert!(prompt.ids[..1024].iter().all(|&id| id == 257_152));
        assert_eq!(prompt.ids[1024..], [2, 50_721, 573, 2_416, 235_265, 108]);
        assert!(prompt.attention_mask.iter().all(|&m| m == 1));
    }

    #[test]
    fn query_suffix_is_ten_pad_tokens_and_a_newline() {
        assert_eq!(QUERY_SUFFIX, format!("{}\n", "<pad>".repeat(10)));
    }
}

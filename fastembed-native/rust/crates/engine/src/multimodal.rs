//! Late interaction over images: one vector per token of a query, one per token of an image's prompt, as fastembed
//! runs ColPali (`vidore/colpali-v1.3`, its ONNX export `Qdrant/colpali-v1.3-fp16`) and ColModernVBERT
//! (`Qdrant/colmodernvbert`). Which of the two a model is follows from its `preprocessor_config.json`: an
//! `Idefics3ImageProcessor` means ColModernVBERT (see [`Idefics3`]), anything else ColPali's fixed-size images.
//!
//! Both sides run the same graph with `input_ids`, `attention_mask` and `pixel_values`. ColPali:
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
use crate::image::{check_image_files, limits, with_image_bytes, ImagePixels, ImageSource};
use crate::late_interaction::{select_output, TokenEmbeddings};
use crate::options::ModelOptions;
use crate::pooling::l2_normalize;
use crate::session::{open_session, PadSide, TextSession};
use crate::tensors::{declared_size, embedding_dimension, float_data};
use crate::text::load_tokenizer;
use fastembed_image::{FrameGrid, Frames, Idefics3Preprocessor, ImageLimits};
use fastembed_ort::{ElementType, InputTensor, OutputTensor, Session};
use fastembed_tokenizer::{Encoding, PaddingDirection, Tokenizer};
use std::path::Path;

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

/// ColModernVBERT's query augmentation (fastembed's `QUERY_AUGMENTATION_TOKEN` × 10, after the query).
pub const IDEFICS3_QUERY_SUFFIX: &str = "<end_of_utterance><end_of_utterance><end_of_utterance><end_of_utterance>\
<end_of_utterance><end_of_utterance><end_of_utterance><end_of_utterance><end_of_utterance><end_of_utterance>";
/// Idefics3's image token, repeated `image_seq_len` times per frame.
pub const IDEFICS3_IMAGE_TOKEN: &str = "<image>";
/// Frames a ColModernVBERT run holds at most (two images of the full 4 × 4 grid and global view: 107 MB of pixels),
/// unless a single image has more.
const IDEFICS3_FRAME_BUDGET: usize = 34;

pub struct LateInteractionMultimodalEmbedder {
    text: TextSession,
    tokenizer: Tokenizer,
    images: Images,
    pad_side: PadSide,
    batch_size: usize,
    /// Padded query tokens per run (queries only: images run in batches of `batch_size`, ColModernVBERT's also within
    /// [`IDEFICS3_FRAME_BUDGET`]).
    token_budget: usize,
    dimension: usize,
    normalize: bool,
}

/// How a model takes images, from its `preprocessor_config.json`.
enum Images {
    /// ColPali: one fixed-size image per row, fixed prompts.
    ColPali(ImagePixels),
    /// ColModernVBERT: frames per image, prompts built from each image's grid.
    Idefics3(Box<Idefics3>),
}

/// ColModernVBERT as fastembed's `colmodernvbert.py` runs it:
/// - a query is `{query}<end_of_utterance>×10`, tokenized as configured (special tokens added), beside one blank
///   (all-zero) frame per row;
/// - an image is cut into frames by [`Idefics3Preprocessor`] and fed as `pixel_values`
///   `[batch, max_frames, 3, frame, frame]`, zero frames padding the images with fewer, with the prompt
///   `<|begin_of_text|>User:` + per tile `<fake_token_around_image><row_r_col_c>` + `<image>`×`image_seq_len`
///   (a newline after each row of tiles), then `\n<fake_token_around_image><global-img>` + the image tokens +
///   `<fake_token_around_image>` (an unsplit image has only that global part, without the leading newline), then
///   `Describe the image.<end_of_utterance>\nAssistant:`, padded on the tokenizer's side with its pad id.
///
/// Blank and padding frames: the model drops every all-zero frame before its vision encoder (keeping one if all are
/// zero) and only writes image features at `<image>` tokens, so a query, which has none, gets the same vectors
/// beside one blank frame as beside fastembed's one blank frame per query token (3 MB each at 512 × 512).
struct Idefics3 {
    preprocessor: Idefics3Preprocessor,
    limits: ImageLimits,
    /// `<image>` tokens per frame (`processor_config.json`'s `image_seq_len`, fastembed's default 64).
    image_seq_len: usize,
    /// The side of the blank frame beside a query (`config.json`'s `vision_config.image_size`, else the frame).
    blank_side: usize,
    /// The model's tokenizer without truncation: an image's prompt (up to ~1,150 tokens) is fed whole.
    prompt_tokenizer: Tokenizer,
    image_token_id: u32,
}

impl LateInteractionMultimodalEmbedder {
    pub fn new(options: &ModelOptions) -> Result<LateInteractionMultimodalEmbedder, EngineError> {
        let tokenizer = load_tokenizer(options)?;
        let images = Images::new(options, &tokenizer)?;
        let session = open_session(options.require_model_file()?, options)?;
        images.check_pixel_input(&session)?;
        let output = select_output(&session, options.output_name.as_deref())?;
        let shape = session.output_shape(&output).expect("selected output exists").to_vec();
        let batch_size = options.batch_size.unwrap_or(DEFAULT_MULTIMODAL_BATCH_SIZE);
        let batched = ModelOptions {
            batch_size: Some(batch_size),
            ..options.clone()
        };
        // fastembed pads both sides as the tokenizer says; ColPali's pads on the right.
        let pad_side = match tokenizer.padding().map(|p| p.direction) {
            Some(PaddingDirection::Left) => PadSide::Left,
            _ => PadSide::Right,
        };
        let mut embedder = LateInteractionMultimodalEmbedder {
            text: TextSession::new(session, output, &tokenizer, &batched)?.padded_on(pad_side),
            tokenizer,
            images,
            pad_side,
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

    /// The model input for one query: fastembed's prompt around it (ColPali: its first two ids replaced).
    pub fn encode_query(&self, query: &str) -> Result<Encoding, EngineError> {
        if let Images::Idefics3(_) = self.images {
            return Ok(self
                .tokenizer
                .encode(&format!("{query}{IDEFICS3_QUERY_SUFFIX}"), true)?);
        }
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

    /// The prompt every ColPali image is fed with: the image tokens, then `<bos>Describe the image.\n`, all attended.
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
        let per_image = self.images.blank_len();
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
                let shape = self.images.blank_shape(rows.len());
                let pixels = InputTensor::F32 {
                    data: &blank[..rows.len() * per_image],
                    shape: &shape,
                };
                let (tokens, output) = self.text.run(rows, batch.padded_length, Some((PIXEL_INPUT, pixels)))?;
                let states = self.states(&output, tokens.rows, tokens.seq)?;
                for (row, (&index, encoding)) in batch.indices.iter().zip(rows).enumerate() {
                    per_text[index] = self.own_vectors(&states, row, tokens.seq, encoding.ids.len());
                }
                Ok(())
            },
        )?;
        Ok(self.collect(per_text))
    }

    /// Embeds images: per image, one vector per token of its prompt.
    ///
    /// A failing image fails the call with a message naming its index (and path); the model stays usable.
    pub fn embed_images(&self, images: &[ImageSource<'_>]) -> Result<TokenEmbeddings, EngineError> {
        match &self.images {
            Images::ColPali(pixels) => self.embed_colpali_images(pixels, images),
            Images::Idefics3(idefics3) => self.embed_idefics3_images(idefics3, images),
        }
    }

    fn embed_colpali_images(
        &self,
        pixels: &ImagePixels,
        images: &[ImageSource<'_>],
    ) -> Result<TokenEmbeddings, EngineError> {
        pixels.check_files(images)?;
        let prompt = Self::image_prompt();
        let seq = prompt.ids.len();
        let mut per_image = Vec::with_capacity(images.len());
        for (batch_number, batch) in images.chunks(self.batch_size.max(1)).enumerate() {
            let data = pixels.batch(batch, batch_number * self.batch_size.max(1))?;
            let shape = self.images.blank_shape(batch.len());
            let rows = vec![&prompt; batch.len()];
            let input = InputTensor::F32 {
                data: &data,
                shape: &shape,
            };
            let (_, output) = self.text.run(&rows, seq, Some((PIXEL_INPUT, input)))?;
            let states = self.states(&output, batch.len(), seq)?;
            let per_row = seq * self.dimension;
            per_image.extend(states.chunks(per_row).map(|row| self.vectors(row)));
        }
        Ok(self.collect(per_image))
    }

    /// Images are decoded one at a time and gathered into runs of at most `batch_size` images and
    /// [`IDEFICS3_FRAME_BUDGET`] padded frames, so a call never holds more than one run's pixels.
    fn embed_idefics3_images(
        &self,
        idefics3: &Idefics3,
        images: &[ImageSource<'_>],
    ) -> Result<TokenEmbeddings, EngineError> {
        check_image_files(images, &idefics3.limits)?;
        let mut per_image = Vec::with_capacity(images.len());
        let mut run: Vec<(Frames, Encoding)> = Vec::new();
        for (index, image) in images.iter().enumerate() {
            let frames = with_image_bytes(index, image, &idefics3.limits, |bytes| {
                idefics3.preprocessor.process_bytes(bytes, &idefics3.limits)
            })?;
            let prompt = idefics3.prompt(frames.grid)?;
            let widest = run
                .iter()
                .map(|(f, _)| f.grid.frames())
                .max()
                .unwrap_or(0)
                .max(frames.grid.frames());
            if !run.is_empty()
                && (run.len() == self.batch_size.max(1) || (run.len() + 1) * widest > IDEFICS3_FRAME_BUDGET)
            {
                self.run_idefics3_images(idefics3, &run, &mut per_image)?;
                run.clear();
            }
            run.push((frames, prompt));
        }
        if !run.is_empty() {
            self.run_idefics3_images(idefics3, &run, &mut per_image)?;
        }
        Ok(self.collect(per_image))
    }

    fn run_idefics3_images(
        &self,
        idefics3: &Idefics3,
        run: &[(Frames, Encoding)],
        per_image: &mut Vec<Vec<f32>>,
    ) -> Result<(), EngineError> {
        let frame_len = idefics3.preprocessor.frame_len();
        let max_frames = run.iter().map(|(f, _)| f.grid.frames()).max().unwrap_or(1);
        let mut pixels = crate::alloc::zeroed::<f32>(run.len() * max_frames * frame_len, "frames of a run")?;
        for (row, (frames, _)) in run.iter().enumerate() {
            let start = row * max_frames * frame_len;
            pixels[start..start + frames.data.len()].copy_from_slice(&frames.data);
        }
        let side = idefics3.preprocessor.frame_size() as i64;
        let shape = [run.len() as i64, max_frames as i64, 3, side, side];
        let input = InputTensor::F32 {
            data: &pixels,
            shape: &shape,
        };
        let rows: Vec<&Encoding> = run.iter().map(|(_, prompt)| prompt).collect();
        let seq = rows.iter().map(|r| r.ids.len()).max().unwrap_or(0);
        let (_, output) = self.text.run(&rows, seq, Some((PIXEL_INPUT, input)))?;
        let states = self.states(&output, rows.len(), seq)?;
        for (row, prompt) in rows.iter().enumerate() {
            per_image.push(self.own_vectors(&states, row, seq, prompt.ids.len()));
        }
        Ok(())
    }

    /// The vectors of a row's own `len` tokens, wherever padding put them.
    fn own_vectors(&self, states: &[f32], row: usize, seq: usize, len: usize) -> Vec<f32> {
        let first = row * seq + if self.pad_side == PadSide::Left { seq - len } else { 0 };
        self.vectors(&states[first * self.dimension..(first + len) * self.dimension])
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

    fn probe_dimension(&self) -> Result<usize, EngineError> {
        let encoding = self.encode_query("a")?;
        let blank = vec![0.0f32; self.images.blank_len()];
        let shape = self.images.blank_shape(1);
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

impl Images {
    fn new(options: &ModelOptions, tokenizer: &Tokenizer) -> Result<Images, EngineError> {
        let config = options
            .optional_file(&options.preprocessor_config_file, "preprocessor_config_file")?
            .ok_or_else(|| EngineError::invalid_argument("preprocessor_config_file is required for an image model"))?;
        let json = std::fs::read_to_string(&config)
            .map_err(|e| EngineError::invalid_model(format!("{}: {e}", config.display())))?;
        if !Idefics3Preprocessor::is_idefics3_config(&json) {
            return Ok(Images::ColPali(ImagePixels::new(options)?));
        }
        let preprocessor = Idefics3Preprocessor::from_config_str(&json)
            .map_err(|e| EngineError::invalid_model(format!("{}: {e}", config.display())))?;
        let image_seq_len = image_seq_len(&config.with_file_name("processor_config.json"))?;
        let blank_side = match options.optional_file(&options.config_file, "config_file")? {
            Some(path) => vision_image_size(&path)?,
            None => None,
        }
        .unwrap_or(preprocessor.frame_size() as usize);
        let image_token_id = tokenizer.token_to_id(IDEFICS3_IMAGE_TOKEN).ok_or_else(|| {
            EngineError::invalid_model(format!(
                "the tokenizer has no {IDEFICS3_IMAGE_TOKEN} token, which an Idefics3 model's image prompts need"
            ))
        })?;
        Ok(Images::Idefics3(Box::new(Idefics3 {
            preprocessor,
            limits: limits(options)?,
            image_seq_len,
            blank_side,
            // A second copy of the tokenizer: the queries' one keeps the configured truncation.
            prompt_tokenizer: load_tokenizer(options)?.with_truncation(None),
            image_token_id,
        })))
    }

    /// Floats of the blank image beside one query (ColPali: one image; ColModernVBERT: one frame).
    fn blank_len(&self) -> usize {
        match self {
            Images::ColPali(pixels) => {
                let (channels, height, width) = pixels.preprocessor.output_shape();
                channels * height * width
            }
            Images::Idefics3(idefics3) => 3 * idefics3.blank_side * idefics3.blank_side,
        }
    }

    /// `pixel_values`' shape for `rows` blank images (ColPali: also the shape of `rows` real ones).
    fn blank_shape(&self, rows: usize) -> Vec<i64> {
        match self {
            Images::ColPali(pixels) => {
                let (channels, height, width) = pixels.preprocessor.output_shape();
                vec![rows as i64, channels as i64, height as i64, width as i64]
            }
            Images::Idefics3(idefics3) => {
                let side = idefics3.blank_side as i64;
                vec![rows as i64, 1, 3, side, side]
            }
        }
    }

    /// The model must take float images as `pixel_values`, of the rank and size the preprocessing makes.
    fn check_pixel_input(&self, session: &Session) -> Result<(), EngineError> {
        let inputs = session.inputs();
        let Some(input) = inputs.iter().find(|i| i.name == PIXEL_INPUT) else {
            let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
            return Err(EngineError::invalid_model(format!(
                "the model has no '{PIXEL_INPUT}' input (it declares {names:?}); late interaction over images feeds \
                 input_ids, attention_mask and {PIXEL_INPUT}"
            )));
        };
        let (wanted, described) = match self {
            Images::ColPali(pixels) => {
                let (channels, height, width) = pixels.preprocessor.output_shape();
                (
                    vec![-1, channels as i64, height as i64, width as i64],
                    format!("[batch, {channels}, {height}, {width}]"),
                )
            }
            Images::Idefics3(idefics3) => {
                let side = idefics3.preprocessor.frame_size() as i64;
                (
                    vec![-1, -1, 3, side, side],
                    format!("[batch, frames, 3, {side}, {side}]"),
                )
            }
        };
        let fits = input.element_type == ElementType::Float32
            && input.shape.len() == wanted.len()
            && input
                .shape
                .iter()
                .zip(&wanted)
                .all(|(&declared, &produced)| declared <= 0 || produced < 0 || declared == produced);
        if !fits {
            return Err(EngineError::invalid_model(format!(
                "input '{PIXEL_INPUT}' is {:?} of shape {:?}, but preprocessor_config.json produces float32 {described}",
                input.element_type, input.shape
            )));
        }
        Ok(())
    }
}

impl Idefics3 {
    /// An image's prompt, tokenized whole; its `<image>` tokens must be one per frame position.
    fn prompt(&self, grid: FrameGrid) -> Result<Encoding, EngineError> {
        let encoding = self
            .prompt_tokenizer
            .encode(&idefics3_prompt(grid, self.image_seq_len), true)?;
        let image_tokens = encoding.ids.iter().filter(|&&id| id == self.image_token_id).count();
        let expected = grid.frames() * self.image_seq_len;
        if image_tokens != expected {
            return Err(EngineError::invalid_model(format!(
                "an image of {} frames needs {expected} {IDEFICS3_IMAGE_TOKEN} tokens in its prompt, the tokenizer \
                 made {image_tokens}",
                grid.frames()
            )));
        }
        Ok(encoding)
    }
}

/// Idefics3's prompt for an image cut into `grid` (see [`Idefics3`]).
pub fn idefics3_prompt(grid: FrameGrid, image_seq_len: usize) -> String {
    let image = IDEFICS3_IMAGE_TOKEN.repeat(image_seq_len);
    let global = format!("<fake_token_around_image><global-img>{image}<fake_token_around_image>");
    let mut body = String::new();
    if grid.rows > 0 {
        for row in 1..=grid.rows {
            for col in 1..=grid.cols {
                body.push_str(&format!("<fake_token_around_image><row_{row}_col_{col}>{image}"));
            }
            body.push('\n');
        }
        body.push('\n');
    }
    body.push_str(&global);
    format!("<|begin_of_text|>User:{body}Describe the image.<end_of_utterance>\nAssistant:")
}

/// `image_seq_len` of `processor_config.json` (fastembed reads it beside the model's other files; 64 when unset).
fn image_seq_len(path: &Path) -> Result<usize, EngineError> {
    let value = read_json(
        path,
        "an Idefics3 model (ColModernVBERT) needs processor_config.json beside preprocessor_config.json",
    )?;
    match value.get("image_seq_len") {
        None => Ok(64),
        Some(n) => n
            .as_u64()
            .filter(|&n| n > 0 && n <= 4096)
            .map(|n| n as usize)
            .ok_or_else(|| {
                EngineError::invalid_model(format!(
                    "{}: image_seq_len must be a positive count, got {n}",
                    path.display()
                ))
            }),
    }
}

/// `vision_config.image_size` of `config.json`, the side of the frames the vision encoder takes.
fn vision_image_size(path: &Path) -> Result<Option<usize>, EngineError> {
    let value = read_json(path, "cannot read config_file")?;
    match value.get("vision_config").and_then(|v| v.get("image_size")) {
        None => Ok(None),
        Some(n) => n
            .as_u64()
            .filter(|&n| n > 0 && n <= 16_384)
            .map(|n| Some(n as usize))
            .ok_or_else(|| {
                EngineError::invalid_model(format!(
                    "{}: vision_config.image_size must be a side in pixels, got {n}",
                    path.display()
                ))
            }),
    }
}

fn read_json(path: &Path, context: &str) -> Result<serde_json::Value, EngineError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| EngineError::invalid_model(format!("{context}: {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| EngineError::invalid_model(format!("{}: not valid JSON: {e}", path.display())))
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

    #[test]
    fn idefics3_query_suffix_is_ten_end_of_utterance_tokens() {
        assert_eq!(IDEFICS3_QUERY_SUFFIX, "<end_of_utterance>".repeat(10));
    }

    #[test]
    fn an_unsplit_image_gets_the_single_image_prompt() {
        // fastembed: VISUAL_PROMPT_PREFIX with <image> replaced by the global part alone.
        assert_eq!(
            idefics3_prompt(FrameGrid { rows: 0, cols: 0 }, 2),
            "<|begin_of_text|>User:<fake_token_around_image><global-img><image><image><fake_token_around_image>\
             Describe the image.<end_of_utterance>\nAssistant:"
        );
    }

    #[test]
    fn a_split_image_gets_its_tiles_row_by_row_then_the_global_view() {
        let start = "<|begin_of_text|>User:";
        let end = "<fake_token_around_image><global-img><image><fake_token_around_image>Describe the image.\
                   <end_of_utterance>\nAssistant:";
        let tile = |r: u32, c: u32| format!("<fake_token_around_image><row_{r}_col_{c}><image>");
        // One row of two tiles, then a newline after the row and one before the global view.
        assert_eq!(
            idefics3_prompt(FrameGrid { rows: 1, cols: 2 }, 1),
            format!("{start}{}{}\n\n{end}", tile(1, 1), tile(1, 2))
        );
        // A column of two: each row ends with its newline.
        assert_eq!(
            idefics3_prompt(FrameGrid { rows: 2, cols: 1 }, 1),
            format!("{start}{}\n{}\n\n{end}", tile(1, 1), tile(2, 1))
        );
        // 64 image tokens per frame: 3 x 4 tiles and the global view carry 13 x 64.
        let prompt = idefics3_prompt(FrameGrid { rows: 3, cols: 4 }, 64);
        assert_eq!(prompt.matches("<image>").count(), 13 * 64);
        assert!(prompt.contains("<row_3_col_4><image>"));
    }
}

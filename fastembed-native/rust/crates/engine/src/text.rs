//! Dense text embeddings: tokenize → length-sorted batches → ONNX Runtime → pool → L2-normalize.

use crate::error::EngineError;
use crate::options::ModelOptions;
use crate::pooling::{l2_normalize, pool_tokens, Pooling};
use crate::session::{open_session, PadSide, TextSession, TokenBatch};
use crate::tensors::{declared_size, embedding_dimension};
use fastembed_ort::{InputTensor, Session};
use fastembed_tokenizer::Tokenizer;

/// Output names tried in order when none is configured, as fastembed-rs picks them: a projection such as
/// CLIP's `text_embeds` (the space shared with its image tower) before the hidden states it is computed from.
const PREFERRED_OUTPUTS: [&str; 3] = ["text_embeds", "last_hidden_state", "sentence_embedding"];

/// A model's `task_id` input: the task names in id order, the default task, and the input's shape.
struct TaskInput {
    tasks: Vec<String>,
    default: Option<usize>,
    /// `[]` (a scalar, as fastembed feeds it) or `[1]`, as the model declares it.
    shape: Vec<i64>,
}

pub struct TextEmbedder {
    text: TextSession,
    tokenizer: Tokenizer,
    /// True when the output has a token axis and must be pooled.
    per_token_output: bool,
    /// The model's vector length ...
    hidden: usize,
    /// ... and the length returned: `hidden`, or fewer with the `dimensions` option (Matryoshka truncation).
    dimension: usize,
    /// Task adapters (jina-embeddings-v3): the model's `task_id` input and the task names.
    task: Option<TaskInput>,
    /// Every text padded to the maximum length (the tokenizer's padding says so; `encode` alone never pads).
    fixed_length: bool,
    pooling: Pooling,
    normalize: bool,
}

impl TextEmbedder {
    pub fn new(options: &ModelOptions) -> Result<TextEmbedder, EngineError> {
        let mut tokenizer = load_tokenizer(options)?;
        let fixed_length = options.pad_to_max_length == Some(true);
        if fixed_length {
            tokenizer = pad_to_max_length(tokenizer)?;
        }
        let session = open_session(options.require_model_file()?, options)?;
        let task = task_input(&session, options)?;
        let output = select_output(&session, options.output_name.as_deref())?;
        let shape = session.output_shape(&output).expect("selected output exists").to_vec();
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
        let pooling = if per_token_output { pooling } else { Pooling::None };
        // A decoder's last token must sit in the same column whatever the batch's other texts.
        let pad_side = if pooling == Pooling::LastToken {
            PadSide::Left
        } else {
            PadSide::Right
        };
        let mut embedder = TextEmbedder {
            text: TextSession::new(session, output, &tokenizer, options)?.padded_on(pad_side),
            tokenizer,
            per_token_output,
            hidden: 0,
            dimension: 0,
            pooling,
            task,
            fixed_length,
            normalize: options.normalize.unwrap_or(true),
        };
        let declared = declared_size(&shape[shape.len() - 1..]);
        embedder.hidden = embedding_dimension(embedder.text.output(), declared, || embedder.probe_dimension())?;
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

    /// How this model's calls run (its execution plan).
    pub fn plan(&self) -> &crate::plan::ExecutionPlan {
        self.text.plan()
    }

    /// Stops the ONNX Runtime runs under way on this model; their calls fail with `Cancelled`.
    pub fn cancel_runs(&self) {
        self.text.cancel_runs();
    }

    /// How the model's ONNX Runtime session was set up (execution provider, optimized graph); None before a
    /// lazily loaded model is loaded, or without a model.
    pub fn session_info(&self) -> Option<crate::session::SessionInfo> {
        Some(self.text.info().clone())
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Embeds `texts` into `out` (`texts.len() * dimension` floats, row per text in input order).
    /// Returns the number of tokens processed (after truncation, excluding padding).
    pub fn embed_into(&self, texts: &[&str], out: &mut [f32]) -> Result<usize, EngineError> {
        self.embed_task_into(texts, None, out)
    }

    /// The task names of a task-adapter model, in id order (empty for other models).
    pub fn tasks(&self) -> &[String] {
        self.task.as_ref().map_or(&[], |t| &t.tasks)
    }

    /// [`embed_into`](Self::embed_into) for one task of a task-adapter model (`None`: its default task).
    pub fn embed_task_into(&self, texts: &[&str], task: Option<&str>, out: &mut [f32]) -> Result<usize, EngineError> {
        let task_id = self.task_id(task)?.map(|id| [id as i64]);
        let extra = task_id.as_ref().zip(self.task.as_ref()).map(|(id, t)| {
            let tensor = InputTensor::I64 {
                data: &id[..],
                shape: t.shape.as_slice(),
            };
            (TASK_INPUT, tensor)
        });
        let expected = texts.len().checked_mul(self.dimension);
        if Some(out.len()) != expected {
            return Err(EngineError::invalid_argument(format!(
                "output buffer holds {} floats, {} texts of dimension {} need {}",
                out.len(),
                texts.len(),
                self.dimension,
                texts.len() as u128 * self.dimension as u128
            )));
        }
        let encode = |i: usize| {
            if self.fixed_length {
                let mut one = self.tokenizer.encode_batch(&[texts[i]], true)?;
                Ok(one.pop().expect("one encoding per text"))
            } else {
                self.tokenizer.encode(texts[i], true).map_err(EngineError::from)
            }
        };
        self.text
            .for_each_run(texts.len(), encode, extra, |batch, _, tokens, output| {
                let states = output.as_f32()?;
                let (seq, hidden) = self.check_output_shape(output.shape(), tokens)?;
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
            })
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
                self.text.output(),
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

    /// The id fed to `task_id`: the named task, else the default; none for models without task adapters.
    fn task_id(&self, task: Option<&str>) -> Result<Option<usize>, EngineError> {
        match (&self.task, task) {
            (None, None) => Ok(None),
            (None, Some(name)) => Err(EngineError::invalid_argument(format!(
                "task '{name}' given, but the model has no task adapters (no '{TASK_INPUT}' input)"
            ))),
            (Some(t), Some(name)) => t.tasks.iter().position(|n| n == name).map(Some).ok_or_else(|| {
                EngineError::invalid_argument(format!(
                    "unknown task '{name}' (the model's tasks: {})",
                    t.tasks.join(", ")
                ))
            }),
            (Some(t), None) => t.default.map(Some).ok_or_else(|| {
                EngineError::invalid_argument(format!(
                    "the model needs a task and has no default: one of {}",
                    t.tasks.join(", ")
                ))
            }),
        }
    }

    fn probe_dimension(&self) -> Result<usize, EngineError> {
        let encoding = self.tokenizer.encode("a", true)?;
        let task_id = [self.task.as_ref().and_then(|t| t.default).unwrap_or(0) as i64];
        let extra = self.task.as_ref().map(|t| {
            let tensor = InputTensor::I64 {
                data: &task_id[..],
                shape: t.shape.as_slice(),
            };
            (TASK_INPUT, tensor)
        });
        let (_, output) = self.text.run(&[&encoding], encoding.ids.len().max(1), extra)?;
        Ok(output.shape().last().map_or(0, |&d| d.max(0) as usize))
    }
}

/// The tokenizer padding every batch to its truncation length, with its own pad token (else id 0).
fn pad_to_max_length(tokenizer: Tokenizer) -> Result<Tokenizer, EngineError> {
    let length = tokenizer.truncation().map(|t| t.max_length).ok_or_else(|| {
        EngineError::invalid_argument("pad_to_max_length needs a maximum length, and the tokenizer has none")
    })?;
    let padding = fastembed_tokenizer::PaddingParams {
        strategy: fastembed_tokenizer::PaddingStrategy::Fixed(length),
        direction: fastembed_tokenizer::PaddingDirection::Right,
        pad_to_multiple_of: None,
        ..tokenizer.padding().cloned().unwrap_or_default()
    };
    Ok(tokenizer.with_padding(Some(padding)))
}

/// The input through which task-adapter models (jina-embeddings-v3) choose their LoRA adapter.
const TASK_INPUT: &str = "task_id";

/// The model's task input checked against the `tasks` and `default_task` options: both or neither.
fn task_input(session: &Session, options: &ModelOptions) -> Result<Option<TaskInput>, EngineError> {
    let declared = session.inputs().iter().find(|i| i.name == TASK_INPUT);
    match (declared, &options.tasks) {
        (None, None) if options.default_task.is_none() => Ok(None),
        (None, _) => Err(EngineError::invalid_argument(format!(
            "\"tasks\" and \"default_task\" apply to task-adapter models; this one has no '{TASK_INPUT}' input"
        ))),
        (Some(_), None) => Err(EngineError::invalid_argument(format!(
            "the model takes a '{TASK_INPUT}' input: give \"tasks\", its task names in id order"
        ))),
        (Some(info), Some(tasks)) => {
            let distinct: std::collections::HashSet<&String> = tasks.iter().collect();
            if tasks.is_empty() || distinct.len() != tasks.len() || tasks.iter().any(|t| t.is_empty()) {
                return Err(EngineError::invalid_argument(
                    "\"tasks\" must list distinct, non-empty task names in id order",
                ));
            }
            let default = match &options.default_task {
                None => None,
                Some(name) => Some(tasks.iter().position(|t| t == name).ok_or_else(|| {
                    EngineError::invalid_argument(format!(
                        "default_task '{name}' is not one of the tasks ({})",
                        tasks.join(", ")
                    ))
                })?),
            };
            let shape = if info.shape.len() == 1 { vec![1] } else { vec![] };
            Ok(Some(TaskInput {
                tasks: tasks.clone(),
                default,
                shape,
            }))
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

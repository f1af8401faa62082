//! Groups texts into runs with little padding: sorted by token count, cut by a text count and a budget of
//! padded tokens (which bounds the memory ONNX Runtime's arena grows to). Results go back in input order
//! through each batch's `indices`.

use crate::error::EngineError;
use fastembed_tokenizer::Encoding;
use rayon::prelude::*;

/// Inputs tokenized at a time: bounds the memory held in encodings for huge inputs (100k texts) while
/// keeping enough texts together for length sorting to pay off.
pub const TOKENIZE_CHUNK: usize = 4096;
/// Below this many inputs, encoding on one thread is faster than fanning out.
const PARALLEL_ENCODE_THRESHOLD: usize = 32;

/// Encodes `count` inputs chunk by chunk (in parallel for larger chunks), plans length-sorted batches and
/// calls `run` for each with the batch (indices into all inputs) and its encodings in batch order.
/// Returns the number of real (unpadded) tokens encoded.
pub fn for_each_batch<E, R>(
    count: usize,
    batch_size: usize,
    token_budget: usize,
    encode: E,
    mut run: R,
) -> Result<usize, EngineError>
where
    E: Fn(usize) -> Result<Encoding, EngineError> + Sync,
    R: FnMut(&Batch, &[&Encoding]) -> Result<(), EngineError>,
{
    for_each_chunk(
        count,
        batch_size,
        token_budget,
        1,
        encode,
        |start, encodings, batches| {
            for batch in batches {
                let rows: Vec<&Encoding> = batch.indices.iter().map(|&i| &encodings[i]).collect();
                let global = Batch {
                    indices: batch.indices.iter().map(|i| i + start).collect(),
                    padded_length: batch.padded_length,
                };
                run(&global, &rows)?;
            }
            Ok(())
        },
    )
}

/// Encodes `count` inputs chunk by chunk and hands `run` each chunk: the index of its first input, its
/// encodings and its length-sorted batches (indices into the chunk's encodings), at least `runs` of them when the
/// chunk has enough texts (see [`balanced_budget`]). Returns the number of real (unpadded) tokens encoded.
pub fn for_each_chunk<E, R>(
    count: usize,
    batch_size: usize,
    token_budget: usize,
    runs: usize,
    encode: E,
    mut run: R,
) -> Result<usize, EngineError>
where
    E: Fn(usize) -> Result<Encoding, EngineError> + Sync,
    R: FnMut(usize, &[Encoding], &[Batch]) -> Result<(), EngineError>,
{
    let mut tokens = 0;
    for start in (0..count).step_by(TOKENIZE_CHUNK) {
        let end = (start + TOKENIZE_CHUNK).min(count);
        let encodings = encode_range(start..end, &encode)?;
        tokens += encodings
            .iter()
            .map(|e| e.attention_mask.iter().filter(|&&m| m != 0).count())
            .sum::<usize>();
        let lengths: Vec<usize> = encodings.iter().map(|e| e.ids.len()).collect();
        let budget = balanced_budget(&lengths, token_budget, runs);
        run(start, &encodings, &plan(&lengths, batch_size, budget))?;
    }
    Ok(tokens)
}

/// Encodes the inputs `range` in order, across the cores when there are enough of them to pay off.
pub fn encode_range<E>(range: std::ops::Range<usize>, encode: E) -> Result<Vec<Encoding>, EngineError>
where
    E: Fn(usize) -> Result<Encoding, EngineError> + Sync,
{
    if range.len() < PARALLEL_ENCODE_THRESHOLD {
        range.map(&encode).collect()
    } else {
        range.into_par_iter().map(&encode).collect()
    }
}

/// The token budget that cuts texts of `lengths` into at least `runs` batches when they would fit in fewer, so
/// that parallel runs share a small call's work instead of one run doing it all; never above `token_budget`,
/// which bounds the memory of a run.
pub fn balanced_budget(lengths: &[usize], token_budget: usize, runs: usize) -> usize {
    if runs <= 1 {
        return token_budget;
    }
    let tokens: usize = lengths.iter().map(|&l| l.max(1)).sum();
    token_budget.min(tokens.div_ceil(runs)).max(1)
}

/// One ONNX Runtime run: which inputs it holds and the length they are padded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub indices: Vec<usize>,
    pub padded_length: usize,
}

/// Plans batches over texts of the given token counts.
pub fn plan(lengths: &[usize], batch_size: usize, token_budget: usize) -> Vec<Batch> {
    let batch_size = batch_size.max(1);
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| lengths[i]);

    let mut batches = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for i in order {
        let length = lengths[i].max(1);
        // Sorted ascending, so `length` is the padded length if `i` joins the current batch.
        let padded_tokens = (current.len() + 1) * length;
        if !current.is_empty() && (current.len() == batch_size || padded_tokens > token_budget) {
            batches.push(finish(std::mem::take(&mut current), lengths));
        }
        current.push(i);
    }
    if !current.is_empty() {
        batches.push(finish(current, lengths));
    }
    batches
}

fn finish(indices: Vec<usize>, lengths: &[usize]) -> Batch {
    let padded_length = indices.iter().map(|&i| lengths[i]).max().unwrap_or(0).max(1);
    Batch { indices, padded_length }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_is_planned_exactly_once() {
        let lengths = [5, 1, 9, 3, 3, 7, 2];
        let batches = plan(&lengths, 3, 1000);
        let mut seen: Vec<usize> = batches.iter().flat_map(|b| b.indices.clone()).collect();
        seen.sort();
        assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
    }

    #[test]
    fn batches_respect_the_text_count() {
        let lengths = [4; 10];
        assert!(plan(&lengths, 3, 1000).iter().all(|b| b.indices.len() <= 3));
    }

    #[test]
    fn batches_respect_the_token_budget() {
        let lengths = [100, 90, 80, 10, 10, 10, 10];
        for batch in plan(&lengths, 100, 200) {
            assert!(batch.indices.len() * batch.padded_length <= 200, "{batch:?}");
        }
    }

    #[test]
    fn a_text_longer_than_the_budget_gets_a_batch_of_its_own() {
        let batches = plan(&[500, 2], 10, 100);
        assert_eq!(batches.len(), 2);
        assert_eq!(
            batches[1],
            Batch {
                indices: vec![0],
                padded_length: 500
            }
        );
    }

    fn encoding(len: usize) -> Encoding {
        Encoding {
            ids: vec![7; len],
            type_ids: vec![0; len],
            attention_mask: vec![1; len],
            ..Default::default()
        }
    }

    #[test]
    fn for_each_batch_visits_every_input_once_across_chunks() {
        let count = TOKENIZE_CHUNK + 10;
        let mut seen = vec![0u32; count];
        let tokens = for_each_batch(
            count,
            64,
            10_000,
            |i| Ok(encoding(1 + i % 5)),
            |batch, rows| {
                assert_eq!(batch.indices.len(), rows.len());
                for (&i, row) in batch.indices.iter().zip(rows) {
                    assert_eq!(row.ids.len(), 1 + i % 5, "rows follow the batch's indices");
                    seen[i] += 1;
                }
                Ok(())
            },
        )
        .unwrap();
        assert!(seen.iter().all(|&n| n == 1));
        assert_eq!(tokens, (0..count).map(|i| 1 + i % 5).sum::<usize>());
    }

    #[test]
    fn for_each_batch_stops_at_the_first_error() {
        let mut runs = 0;
        let result = for_each_batch(
            100,
            10,
            1000,
            |i| {
                if i == 50 {
                    Err(EngineError::invalid_argument("bad input 50"))
                } else {
                    Ok(encoding(3))
                }
            },
            |_, _| {
                runs += 1;
                Ok(())
            },
        );
        assert!(result.unwrap_err().message().contains("bad input 50"));
        assert_eq!(runs, 0, "nothing runs when the chunk fails to encode");
    }

    #[test]
    fn a_small_call_is_cut_into_one_batch_per_parallel_run_within_the_budget() {
        let lengths = [40, 56, 72, 88, 40, 56, 72, 88];
        assert_eq!(balanced_budget(&lengths, 1024, 1), 1024, "single-run keeps its budget");
        assert_eq!(plan(&lengths, 256, 1024).len(), 1);
        let budget = balanced_budget(&lengths, 1024, 2);
        assert_eq!(budget, 256);
        assert!(plan(&lengths, 256, budget).len() >= 2);
        assert_eq!(
            balanced_budget(&[500; 100], 1024, 4),
            1024,
            "a large call keeps the budget"
        );
        assert_eq!(balanced_budget(&[], 1024, 4), 1);
    }

    #[test]
    fn similar_lengths_share_a_batch() {
        let batches = plan(&[50, 3, 49, 2], 2, 1000);
        assert_eq!(batches[0].indices, vec![3, 1]);
        assert_eq!(batches[1].indices, vec![2, 0]);
        assert_eq!(batches[1].padded_length, 50);
    }
}

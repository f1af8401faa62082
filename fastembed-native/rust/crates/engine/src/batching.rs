//! Groups texts into runs with little padding: sorted by token count, cut by a text count and a budget of
//! padded tokens (which bounds the memory ONNX Runtime's arena grows to). Results go back in input order
//! through each batch's `indices`.

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
        assert_eq!(batches[1], Batch { indices: vec![0], padded_length: 500 });
    }

    #[test]
    fn similar_lengths_share_a_batch() {
        let batches = plan(&[50, 3, 49, 2], 2, 1000);
        assert_eq!(batches[0].indices, vec![3, 1]);
        assert_eq!(batches[1].indices, vec![2, 0]);
        assert_eq!(batches[1].padded_length, 50);
    }
}

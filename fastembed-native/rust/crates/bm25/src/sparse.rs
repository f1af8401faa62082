//! The sparse vector BM25 and BM42 produce.

use std::collections::HashMap;

/// A sparse embedding: `indices` ascending without duplicates, every value finite and > 0.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SparseVector {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl SparseVector {
    /// Builds the vector from `(index, value)` pairs in fastembed's dict order: a later pair
    /// with the same index replaces the earlier one (as `dict[index] = value` does when two
    /// tokens hash alike). Values that are not finite and > 0 are left out.
    pub(crate) fn from_pairs(pairs: impl IntoIterator<Item = (u32, f64)>) -> SparseVector {
        let mut by_index: HashMap<u32, f64> = HashMap::new();
        for (index, value) in pairs {
            by_index.insert(index, value);
        }
        let mut entries: Vec<(u32, f32)> = by_index
            .into_iter()
            .map(|(index, value)| (index, value as f32))
            .filter(|&(_, value)| value.is_finite() && value > 0.0)
            .collect();
        entries.sort_unstable_by_key(|&(index, _)| index);
        SparseVector {
            indices: entries.iter().map(|&(index, _)| index).collect(),
            values: entries.iter().map(|&(_, value)| value).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// The value at `index`, if present.
    pub fn get(&self, index: u32) -> Option<f32> {
        self.indices.binary_search(&index).ok().map(|i| self.values[i])
    }

    /// Sum of products over the indices both vectors have: Qdrant's sparse score.
    pub fn dot(&self, other: &SparseVector) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
        while i < self.indices.len() && j < other.indices.len() {
            match self.indices[i].cmp(&other.indices[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.values[i] * other.values[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pairs_replace_earlier_ones_and_indices_sort() {
        let v = SparseVector::from_pairs([(9, 1.0), (3, 2.0), (9, 0.5)]);
        assert_eq!(v.indices, [3, 9]);
        assert_eq!(v.values, [2.0, 0.5]);
    }

    #[test]
    fn non_positive_and_non_finite_values_are_dropped() {
        let v = SparseVector::from_pairs([(1, 0.0), (2, -1.0), (3, f64::NAN), (4, f64::INFINITY), (5, 1e-3)]);
        assert_eq!(v.indices, [5]);
    }

    #[test]
    fn dot_sums_shared_indices() {
        let a = SparseVector {
            indices: vec![1, 4, 7],
            values: vec![1.0, 2.0, 3.0],
        };
        let b = SparseVector {
            indices: vec![4, 7, 8],
            values: vec![10.0, 100.0, 5.0],
        };
        assert_eq!(a.dot(&b), 320.0);
    }
}

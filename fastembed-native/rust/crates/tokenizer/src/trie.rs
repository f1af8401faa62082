//! A compact byte trie for the two string searches the pipeline needs: leftmost-longest
//! matching of added tokens in a text, and all vocabulary entries that are prefixes of a
//! text (Unigram). Built once from all keys; children are stored as sorted edge runs.

use std::collections::VecDeque;

#[derive(Debug, Clone, Copy)]
struct Node {
    edges_start: u32,
    edges_len: u16,
    value: Option<u32>,
}

#[derive(Debug)]
pub(crate) struct Trie {
    nodes: Vec<Node>,
    /// `(byte, child)` pairs; each node's run is sorted by byte.
    edges: Vec<(u8, u32)>,
    /// Bytes that begin at least one key, to skip hopeless start positions fast.
    first_bytes: [bool; 256],
}

impl Trie {
    /// Builds from `(key, value)` pairs; for a repeated key the first value wins and empty
    /// keys are ignored.
    pub fn new<K: AsRef<[u8]>>(entries: impl IntoIterator<Item = (K, u32)>) -> Trie {
        let mut keys: Vec<(K, u32, usize)> = entries
            .into_iter()
            .enumerate()
            .filter(|(_, (k, _))| !k.as_ref().is_empty())
            .map(|(i, (k, v))| (k, v, i))
            .collect();
        keys.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()).then(a.2.cmp(&b.2)));
        keys.dedup_by(|later, first| later.0.as_ref() == first.0.as_ref());

        let mut first_bytes = [false; 256];
        for (k, _, _) in &keys {
            first_bytes[k.as_ref()[0] as usize] = true;
        }
        let mut nodes = vec![Node {
            edges_start: 0,
            edges_len: 0,
            value: None,
        }];
        let mut edges = Vec::new();
        // Each queue item: a node, the sorted keys below it, and its depth in bytes.
        let mut queue = VecDeque::from([(0usize, 0usize, keys.len(), 0usize)]);
        while let Some((node, mut lo, hi, depth)) = queue.pop_front() {
            if lo < hi && keys[lo].0.as_ref().len() == depth {
                nodes[node].value = Some(keys[lo].1);
                lo += 1;
            }
            nodes[node].edges_start = edges.len() as u32;
            let mut i = lo;
            while i < hi {
                let byte = keys[i].0.as_ref()[depth];
                let mut j = i + 1;
                while j < hi && keys[j].0.as_ref()[depth] == byte {
                    j += 1;
                }
                nodes.push(Node {
                    edges_start: 0,
                    edges_len: 0,
                    value: None,
                });
                let child = nodes.len() - 1;
                edges.push((byte, child as u32));
                queue.push_back((child, i, j, depth + 1));
                i = j;
            }
            nodes[node].edges_len = (edges.len() - nodes[node].edges_start as usize) as u16;
        }
        Trie {
            nodes,
            edges,
            first_bytes,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 1
    }

    fn child(&self, node: usize, byte: u8) -> Option<usize> {
        let n = self.nodes[node];
        let run = &self.edges[n.edges_start as usize..n.edges_start as usize + n.edges_len as usize];
        run.binary_search_by_key(&byte, |&(b, _)| b)
            .ok()
            .map(|i| run[i].1 as usize)
    }

    /// Calls `f(end, value)` for every key that is a prefix of `text`, shortest first.
    pub fn for_each_prefix<F: FnMut(usize, u32)>(&self, text: &[u8], mut f: F) {
        let mut node = 0usize;
        for (i, &b) in text.iter().enumerate() {
            match self.child(node, b) {
                Some(n) => node = n,
                None => return,
            }
            if let Some(v) = self.nodes[node].value {
                f(i + 1, v);
            }
        }
    }

    /// The longest key that is a prefix of `text`: `(length, value)`.
    pub fn longest_prefix(&self, text: &[u8]) -> Option<(usize, u32)> {
        let mut best = None;
        self.for_each_prefix(text, |end, v| best = Some((end, v)));
        best
    }

    /// Non-overlapping matches, leftmost first and longest at each position:
    /// `(start, end, value)`.
    pub fn find_leftmost_longest(&self, text: &str) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        if self.is_empty() {
            return out;
        }
        let bytes = text.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            if self.first_bytes[bytes[pos] as usize] {
                if let Some((len, value)) = self.longest_prefix(&bytes[pos..]) {
                    out.push((pos, pos + len, value));
                    pos += len;
                    continue;
                }
            }
            pos += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftmost_longest() {
        let t = Trie::new([("<s>", 1), ("<s>x", 2), ("s", 3), ("<s>", 9)]);
        assert_eq!(
            t.find_leftmost_longest("a<s>x<s>s"),
            vec![(1, 5, 2), (5, 8, 1), (8, 9, 3)]
        );
    }

    #[test]
    fn prefixes_shortest_first() {
        let t = Trie::new([("a", 0), ("ab", 1), ("abc", 2), ("b", 3), ("", 7)]);
        let mut seen = vec![];
        t.for_each_prefix(b"abd", |end, v| seen.push((end, v)));
        assert_eq!(seen, vec![(1, 0), (2, 1)]);
        assert!(t.longest_prefix(b"xyz").is_none());
    }

    #[test]
    fn empty_trie_matches_nothing() {
        let t = Trie::new(Vec::<(String, u32)>::new());
        assert!(t.find_leftmost_longest("anything").is_empty());
    }
}

//! The result of encoding one input (or one pair), plus the edits applied to it:
//! concatenation, truncation and padding.

/// Model inputs for one text (or pair of texts), all vectors of equal length.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Encoding {
    pub ids: Vec<u32>,
    pub type_ids: Vec<u32>,
    pub attention_mask: Vec<u32>,
    /// 1 for tokens added by the post-processor (`[CLS]`, `</s>`, ...) and for padding.
    pub special_tokens_mask: Vec<u32>,
    /// Byte offsets into the original text; `(0, 0)` for added special tokens and padding.
    pub offsets: Vec<(usize, usize)>,
    /// Token strings, as in the vocabulary.
    pub tokens: Vec<String>,
}

impl Encoding {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub(crate) fn push(&mut self, id: u32, token: String, offsets: (usize, usize), type_id: u32, special: bool) {
        self.ids.push(id);
        self.tokens.push(token);
        self.offsets.push(offsets);
        self.type_ids.push(type_id);
        self.attention_mask.push(1);
        self.special_tokens_mask.push(u32::from(special));
    }

    pub(crate) fn append(&mut self, other: Encoding) {
        self.ids.extend(other.ids);
        self.type_ids.extend(other.type_ids);
        self.attention_mask.extend(other.attention_mask);
        self.special_tokens_mask.extend(other.special_tokens_mask);
        self.offsets.extend(other.offsets);
        self.tokens.extend(other.tokens);
    }

    pub(crate) fn set_type_ids(&mut self, type_id: u32) {
        self.type_ids.iter_mut().for_each(|t| *t = type_id);
    }

    /// Keeps `max_len` tokens: the first ones (`Right`) or the last ones (`Left`).
    pub(crate) fn truncate(&mut self, max_len: usize, direction: crate::TruncationDirection) {
        if self.len() <= max_len {
            return;
        }
        match direction {
            crate::TruncationDirection::Right => {
                self.ids.truncate(max_len);
                self.type_ids.truncate(max_len);
                self.attention_mask.truncate(max_len);
                self.special_tokens_mask.truncate(max_len);
                self.offsets.truncate(max_len);
                self.tokens.truncate(max_len);
            }
            crate::TruncationDirection::Left => {
                let cut = self.len() - max_len;
                self.ids.drain(..cut);
                self.type_ids.drain(..cut);
                self.attention_mask.drain(..cut);
                self.special_tokens_mask.drain(..cut);
                self.offsets.drain(..cut);
                self.tokens.drain(..cut);
            }
        }
    }

    /// Pads up to `target` tokens with the pad token (attention 0, special 1).
    pub(crate) fn pad(&mut self, target: usize, params: &crate::PaddingParams) {
        if self.len() >= target {
            return;
        }
        let n = target - self.len();
        let pad = |v: &mut Vec<u32>, value: u32| match params.direction {
            crate::PaddingDirection::Right => v.extend(std::iter::repeat_n(value, n)),
            crate::PaddingDirection::Left => {
                v.splice(0..0, std::iter::repeat_n(value, n));
            }
        };
        pad(&mut self.ids, params.pad_id);
        pad(&mut self.type_ids, params.pad_type_id);
        pad(&mut self.attention_mask, 0);
        pad(&mut self.special_tokens_mask, 1);
        let offsets = std::iter::repeat_n((0, 0), n);
        let tokens = std::iter::repeat_n(params.pad_token.clone(), n);
        match params.direction {
            crate::PaddingDirection::Right => {
                self.offsets.extend(offsets);
                self.tokens.extend(tokens);
            }
            crate::PaddingDirection::Left => {
                self.offsets.splice(0..0, offsets);
                self.tokens.splice(0..0, tokens);
            }
        }
    }
}

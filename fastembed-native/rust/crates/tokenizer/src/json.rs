//! Reading `serde_json::Value`s while remembering where we are, so every error names the
//! JSON path of the offending part (`normalizer.normalizers[2].pattern`).

use crate::error::{Result, TokenizerError};
use serde_json::{Map, Value};

/// The largest token id a tokenizer.json may assign (`i32::MAX`).
pub const MAX_TOKEN_ID: u32 = i32::MAX as u32;

#[derive(Clone)]
pub(crate) struct Node<'a> {
    pub value: &'a Value,
    path: String,
}

impl<'a> Node<'a> {
    pub fn root(value: &'a Value) -> Self {
        Node {
            value,
            path: String::new(),
        }
    }

    pub fn path(&self) -> &str {
        if self.path.is_empty() {
            "<root>"
        } else {
            &self.path
        }
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{}", self.path, key)
        }
    }

    pub fn error(&self, message: impl Into<String>) -> TokenizerError {
        TokenizerError::config(self.path(), message)
    }

    pub fn object(&self) -> Result<&'a Map<String, Value>> {
        self.value
            .as_object()
            .ok_or_else(|| self.error(format!("expected an object, found {}", kind(self.value))))
    }

    /// The child `key`; `None` when absent or null (HF treats both alike).
    pub fn get(&self, key: &str) -> Result<Option<Node<'a>>> {
        match self.object()?.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => Ok(Some(Node {
                value: v,
                path: self.child_path(key),
            })),
        }
    }

    pub fn require(&self, key: &str) -> Result<Node<'a>> {
        self.get(key)?
            .ok_or_else(|| self.error(format!("missing field \"{key}\"")))
    }

    /// The elements of this array.
    pub fn items(&self) -> Result<Vec<Node<'a>>> {
        let array = self
            .value
            .as_array()
            .ok_or_else(|| self.error(format!("expected an array, found {}", kind(self.value))))?;
        Ok(array
            .iter()
            .enumerate()
            .map(|(i, v)| Node {
                value: v,
                path: format!("{}[{}]", self.path(), i),
            })
            .collect())
    }

    /// The entries of this object, in key order.
    pub fn entries(&self) -> Result<Vec<(&'a str, Node<'a>)>> {
        Ok(self
            .object()?
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str(),
                    Node {
                        value: v,
                        path: self.child_path(k),
                    },
                )
            })
            .collect())
    }

    pub fn as_str(&self) -> Result<&'a str> {
        self.value.as_str().ok_or_else(|| self.expected("a string"))
    }

    pub fn as_bool(&self) -> Result<bool> {
        self.value.as_bool().ok_or_else(|| self.expected("true or false"))
    }

    pub fn as_u32(&self) -> Result<u32> {
        as_u32(self.value).ok_or_else(|| self.expected("an integer in 0..2^32"))
    }

    /// The id of `token`: at most [`MAX_TOKEN_ID`], so every id fits the signed 32-bit integers that carry ids to
    /// Java and to the models' tables (a larger one, such as 4294967295, would come back as a negative id).
    pub fn as_token_id(&self, token: &str) -> Result<u32> {
        let id = self.as_u32()?;
        if id > MAX_TOKEN_ID {
            let shown: String = token.chars().take(40).collect();
            return Err(self.error(format!(
                "token {shown:?} has id {id}, beyond the largest token id {MAX_TOKEN_ID} (2^31 - 1)"
            )));
        }
        Ok(id)
    }

    pub fn as_usize(&self) -> Result<usize> {
        self.value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| self.expected("a non-negative integer"))
    }

    pub fn as_f64(&self) -> Result<f64> {
        self.value.as_f64().ok_or_else(|| self.expected("a number"))
    }

    pub fn expected(&self, what: &str) -> TokenizerError {
        self.error(format!("expected {what}, found {}", kind(self.value)))
    }

    pub fn str_field(&self, key: &str) -> Result<&'a str> {
        self.require(key)?.as_str()
    }

    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>> {
        self.get(key)?.map(|n| n.as_str()).transpose()
    }

    pub fn bool_or(&self, key: &str, default: bool) -> Result<bool> {
        Ok(self.opt_bool(key)?.unwrap_or(default))
    }

    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        self.get(key)?.map(|n| n.as_bool()).transpose()
    }

    pub fn opt_usize(&self, key: &str) -> Result<Option<usize>> {
        self.get(key)?.map(|n| n.as_usize()).transpose()
    }

    /// The `"type"` tag of a component.
    pub fn type_tag(&self) -> Result<&'a str> {
        self.str_field("type")
    }
}

pub(crate) fn as_u32(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
}

pub(crate) fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 40 => format!("the string {s:?}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

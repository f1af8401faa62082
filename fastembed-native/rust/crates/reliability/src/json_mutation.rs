//! Structural mutations of a JSON document, seeded: delete a field or element, give a value another type,
//! rename a key, empty a container, or duplicate an element. Used to fuzz loaders of real configuration
//! files (tokenizer.json), which must answer every mutation with an error or a working result.

use crate::rng::Rng;
use serde_json::{json, Value};

/// What one mutation did, for failure messages (`"retype /model/vocab -> 42"`).
pub type Description = String;

/// Applies `count` random mutations to `doc`; returns what was done.
pub fn mutate(doc: &mut Value, rng: &mut Rng, count: usize) -> Vec<Description> {
    (0..count).map(|_| mutate_once(doc, rng)).collect()
}

fn mutate_once(doc: &mut Value, rng: &mut Rng) -> Description {
    let paths = paths(doc);
    let path = rng.pick(&paths).clone();
    let target = doc.pointer_mut(&path).expect("path from the document");
    match rng.below(5) {
        0 if !path.is_empty() => {
            delete(doc, &path);
            format!("delete {path}")
        }
        1 => {
            let replacement = other_type(target, rng);
            let shown = short(&replacement);
            *target = replacement;
            format!("retype {path} -> {shown}")
        }
        2 => match target {
            Value::Object(map) if !map.is_empty() => {
                let keys: Vec<String> = map.keys().cloned().collect();
                let key = rng.pick(&keys).clone();
                let value = map.remove(&key).expect("key exists");
                map.insert(format!("{key}_renamed"), value);
                format!("rename {path}/{key}")
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.below(items.len());
                let copy = items[i].clone();
                items.insert(i, copy);
                format!("duplicate {path}/{i}")
            }
            _ => {
                *target = Value::Null;
                format!("null {path}")
            }
        },
        3 => {
            match target {
                Value::Object(map) => map.clear(),
                Value::Array(items) => items.clear(),
                Value::String(s) => s.clear(),
                other => *other = json!(0),
            }
            format!("empty {path}")
        }
        _ => {
            let replacement = extreme(rng);
            let shown = short(&replacement);
            *target = replacement;
            format!("extreme {path} -> {shown}")
        }
    }
}

/// Every JSON pointer of the document (the root is ""). Large arrays (vocabularies) contribute their
/// first few elements only, so mutations favour structure over the bulk of the data.
fn paths(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(doc, String::new(), &mut out);
    out
}

fn collect(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            // Huge maps (a vocabulary) are entered at a few keys only.
            for (i, (key, child)) in map.iter().enumerate() {
                if map.len() > 64 && i >= 3 {
                    break;
                }
                collect(
                    child,
                    format!("{path}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate().take(3) {
                collect(child, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(path);
}

fn delete(doc: &mut Value, path: &str) {
    let (parent, last) = path.rsplit_once('/').expect("non-root path");
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// A value of a different JSON type than `current`.
fn other_type(current: &Value, rng: &mut Rng) -> Value {
    let choices = [
        json!(null),
        json!(true),
        json!(42),
        json!(-1),
        json!(1.5),
        json!("text"),
        json!([]),
        json!({}),
    ];
    loop {
        let candidate = rng.pick(&choices).clone();
        if std::mem::discriminant(&candidate) != std::mem::discriminant(current) {
            return candidate;
        }
    }
}

/// Boundary values: huge and negative numbers, non-integers, long and odd strings.
fn extreme(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => json!(u64::MAX),
        1 => json!(i64::MIN),
        2 => json!(4_294_967_296u64),
        3 => json!(1e308),
        4 => json!(-0.0),
        5 => json!("\u{0}"),
        6 => json!("x".repeat(10_000)),
        _ => json!([[[[[]]]]]),
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_reproducible_from_the_seed() {
        let doc = json!({"a": {"b": [1, 2, 3], "c": "x"}, "d": true});
        let run = |seed| {
            let mut copy = doc.clone();
            let done = mutate(&mut copy, &mut Rng::new(seed), 3);
            (copy, done)
        };
        assert_eq!(run(11), run(11));
    }

    #[test]
    fn a_mutation_changes_the_document() {
        let doc = json!({"a": {"b": [1, 2, 3], "c": "x"}, "d": true});
        for seed in 0..50 {
            let mut copy = doc.clone();
            let done = mutate(&mut copy, &mut Rng::new(seed), 1);
            assert_ne!(copy, doc, "seed {seed}: {done:?}");
        }
    }
}

//! Every function of the C ABI runs inside the panic boundary: the whole body of each `extern "C" fn` in
//! crates/ffi/src is one `ffi_boundary!` or `ffi_result!` call, and every function the generated header
//! declares is such a function. A panic anywhere else would unwind into C (undefined behaviour), so this is
//! checked on the sources rather than trusted to review.

use fastembed_reliability::files;
use std::collections::BTreeSet;

/// An exported function as found in the sources.
#[derive(Debug)]
struct Exported {
    name: String,
    file: String,
    /// Why the body is not entirely inside a boundary macro, if it is not.
    problem: Option<String>,
}

#[test]
fn every_exported_function_body_is_inside_a_boundary_macro() {
    let exported = exported_functions();
    assert!(
        exported.len() >= 20,
        "found only {} exported functions; is the parser broken?",
        exported.len()
    );
    let unwrapped: Vec<String> = exported
        .iter()
        .filter_map(|f| f.problem.as_ref().map(|p| format!("{} ({}): {p}", f.name, f.file)))
        .collect();
    assert!(
        unwrapped.is_empty(),
        "functions outside the panic boundary:\n{}",
        unwrapped.join("\n")
    );
}

#[test]
fn every_function_of_the_header_is_an_exported_function_of_the_sources() {
    let header = std::fs::read_to_string(files::c_header()).expect("read include/fastembed.h");
    let declared = header_functions(&header);
    let defined: BTreeSet<String> = exported_functions().into_iter().map(|f| f.name).collect();
    let missing: Vec<&String> = declared.difference(&defined).collect();
    assert!(
        missing.is_empty(),
        "declared in fastembed.h but not an extern \"C\" fn of crates/ffi: {missing:?}"
    );
    assert!(
        declared.len() >= 20,
        "found only {} functions in the header",
        declared.len()
    );
}

#[test]
fn the_checker_rejects_bodies_outside_the_boundary() {
    let cases = [
        ("pub extern \"C\" fn a() -> u32 { 1 }", "starts with"),
        (
            "pub extern \"C\" fn b(x: *const u8) -> usize { let y = 1; ffi_boundary!({ y }) }",
            "starts with",
        ),
        (
            "pub extern \"C\" fn c() -> usize { ffi_boundary!({ 1 }); panic!(\"after\") }",
            "after the macro",
        ),
        (
            "pub extern \"C\" fn d(e: *mut *mut E) -> fe_result { ffi_result!(e, { Ok(()) }) }",
            "",
        ),
        (
            "pub extern \"C\" fn f(s: &str) -> usize { ffi_boundary!({ s.find(')').unwrap_or(0) }) }",
            "",
        ),
        (
            "pub extern \"C\" fn g() -> usize {\n    // a comment (with a paren\n    ffi_boundary!({ 2 })\n}",
            "",
        ),
        (
            "pub extern \"C\" fn h(x: u8) -> u8 { inner(x) }\nfn inner(x: u8) -> u8 { ffi_boundary!({ x }) }",
            "",
        ),
        (
            "pub extern \"C\" fn i(x: u8) -> u8 { inner(x) }\nfn inner(x: u8) -> u8 { x + 1 }",
            "via inner",
        ),
        ("pub extern \"C\" fn j(x: u8) -> u8 { missing(x) }", "starts with"),
    ];
    for (source, expected) in cases {
        let found = parse(source, "case");
        assert_eq!(found.len(), 1, "{source}");
        match (&found[0].problem, expected) {
            (None, "") => {}
            (Some(problem), e) if !e.is_empty() && problem.contains(e) => {}
            (other, e) => panic!("{source}: got {other:?}, expected {e:?}"),
        }
    }
}

fn exported_functions() -> Vec<Exported> {
    let mut all = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(files::ffi_sources())
        .expect("read crates/ffi/src")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).expect("read source");
            all.extend(parse(&source, &path.file_name().unwrap().to_string_lossy()));
        }
    }
    all
}

/// Function names declared in the C header: `<type> fe_name(`.
fn header_functions(header: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in header.lines() {
        let line = line.trim_start();
        if line.starts_with('#') || line.starts_with("//") || line.starts_with('*') || line.starts_with("/*") {
            continue;
        }
        if let Some(open) = line.find('(') {
            let before = &line[..open];
            if let Some(name) = before.split(|c: char| !(c.is_alphanumeric() || c == '_')).next_back() {
                if name.starts_with("fe_") && !before.contains("typedef") {
                    names.insert(name.to_string());
                }
            }
        }
    }
    names
}

/// Finds each `extern "C" fn` and checks that its body is exactly one boundary macro call, or exactly one
/// call of a private function of the same file whose body is (delegating wrappers such as
/// `fe_sparse_embedding_query_embed` → `embed`: passing arguments cannot panic).
fn parse(source: &str, file: &str) -> Vec<Exported> {
    let code = blank_comments_and_literals(source);
    let helpers = private_functions(&code);
    let mut found = Vec::new();
    let marker = "extern \"C\" fn ";
    // Search the original text for the marker (the blanked copy has its string literal blanked).
    let mut from = 0;
    while let Some(at) = source[from..].find(marker) {
        let start = from + at + marker.len();
        from = start;
        if code.as_bytes()[start - marker.len()] != b'e' {
            continue; // inside a comment
        }
        let name: String = source[start..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let body = function_body(&code, start);
        let problem = check_body(body).and_then(|problem| match delegate(body) {
            Some(callee) => match helpers.iter().find(|(n, _)| *n == callee) {
                Some((_, helper_body)) => check_body(helper_body).map(|p| format!("via {callee}: {p}")),
                None => Some(problem),
            },
            None => Some(problem),
        });
        found.push(Exported {
            name,
            file: file.to_string(),
            problem,
        });
    }
    found
}

/// The body (between its braces) of the function whose name starts at `name_start`.
fn function_body(code: &str, name_start: usize) -> &str {
    let params_open = name_start + code[name_start..].find('(').expect("parameter list");
    let params_close = matching(code, params_open);
    let body_open = params_close + code[params_close..].find('{').expect("function body");
    let body_close = matching(code, body_open);
    &code[body_open + 1..body_close]
}

/// Functions declared `fn name(` without `extern`: (name, body).
fn private_functions(code: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("fn ") {
        let start = from + at + 3;
        from = start;
        let before = code[..start - 3].trim_end();
        let boundary = code[..start - 3]
            .chars()
            .last()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if !boundary || before.ends_with("extern") || before.ends_with('"') {
            continue;
        }
        let name: String = code[start..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() || !code[start + name.len()..].trim_start().starts_with(['(', '<']) {
            continue;
        }
        out.push((name, function_body(code, start)));
    }
    out
}

/// The callee when a body is exactly one call `name(...)`.
fn delegate(body: &str) -> Option<String> {
    let trimmed = body.trim();
    let name: String = trimmed
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let rest = &body[body.find(&name)? + name.len()..];
    if name.is_empty() || !rest.starts_with('(') {
        return None;
    }
    let close = matching(rest, 0);
    rest[close + 1..].trim().is_empty().then_some(name)
}

fn check_body(body: &str) -> Option<String> {
    let trimmed = body.trim_start();
    let macro_name = ["ffi_boundary!", "ffi_result!"]
        .into_iter()
        .find(|m| trimmed.starts_with(m));
    let Some(macro_name) = macro_name else {
        let first: String = trimmed.chars().take(40).collect();
        return Some(format!(
            "body starts with `{first}` instead of ffi_boundary!/ffi_result!"
        ));
    };
    let offset = body.len() - trimmed.len() + macro_name.len();
    let open = offset + body[offset..].find(|c: char| !c.is_whitespace()).unwrap_or(0);
    if !body[open..].starts_with('(') {
        return Some(format!("{macro_name} is not followed by `(`"));
    }
    let close = matching(body, open);
    let rest = body[close + 1..].trim();
    if !rest.is_empty() {
        return Some(format!(
            "code after the macro: `{}`",
            rest.chars().take(40).collect::<String>()
        ));
    }
    None
}

/// Index of the bracket closing the one at `open` (`(`, `{` or `[`), in code without comments/literals.
fn matching(code: &str, open: usize) -> usize {
    let bytes = code.as_bytes();
    let mut depth = 0i32;
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced brackets from byte {open}");
}

/// The source with comments, string literals and char literals replaced by spaces (same byte offsets),
/// so brackets inside them do not count.
fn blank_comments_and_literals(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in &mut out[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = source[i + 2..].find("*/").map_or(bytes.len(), |n| i + 2 + n + 2);
                blank(&mut out, i, end);
                i = end;
            }
            b'"' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i, j + 1);
                i = j + 1;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a), which has no closing quote.
                let rest = &source[i + 1..];
                let len = if rest.starts_with('\\') {
                    rest.find('\'').map(|n| n + 1)
                } else {
                    rest.chars()
                        .next()
                        .filter(|_| rest.chars().nth(1) == Some('\''))
                        .map(|c| c.len_utf8() + 1)
                };
                match len {
                    Some(n) => {
                        blank(&mut out, i, i + 1 + n);
                        i += 1 + n;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).expect("blanking keeps UTF-8 (only ASCII bytes become spaces)")
}

//! The Snowball Portuguese stemmer (Snowball 2.x).
//!
//! As in Snowball, the nasal vowels `ã`/`õ` are spelled `a~`/`o~` while stemming, so that the
//! `~` counts as a consonant.

use std::borrow::Cow;

use super::romance::{delete_if_from, longest_suffix_from, Regions};
use super::word::Word;
use super::{unchanged_or, Stemmer};

/// Snowball's Portuguese stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Portuguese;

impl Stemmer for Portuguese {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        unchanged_or(word, stem(word))
    }
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e' | 'i' | 'o' | 'u' | 'á' | 'é' | 'í' | 'ó' | 'ú' | 'â' | 'ê' | 'ô'
    )
}

fn stem(word: &str) -> String {
    let mut w = Word::new(&word.replace('ã', "a~").replace('õ', "o~"));
    let r = Regions::mark(&w, is_vowel);
    if standard_suffix(&mut w, &r) || verb_suffix(&mut w, &r) {
        let n = w.len();
        if n >= 2 && w.chars[n - 1] == 'i' && w.chars[n - 2] == 'c' && n > r.pv {
            w.truncate(n - 1);
        }
    } else if let Some(s) = w.longest_suffix(&["os", "a", "i", "o", "á", "í", "ó"]) {
        let start = w.start_of(s);
        if start >= r.pv {
            w.truncate(start);
        }
    }
    residual_form(&mut w, &r);
    w.into_string().replace("a~", "ã").replace("o~", "õ")
}

/// Removes a standard suffix; false when none applied (so verb suffixes are tried).
fn standard_suffix(w: &mut Word, r: &Regions) -> bool {
    const SUFFIXES: &[&str] = &[
        "eza", "ezas", "ico", "ica", "icos", "icas", "ismo", "ismos", "ável", "ível", "ista", "istas", "oso", "osa",
        "osos", "osas", "amento", "amentos", "imento", "imentos", "adora", "ador", "aça~o", "adoras", "adores",
        "aço~es", "ante", "antes", "ância", "logia", "logias", "uça~o", "uço~es", "ência", "ências", "amente", "mente",
        "idade", "idades", "iva", "ivo", "ivas", "ivos", "ira", "iras",
    ];
    let Some(suffix) = w.longest_suffix(SUFFIXES) else {
        return false;
    };
    let start = w.start_of(suffix);
    let in_r2 = start >= r.p2;
    match suffix {
        "logia" | "logias" if in_r2 => {
            w.truncate(start);
            w.push_str("log");
        }
        "uça~o" | "uço~es" if in_r2 => {
            w.truncate(start);
            w.push_str("u");
        }
        "ência" | "ências" if in_r2 => {
            w.truncate(start);
            w.push_str("ente");
        }
        "amente" if start >= r.p1 => {
            w.truncate(start);
            if let Some(s) = w.longest_suffix(&["iv", "os", "ic", "ad"]) {
                let s_start = w.start_of(s);
                if s_start >= r.p2 {
                    w.truncate(s_start);
                    if s == "iv" {
                        delete_if_from(w, &["at"], r.p2);
                    }
                }
            }
        }
        "mente" if in_r2 => {
            w.truncate(start);
            delete_if_from(w, &["ante", "avel", "ível"], r.p2);
        }
        "idade" | "idades" if in_r2 => {
            w.truncate(start);
            delete_if_from(w, &["abil", "ic", "iv"], r.p2);
        }
        "iva" | "ivo" | "ivas" | "ivos" if in_r2 => {
            w.truncate(start);
            delete_if_from(w, &["at"], r.p2);
        }
        "ira" | "iras" if start >= r.pv && start > 0 && w.chars[start - 1] == 'e' => {
            w.truncate(start);
            w.push_str("ir");
        }
        "logia" | "logias" | "uça~o" | "uço~es" | "ência" | "ências" | "amente" | "mente" | "idade" | "idades"
        | "iva" | "ivo" | "ivas" | "ivos" | "ira" | "iras" => return false,
        _ if in_r2 => w.truncate(start),
        _ => return false,
    }
    true
}

fn verb_suffix(w: &mut Word, r: &Regions) -> bool {
    const SUFFIXES: &[&str] = &[
        "ada", "ida", "ia", "aria", "eria", "iria", "ará", "ara", "erá", "era", "irá", "ava", "asse", "esse", "isse",
        "aste", "este", "iste", "ei", "arei", "erei", "irei", "am", "iam", "ariam", "eriam", "iriam", "aram", "eram",
        "iram", "avam", "em", "arem", "erem", "irem", "assem", "essem", "issem", "ado", "ido", "ando", "endo", "indo",
        "ara~o", "era~o", "ira~o", "ar", "er", "ir", "as", "adas", "idas", "ias", "arias", "erias", "irias", "arás",
        "aras", "erás", "eras", "irás", "avas", "es", "ardes", "erdes", "irdes", "ares", "eres", "ires", "asses",
        "esses", "isses", "astes", "estes", "istes", "is", "ais", "eis", "íeis", "aríeis", "eríeis", "iríeis", "áreis",
        "areis", "éreis", "ereis", "íreis", "ireis", "ásseis", "ésseis", "ísseis", "áveis", "ados", "idos", "ámos",
        "amos", "íamos", "aríamos", "eríamos", "iríamos", "áramos", "éramos", "íramos", "ávamos", "emos", "aremos",
        "eremos", "iremos", "ássemos", "êssemos", "íssemos", "imos", "armos", "ermos", "irmos", "eu", "iu", "ou",
        "ira", "iras",
    ];
    match longest_suffix_from(w, SUFFIXES, r.pv) {
        Some(suffix) => {
            let start = w.start_of(suffix);
            w.truncate(start);
            true
        }
        None => false,
    }
}

/// A final `e`/`é`/`ê` in RV goes, with a `u` after `g` or an `i` after `c` before it;
/// a final `ç` becomes `c`.
fn residual_form(w: &mut Word, r: &Regions) {
    let n = w.len();
    match w.chars.last() {
        Some('e' | 'é' | 'ê') if n > r.pv => {
            w.truncate(n - 1);
            let n = w.len();
            if n >= 2 {
                let (last, before) = (w.chars[n - 1], w.chars[n - 2]);
                if ((last == 'u' && before == 'g') || (last == 'i' && before == 'c')) && n > r.pv {
                    w.truncate(n - 1);
                }
            }
        }
        Some('ç') => w.chars[n - 1] = 'c',
        _ => {}
    }
}

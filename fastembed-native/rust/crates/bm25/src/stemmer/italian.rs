//! The Snowball Italian stemmer (Snowball 2.x).

use std::borrow::Cow;

use super::romance::{delete_if_from, longest_suffix_from, Regions};
use super::word::Word;
use super::{unchanged_or, Stemmer};

/// Snowball's Italian stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Italian;

impl Stemmer for Italian {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        unchanged_or(word, stem(word))
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'à' | 'è' | 'ì' | 'ò' | 'ù')
}

fn is_aeio(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'à' | 'è' | 'ì' | 'ò')
}

fn stem(word: &str) -> String {
    let mut w = Word::new(&prelude(word));
    mark_consonant_u_and_i(&mut w);
    let r = Regions::mark(&w, is_vowel);
    attached_pronoun(&mut w, &r);
    if !standard_suffix(&mut w, &r) {
        verb_suffix(&mut w, &r);
    }
    vowel_suffix(&mut w, &r);
    w.chars
        .iter()
        .map(|&c| match c {
            'I' => 'i',
            'U' => 'u',
            c => c,
        })
        .collect()
}

/// Acute accents become grave ones and the `u` of `qu` is marked as a consonant.
fn prelude(word: &str) -> String {
    word.replace('á', "à")
        .replace('é', "è")
        .replace('í', "ì")
        .replace('ó', "ò")
        .replace('ú', "ù")
        .replace("qu", "qU")
}

/// `u` and `i` between vowels are consonants: `U`/`I` until the postlude.
fn mark_consonant_u_and_i(w: &mut Word) {
    for i in 1..w.len().saturating_sub(1) {
        if is_vowel(w.chars[i - 1]) && is_vowel(w.chars[i + 1]) {
            match w.chars[i] {
                'u' => w.chars[i] = 'U',
                'i' => w.chars[i] = 'I',
                _ => {}
            }
        }
    }
}

fn attached_pronoun(w: &mut Word, r: &Regions) {
    const PRONOUNS: &[&str] = &[
        "ci", "gli", "la", "le", "li", "lo", "mi", "ne", "si", "ti", "vi", "sene", "gliela", "gliele", "glieli",
        "glielo", "gliene", "mela", "mele", "meli", "melo", "mene", "tela", "tele", "teli", "telo", "tene", "cela",
        "cele", "celi", "celo", "cene", "vela", "vele", "veli", "velo", "vene",
    ];
    let Some(pronoun) = w.longest_suffix(PRONOUNS) else {
        return;
    };
    let pronoun_start = w.start_of(pronoun);
    let Some(form) = w.longest_suffix_before(pronoun_start, &["ando", "endo", "ar", "er", "ir"]) else {
        return;
    };
    if pronoun_start - form.len() < r.pv {
        return;
    }
    w.truncate(pronoun_start);
    if matches!(form, "ar" | "er" | "ir") {
        w.push_str("e");
    }
}

/// Removes a standard suffix; false when none applied (so verb suffixes are tried).
fn standard_suffix(w: &mut Word, r: &Regions) -> bool {
    const SUFFIXES: &[&str] = &[
        "anza", "anze", "ico", "ici", "ica", "ice", "iche", "ichi", "ismo", "ismi", "abile", "abili", "ibile", "ibili",
        "ista", "iste", "isti", "istà", "istè", "istì", "oso", "osi", "osa", "ose", "mente", "atrice", "atrici",
        "ante", "anti", "azione", "azioni", "atore", "atori", "logia", "logie", "uzione", "uzioni", "usione", "usioni",
        "enza", "enze", "amento", "amenti", "imento", "imenti", "amente", "ità", "ivo", "ivi", "iva", "ive",
    ];
    let Some(suffix) = w.longest_suffix(SUFFIXES) else {
        return false;
    };
    let start = w.start_of(suffix);
    let in_r2 = start >= r.p2;
    match suffix {
        "azione" | "azioni" | "atore" | "atori" if in_r2 => {
            w.truncate(start);
            delete_if_from(w, &["ic"], r.p2);
        }
        "logia" | "logie" if in_r2 => {
            w.truncate(start);
            w.push_str("log");
        }
        "uzione" | "uzioni" | "usione" | "usioni" if in_r2 => {
            w.truncate(start);
            w.push_str("u");
        }
        "enza" | "enze" if in_r2 => {
            w.truncate(start);
            w.push_str("ente");
        }
        "amento" | "amenti" | "imento" | "imenti" if start >= r.pv => w.truncate(start),
        "amente" if start >= r.p1 => {
            w.truncate(start);
            if let Some(s) = w.longest_suffix(&["iv", "os", "ic", "abil"]) {
                let s_start = w.start_of(s);
                if s_start >= r.p2 {
                    w.truncate(s_start);
                    if s == "iv" {
                        delete_if_from(w, &["at"], r.p2);
                    }
                }
            }
        }
        "ità" if in_r2 => {
            w.truncate(start);
            delete_if_from(w, &["abil", "ic", "iv"], r.p2);
        }
        "ivo" | "ivi" | "iva" | "ive" if in_r2 => {
            w.truncate(start);
            if delete_if_from(w, &["at"], r.p2) {
                delete_if_from(w, &["ic"], r.p2);
            }
        }
        "azione" | "azioni" | "atore" | "atori" | "logia" | "logie" | "uzione" | "uzioni" | "usione" | "usioni"
        | "enza" | "enze" | "amento" | "amenti" | "imento" | "imenti" | "amente" | "ità" | "ivo" | "ivi" | "iva"
        | "ive" => return false,
        _ if in_r2 => w.truncate(start),
        _ => return false,
    }
    true
}

fn verb_suffix(w: &mut Word, r: &Regions) {
    const SUFFIXES: &[&str] = &[
        "ammo", "ando", "ano", "are", "arono", "asse", "assero", "assi", "assimo", "ata", "ate", "ati", "ato", "ava",
        "avamo", "avano", "avate", "avi", "avo", "emmo", "enda", "ende", "endi", "endo", "erà", "erai", "eranno",
        "ere", "erebbe", "erebbero", "erei", "eremmo", "eremo", "ereste", "eresti", "erete", "erò", "erono", "essero",
        "ete", "eva", "evamo", "evano", "evate", "evi", "evo", "Yamo", "iamo", "immo", "irà", "irai", "iranno", "ire",
        "irebbe", "irebbero", "irei", "iremmo", "iremo", "ireste", "iresti", "irete", "irò", "irono", "isca", "iscano",
        "isce", "isci", "isco", "iscono", "issero", "ita", "ite", "iti", "ito", "iva", "ivamo", "ivano", "ivate",
        "ivi", "ivo", "ono", "uta", "ute", "uti", "uto", "ar", "ir",
    ];
    if let Some(suffix) = longest_suffix_from(w, SUFFIXES, r.pv) {
        let start = w.start_of(suffix);
        w.truncate(start);
    }
}

/// A final vowel in RV goes, then a final `i` in RV; `ch`/`gh` lose the `h` when the `c`/`g`
/// is in RV.
fn vowel_suffix(w: &mut Word, r: &Regions) {
    let n = w.len();
    if n > 0 && is_aeio(w.chars[n - 1]) && n > r.pv {
        w.truncate(n - 1);
        let n = w.len();
        if n > 0 && w.chars[n - 1] == 'i' && n > r.pv {
            w.truncate(n - 1);
        }
    }
    let n = w.len();
    if n >= 2 && w.chars[n - 1] == 'h' && matches!(w.chars[n - 2], 'c' | 'g') && n - 2 >= r.pv {
        w.truncate(n - 1);
    }
}

//! The Snowball Spanish stemmer (Snowball 2.x).

use std::borrow::Cow;

use super::romance::{delete_if_from, longest_suffix_from, Regions};
use super::word::Word;
use super::{unchanged_or, Stemmer};

/// Snowball's Spanish stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spanish;

impl Stemmer for Spanish {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        unchanged_or(word, stem(word))
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'á' | 'é' | 'í' | 'ó' | 'ú' | 'ü')
}

fn stem(word: &str) -> String {
    let mut w = Word::new(word);
    let r = Regions::mark(&w, is_vowel);
    attached_pronoun(&mut w, &r);
    if !standard_suffix(&mut w, &r) && !y_verb_suffix(&mut w, &r) {
        verb_suffix(&mut w, &r);
    }
    residual_suffix(&mut w, &r);
    w.chars
        .iter()
        .map(|&c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' => 'u',
            c => c,
        })
        .collect()
}

fn attached_pronoun(w: &mut Word, r: &Regions) {
    const PRONOUNS: &[&str] = &[
        "me", "se", "sela", "selo", "selas", "selos", "la", "le", "lo", "las", "les", "los", "nos",
    ];
    const VERB_FORMS: &[&str] = &[
        "iéndo", "ándo", "ár", "ér", "ír", "ando", "iendo", "ar", "er", "ir", "yendo",
    ];
    let Some(pronoun) = w.longest_suffix(PRONOUNS) else {
        return;
    };
    let pronoun_start = w.start_of(pronoun);
    let Some(form) = w.longest_suffix_before(pronoun_start, VERB_FORMS) else {
        return;
    };
    let form_start = pronoun_start - form.chars().count();
    if form_start < r.pv {
        return;
    }
    let accentless = match form {
        "iéndo" => Some("iendo"),
        "ándo" => Some("ando"),
        "ár" => Some("ar"),
        "ér" => Some("er"),
        "ír" => Some("ir"),
        _ => None,
    };
    match accentless {
        Some(plain) => {
            w.truncate(form_start);
            w.push_str(plain);
        }
        None if form == "yendo" => {
            if form_start > 0 && w.chars[form_start - 1] == 'u' {
                w.truncate(pronoun_start);
            }
        }
        None => w.truncate(pronoun_start),
    }
}

/// Removes a standard suffix; false when none applied (so verb suffixes are tried).
fn standard_suffix(w: &mut Word, r: &Regions) -> bool {
    const SUFFIXES: &[&str] = &[
        "anza", "anzas", "ico", "ica", "icos", "icas", "ismo", "ismos", "able", "ables", "ible", "ibles", "ista",
        "istas", "oso", "osa", "osos", "osas", "amiento", "amientos", "imiento", "imientos", "adora", "ador", "ación",
        "adoras", "adores", "aciones", "ante", "antes", "ancia", "ancias", "logía", "logías", "ución", "uciones",
        "encia", "encias", "amente", "mente", "idad", "idades", "iva", "ivo", "ivas", "ivos",
    ];
    let Some(suffix) = w.longest_suffix(SUFFIXES) else {
        return false;
    };
    let start = w.start_of(suffix);
    let in_r2 = start >= r.p2;
    match suffix {
        "adora" | "ador" | "ación" | "adoras" | "adores" | "aciones" | "ante" | "antes" | "ancia" | "ancias" => {
            if !in_r2 {
                return false;
            }
            w.truncate(start);
            delete_if_from(w, &["ic"], r.p2);
        }
        "logía" | "logías" => {
            if !in_r2 {
                return false;
            }
            w.truncate(start);
            w.push_str("log");
        }
        "ución" | "uciones" => {
            if !in_r2 {
                return false;
            }
            w.truncate(start);
            w.push_str("u");
        }
        "encia" | "encias" => {
            if !in_r2 {
                return false;
            }
            w.truncate(start);
            w.push_str("ente");
        }
        "amente" => {
            if start < r.p1 {
                return false;
            }
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
        "mente" => {
            if !in_r2 {
                return false;
            }
            w.truncate(start);
            delete_if_from(w, &["ante", "able", "ible"], r.p2);
        }
        "idad" | "idades" => {
            if !in_r2 {
                return false;
            }
            w.truncate(start);
            delete_if_from(w, &["abil", "ic", "iv"], r.p2);
        }
        "iva" | "ivo" | "ivas" | "ivos" => {
            if !in_r2 {
                return false;
            }
            w.truncate(start);
            delete_if_from(w, &["at"], r.p2);
        }
        _ => {
            if !in_r2 {
                return false;
            }
            w.truncate(start);
        }
    }
    true
}

fn y_verb_suffix(w: &mut Word, r: &Regions) -> bool {
    const SUFFIXES: &[&str] = &[
        "ya", "ye", "yan", "yen", "yeron", "yendo", "yo", "yó", "yas", "yes", "yais", "yamos",
    ];
    // The suffix is matched within RV only: a longer match reaching before RV does not count.
    let Some(suffix) = longest_suffix_from(w, SUFFIXES, r.pv) else {
        return false;
    };
    let start = w.start_of(suffix);
    if start > 0 && w.chars[start - 1] == 'u' {
        w.truncate(start);
        true
    } else {
        false
    }
}

fn verb_suffix(w: &mut Word, r: &Regions) -> bool {
    const WITH_GU: &[&str] = &["en", "es", "éis", "emos"];
    const SUFFIXES: &[&str] = &[
        "en", "es", "éis", "emos", "arían", "arías", "arán", "arás", "aríais", "aría", "aréis", "aríamos", "aremos",
        "ará", "aré", "erían", "erías", "erán", "erás", "eríais", "ería", "eréis", "eríamos", "eremos", "erá", "eré",
        "irían", "irías", "irán", "irás", "iríais", "iría", "iréis", "iríamos", "iremos", "irá", "iré", "aba", "ada",
        "ida", "ía", "ara", "iera", "ad", "ed", "id", "ase", "iese", "aste", "iste", "an", "aban", "ían", "aran",
        "ieran", "asen", "iesen", "aron", "ieron", "ado", "ido", "ando", "iendo", "ió", "ar", "er", "ir", "as", "abas",
        "adas", "idas", "ías", "aras", "ieras", "ases", "ieses", "ís", "áis", "abais", "íais", "arais", "ierais",
        "aseis", "ieseis", "asteis", "isteis", "ados", "idos", "amos", "ábamos", "íamos", "imos", "áramos", "iéramos",
        "iésemos", "ásemos",
    ];
    let Some(suffix) = longest_suffix_from(w, SUFFIXES, r.pv) else {
        return false;
    };
    let mut start = w.start_of(suffix);
    if WITH_GU.contains(&suffix) && start >= 2 && w.chars[start - 1] == 'u' && w.chars[start - 2] == 'g' {
        start -= 1;
    }
    w.truncate(start);
    true
}

fn residual_suffix(w: &mut Word, r: &Regions) {
    let Some(suffix) = w.longest_suffix(&["os", "a", "o", "á", "í", "ó", "e", "é"]) else {
        return;
    };
    let start = w.start_of(suffix);
    if start < r.pv {
        return;
    }
    w.truncate(start);
    if matches!(suffix, "e" | "é")
        && start >= 2
        && w.chars[start - 1] == 'u'
        && w.chars[start - 2] == 'g'
        && start > r.pv
    {
        w.truncate(start - 1);
    }
}

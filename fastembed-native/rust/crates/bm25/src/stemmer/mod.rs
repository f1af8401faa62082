//! Snowball stemmers: Snowball's own C implementations (libstemmer 2.2, linked statically), the
//! algorithms fastembed's `py_rust_stemmers` and the `snowballstemmer` library are generated from.

use std::borrow::Cow;
use std::ffi::{c_char, c_int, c_uchar, CStr};
use std::ptr::NonNull;
use std::sync::Mutex;

/// Reduces a lowercase word to its stem.
pub trait Stemmer: Send + Sync {
    /// The stem of `word`; borrowed when the word is already a stem.
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str>;
}

/// The languages fastembed's BM25 accepts (`fastembed.sparse.bm25.supported_languages`), each a
/// Snowball algorithm of the same name.
pub const SUPPORTED_LANGUAGES: &[&str] = &[
    "arabic",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hungarian",
    "italian",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "spanish",
    "swedish",
    "tamil",
    "turkish",
];

/// The Snowball stemmer for a fastembed language name (`"english"`, ...), ignoring case and
/// surrounding spaces; `None` for a language fastembed does not list.
pub fn for_language(lang: &str) -> Option<Box<dyn Stemmer>> {
    let lang = lang.trim().to_lowercase();
    let name = SUPPORTED_LANGUAGES.iter().find(|l| **l == lang)?;
    Snowball::new(name).map(|s| Box::new(s) as Box<dyn Stemmer>)
}

#[repr(C)]
struct SbStemmer {
    _private: [u8; 0],
}

extern "C" {
    fn sb_stemmer_new(algorithm: *const c_char, charenc: *const c_char) -> *mut SbStemmer;
    fn sb_stemmer_delete(stemmer: *mut SbStemmer);
    fn sb_stemmer_stem(stemmer: *mut SbStemmer, word: *const c_uchar, size: c_int) -> *const c_uchar;
    fn sb_stemmer_length(stemmer: *mut SbStemmer) -> c_int;
}

/// One owned libstemmer handle. A handle keeps its working buffer between calls, so it is used by
/// one thread at a time (see [`Snowball::idle`]).
struct Handle(NonNull<SbStemmer>);

// SAFETY: a libstemmer handle has no thread affinity; it only must not be used by two threads at
// once, which `Snowball` ensures by lending each handle to one caller at a time.
unsafe impl Send for Handle {}

impl Handle {
    fn new(algorithm: &CStr) -> Option<Handle> {
        // SAFETY: both arguments are NUL-terminated strings that outlive the call; libstemmer
        // returns NULL for an unknown algorithm or when out of memory.
        let raw = unsafe { sb_stemmer_new(algorithm.as_ptr(), c"UTF_8".as_ptr()) };
        NonNull::new(raw).map(Handle)
    }

    /// The stem of `word`, or `None` when libstemmer could not allocate its buffer.
    fn stem(&mut self, word: &str) -> Option<String> {
        let len = c_int::try_from(word.len()).ok()?;
        // SAFETY: the handle is valid and used by this thread only (`&mut self`); `word` is
        // `len` readable bytes. The result points into the handle's buffer, valid until the
        // next call on this handle, and is copied out before this function returns.
        unsafe {
            let out = sb_stemmer_stem(self.0.as_ptr(), word.as_ptr(), len);
            if out.is_null() {
                return None;
            }
            let out_len = usize::try_from(sb_stemmer_length(self.0.as_ptr())).ok()?;
            let bytes = std::slice::from_raw_parts(out, out_len);
            // Snowball's UTF-8 stemmers only cut and replace whole characters of valid input.
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the handle came from `sb_stemmer_new` and is deleted exactly once, here.
        unsafe { sb_stemmer_delete(self.0.as_ptr()) }
    }
}

/// A Snowball algorithm shared by threads: each call borrows an idle handle (or opens one), so
/// parallel callers never share a handle and never wait for each other.
struct Snowball {
    algorithm: &'static CStr,
    idle: Mutex<Vec<Handle>>,
}

impl Snowball {
    fn new(language: &str) -> Option<Snowball> {
        let algorithm = ALGORITHMS.iter().find(|a| a.to_bytes() == language.as_bytes())?;
        let first = Handle::new(algorithm)?;
        Some(Snowball {
            algorithm,
            idle: Mutex::new(vec![first]),
        })
    }
}

impl Stemmer for Snowball {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        let borrowed = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let Some(mut handle) = borrowed.or_else(|| Handle::new(self.algorithm)) else {
            // Out of memory for a new handle: leave the word as it is rather than fail the text.
            return Cow::Borrowed(word);
        };
        let stemmed = handle.stem(word);
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(handle);
        match stemmed {
            Some(s) if s != word => Cow::Owned(s),
            _ => Cow::Borrowed(word),
        }
    }
}

/// [`SUPPORTED_LANGUAGES`] as the C strings libstemmer takes.
const ALGORITHMS: &[&CStr] = &[
    c"arabic",
    c"danish",
    c"dutch",
    c"english",
    c"finnish",
    c"french",
    c"german",
    c"greek",
    c"hungarian",
    c"italian",
    c"norwegian",
    c"portuguese",
    c"romanian",
    c"russian",
    c"spanish",
    c"swedish",
    c"tamil",
    c"turkish",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fastembed_language_has_a_snowball_algorithm() {
        assert_eq!(ALGORITHMS.len(), SUPPORTED_LANGUAGES.len());
        for language in SUPPORTED_LANGUAGES {
            assert!(for_language(language).is_some(), "{language}");
        }
        assert!(for_language(" English ").is_some());
        // Snowball has these, fastembed does not list them.
        for other in ["porter", "basque", "klingon", ""] {
            assert!(for_language(other).is_none(), "{other}");
        }
    }

    #[test]
    fn parallel_callers_get_their_own_handles() {
        let stemmer = for_language("english").unwrap();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..2000 {
                        assert_eq!(stemmer.stem("generously"), "generous");
                        assert_eq!(stemmer.stem("running"), "run");
                    }
                });
            }
        });
    }
}

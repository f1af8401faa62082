//! Links Snowball's C stemmers (libstemmer, Debian's `libstemmer-dev`) statically, so that the
//! engine library needs no extra shared object at run time.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=LIBSTEMMER_STATIC");
    // gcc knows the multiarch library directories; it answers the bare name when it finds nothing.
    let archive = std::env::var_os("LIBSTEMMER_STATIC").map(PathBuf::from).or_else(|| {
        let out = Command::new("gcc").arg("-print-file-name=libstemmer.a").output().ok()?;
        let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
        path.is_absolute().then_some(path)
    });
    let archive = match archive {
        Some(path) if path.is_file() => path,
        _ => panic!(
            "Snowball's static stemmer library libstemmer.a was not found: install Debian's libstemmer-dev \
             (scripts/setup.sh does), or set LIBSTEMMER_STATIC to its path"
        ),
    };
    println!("cargo:rerun-if-changed={}", archive.display());
    let dir = archive.parent().expect("the archive is in a directory");
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rustc-link-lib=static=stemmer");
}

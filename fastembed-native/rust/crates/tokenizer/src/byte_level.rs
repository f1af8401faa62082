//! GPT-2's reversible byte ↔ printable char table used by byte-level BPE.

use once_cell::sync::Lazy;
use std::collections::HashMap;

/// Byte → char: printable Latin-1 bytes map to themselves, the others to U+0100 onwards.
pub(crate) static BYTE_TO_CHAR: Lazy<[char; 256]> = Lazy::new(|| {
    let printable = |b: u32| (0x21..=0x7E).contains(&b) || (0xA1..=0xAC).contains(&b) || (0xAE..=0xFF).contains(&b);
    let mut table = ['\0'; 256];
    let mut next = 256u32;
    for b in 0..256u32 {
        table[b as usize] = if printable(b) {
            char::from_u32(b).unwrap_or('\0')
        } else {
            let c = char::from_u32(next).unwrap_or('\0');
            next += 1;
            c
        };
    }
    table
});

pub(crate) static CHAR_TO_BYTE: Lazy<HashMap<char, u8>> =
    Lazy::new(|| BYTE_TO_CHAR.iter().enumerate().map(|(b, &c)| (c, b as u8)).collect());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_gpt2() {
        assert_eq!(BYTE_TO_CHAR[b' ' as usize], 'Ġ');
        assert_eq!(BYTE_TO_CHAR[b'\n' as usize], 'Ċ');
        assert_eq!(BYTE_TO_CHAR[b'a' as usize], 'a');
        assert_eq!(BYTE_TO_CHAR[0xAD], 'Ń');
        assert_eq!(CHAR_TO_BYTE.len(), 256);
    }
}

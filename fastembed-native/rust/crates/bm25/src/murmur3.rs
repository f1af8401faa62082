//! MurmurHash3, x86 32-bit variant (Austin Appleby's public-domain algorithm), the hash
//! fastembed uses (through Python's `mmh3`) to turn a token into a sparse index.

const C1: u32 = 0xcc9e_2d51;
const C2: u32 = 0x1b87_3593;

/// MurmurHash3_x86_32 of `data` with `seed`; blocks are read little-endian on every platform,
/// as the reference implementation and `mmh3` produce on x86.
pub fn murmur3_32(data: &[u8], seed: u32) -> u32 {
    let mut h = seed;

    let mut blocks = data.chunks_exact(4);
    for block in &mut blocks {
        let k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        h ^= mix_k(k);
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }

    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, &byte) in tail.iter().enumerate() {
            k |= u32::from(byte) << (8 * i);
        }
        h ^= mix_k(k);
    }

    // The length enters modulo 2^32, as in the reference's `int len`.
    h ^= data.len() as u32;
    fmix32(h)
}

/// The sparse index fastembed gives a token: `abs(mmh3.hash(token))`, i.e. the absolute value of
/// the hash read as a signed 32-bit integer (so 0..=2^31).
pub fn token_index(token: &str) -> u32 {
    (murmur3_32(token.as_bytes(), 0) as i32).unsigned_abs()
}

fn mix_k(k: u32) -> u32 {
    k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2)
}

fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

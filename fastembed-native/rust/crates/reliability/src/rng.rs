//! A small seeded generator (SplitMix64): the same seed gives the same sequence on every platform, so a
//! failing seed printed by a test replays exactly.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn bool(&mut self) -> bool {
        self.next_u64() & 1 == 1
    }

    /// Random bytes, any values.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }

    /// A random string of up to `max_chars` characters mixing ASCII, marks, other scripts, controls,
    /// noncharacters and astral code points.
    pub fn text(&mut self, max_chars: usize) -> String {
        const RANGES: &[(u32, u32)] = &[
            (0x20, 0x7E),
            (0x20, 0x7E),
            (0x0, 0x1F),
            (0x80, 0x24F),
            (0x300, 0x36F),
            (0x590, 0x6FF),
            (0x900, 0x97F),
            (0x2000, 0x206F),
            (0x3000, 0x30FF),
            (0x4E00, 0x9FFF),
            (0xAC00, 0xD7A3),
            (0xFDD0, 0xFDEF),
            (0xFE00, 0xFEFF),
            (0x1F300, 0x1F6FF),
            (0x10000, 0x10FFFF),
        ];
        let len = self.below(max_chars + 1);
        (0..len)
            .filter_map(|_| {
                let (lo, hi) = *self.pick(RANGES);
                char::from_u32(lo + self.below((hi - lo + 1) as usize) as u32)
            })
            .collect()
    }
}

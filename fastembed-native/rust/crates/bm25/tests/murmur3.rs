//! MurmurHash3 x86_32 against published test vectors, Python `mmh3`'s documented results and
//! (where Debian's libdigest-murmurhash3-pureperl-perl is installed) an independent reference.

use fastembed_bm25::{murmur3_32, token_index};

/// Widely published MurmurHash3_x86_32 verification vectors (byte strings, seed, hash).
const PUBLISHED: &[(&[u8], u32, u32)] = &[
    (b"", 0, 0x0000_0000),
    (b"", 1, 0x514E_28B7),
    (b"", 0xffff_ffff, 0x81F1_6F39),
    (b"\xff\xff\xff\xff", 0, 0x7629_3B50),
    (b"\x21\x43\x65\x87", 0, 0xF55B_516B),
    (b"\x21\x43\x65\x87", 0x5082_EDEE, 0x2362_F9DE),
    (b"\x21\x43\x65", 0, 0x7E4A_8634),
    (b"\x21\x43", 0, 0xA0F7_B07A),
    (b"\x21", 0, 0x7266_1CF4),
    (b"\0\0\0\0", 0, 0x2362_F9DE),
    (b"\0\0\0", 0, 0x85F0_B427),
    (b"\0\0", 0, 0x30F4_C306),
    (b"\0", 0, 0x514E_28B7),
    (b"aaaa", 0x9747_b28c, 0x5A97_808A),
    (b"aaa", 0x9747_b28c, 0x283E_0130),
    (b"aa", 0x9747_b28c, 0x5D21_1726),
    (b"a", 0x9747_b28c, 0x7FA0_9EA6),
    (b"abcd", 0x9747_b28c, 0xF047_8627),
    (b"abc", 0x9747_b28c, 0xC84A_62DD),
    (b"ab", 0x9747_b28c, 0x7487_5592),
    (b"Hello, world!", 0x9747_b28c, 0x2488_4CBA),
    (b"The quick brown fox jumps over the lazy dog", 0x9747_b28c, 0x2FA8_26CD),
];

#[test]
fn matches_published_vectors() {
    for &(data, seed, expected) in PUBLISHED {
        assert_eq!(murmur3_32(data, seed), expected, "{data:?} seed {seed:#x}");
    }
}

#[test]
fn hashes_utf8_bytes_and_long_inputs() {
    assert_eq!(murmur3_32("ππππππππ".as_bytes(), 0x9747_b28c), 0xD580_63C1);
    assert_eq!(murmur3_32(&[b'a'; 256], 0x9747_b28c), 0x3740_5BDC);
}

#[test]
fn token_index_is_abs_of_mmh3_signed_hash() {
    // mmh3's README: mmh3.hash("foo") == -156908512, mmh3.hash("foo", 42) == -1322301282,
    // mmh3.hash("foo", signed=False) == 4138058784.
    assert_eq!(murmur3_32(b"foo", 0), 4_138_058_784);
    assert_eq!(murmur3_32(b"foo", 42) as i32, -1_322_301_282);
    assert_eq!(token_index("foo"), 156_908_512);
    // A hash with the top bit clear is its own index.
    assert_eq!(token_index("a"), murmur3_32(b"a", 0));
    assert!(murmur3_32(b"a", 0) < 0x8000_0000);
}

/// Parity with Digest::MurmurHash3::PurePerl (which hashes the UTF-8 encoding of a string).
#[test]
fn agrees_with_the_perl_reference_on_generated_strings() {
    let perl = fastembed_testkit::perl("Digest::MurmurHash3::PurePerl", "libdigest-murmurhash3-pureperl-perl");
    let words: Vec<String> = (0..300)
        .map(|i| {
            let alphabet = ["a", "z", "Q", "0", "_", " ", "é", "π", "語", "🙂"];
            (0..(i % 23))
                .map(|j| alphabet[(i * 7 + j * 13 + j * j) % alphabet.len()])
                .collect()
        })
        .collect();
    let script = "use utf8; use Digest::MurmurHash3::PurePerl qw(murmur32); binmode STDIN, ':encoding(UTF-8)'; \
                  while (my $l = <STDIN>) { chomp $l; my ($seed, $w) = split /\\t/, $l, 2; $w //= ''; \
                  printf \"%u\\n\", murmur32($w, $seed); }";
    let mut child = std::process::Command::new(perl)
        .args(["-e", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("perl starts");
    let input: String = words
        .iter()
        .enumerate()
        .map(|(i, w)| format!("{}\t{w}\n", i * 2_654_435_761 % 4_294_967_296))
        .collect();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    let output = child.wait_with_output().expect("perl runs");
    let expected: Vec<u32> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(expected.len(), words.len());
    for (i, (word, want)) in words.iter().zip(expected).enumerate() {
        let seed = (i as u64 * 2_654_435_761 % 4_294_967_296) as u32;
        assert_eq!(murmur3_32(word.as_bytes(), seed), want, "{word:?} seed {seed}");
    }
}

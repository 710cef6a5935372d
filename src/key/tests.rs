//! Unit tests of the key derivation.

use super::*;
use proptest::prelude::*;

#[test]
fn constant_time_equality() {
    assert!(constant_time_eq(b"abc", b"abc"));
    assert!(!constant_time_eq(b"abc", b"abd"));
    assert!(!constant_time_eq(b"abc", b"ab"));
}

#[test]
fn the_documentation_signing_key() {
    // AWS's "Deriving the signing key" example (the retired General Reference).
    let chain = KeyChain::derive(
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "20150830",
        "us-east-1",
        "iam",
    );
    assert_eq!(
        crate::encoding::hex32(&chain.k_signing[..]),
        *b"c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
    );
}

proptest! {
    #[test]
    fn a_key_in_parts_is_the_joined_key_at_any_length(
        a in prop::collection::vec(any::<u8>(), 0..100),
        b in prop::collection::vec(any::<u8>(), 0..100),
        message in prop::collection::vec(any::<u8>(), 0..100),
    ) {
        let joined: std::vec::Vec<u8> = a.iter().chain(&b).copied().collect();
        let mut reference = <HmacSha256 as KeyInit>::new_from_slice(&joined).unwrap();
        reference.update(&message);
        let mut ours = keyed(&[&a, &b]);
        ours.update(&message);
        prop_assert_eq!(ours.finalize().into_bytes(), reference.finalize().into_bytes());
    }
}

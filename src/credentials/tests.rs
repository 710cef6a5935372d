//! Unit tests of credentials.

use super::*;

#[test]
fn rejects_empty_and_scope_breaking_key_ids() {
    assert_eq!(
        Credentials::new("", "s").unwrap_err(),
        Error::EmptyAccessKeyId
    );
    assert_eq!(
        Credentials::new("AKID/X", "s").unwrap_err(),
        Error::InvalidAccessKeyId { position: 4 }
    );
    assert_eq!(
        Credentials::new("AK\nID", "s").unwrap_err(),
        Error::InvalidAccessKeyId { position: 2 }
    );
    assert_eq!(
        Credentials::new("AKID", "").unwrap_err(),
        Error::EmptySecretKey
    );
    let c = Credentials::new("AKID", "s").unwrap();
    assert_eq!(
        c.clone().with_session_token("").unwrap_err(),
        Error::InvalidSessionToken
    );
    assert_eq!(
        c.with_session_token("a\r\nb").unwrap_err(),
        Error::InvalidSessionToken
    );
}

#[test]
fn debug_hides_secret_and_token() {
    let c = Credentials::new("AKIDEXAMPLE", "supersecretvalue")
        .unwrap()
        .with_session_token("tokentokentoken")
        .unwrap();
    let shown = alloc::format!("{c:?}");
    assert!(shown.contains("AKIDEXAMPLE"));
    assert!(!shown.contains("supersecretvalue"));
    assert!(!shown.contains("tokentokentoken"));
}

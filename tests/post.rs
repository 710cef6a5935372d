//! Presigned POST: the policy the signer writes, the form it returns, and
//! every way the verifier refuses an upload.
#![cfg(feature = "post")]

use awsig::post::{Condition, Policy, PostRequest, PresignedPost};
use awsig::post::{PostError, PostUpload};
use awsig::s3::{Endpoint, S3Presigner};
use awsig::verify::{Verifier, VerifyError};
use awsig::{Credentials, Error, SigningTime};
use base64::Engine;

const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn at(text: &str) -> SigningTime {
    SigningTime::parse(text).unwrap()
}

fn creds() -> Credentials {
    Credentials::new(KEY_ID, SECRET).unwrap()
}

fn s3() -> S3Presigner {
    S3Presigner::new(creds(), "eu-west-1").unwrap()
}

const NOW: &str = "2026-12-01T12:00:00Z";
const LATER: &str = "2026-12-01T13:00:00Z";

fn request() -> PostRequest<'static> {
    PostRequest::new("uploads", "photos/${filename}", at(LATER))
        .starts_with("Content-Type", "image/")
        .field("Content-Type", "image/png")
        .field("x-amz-meta-owner", "ann")
        .content_length_range(1, 1000)
}

fn verifier() -> Verifier<impl Fn(&str) -> Option<Credentials>> {
    Verifier::new(|id: &str| (id == KEY_ID).then(creds)).accept("eu-west-1", "s3")
}

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

fn form() -> PresignedPost {
    s3().presign_post(&request(), at(NOW)).unwrap()
}

/// Verifies `fields` (the form's, changed by `change`) as an upload of 10
/// bytes named `cat.png` to `uploads`, at `now`.
fn verify_changed(
    change: impl FnOnce(&mut Vec<(String, String)>),
    now: &str,
) -> Result<awsig::post::VerifiedPost, PostError> {
    let mut fields = form().fields().to_vec();
    change(&mut fields);
    let fields = refs(&fields);
    verifier().verify_post(
        &PostUpload::new("uploads", &fields, 10).with_file_name("cat.png"),
        at(now),
    )
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let slot = fields.iter_mut().find(|(n, _)| n == name).expect(name);
    slot.1 = value.to_string();
}

#[test]
fn the_form_carries_the_fields_in_order_and_a_policy_that_says_what_was_asked() {
    let form = form();
    assert_eq!(form.url(), "https://uploads.s3.eu-west-1.amazonaws.com/");
    let names: Vec<&str> = form.fields().iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "key",
            "Content-Type",
            "x-amz-meta-owner",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "policy",
            "x-amz-signature"
        ]
    );
    assert_eq!(
        form.field("X-AMZ-CREDENTIAL"),
        Some("AKIDEXAMPLE/20261201/eu-west-1/s3/aws4_request")
    );
    let policy = Policy::from_base64(form.field("policy").unwrap()).unwrap();
    assert_eq!(policy.expiration, at(LATER));
    let eq = |field: &str, value: &str| Condition::Eq {
        field: field.into(),
        value: value.into(),
    };
    assert_eq!(
        policy.conditions,
        [
            Condition::StartsWith {
                field: "Content-Type".into(),
                prefix: "image/".into()
            },
            Condition::ContentLengthRange { min: 1, max: 1000 },
            eq("bucket", "uploads"),
            Condition::StartsWith {
                field: "key".into(),
                prefix: "photos/".into()
            },
            eq("x-amz-meta-owner", "ann"),
            eq("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            eq(
                "x-amz-credential",
                "AKIDEXAMPLE/20261201/eu-west-1/s3/aws4_request"
            ),
            eq("x-amz-date", "20261201T120000Z"),
        ]
    );
    // The signature is the policy's, under the day's key.
    assert_eq!(
        form.field("x-amz-signature").unwrap(),
        s3().sign_post_policy(form.field("policy").unwrap(), at(NOW))
            .unwrap()
    );
}

#[test]
fn a_key_without_filename_is_pinned_and_a_key_condition_of_the_callers_replaces_it() {
    let pinned = s3()
        .presign_post(&PostRequest::new("uploads", "a/b.txt", at(LATER)), at(NOW))
        .unwrap();
    let policy = Policy::from_base64(pinned.field("policy").unwrap()).unwrap();
    assert!(policy.conditions.contains(&Condition::Eq {
        field: "key".into(),
        value: "a/b.txt".into()
    }));
    let free = s3()
        .presign_post(
            &PostRequest::new("uploads", "a/b.txt", at(LATER)).starts_with("key", "a/"),
            at(NOW),
        )
        .unwrap();
    let policy = Policy::from_base64(free.field("policy").unwrap()).unwrap();
    let on_key: Vec<&Condition> = policy
        .conditions
        .iter()
        .filter(|c| c.field() == Some("key"))
        .collect();
    assert_eq!(
        on_key,
        [&Condition::StartsWith {
            field: "key".into(),
            prefix: "a/".into()
        }]
    );
}

#[test]
fn temporary_credentials_add_the_token_as_field_and_condition() {
    let creds = creds().with_session_token("tok+en/=").unwrap();
    let s3 = S3Presigner::new(creds.clone(), "eu-west-1").unwrap();
    let form = s3
        .presign_post(&PostRequest::new("uploads", "k", at(LATER)), at(NOW))
        .unwrap();
    assert_eq!(form.field("x-amz-security-token"), Some("tok+en/="));
    let policy = Policy::from_base64(form.field("policy").unwrap()).unwrap();
    assert!(policy.conditions.contains(&Condition::Eq {
        field: "x-amz-security-token".into(),
        value: "tok+en/=".into()
    }));
    let fields = refs(form.fields());
    let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("eu-west-1", "s3");
    assert!(verifier
        .verify_post(&PostUpload::new("uploads", &fields, 1), at(NOW))
        .is_ok());
    let without: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .filter(|(n, _)| *n != "x-amz-security-token")
        .collect();
    assert_eq!(
        verifier.verify_post(&PostUpload::new("uploads", &without, 1), at(NOW)),
        Err(PostError::Verify(VerifyError::SessionTokenMissing))
    );
    let wrong: Vec<(&str, &str)> = (fields.iter())
        .map(|&(n, v)| {
            if n == "x-amz-security-token" {
                (n, "other")
            } else {
                (n, v)
            }
        })
        .collect();
    assert_eq!(
        verifier.verify_post(&PostUpload::new("uploads", &wrong, 1), at(NOW)),
        Err(PostError::Verify(VerifyError::SessionTokenMismatch))
    );
    // The long-term credentials' verifier sees a token it did not issue.
    let plain = verifier_for_plain();
    assert_eq!(
        plain.verify_post(&PostUpload::new("uploads", &fields, 1), at(NOW)),
        Err(PostError::Verify(VerifyError::UnexpectedSessionToken))
    );
}

fn verifier_for_plain() -> Verifier<impl Fn(&str) -> Option<Credentials>> {
    Verifier::new(|_: &str| Some(creds())).accept("eu-west-1", "s3")
}

#[test]
fn json_escaping_round_trips_every_awkward_value() {
    let awkward = "q\"uote\\back/slash\n\t\u{1}ünï€\u{2603}$</script>";
    let form = s3()
        .presign_post(
            &PostRequest::new("uploads", awkward, at(LATER)).field("x-amz-meta-n", awkward),
            at(NOW),
        )
        .unwrap();
    let json = base64::engine::general_purpose::STANDARD
        .decode(form.field("policy").unwrap())
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json).expect("the policy is JSON");
    let conditions = value["conditions"].as_array().unwrap();
    assert!(conditions.iter().any(|c| c["key"] == awkward));
    assert!(conditions.iter().any(|c| c["x-amz-meta-n"] == awkward));
    let fields = refs(form.fields());
    let verified = verifier()
        .verify_post(&PostUpload::new("uploads", &fields, 1), at(NOW))
        .unwrap();
    assert_eq!(verified.key(), awkward);
}

#[test]
fn the_html_form_escapes_values_and_puts_the_file_last() {
    let form = s3()
        .presign_post(
            &PostRequest::new("uploads", "a\"b<c>&'d", at(LATER))
                .field("success_action_status", "201"),
            at(NOW),
        )
        .unwrap();
    let html = form.html_form();
    assert!(html.starts_with(r#"<form action="https://uploads.s3.eu-west-1.amazonaws.com/" method="post" enctype="multipart/form-data">"#));
    assert!(
        html.contains(r#"<input type="hidden" name="key" value="a&quot;b&lt;c&gt;&amp;&#39;d">"#),
        "{html}"
    );
    let file = html.find(r#"name="file""#).unwrap();
    let last_field = html.rfind(r#"type="hidden""#).unwrap();
    assert!(file > last_field);
    assert!(!html.contains("a\"b"));
}

#[test]
fn debug_and_json_output() {
    let form = form();
    let debug = format!("{form:?}");
    assert!(
        !debug.contains(form.field("x-amz-signature").unwrap()),
        "{debug}"
    );
    assert!(debug.contains("** redacted **"));
    let json: serde_json::Value = serde_json::from_str(&form.to_json()).unwrap();
    assert_eq!(json["url"], form.url());
    assert_eq!(json["fields"]["policy"], form.field("policy").unwrap());
    assert_eq!(
        json["fields"].as_object().unwrap().len(),
        form.fields().len()
    );
}

#[test]
fn the_signer_refuses_forms_that_cannot_work() {
    let post = |req: PostRequest<'_>| s3().presign_post(&req, at(NOW));
    let base = || PostRequest::new("uploads", "k", at(LATER));
    let field_error = |e: Result<PresignedPost, Error>| match e {
        Err(Error::InvalidPostField { name, .. }) => name,
        other => panic!("{other:?}"),
    };
    assert_eq!(field_error(post(base().field("policy", "x"))), "policy");
    assert_eq!(
        field_error(post(base().field("X-Amz-Signature", "x"))),
        "X-Amz-Signature"
    );
    assert_eq!(field_error(post(base().field("key", "x"))), "key");
    assert_eq!(field_error(post(base().field("bucket", "x"))), "bucket");
    assert_eq!(field_error(post(base().field("a b", "x"))), "a b");
    assert_eq!(
        field_error(post(base().field("acl", "x").field("ACL", "y"))),
        "ACL"
    );
    // A field that fails its own condition: the form could never upload.
    let mismatch = base()
        .starts_with("Content-Type", "image/")
        .field("Content-Type", "text/html");
    assert_eq!(field_error(post(mismatch)), "Content-Type");
    assert_eq!(
        field_error(post(base().starts_with("key", "other/"))),
        "key"
    );
    let condition_error = |e: Result<PresignedPost, Error>| match e {
        Err(Error::InvalidPostCondition { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        condition_error(post(base().eq("bucket", "other"))),
        "bucket"
    );
    assert_eq!(
        condition_error(post(base().eq("x-amz-date", "x"))),
        "x-amz-date"
    );
    assert_eq!(
        condition_error(post(base().content_length_range(10, 1))),
        "content-length-range"
    );
    for past in [NOW, "2026-12-01T11:00:00Z"] {
        assert_eq!(
            condition_error(post(PostRequest::new("uploads", "k", at(past)))),
            "expiration"
        );
    }
    assert!(matches!(
        post(PostRequest::new("uploads", "k", at("2026-12-09T12:00:00Z"))),
        Err(Error::ExpiresTooLong { .. })
    ));
    assert_eq!(
        post(PostRequest::new("uploads", "", at(LATER))).unwrap_err(),
        Error::EmptyKey
    );
    assert!(matches!(
        post(PostRequest::new("Bad_Bucket!", "k", at(LATER))),
        Err(Error::InvalidBucket { .. })
    ));
}

#[test]
fn the_action_url_follows_the_presigners_addressing() {
    let custom = S3Presigner::new(creds(), "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::parse("http://127.0.0.1:9000").unwrap());
    let form = custom
        .presign_post(&PostRequest::new("uploads", "k", at(LATER)), at(NOW))
        .unwrap();
    assert_eq!(form.url(), "http://127.0.0.1:9000/uploads");
    let path = s3().with_addressing_style(awsig::s3::AddressingStyle::Path);
    let form = path
        .presign_post(&PostRequest::new("uploads", "k", at(LATER)), at(NOW))
        .unwrap();
    assert_eq!(form.url(), "https://s3.eu-west-1.amazonaws.com/uploads");
}

#[test]
fn an_upload_as_signed_verifies_and_names_its_key() {
    let verified = verify_changed(|_| {}, NOW).unwrap();
    assert_eq!(verified.key(), "photos/cat.png");
    assert_eq!(verified.access_key_id(), KEY_ID);
    // Field names ignore case, values do not.
    let upper = verify_changed(
        |f| f.iter_mut().for_each(|(n, _)| *n = n.to_ascii_uppercase()),
        NOW,
    );
    assert!(upper.is_ok(), "{upper:?}");
}

#[test]
fn each_failure_is_its_own_error() {
    let remove =
        |name: &'static str| move |f: &mut Vec<(String, String)>| f.retain(|(n, _)| n != name);
    assert_eq!(
        verify_changed(remove("policy"), NOW).unwrap_err(),
        PostError::Verify(VerifyError::Missing("policy"))
    );
    assert_eq!(
        verify_changed(remove("x-amz-signature"), NOW).unwrap_err(),
        PostError::Verify(VerifyError::Missing("x-amz-signature"))
    );
    assert_eq!(
        verify_changed(remove("x-amz-date"), NOW).unwrap_err(),
        PostError::Verify(VerifyError::Missing("x-amz-date"))
    );
    assert_eq!(
        verify_changed(|f| f.push(("KEY".into(), "x".into())), NOW).unwrap_err(),
        PostError::Duplicate("KEY".into())
    );
    assert_eq!(
        verify_changed(|f| set(f, "x-amz-algorithm", "AWS4-HMAC-SHA512"), NOW).unwrap_err(),
        PostError::Verify(VerifyError::UnsupportedAlgorithm)
    );
    assert_eq!(
        verify_changed(
            |f| set(f, "x-amz-credential", "AKIDEXAMPLE/20261201/eu-west-1/s3"),
            NOW
        )
        .unwrap_err(),
        PostError::Verify(VerifyError::MalformedCredential)
    );
    assert_eq!(
        verify_changed(|f| set(f, "x-amz-date", "2026-12-01"), NOW).unwrap_err(),
        PostError::Verify(VerifyError::MalformedDate)
    );
    assert_eq!(
        verify_changed(|f| set(f, "x-amz-date", "20261202T120000Z"), NOW).unwrap_err(),
        PostError::Verify(VerifyError::CredentialDateMismatch)
    );
    assert_eq!(
        verify_changed(
            |f| set(
                f,
                "x-amz-credential",
                "AKIDEXAMPLE/20261201/us-east-1/s3/aws4_request"
            ),
            NOW
        )
        .unwrap_err(),
        PostError::Verify(VerifyError::ScopeNotAccepted {
            region: "us-east-1".into(),
            service: "s3".into()
        })
    );
    assert_eq!(
        verify_changed(
            |f| set(
                f,
                "x-amz-credential",
                "AKIDOTHER/20261201/eu-west-1/s3/aws4_request"
            ),
            NOW
        )
        .unwrap_err(),
        PostError::Verify(VerifyError::UnknownAccessKey {
            access_key_id: "AKIDOTHER".into()
        })
    );
    assert_eq!(
        verify_changed(|_| {}, "2026-12-01T11:00:00Z").unwrap_err(),
        PostError::Verify(VerifyError::NotYetValid { signed_at: at(NOW) })
    );
    assert_eq!(
        verify_changed(|_| {}, "2026-12-08T12:00:01Z").unwrap_err(),
        PostError::Verify(VerifyError::SignedTooLongAgo { signed_at: at(NOW) })
    );
    assert_eq!(
        verify_changed(|f| set(f, "x-amz-signature", "ABCDEF"), NOW).unwrap_err(),
        PostError::Verify(VerifyError::MalformedSignature)
    );
    assert!(matches!(
        verify_changed(|f| set(f, "x-amz-signature", &"0".repeat(64)), NOW).unwrap_err(),
        PostError::Verify(VerifyError::SignatureMismatch { .. })
    ));
    assert_eq!(
        verify_changed(|_| {}, "2026-12-01T13:00:01Z").unwrap_err(),
        PostError::PolicyExpired {
            expired_at: at(LATER)
        }
    );
    assert_eq!(
        verify_changed(|f| set(f, "Content-Type", "text/html"), NOW).unwrap_err(),
        PostError::ConditionFailed {
            condition: r#"["starts-with","$Content-Type","image/"]"#.into()
        }
    );
    assert_eq!(
        verify_changed(remove("x-amz-meta-owner"), NOW).unwrap_err(),
        PostError::ConditionFailed {
            condition: r#"{"x-amz-meta-owner":"ann"}"#.into()
        }
    );
    assert_eq!(
        verify_changed(|f| f.push(("x-amz-meta-extra".into(), "1".into())), NOW).unwrap_err(),
        PostError::ExtraField {
            name: "x-amz-meta-extra".into()
        }
    );
    // Exempt, as the POST policy page lists them.
    assert!(verify_changed(|f| f.push(("x-ignore-anything".into(), "1".into())), NOW).is_ok());
    // A `bucket` field must name the bucket posted to.
    assert!(verify_changed(|f| f.push(("bucket".into(), "uploads".into())), NOW).is_ok());
    assert_eq!(
        verify_changed(|f| f.push(("bucket".into(), "other".into())), NOW).unwrap_err(),
        PostError::ConditionFailed {
            condition: r#"{"bucket":"uploads"}"#.into()
        }
    );
}

#[test]
fn sizes_bucket_and_content_type_lists() {
    let form = form();
    let fields = refs(form.fields());
    let v = verifier();
    let upload = |bucket, size| PostUpload::new(bucket, &fields, size).with_file_name("c.png");
    assert_eq!(
        v.verify_post(&upload("uploads", 0), at(NOW)),
        Err(PostError::FileTooSmall { size: 0, min: 1 })
    );
    assert_eq!(
        v.verify_post(&upload("uploads", 1001), at(NOW)),
        Err(PostError::FileTooLarge {
            size: 1001,
            max: 1000
        })
    );
    assert!(v.verify_post(&upload("uploads", 1), at(NOW)).is_ok());
    assert!(v.verify_post(&upload("uploads", 1000), at(NOW)).is_ok());
    assert_eq!(
        v.verify_post(&upload("other", 10), at(NOW)),
        Err(PostError::ConditionFailed {
            condition: r#"{"bucket":"uploads"}"#.into()
        })
    );
    // Content-Type lists pass only when every item meets starts-with.
    let list = |value: &str| verify_changed(|f| set(f, "Content-Type", value), NOW);
    assert!(list("image/png,image/gif").is_ok());
    assert!(matches!(
        list("image/png,text/plain"),
        Err(PostError::ConditionFailed { .. })
    ));
}

/// Policies signed as given (with `sign_post_policy`), to reach what the
/// signer itself never writes.
fn signed_policy(json: &str) -> Result<awsig::post::VerifiedPost, PostError> {
    let policy = base64::engine::general_purpose::STANDARD.encode(json);
    let signature = s3().sign_post_policy(&policy, at(NOW)).unwrap();
    let fields = [
        ("key", "k"),
        ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
        (
            "x-amz-credential",
            "AKIDEXAMPLE/20261201/eu-west-1/s3/aws4_request",
        ),
        ("x-amz-date", "20261201T120000Z"),
        ("policy", policy.as_str()),
        ("x-amz-signature", signature.as_str()),
    ];
    verifier().verify_post(&PostUpload::new("uploads", &fields, 5), at(NOW))
}

const AUTH: &str = r#"{"x-amz-algorithm":"AWS4-HMAC-SHA256"},{"x-amz-credential":"AKIDEXAMPLE/20261201/eu-west-1/s3/aws4_request"},{"x-amz-date":"20261201T120000Z"}"#;

#[test]
fn received_policies_are_read_strictly() {
    let with = |conditions: &str| {
        signed_policy(&format!(
            r#"{{"expiration":"2026-12-01T13:00:00.000Z","conditions":[{conditions},{AUTH}]}}"#
        ))
    };
    assert!(with(r#"{"bucket":"uploads"},["eq","$key","k"]"#).is_ok());
    // Operators and `$` names ignore case, as S3 does; sizes may be strings.
    assert!(
        with(r#"{"bucket":"uploads"},["EQ","$KEY","k"],["content-length-range","1","9"]"#).is_ok()
    );
    let reason = |r: Result<_, PostError>| match r {
        Err(PostError::MalformedPolicy { reason }) => reason,
        other => panic!("{other:?}"),
    };
    assert!(reason(with(r#"{"bucket":"uploads","key":"k"}"#)).contains("exactly one member"));
    assert!(reason(with(r#"{"bucket":"uploads"},{"key":5}"#)).contains("not a string"));
    assert!(reason(with(r#"{"bucket":"uploads"},["eq","key","k"]"#)).contains("$field"));
    assert!(
        reason(with(r#"{"bucket":"uploads"},["content-length-range",9,1]"#))
            .contains("least first")
    );
    assert!(reason(with(r#"{"bucket":"uploads"},["in","$key","k"]"#)).contains("starts-with"));
    assert!(reason(with(r#"{"bucket":"uploads"},{"key":"k","key":"j"}"#)).contains("repeated"));
    assert!(reason(signed_policy(
        r#"{"EXPIRATION":"2026-12-01T13:00:00Z","conditions":[]}"#
    ))
    .contains("no expiration"));
    assert!(reason(signed_policy(
        r#"{"expiration":"2026-12-01 13:00:00","conditions":[]}"#
    ))
    .contains("ISO 8601"));
    assert!(reason(signed_policy(
        r#"{"expiration":"2026-12-01T13:00:00Z","conditions":[],"x":1}"#
    ))
    .contains("other than"));
    assert!(reason(signed_policy(r#"{"expiration":"2026-12-01T13:00:00Z","expiration":"2027-01-01T00:00:00Z","conditions":[]}"#)).contains("repeated"));
    assert!(reason(signed_policy("not json")).contains("JSON"));
    // What S3 requires the policy to hold, and the bucket, which the
    // verifier requires so that a form is good for one bucket only.
    assert_eq!(
        with(r#"["eq","$key","k"]"#).unwrap_err(),
        PostError::MissingCondition("bucket")
    );
    assert_eq!(
        signed_policy(r#"{"expiration":"2026-12-01T13:00:00Z","conditions":[{"bucket":"uploads"},{"key":"k"}]}"#)
            .unwrap_err(),
        PostError::MissingCondition("x-amz-algorithm")
    );
    // A key no condition covers is an extra field.
    assert_eq!(
        with(r#"{"bucket":"uploads"}"#).unwrap_err(),
        PostError::ExtraField { name: "key".into() }
    );
}

#[test]
fn filename_is_pinned_as_botocore_pins_it() {
    // botocore: `starts-with` the text before `${filename}` only when the
    // key ends with it; an exact condition otherwise, which S3 (and the
    // verifier) expand on both sides.
    let req = PostRequest::new("uploads", "u/${filename}.txt", at(LATER))
        .field("x-amz-meta-name", "original ${filename}");
    let form = s3().presign_post(&req, at(NOW)).unwrap();
    let policy = Policy::from_base64(form.field("policy").unwrap()).unwrap();
    assert!(policy.conditions.contains(&Condition::Eq {
        field: "key".into(),
        value: "u/${filename}.txt".into()
    }));
    assert!(!(policy.conditions.iter()).any(|c| *c
        == Condition::StartsWith {
            field: "key".into(),
            prefix: "u/".into()
        }));
    assert!(policy.conditions.contains(&Condition::StartsWith {
        field: "x-amz-meta-name".into(),
        prefix: "original ".into()
    }));
    let fields = refs(form.fields());
    let upload = PostUpload::new("uploads", &fields, 3).with_file_name("dir/cat.png");
    let verified = verifier().verify_post(&upload, at(NOW)).unwrap();
    assert_eq!(verified.key(), "u/cat.png.txt");

    // A key outside the template: refused whatever the file is called.
    let mut evil = fields.clone();
    evil.iter_mut()
        .filter(|(n, _)| *n == "key")
        .for_each(|f| f.1 = "u/evil.html");
    for file in ["evil.html", "evil", "cat.png"] {
        let upload = PostUpload::new("uploads", &evil, 3).with_file_name(file);
        assert_eq!(
            verifier().verify_post(&upload, at(NOW)),
            Err(PostError::ConditionFailed {
                condition: r#"{"key":"u/${filename}.txt"}"#.into()
            }),
            "{file}"
        );
    }
}

#[test]
fn an_empty_or_oversized_key_is_refused() {
    let form = s3()
        .presign_post(
            &PostRequest::new("uploads", "${filename}", at(LATER)),
            at(NOW),
        )
        .unwrap();
    let fields = refs(form.fields());
    for (name, len) in [(None, 0), (Some("a/"), 0)] {
        let mut upload = PostUpload::new("uploads", &fields, 3);
        if let Some(name) = name {
            upload = upload.with_file_name(name);
        }
        assert_eq!(
            verifier().verify_post(&upload, at(NOW)),
            Err(PostError::InvalidKey { len })
        );
    }
    let long = "k".repeat(1025);
    let upload = PostUpload::new("uploads", &fields, 3).with_file_name(&long);
    assert_eq!(
        verifier().verify_post(&upload, at(NOW)),
        Err(PostError::InvalidKey { len: 1025 })
    );
}

#[test]
fn a_session_token_shows_in_no_debug_and_no_error() {
    let token = "SECRET-TOKEN-XYZ";
    let creds = creds().with_session_token(token).unwrap();
    let s3 = S3Presigner::new(creds.clone(), "eu-west-1").unwrap();
    let form = s3
        .presign_post(&PostRequest::new("uploads", "k", at(LATER)), at(NOW))
        .unwrap();
    assert!(!format!("{form:?}").contains(token), "{form:?}");
    let policy = Policy::from_base64(form.field("policy").unwrap()).unwrap();
    assert!(!format!("{policy:?}").contains(token));
    let fields = refs(form.fields());
    let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("eu-west-1", "s3");
    let verified = verifier
        .verify_post(&PostUpload::new("uploads", &fields, 1), at(NOW))
        .unwrap();
    assert!(!format!("{verified:?}").contains(token));
    // A policy whose token condition fails names the condition, not the token.
    let json = format!(
        r#"{{"expiration":"2026-12-01T13:00:00Z","conditions":[{{"bucket":"uploads"}},{{"key":"k"}},{{"x-amz-security-token":"{token}-other"}},{AUTH}]}}"#
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(json);
    let mut sent = fields.clone();
    for (name, value) in sent.iter_mut() {
        match *name {
            "policy" => *value = &b64,
            "x-amz-signature" => {}
            _ => {}
        }
    }
    let signature = s3.sign_post_policy(&b64, at(NOW)).unwrap();
    for (name, value) in sent.iter_mut() {
        if *name == "x-amz-signature" {
            *value = &signature;
        }
    }
    let err = verifier
        .verify_post(&PostUpload::new("uploads", &sent, 1), at(NOW))
        .unwrap_err();
    assert!(matches!(err, PostError::ConditionFailed { .. }), "{err:?}");
    assert!(!err.to_string().contains(token), "{err}");
    assert!(!format!("{err:?}").contains(token));
}

#[test]
fn duplicates_are_found_in_any_order_and_named() {
    let form = form();
    let mut fields = refs(form.fields());
    fields.insert(0, ("X-AMZ-META-OWNER", "ann"));
    assert_eq!(
        verifier().verify_post(&PostUpload::new("uploads", &fields, 3), at(NOW)),
        Err(PostError::Duplicate("x-amz-meta-owner".into()))
    );
}

#[test]
fn a_verifier_that_serves_given_hosts_checks_the_forms_host() {
    let form = s3()
        .presign_post(&PostRequest::new("uploads", "k", at(LATER)), at(NOW))
        .unwrap();
    let fields = refs(form.fields());
    let pinned = verifier().accept_host("uploads.s3.eu-west-1.amazonaws.com");
    let upload = PostUpload::new("uploads", &fields, 1);
    let served = upload.with_host("uploads.s3.eu-west-1.amazonaws.com");
    assert!(pinned.verify_post(&served, at(NOW)).is_ok());
    let elsewhere = upload.with_host("evil.example.com");
    assert_eq!(
        pinned.verify_post(&elsewhere, at(NOW)),
        Err(PostError::Verify(VerifyError::HostNotAccepted {
            host: "evil.example.com".into()
        }))
    );
    // A verifier that checks hosts cannot check a form that names none.
    assert!(matches!(
        pinned.verify_post(&upload, at(NOW)),
        Err(PostError::Verify(VerifyError::Missing(what))) if what.contains("with_host")
    ));
    // One told no hosts takes any.
    assert!(verifier().verify_post(&upload, at(NOW)).is_ok());
}

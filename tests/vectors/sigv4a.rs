//! AWS's SigV4a suite (aws-c-auth's `v4a` cases, both modes) and
//! aws-c-auth's key-derivation vector. ECDSA signatures there are random, so
//! signatures are verified, never compared: ours under the suite's public
//! key, the suite's under ours and through the `Verifier`.

use super::*;
use awsig::sigv4a::{EcdsaKey, PublicKey, RegionSet};
use awsig::verify::{UnsignedAmzHeaders, Verifier, VerifyError};
use common::project_vectors_dir;

pub(crate) fn suite(dir: &Path) -> bool {
    let mut tally = Tally::new("aws-signing-test-suite-v4a");
    run_in_both_modes(
        &mut tally,
        &dir.join("aws-signing-test-suite/v4a"),
        suite_case,
    );
    tally.finish(Some(76))
}

fn suite_case(case: &Path, mode: &str) -> Result<(), String> {
    let inputs = SuiteInputs::load(case)?;
    let region = str_field(&inputs.ctx, &["region"]);
    let region_set = RegionSet::parse(region).map_err(|e| e.to_string())?;
    let signer = Signer::new_sigv4a(inputs.creds.clone(), &region_set, inputs.service())
        .map_err(|e| e.to_string())?
        .with_settings(inputs.settings.clone());
    with_checked_texts(&inputs, &signer, case, mode, |req, _, signing_mode, sts| {
        check_signatures(&inputs, &signer, case, mode, req, signing_mode, &sts)
    })
}

/// Ours verified under the suite's public key, the suite's under ours and
/// through the `Verifier`.
fn check_signatures(
    inputs: &SuiteInputs,
    signer: &Signer,
    case: &Path,
    mode: &str,
    req: &Request<'_>,
    signing_mode: SigningMode,
    sts: &str,
) -> Result<(), String> {
    let time = inputs.time;
    let expected = |file: &str| read(&case.join(format!("{mode}-{file}")));
    let json = read_json(&case.join("public-key.json"));
    let theirs =
        PublicKey::from_coordinates_hex(str_field(&json, &["X"]), str_field(&json, &["Y"]))
            .map_err(|e| e.to_string())?;
    let ours = *signer
        .sigv4a_key()
        .ok_or("not a SigV4a signer")?
        .public_key();
    if ours != theirs {
        return Err(format!("derived {ours:?}, the suite has {theirs:?}"));
    }

    // Ours, under the suite's key.
    let signed_ours = match signing_mode {
        SigningMode::Header => {
            let auth = signer.authorize(req, time).map_err(|e| e.to_string())?;
            auth.signature().to_string()
        }
        SigningMode::Query { expires_in } => {
            let url = (signer.presign(req, time, expires_in)).map_err(|e| e.to_string())?;
            url.signature().to_string()
        }
        SigningMode::QueryWithoutExpiry => {
            let url = (signer.presign_without_expiry(req, time)).map_err(|e| e.to_string())?;
            url.signature().to_string()
        }
    };
    if !theirs.verifies(sts.as_bytes(), &signed_ours) {
        return Err("our signature does not verify under public-key.json".into());
    }
    // The suite's, under ours.
    let suite_signature = expected("signature.txt");
    if !ours.verifies(sts.as_bytes(), &suite_signature) {
        return Err(format!(
            "{mode}-signature.txt does not verify under our key"
        ));
    }
    verify_signed_request(inputs, mode, &expected("signed-request.txt"))
}

/// The suite's signed request, through the `Verifier` at the signing time;
/// then the same request with another method, which must fail.
fn verify_signed_request(inputs: &SuiteInputs, mode: &str, text: &str) -> Result<(), String> {
    let signed = RawRequest::parse(text);
    let creds = inputs.creds.clone();
    let region = str_field(&inputs.ctx, &["region"]);
    let mut verifier = Verifier::new(move |_: &str| Some(creds.clone()))
        .accept(region, inputs.service())
        .settings_for(inputs.service(), inputs.settings.clone());
    if inputs.ctx["omit_session_token"].as_bool() == Some(true) {
        // The token added after signing travels as an unsigned header
        // (and is still checked against the credentials').
        verifier = verifier.unsigned_amz_headers(UnsignedAmzHeaders::Allow);
    }
    let url = match signed.query.as_str() {
        "" => format!("https://{}{}", inputs.host, signed.path),
        query => format!("https://{}{}?{query}", inputs.host, signed.path),
    };
    let headers = signed.header_refs();
    let run = |method: &str| match mode {
        "header" => verifier.verify_authorization(
            method,
            &url,
            &headers,
            Some(inputs.payload()),
            inputs.time,
        ),
        _ => verifier.verify_presigned(method, &url, &headers, Some(inputs.payload()), inputs.time),
    };
    let verified = run(&signed.method).map_err(|e| format!("the signed request: {e}"))?;
    if verified.region_set() != Some(region) || verified.region() != "" {
        return Err(format!("verified as {verified:?}"));
    }
    let other = if signed.method == "GET" { "PUT" } else { "GET" };
    match run(other) {
        Err(VerifyError::SignatureMismatch { .. }) => Ok(()),
        outcome => Err(format!(
            "sent as {other}, the signed request gave {outcome:?}"
        )),
    }
}

/// aws-c-auth's key-derivation test vector, recorded in
/// `test-vectors/aws-c-auth/sigv4a-key-derivation.json`.
pub(crate) fn key_derivation() -> bool {
    let mut tally = Tally::new("aws-c-auth-key-derivation");
    let file = project_vectors_dir().join("aws-c-auth/sigv4a-key-derivation.json");
    let json = read_json(&file);
    let cases = json["cases"].as_array().cloned().unwrap_or_default();
    for (i, case) in cases.into_iter().enumerate() {
        tally.case(&format!("case {i}"), move || {
            let field = |name: &str| str_field(&case, &[name]).to_string();
            let creds = Credentials::new(&field("access_key_id"), &field("secret_access_key"))
                .map_err(|e| e.to_string())?;
            let key = EcdsaKey::derive(&creds).map_err(|e| e.to_string())?;
            same(
                "private key",
                &hex(&key.private_scalar()[..]),
                &field("private_key"),
            )?;
            same("public x", &key.public_key().x_hex(), &field("public_x"))?;
            same("public y", &key.public_key().y_hex(), &field("public_y"))
        });
    }
    tally.finish(Some(1))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// botocore's (CRT) Multi-Region Access Point URLs: ours equal them but for
/// the signature, and both signatures verify.
pub(crate) fn mrap_botocore() -> bool {
    let mut tally = Tally::new("botocore-mrap");
    let doc = read_json(&project_vectors_dir().join("botocore/s3-mrap-presign.json"));
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    let creds = Credentials::new(
        str_field(&doc, &["access_key_id"]),
        str_field(&doc, &["secret_access_key"]),
    )
    .expect("the file's credentials");
    for (i, case) in cases.into_iter().enumerate() {
        let creds = creds.clone();
        tally.case(&format!("case {i}"), move || mrap_case(&case, creds));
    }
    tally.finish(Some(18))
}

fn mrap_case(case: &Value, creds: Credentials) -> Result<(), String> {
    let s = |f: &str| case[f].as_str().unwrap_or_default();
    let creds = match case["session_token"].as_str() {
        Some(token) => creds.with_session_token(token).map_err(|e| e.to_string())?,
        None => creds,
    };
    let mrap = awsig::s3::MultiRegionAccessPoint::new(creds.clone(), s("arn"))
        .map_err(|e| e.to_string())?;
    let mut req = awsig::s3::S3Request::new(s("method"), s("arn"), s("key"))
        .expires_in(case["expires_in"].as_u64().ok_or("no expiry")?);
    let empty = serde_json::Map::new();
    for (name, value) in case["query"].as_object().unwrap_or(&empty) {
        let value = value.as_str().unwrap_or_default();
        req = match name.as_str() {
            "versionId" => req.version_id(value),
            "response-content-disposition" => req.response_content_disposition(value),
            "response-content-type" => req.response_content_type(value),
            other => return Err(format!("no builder for {other}")),
        };
    }
    let time = SigningTime::parse(s("time")).map_err(|e| e.to_string())?;
    let ours = mrap.presign(&req, time).map_err(|e| e.to_string())?;
    let unsigned = |url: &str| {
        let (origin, path, mut query) = botocore::url_key(url);
        query.retain(|pair| !pair.starts_with("X-Amz-Signature="));
        (origin, path, query)
    };
    if unsigned(ours.as_str()) != unsigned(s("url")) {
        return Err(format!("ours {} differs from {}", ours.as_str(), s("url")));
    }
    let verifier = Verifier::new(move |_: &str| Some(creds.clone())).accept("eu-west-1", "s3");
    for (whose, url) in [("botocore's", s("url")), ("ours", ours.as_str())] {
        let verified = verifier
            .verify_presigned(s("method"), url, &[], None, time)
            .map_err(|e| format!("{whose}: {e}"))?;
        same("region set", verified.region_set().unwrap_or_default(), "*")?;
    }
    Ok(())
}

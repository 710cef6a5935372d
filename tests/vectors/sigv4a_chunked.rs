//! SigV4a aws-chunked uploads: aws-c-auth's `tests/test_chunked_signing.c`
//! SigV4a cases, recorded in `test-vectors/aws-c-auth/sigv4a-chunked.json`.
//! ECDSA signatures are randomized, so the source states no signature: the
//! seed's canonical request must be byte-equal, every string to sign must
//! be the source's (its fixed lines around the chained signature), and our
//! signatures must verify under the source's public key.

use super::common::{project_vectors_dir, read_json, Tally};
use awsig::chunked::ChunkSigner;
use awsig::sigv4a::{PublicKey, RegionSet};
use awsig::{Credentials, Payload, Request, Signer, SigningMode, SigningTime, Streaming};
use serde_json::Value;

pub(crate) fn suite() -> bool {
    let mut tally = Tally::new("aws-c-auth-sigv4a-chunked");
    let doc = read_json(&project_vectors_dir().join("aws-c-auth/sigv4a-chunked.json"));
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    for case in &cases {
        let (doc, case) = (doc.clone(), case.clone());
        let name = text(&case, "name").to_string();
        tally.case(&name, move || check(&doc, &case));
    }
    tally.finish(Some(2))
}

fn text<'v>(v: &'v Value, field: &str) -> &'v str {
    v[field].as_str().unwrap_or_default()
}

fn same(what: &str, got: &str, want: &str) -> Result<(), String> {
    match got == want {
        true => Ok(()),
        false => Err(format!("{what}:\n got {got:?}\nwant {want:?}")),
    }
}

fn check(doc: &Value, case: &Value) -> Result<(), String> {
    let creds = Credentials::new(
        text(&doc["credentials"], "access_key_id"),
        text(&doc["credentials"], "secret_access_key"),
    )
    .map_err(|e| e.to_string())?;
    let set = RegionSet::parse(text(doc, "region")).map_err(|e| e.to_string())?;
    let signer =
        Signer::new_sigv4a(creds, &set, text(doc, "service")).map_err(|e| e.to_string())?;
    let theirs = PublicKey::from_coordinates_hex(
        text(&doc["public_key"], "x"),
        text(&doc["public_key"], "y"),
    )
    .map_err(|e| e.to_string())?;
    let time = SigningTime::parse(text(doc, "date")).map_err(|e| e.to_string())?;
    let mode = (Streaming::ALL.into_iter())
        .find(|m| m.as_str() == text(case, "mode"))
        .ok_or("an unknown mode")?;

    // The seed: its canonical request byte for byte, our signature under
    // their key.
    let request = &case["request"];
    let pairs: Vec<(String, String)> = (request["headers"].as_array().into_iter().flatten())
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let host = pairs
        .iter()
        .find(|(n, _)| n == "host")
        .map(|(_, v)| v.as_str());
    let headers: Vec<(&str, &str)> = (pairs.iter())
        .filter(|(n, _)| n != "host")
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new(
        text(request, "method"),
        host.unwrap_or_default(),
        text(request, "path"),
    )
    .with_headers(&headers)
    .with_payload(Payload::Streaming(mode));
    let canonical = signer
        .canonical_request(&seed, time, SigningMode::Header)
        .map_err(|e| e.to_string())?;
    same(
        "canonical request",
        &canonical,
        text(case, "canonical_request"),
    )?;
    let string_to_sign = signer
        .string_to_sign(&seed, time, SigningMode::Header)
        .map_err(|e| e.to_string())?;
    same(
        "string to sign",
        &string_to_sign,
        text(&case["string_to_sign_prefix"], "full"),
    )?;
    let signed = signer.authorize(&seed, time).map_err(|e| e.to_string())?;
    if !theirs.verifies(string_to_sign.as_bytes(), signed.signature()) {
        return Err("our seed signature does not verify under their key".into());
    }

    // Each chunk: the source's lines around the signature before, and our
    // signature under their key, framed padded to 144.
    let mut chunks = ChunkSigner::new(&signer, signed.values()).map_err(|e| e.to_string())?;
    let mut previous = signed.signature().to_string();
    for chunk in case["chunks"].as_array().into_iter().flatten() {
        let size = chunk["size"].as_u64().ok_or("a chunk size")? as usize;
        let data = vec![b'a'; size];
        let want = format!(
            "{}{previous}{}",
            text(chunk, "string_to_sign_prefix_or_full"),
            text(chunk, "string_to_sign_suffix")
        );
        let string_to_sign = chunks.chunk_string_to_sign(&data);
        same(
            &format!("string to sign of the {size}-byte chunk"),
            &string_to_sign,
            &want,
        )?;
        let mut framed = Vec::new();
        let mut framer = chunks.clone();
        framer.write_chunk(&data, &mut framed);
        let signature = chunks.sign_chunk(&data);
        if !theirs.verifies(string_to_sign.as_bytes(), &signature) {
            return Err(format!(
                "our {size}-byte chunk's signature does not verify under their key"
            ));
        }
        let header = format!("{size:x};chunk-signature={signature}");
        let padded = format!("{header}{}\r\n", "*".repeat(144 - signature.len()));
        if !framed.starts_with(padded.as_bytes()) {
            return Err(format!("the {size}-byte chunk is not framed as {padded:?}"));
        }
        previous = signature;
    }

    // The trailer.
    if let Some(trailer) = case["trailer"].as_object() {
        let lines: Vec<(&str, &str)> = (trailer["lines"].as_array().into_iter().flatten())
            .map(|p| (p[0].as_str().unwrap(), p[1].as_str().unwrap()))
            .collect();
        let want = format!(
            "{}{previous}{}",
            trailer["string_to_sign_prefix"]
                .as_str()
                .unwrap_or_default(),
            trailer["string_to_sign_suffix"]
                .as_str()
                .unwrap_or_default()
        );
        let string_to_sign = chunks.trailer_string_to_sign(&lines);
        same("trailer's string to sign", &string_to_sign, &want)?;
        let mut body = Vec::new();
        let mut framer = chunks.clone();
        framer.write_final_chunk_with_trailer(&lines, &mut body);
        let body = String::from_utf8(body).map_err(|e| e.to_string())?;
        let signature = (body.split("x-amz-trailer-signature:").nth(1))
            .and_then(|rest| rest.strip_suffix("\r\n\r\n"))
            .ok_or("no trailer signature framed")?;
        if signature.len() != 144 {
            return Err(format!(
                "the trailer signature is framed as {} characters",
                signature.len()
            ));
        }
        // The trailer follows the final chunk: its string to sign chains to it.
        let mut after_final = chunks.clone();
        let final_signature = after_final.sign_chunk(b"");
        let string_to_sign = after_final.trailer_string_to_sign(&lines);
        if !string_to_sign.contains(&final_signature) {
            return Err("the trailer does not chain to the final chunk".into());
        }
        if !theirs.verifies(string_to_sign.as_bytes(), signature.trim_end_matches('*')) {
            return Err("our trailer signature does not verify under their key".into());
        }
    }
    Ok(())
}

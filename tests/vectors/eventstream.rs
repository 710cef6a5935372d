//! Event-stream message signing: the vectors of aws-c-auth (and the Java
//! SDK), @smithy/signature-v4, aws-sdk-go-v2 and aws-sigv4, recorded in
//! `test-vectors/eventstream/vectors.json` with their sources. One line per
//! suite.

use super::common::{project_vectors_dir, read_json, Tally};
use awsig::eventstream::{date_header, string_to_sign, EventSigner, HeaderValue, Message, DATE};
use awsig::{verify::Verifier, Credentials, KeyChain, Payload, Request, Signer, SigningTime};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;

/// Every suite the file holds, each with the number of checks it must run.
const SUITES: [(&str, usize); 5] = [
    ("aws-c-auth-event-signing", 6),
    ("smithy-typescript-sign-event", 1),
    ("smithy-typescript-sign-message", 2),
    ("aws-sdk-go-v2-stream-signer", 4),
    ("smithy-rs-aws-sigv4-event-stream", 3),
];

pub(crate) fn suites() -> bool {
    let doc = read_json(&project_vectors_dir().join("eventstream/vectors.json"));
    let mut all = true;
    for (name, expected) in SUITES {
        let mut tally = Tally::new(name);
        let suite = (doc["suites"].as_array().into_iter().flatten())
            .find(|s| s["name"] == name)
            .cloned();
        match suite {
            Some(suite) => match name {
                "aws-c-auth-event-signing" => aws_c_auth(&suite, &mut tally),
                "aws-sdk-go-v2-stream-signer" => chained(&suite, &mut tally),
                "smithy-rs-aws-sigv4-event-stream" => smithy_rs(&suite, &mut tally),
                _ => smithy_typescript(&suite, &mut tally),
            },
            None => tally.case("suite present", || Err(format!("no suite {name}"))),
        }
        all &= tally.finish(Some(expected));
    }
    all
}

fn text<'v>(v: &'v Value, field: &str) -> &'v str {
    v[field].as_str().unwrap_or_default()
}

fn unhex(v: &Value, field: &str) -> Vec<u8> {
    hex::decode(text(v, field)).unwrap_or_else(|e| panic!("{field}: {e}"))
}

fn at_millis(v: &Value, field: &str) -> SigningTime {
    let ms = v[field].as_i64().unwrap_or_else(|| panic!("{field}"));
    SigningTime::from_unix_seconds(ms.div_euclid(1000)).unwrap()
}

fn signer(suite: &Value) -> Signer {
    let creds = &suite["credentials"];
    let creds = Credentials::new(
        text(creds, "access_key_id"),
        text(creds, "secret_access_key"),
    )
    .unwrap();
    Signer::new(creds, text(suite, "region"), text(suite, "service")).unwrap()
}

fn messages(suite: &Value) -> Vec<Value> {
    suite["messages"].as_array().cloned().unwrap_or_default()
}

fn same(what: &str, got: &str, want: &str) -> Result<(), String> {
    match got == want {
        true => Ok(()),
        false => Err(format!("{what}: got {got}, want {want}")),
    }
}

/// aws-c-auth: the initial request's signature, each event's chained from
/// it (raw payloads "A", "B", "C", then the empty end), and the stream
/// framed here verified by the crate's verifier.
fn aws_c_auth(suite: &Value, tally: &mut Tally) {
    let signer = signer(suite);
    let seed = &suite["seed_request"];
    let seed_at = at_millis(seed, "date_epoch_ms");
    let headers = [("content-encoding", "application/vnd.amazon.eventstream")];
    let request = Request::new("POST", "demo.us-east-1.amazonaws.com", "/streaming")
        .with_headers(&headers)
        .with_payload(Payload::EventStream);
    let signed = signer.authorize(&request, seed_at).unwrap();
    let seed_signature = signed.signature().to_string();
    let want_seed = text(suite, "seed_signature").to_string();
    tally.case("initial request", || {
        same("seed signature", &seed_signature, &want_seed)
    });
    let messages = messages(suite);
    let mut events = EventSigner::new(&signer, &want_seed).unwrap();
    for message in &messages {
        let at = at_millis(message, "date_epoch_ms");
        let payload = unhex(message, "payload_hex");
        let date_ok = date_header(at).to_vec() == unhex(message, "headers_hex");
        let got = events.sign(&payload, at).map(|s| s.to_hex());
        let want = text(message, "signature").to_string();
        tally.case(text(message, "label"), move || {
            if !date_ok {
                return Err("the :date header's bytes differ".into());
            }
            same("signature", &got.map_err(|e| e.to_string())?, &want)
        });
    }
    // The same stream framed and verified, from the initial request on.
    let mut body = Vec::new();
    let mut framer = EventSigner::new(&signer, &seed_signature).unwrap();
    for message in &messages {
        let at = at_millis(message, "date_epoch_ms");
        framer
            .write_message(&unhex(message, "payload_hex"), at, &mut body)
            .unwrap();
    }
    let creds = signer.credentials().clone();
    let mut sent: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    sent.extend(
        signed
            .headers()
            .map(|(n, v)| (n.to_string(), v.to_string())),
    );
    let payloads: Vec<Vec<u8>> = (messages.iter())
        .map(|m| unhex(m, "payload_hex"))
        .filter(|p| !p.is_empty())
        .collect();
    tally.case("framed stream verifies", move || {
        let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let verifier =
            Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "demo");
        let url = "https://demo.us-east-1.amazonaws.com/streaming";
        let (_, mut stream) = verifier
            .verify_event_stream("POST", url, &sent, seed_at)
            .map_err(|e| e.to_string())?;
        let mut got = Vec::new();
        // One byte at a time: every message straddles pieces.
        for byte in body.chunks(1) {
            stream
                .feed(byte, seed_at, |p| got.push(p.to_vec()))
                .map_err(|e| e.to_string())?;
        }
        stream.finish().map_err(|e| e.to_string())?;
        match got == payloads {
            true => Ok(()),
            false => Err(format!("payloads {got:?}")),
        }
    });
}

/// @smithy/signature-v4: the header block hashed as given (its `:date` is
/// not the signing time) with an empty prior signature, in a scope this
/// crate would not sign for (`REGION`, `SERVICE`): the string to sign
/// against the recorded one, the HMAC with the derived key against the
/// published signature; `signMessage`'s header block as the encoder writes
/// it.
fn smithy_typescript(suite: &Value, tally: &mut Tally) {
    let creds = &suite["credentials"];
    let secret = text(creds, "secret_access_key").to_string();
    let (region, service) = (text(suite, "region"), text(suite, "service"));
    let prior = text(suite, "seed_signature");
    for message in messages(suite) {
        let at = at_millis(&message, "date_epoch_ms");
        let headers = unhex(&message, "headers_hex");
        let text_signed = string_to_sign(
            at,
            region,
            service,
            prior,
            &headers,
            &unhex(&message, "payload_hex"),
        );
        let chain = KeyChain::derive(&secret, at.amz_date().date(), region, service);
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&*chain.k_signing).unwrap();
        mac.update(text_signed.as_bytes());
        let got = hex::encode(mac.finalize().into_bytes());
        let (want_text, want) = (
            text(&message, "string_to_sign_derived").to_string(),
            text(&message, "signature").to_string(),
        );
        tally.case("signature", move || {
            same("string to sign", &text_signed, &want_text)?;
            same("signature", &got, &want)
        });
        if suite["name"] == "smithy-typescript-sign-message" {
            let date = at_millis(&message, "date_header_epoch_ms");
            tally.case(":date header block", move || {
                let block = Message::new(Vec::new())
                    .with_header(DATE, HeaderValue::Timestamp(date.unix_seconds() * 1000))
                    .encode_headers()
                    .map_err(|e| e.to_string())?;
                match (block == headers, date_header(date).to_vec() == headers) {
                    (true, true) => Ok(()),
                    _ => Err(format!("encoded {block:02x?}")),
                }
            });
        }
    }
}

/// aws-sdk-go-v2: raw header and payload bytes hashed as given, chained
/// from a seed that is not a signature at all.
fn chained(suite: &Value, tally: &mut Tally) {
    let signer = signer(suite);
    let mut events = EventSigner::new(&signer, text(suite, "seed_signature")).unwrap();
    for message in messages(suite) {
        let at = at_millis(&message, "date_epoch_ms");
        let got = events
            .sign_with_headers(
                &unhex(&message, "headers_hex"),
                &unhex(&message, "payload_hex"),
                at,
            )
            .map(|s| s.to_hex());
        let want = text(&message, "signature").to_string();
        tally.case(text(&message, "label"), move || {
            same("signature", &got.map_err(|e| e.to_string())?, &want)
        });
    }
}

/// aws-sigv4: the inner message as this crate's encoder frames it, the
/// `:date` header of the time (its nanoseconds dropped), and the string to
/// sign the source states.
fn smithy_rs(suite: &Value, tally: &mut Tally) {
    let signer = signer(suite);
    let events = EventSigner::new(&signer, text(suite, "seed_signature")).unwrap();
    for message in messages(suite) {
        let at = at_millis(&message, "date_epoch_ms");
        let payload = unhex(&message, "payload_hex");
        let inner = &message["inner_message"];
        let mut encoded = Message::new(text(inner, "payload_utf8").as_bytes().to_vec());
        for header in inner["headers"].as_array().into_iter().flatten() {
            encoded = encoded.with_header(
                text(header, "name"),
                HeaderValue::String(text(header, "value").into()),
            );
        }
        let encoded = encoded.encode().unwrap();
        let payload_for_framing = payload.clone();
        tally.case("inner message framing", move || {
            match encoded == payload_for_framing {
                true => Ok(()),
                false => Err(format!("encoded {}", hex::encode(&encoded))),
            }
        });
        let headers = unhex(&message, "headers_hex");
        tally.case(":date header", move || {
            match date_header(at).to_vec() == headers {
                true => Ok(()),
                false => Err("the :date header's bytes differ".into()),
            }
        });
        let got = events.string_to_sign(&payload, at);
        let want = text(&message, "string_to_sign").to_string();
        tally.case("string to sign", move || {
            same("string to sign", &got, &want)
        });
    }
}

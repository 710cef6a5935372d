//! Verifying arbitrary event streams never panics: a signed stream,
//! altered (bits flipped, bytes spliced in) and fed in arbitrary pieces.
//! Whatever is handed over is a prefix of the payloads sent, and a stream
//! that finishes is all of them; the framing decodes any bytes without
//! panicking, and what it decodes encodes back to the same bytes.
#![no_main]

use arbitrary::Arbitrary;
use awsig::eventstream::{EventSigner, Message};
use awsig::verify::Verifier;
use awsig::{Credentials, Payload, Request, Signer, SigningTime};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    payloads: Vec<Vec<u8>>,
    /// Seconds each message is signed after the start (and the clock).
    delays: Vec<u16>,
    flips: Vec<(u32, u8)>,
    splice_at: u32,
    splice: Vec<u8>,
    pieces: Vec<u16>,
    raw: Vec<u8>,
}

fuzz_target!(|input: Input| {
    // The framing alone, on any bytes.
    if let Ok(Some((message, len))) = Message::decode(&input.raw) {
        assert_eq!(message.encode().unwrap(), input.raw[..len]);
    }

    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let signer = Signer::new(creds.clone(), "us-east-1", "transcribe").unwrap();
    let at = SigningTime::from_unix_seconds(1_700_000_000).unwrap();
    let request = Request::new(
        "POST",
        "transcribestreaming.us-east-1.amazonaws.com",
        "/stream",
    )
    .with_payload(Payload::EventStream);
    let signed = signer.authorize(&request, at).unwrap();
    let headers: Vec<(&str, &str)> = signed.headers().collect();

    // Empty payloads end a stream: the fuzzer's are made non-empty.
    let payloads: Vec<Vec<u8>> = (input.payloads.iter().take(8))
        .map(|p| if p.is_empty() { vec![0] } else { p.clone() })
        .collect();
    let mut events = EventSigner::new(&signer, signed.signature()).unwrap();
    let mut stream = Vec::new();
    let mut when = at;
    for (i, payload) in payloads.iter().enumerate() {
        let delay = input.delays.get(i).copied().unwrap_or(0) % 1200;
        when = when.checked_add(u64::from(delay)).unwrap();
        events.write_message(payload, when, &mut stream).unwrap();
    }
    events.write_end(when, &mut stream).unwrap();

    let mut body = stream.clone();
    for &(at, bit) in &input.flips {
        if !body.is_empty() {
            let i = at as usize % body.len();
            body[i] ^= 1 << (bit % 8);
        }
    }
    if !input.splice.is_empty() {
        let i = input.splice_at as usize % (body.len() + 1);
        body.splice(i..i, input.splice.iter().copied());
    }

    let verifier =
        Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "transcribe");
    let url = "https://transcribestreaming.us-east-1.amazonaws.com/stream";
    let (_, mut verifying) = verifier
        .verify_event_stream("POST", url, &headers, at)
        .unwrap();
    let mut got: Vec<Vec<u8>> = Vec::new();
    let mut rest = &body[..];
    let mut sizes = input.pieces.iter().cycle();
    let mut failed = false;
    while !rest.is_empty() {
        let n = usize::from(*sizes.next().unwrap_or(&u16::MAX)).clamp(1, rest.len());
        if verifying
            .feed(&rest[..n], when, |p| got.push(p.to_vec()))
            .is_err()
        {
            failed = true;
            break;
        }
        rest = &rest[n..];
    }
    // Only verified payloads, in order: a prefix of what was signed.
    assert!(got.len() <= payloads.len());
    assert_eq!(got[..], payloads[..got.len()]);
    if !failed && verifying.finish().is_ok() {
        assert_eq!(got, payloads);
        if body != stream {
            // Only a change the signatures cannot see may pass: none.
            panic!("an altered stream verified");
        }
    }
});

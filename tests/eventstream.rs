//! Event streams: the framing against its rules, round trips fed in any
//! pieces, a stream across midnight, and the Transcribe example run as a
//! user would run it. The attack table is in `tests/attacks.rs`, the
//! published vectors in `tests/vectors/eventstream.rs`.
#![cfg(feature = "eventstream")]

use awsig::eventstream::{
    date_header, EventErrorKind, EventSigner, Frame, FrameError, HeaderValue, Message, MAX_HEADERS,
    MAX_MESSAGE, MAX_PAYLOAD, MAX_SIGNED_PAYLOAD,
};
use awsig::{verify::Verifier, Credentials, Error, Payload, Request, Signer, SigningTime};
use proptest::prelude::*;

const URL: &str = "https://transcribestreaming.us-east-1.amazonaws.com/stream";

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

fn t(s: &str) -> SigningTime {
    SigningTime::parse(s).unwrap()
}

fn signer() -> Signer {
    Signer::new(creds(), "us-east-1", "transcribe").unwrap()
}

/// The initial request signed at `at`: the headers it sends, its signature.
fn start(at: SigningTime) -> (Vec<(String, String)>, String) {
    let signer = signer();
    let request = Request::new(
        "POST",
        "transcribestreaming.us-east-1.amazonaws.com",
        "/stream",
    )
    .with_payload(Payload::EventStream);
    let signed = signer.authorize(&request, at).unwrap();
    let headers = (signed.headers())
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    (headers, signed.signature().to_string())
}

/// Verifies `stream` in `pieces` against a start at `at`, as of each
/// message's own time (`clock`).
fn verify(
    at: SigningTime,
    stream: &[u8],
    pieces: &[usize],
    clock: SigningTime,
) -> Result<Vec<Vec<u8>>, awsig::eventstream::EventError> {
    let (headers, _) = start(at);
    let headers: Vec<(&str, &str)> = (headers.iter())
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let verifier = Verifier::new(|_: &str| Some(creds())).accept("us-east-1", "transcribe");
    let (_, mut events) = verifier
        .verify_event_stream("POST", URL, &headers, at)
        .unwrap();
    let mut got = Vec::new();
    let mut rest = stream;
    let mut sizes = pieces.iter().cycle();
    while !rest.is_empty() {
        let n = (*sizes.next().unwrap_or(&1)).clamp(1, rest.len());
        events.feed(&rest[..n], clock, |p| got.push(p.to_vec()))?;
        rest = &rest[n..];
    }
    events.finish()?;
    Ok(got)
}

#[test]
fn every_header_type_round_trips_and_its_encoding_is_the_framings() {
    let message = Message::new(b"payload".to_vec())
        .with_header("true", HeaderValue::Bool(true))
        .with_header("false", HeaderValue::Bool(false))
        .with_header("byte", HeaderValue::Byte(-2))
        .with_header("short", HeaderValue::Int16(-300))
        .with_header("int", HeaderValue::Int32(70_000))
        .with_header("long", HeaderValue::Int64(-5_000_000_000))
        .with_header("bytes", HeaderValue::Bytes(vec![1, 2, 3]))
        .with_header("string", HeaderValue::String("héllo".into()))
        .with_header("time", HeaderValue::Timestamp(1_369_353_600_000))
        .with_header("uuid", HeaderValue::Uuid([7; 16]));
    let bytes = message.encode().unwrap();
    let (back, len) = Message::decode(&bytes).unwrap().unwrap();
    assert_eq!((back, len), (message.clone(), bytes.len()));
    // The prelude: total and headers lengths, big-endian.
    let headers = message.encode_headers().unwrap();
    assert_eq!(&bytes[0..4], &(bytes.len() as u32).to_be_bytes());
    assert_eq!(&bytes[4..8], &(headers.len() as u32).to_be_bytes());
    assert_eq!(&bytes[12..12 + headers.len()], &headers[..]);
    // Type bytes as the framing numbers them, in order.
    let types: Vec<u8> = Frame::parse(&bytes)
        .unwrap()
        .unwrap()
        .raw_headers()
        .map(|h| h.unwrap().encoded)
        .map(|encoded| encoded[1 + usize::from(encoded[0])])
        .collect();
    assert_eq!(types, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Every proper prefix is incomplete, never an error.
    for end in 0..bytes.len() {
        assert_eq!(Message::decode(&bytes[..end]), Ok(None), "prefix of {end}");
    }
}

#[test]
fn the_date_header_is_the_one_signers_hash() {
    // aws-c-auth's and @smithy's `:date` block for 2018-12-29T01:04:06Z.
    let block = date_header(t("2018-12-29T01:04:06Z"));
    assert_eq!(hex(&block), "053a646174650800000167f77d5770");
    let encoded = Message::new(Vec::new())
        .with_header(":date", HeaderValue::Timestamp(1_546_045_446_000))
        .encode_headers()
        .unwrap();
    assert_eq!(encoded, block);
}

#[test]
fn framing_errors_are_named() {
    let bytes = Message::new(b"x".to_vec())
        .with_header("a", HeaderValue::Bool(true))
        .encode()
        .unwrap();
    let mut prelude = bytes.clone();
    prelude[9] ^= 1;
    assert_eq!(Message::decode(&prelude), Err(FrameError::PreludeCrc));
    let mut body = bytes.clone();
    body[14] ^= 1;
    assert_eq!(Message::decode(&body), Err(FrameError::MessageCrc));
    // A header of a type the framing does not define, CRCs made right.
    let forged = frame(&[1, b'a', 10], b"");
    assert_eq!(Message::decode(&forged), Err(FrameError::HeaderType(10)));
    // A string value running past the header block.
    let forged = frame(&[1, b'a', 7, 0, 9, b'x'], b"");
    assert_eq!(Message::decode(&forged), Err(FrameError::HeaderTruncated));
    // The same name twice.
    let forged = frame(&[1, b'a', 0, 1, b'a', 1], b"");
    assert_eq!(Message::decode(&forged), Err(FrameError::DuplicateHeader));
    // A prelude claiming more than any message may hold is refused on its
    // 12 bytes, before anything waits for the rest.
    let total = (MAX_MESSAGE + 1) as u32;
    let long = prelude_of(total, 0);
    assert_eq!(
        Message::decode(&long),
        Err(FrameError::Length { total, headers: 0 })
    );
    let long = prelude_of(1_000, (MAX_HEADERS + 1) as u32);
    assert!(matches!(
        Message::decode(&long),
        Err(FrameError::Length { .. })
    ));
    // Writing past the limits.
    let too_big = Message::new(vec![0; MAX_PAYLOAD + 1]).encode();
    assert_eq!(too_big, Err(FrameError::TooLong));
    let name = "n".repeat(256);
    let too_long = Message::new(Vec::new())
        .with_header(&name, HeaderValue::Bool(true))
        .encode();
    assert_eq!(too_long, Err(FrameError::TooLong));
}

/// A message framed by hand from `headers` and `payload`, CRCs right.
fn frame(headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let total = (16 + headers.len() + payload.len()) as u32;
    let mut out = prelude_of(total, headers.len() as u32);
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

fn prelude_of(total: u32, headers: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&headers.to_be_bytes());
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// CRC-32 (ISO-HDLC), bit by bit: a second implementation to check the
/// crate's against.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_crate_frames_with_the_crc_the_framing_defines() {
    let bytes = Message::new(b"abc".to_vec()).encode().unwrap();
    let n = bytes.len();
    assert_eq!(&bytes[8..12], &crc32(&bytes[..8]).to_be_bytes());
    assert_eq!(&bytes[n - 4..], &crc32(&bytes[..n - 4]).to_be_bytes());
}

#[test]
fn a_stream_across_midnight_signs_with_each_days_key() {
    let at = t("2024-01-01T23:59:58Z");
    let (_, seed) = start(at);
    let mut events = EventSigner::new(&signer(), &seed).unwrap();
    let mut stream = Vec::new();
    for (i, payload) in [&b"before"[..], b"at", b"after", b""].iter().enumerate() {
        let when = at.checked_add(i as u64 * 2).unwrap();
        events.write_message(payload, when, &mut stream).unwrap();
    }
    let got = verify(at, &stream, &[5], t("2024-01-02T00:00:02Z")).unwrap();
    assert_eq!(got, [b"before".to_vec(), b"at".to_vec(), b"after".to_vec()]);
}

#[test]
fn a_sigv4a_signer_does_not_sign_event_streams() {
    #[cfg(feature = "sigv4a")]
    {
        let set = awsig::sigv4a::RegionSet::parse("*").unwrap();
        let v4a = Signer::new_sigv4a(creds(), &set, "transcribe").unwrap();
        assert!(matches!(
            EventSigner::new(&v4a, "seed"),
            Err(Error::SigV4aUnsupported { .. })
        ));
    }
}

#[test]
fn a_payload_over_the_framings_limit_is_refused_before_signing() {
    let (_, seed) = start(t("2024-01-01T00:00:00Z"));
    let mut events = EventSigner::new(&signer(), &seed).unwrap();
    let mut out = Vec::new();
    let big = vec![0u8; MAX_SIGNED_PAYLOAD + 1];
    let refused = events.write_message(&big, t("2024-01-01T00:00:00Z"), &mut out);
    assert_eq!(
        refused,
        Err(Error::EventPayloadTooLong {
            len: MAX_SIGNED_PAYLOAD + 1
        })
    );
    assert!(out.is_empty());
    // The largest signed message is exactly 16 MiB, as aws-c-event-stream
    // takes it.
    let most = vec![0u8; MAX_SIGNED_PAYLOAD];
    events
        .write_message(&most, t("2024-01-01T00:00:00Z"), &mut out)
        .unwrap();
    assert_eq!(out.len(), MAX_MESSAGE);
}

#[test]
fn the_transcribe_example_presigns_and_frames_a_verified_event() {
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join("transcribe_stream");
    assert!(path.exists(), "{} is not built", path.display());
    let out = std::process::Command::new(path)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(
            "wss://transcribestreaming.us-east-1.amazonaws.com:8443/stream-transcription-websocket?"
        ) && first.contains("language-code=en-US")
            && first.contains("X-Amz-Expires=300"),
        "{first}"
    );
    assert!(
        stdout.contains("verified: 1 audio event and the end"),
        "{stdout}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any payloads, signed a second apart and fed in any pieces, come out
    /// as sent; a flipped bit anywhere fails at its message, and no payload
    /// from that message on is handed over.
    #[test]
    fn streams_round_trip_and_a_flipped_bit_fails_where_it_is(
        payloads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..300), 0..6),
        pieces in proptest::collection::vec(1usize..200, 1..8),
        flip in any::<proptest::sample::Index>(),
    ) {
        let at = t("2024-01-01T00:00:00Z");
        let (_, seed) = start(at);
        let mut events = EventSigner::new(&signer(), &seed).unwrap();
        let mut stream = Vec::new();
        let mut ends = Vec::new();
        for payload in &payloads {
            events.write_message(payload, at, &mut stream).unwrap();
            ends.push(stream.len());
        }
        events.write_end(at, &mut stream).unwrap();
        ends.push(stream.len());
        let got = verify(at, &stream, &pieces, at).unwrap();
        prop_assert_eq!(&got, &payloads);

        let bit = flip.index(stream.len() * 8);
        let mut bad = stream.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let message = ends.iter().position(|&end| bit / 8 < end).unwrap() as u64;
        let err = verify(at, &bad, &pieces, at).unwrap_err();
        prop_assert_eq!(err.message, message, "{}", err);
        prop_assert!(
            matches!(err.kind, EventErrorKind::Frame(_)),
            "a flipped bit is caught by the framing's CRCs first: {}", err
        );
    }
}

/// A failure ends the stream: what follows it, even a good message, gets
/// the same error, and so does `finish`; a message dated past the
/// credentials' expiry is refused, whatever its signature.
#[test]
fn a_failure_is_final_and_credentials_expire_with_their_stream() {
    let at = t("2024-01-01T00:00:00Z");
    let (headers, seed) = start(at);
    let headers: Vec<(&str, &str)> = (headers.iter())
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut events = EventSigner::new(&signer(), &seed).unwrap();
    let mut first = Vec::new();
    events.write_message(b"one", at, &mut first).unwrap();
    let mut bad = first.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let verifier = Verifier::new(|_: &str| Some(creds())).accept("us-east-1", "transcribe");
    let (_, mut stream) = verifier
        .verify_event_stream("POST", URL, &headers, at)
        .unwrap();
    let err = stream.feed(&bad, at, |_| ()).unwrap_err();
    assert_eq!(err.kind, EventErrorKind::Frame(FrameError::MessageCrc));
    let mut got = Vec::new();
    assert_eq!(
        stream.feed(&first, at, |p| got.push(p.to_vec())),
        Err(err.clone())
    );
    assert!(got.is_empty());
    assert_eq!(stream.finish(), Err(err));

    let expiring = creds().with_expiry(t("2024-01-01T00:10:00Z"));
    let verifier =
        Verifier::new(move |_: &str| Some(expiring.clone())).accept("us-east-1", "transcribe");
    let (_, mut stream) = verifier
        .verify_event_stream("POST", URL, &headers, at)
        .unwrap();
    let mut events = EventSigner::new(&signer(), &seed).unwrap();
    let mut body = Vec::new();
    events
        .write_message(b"in time", t("2024-01-01T00:09:59Z"), &mut body)
        .unwrap();
    let mut late = Vec::new();
    events
        .write_message(b"too late", t("2024-01-01T00:10:00Z"), &mut late)
        .unwrap();
    stream
        .feed(&body, t("2024-01-01T00:10:00Z"), |_| ())
        .unwrap();
    let err = stream
        .feed(&late, t("2024-01-01T00:10:00Z"), |_| ())
        .unwrap_err();
    assert_eq!(
        (err.message, err.kind),
        (1, EventErrorKind::CredentialsExpired)
    );
}

/// A message that does not verify comes with the string to sign the
/// verifier computed for it, as `string_to_sign` writes it, the signature
/// before not shown (for the first message, the initial request's).
#[test]
fn a_message_that_does_not_verify_shows_its_string_to_sign() {
    let at = t("2024-01-01T00:00:00Z");
    let (_, seed) = start(at);
    let mut ours = EventSigner::new(&signer(), &seed).unwrap();
    let mut stream = Vec::new();
    ours.write_message(b"first", at, &mut stream).unwrap();
    // The second message, signed in another chain: framed well, chained
    // to a signature this stream never carried.
    let other_seed = "0".repeat(64);
    let mut other = EventSigner::new(&signer(), &other_seed).unwrap();
    let second_at = t("2024-01-01T00:00:01Z");
    other.write_message(b"other", at, &mut Vec::new()).unwrap();
    other
        .write_message(b"second", second_at, &mut stream)
        .unwrap();
    let err = verify(at, &stream, &[stream.len()], second_at).unwrap_err();
    let want = awsig::eventstream::string_to_sign(
        second_at,
        "us-east-1",
        "transcribe",
        "<signature before, not shown>",
        &date_header(second_at),
        b"second",
    );
    assert_eq!(err.message, 1);
    assert_eq!(
        err.kind,
        EventErrorKind::SignatureMismatch {
            string_to_sign: want
        }
    );

    // The first message chains to the initial request's signature, which
    // a reader of the error could replay: it is not shown.
    let mut first = Vec::new();
    let mut other = EventSigner::new(&signer(), &other_seed).unwrap();
    other.write_message(b"first", at, &mut first).unwrap();
    let err = verify(at, &first, &[first.len()], at).unwrap_err();
    assert_eq!(err.message, 0);
    assert!(
        matches!(&err.kind, EventErrorKind::SignatureMismatch { string_to_sign }
            if string_to_sign.split('\n').nth(3) == Some("<signature before, not shown>")),
        "{err:?}"
    );
    assert!(!format!("{err:?} {err}").contains(&seed));
}

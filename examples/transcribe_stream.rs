//! Presigns an Amazon Transcribe streaming websocket URL and frames a signed
//! audio event for it, with no network:
//! `cargo run --features eventstream --example transcribe_stream`.
//!
//! Credentials come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (and
//! `AWS_SESSION_TOKEN`) when set, the documentation's example keys
//! otherwise; the time is the clock's. It prints the `wss://` URL, then the
//! first audio event and the stream's end as hex, each checked by the
//! verifier a service would run.

use awsig::eventstream::{EventSigner, HeaderValue, Message};
use awsig::{verify::Verifier, Credentials, Request, Signer, SigningTime};

const HOST: &str = "transcribestreaming.us-east-1.amazonaws.com:8443";
const PATH: &str = "/stream-transcription-websocket";
const QUERY: &str = "language-code=en-US&media-encoding=pcm&sample-rate=16000";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let creds = match (
        std::env::var("AWS_ACCESS_KEY_ID"),
        std::env::var("AWS_SECRET_ACCESS_KEY"),
    ) {
        (Ok(id), Ok(secret)) => match std::env::var("AWS_SESSION_TOKEN") {
            Ok(token) => Credentials::new(&id, &secret)?.with_session_token(&token)?,
            Err(_) => Credentials::new(&id, &secret)?,
        },
        _ => Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )?,
    };
    let now = SigningTime::try_from(std::time::SystemTime::now())?;
    let signer = Signer::new(creds.clone(), "us-east-1", "transcribe")?;

    // The websocket's URL: presigned for 300 s (Transcribe's most), over an
    // empty body. A websocket is opened with GET on an https-signed URL.
    let request = Request::new("GET", HOST, PATH).with_query(QUERY);
    let url = signer.presign(&request, now, 300)?;
    let wss = url.as_str().replacen("https://", "wss://", 1);
    println!("{wss}");

    // One audio event: 100 ms of 16 kHz 16-bit silence, as the inner
    // message Transcribe reads; signed and framed in an outer message
    // chained to the URL's signature, then the empty message that ends
    // the stream.
    let audio = Message::new(vec![0u8; 3_200])
        .with_header(
            ":content-type",
            HeaderValue::String("application/octet-stream".into()),
        )
        .with_header(":event-type", HeaderValue::String("AudioEvent".into()))
        .with_header(":message-type", HeaderValue::String("event".into()));
    let mut events = EventSigner::new(&signer, url.signature())?;
    let mut event = Vec::new();
    events.write_message(&audio.encode()?, now, &mut event)?;
    let mut end = Vec::new();
    events.write_end(now, &mut end)?;
    println!("audio event ({} bytes): {}", event.len(), hex(&event));
    println!("end of stream ({} bytes): {}", end.len(), hex(&end));

    // What the service does with them.
    let verifier =
        Verifier::new(move |_: &str| Some(creds.clone())).accept("us-east-1", "transcribe");
    let (_, mut stream) = verifier.verify_event_stream_presigned("GET", url.as_str(), &[], now)?;
    let mut received = Vec::new();
    stream.feed(&event, now, |payload| received.push(payload.to_vec()))?;
    stream.feed(&end, now, |_| ())?;
    stream.finish()?;
    let (inner, _) = Message::decode(&received[0])?.ok_or("an incomplete inner message")?;
    assert_eq!(inner, audio);
    println!("verified: 1 audio event and the end");
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

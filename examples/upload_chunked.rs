//! Uploads a file as an aws-chunked body, streamed with bounded memory (one
//! chunk at a time), to an S3-compatible endpoint, path style:
//!
//! ```text
//! cargo run --release --features chunked --example upload_chunked -- \
//!     --endpoint-url URL --region R --mode signed|signed-trailer|unsigned-trailer \
//!     [--checksum crc32|crc32c|crc64nvme|sha1|sha256] [--chunk-size N] s3://BUCKET/KEY FILE
//! ```
//!
//! Credentials come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and,
//! for temporary ones, `AWS_SESSION_TOKEN`. It exits 0 only when the server
//! answered 200, and prints the status and its own peak memory (`VmHWM`).

use awsig::chunked::{encoded_length, seed_headers, Checksum, ChunkSigner, ChunkedBody};
use awsig::{Credentials, Payload, Request, Scheme, Signer, SigningTime, Streaming};
use std::process::ExitCode;

const USAGE: &str = "usage: upload_chunked --endpoint-url URL --region R --mode signed|signed-trailer|unsigned-trailer [--checksum crc32|crc32c|crc64nvme|sha1|sha256] [--chunk-size N] s3://BUCKET/KEY FILE";

struct Args {
    endpoint: String,
    region: String,
    mode: Streaming,
    checksum: Checksum,
    chunk_size: usize,
    bucket: String,
    key: String,
    file: String,
}

fn parse() -> Result<Args, String> {
    let mut endpoint = None;
    let mut region = None;
    let mut mode = None;
    let mut checksum = Checksum::Sha256;
    let mut chunk_size = 64 * 1024;
    let mut positional = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--endpoint-url" => endpoint = Some(value()?),
            "--region" => region = Some(value()?),
            "--mode" => {
                mode = Some(match value()?.as_str() {
                    "signed" => Streaming::SignedChunks,
                    "signed-trailer" => Streaming::SignedChunksWithTrailer,
                    "unsigned-trailer" => Streaming::UnsignedWithTrailer,
                    other => {
                        return Err(format!(
                            "--mode {other:?} is not signed, signed-trailer or unsigned-trailer"
                        ))
                    }
                })
            }
            "--checksum" => {
                let name = value()?;
                checksum = Checksum::from_header_name(&format!("x-amz-checksum-{name}")).ok_or(
                    format!("--checksum {name:?} is not crc32, crc32c, crc64nvme, sha1 or sha256"),
                )?;
            }
            "--chunk-size" => {
                let text = value()?;
                chunk_size = text
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n >= awsig::chunked::MIN_CHUNK)
                    .ok_or(format!(
                        "--chunk-size {text:?} is not a number of bytes, 8192 or more"
                    ))?;
            }
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}")),
            _ => positional.push(arg),
        }
    }
    let [target, file] = <[String; 2]>::try_from(positional)
        .map_err(|_| "give s3://BUCKET/KEY and FILE".to_string())?;
    let (bucket, key) = target
        .strip_prefix("s3://")
        .and_then(|rest| rest.split_once('/'))
        .ok_or(format!("{target:?} is not s3://BUCKET/KEY"))?;
    Ok(Args {
        endpoint: endpoint.ok_or("--endpoint-url is required")?,
        region: region.ok_or("--region is required")?,
        mode: mode.ok_or("--mode is required")?,
        checksum,
        chunk_size,
        bucket: bucket.into(),
        key: key.into(),
        file,
    })
}

/// This process's peak resident memory, from `/proc/self/status`.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn run(a: Args) -> Result<u16, String> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is unset"));
    let mut creds = Credentials::new(&env("AWS_ACCESS_KEY_ID")?, &env("AWS_SECRET_ACCESS_KEY")?)
        .map_err(|e| e.to_string())?;
    if let Ok(token) = std::env::var("AWS_SESSION_TOKEN") {
        creds = creds
            .with_session_token(&token)
            .map_err(|e| e.to_string())?;
    }
    let (scheme, authority) = match a.endpoint.split_once("://") {
        Some(("http", rest)) => (Scheme::Http, rest.trim_end_matches('/')),
        Some(("https", rest)) => (Scheme::Https, rest.trim_end_matches('/')),
        _ => {
            return Err(format!(
                "--endpoint-url {:?} is not http(s)://host[:port]",
                a.endpoint
            ))
        }
    };
    let signer = Signer::new(creds, &a.region, "s3").map_err(|e| e.to_string())?;
    let time = SigningTime::try_from(std::time::SystemTime::now()).map_err(|e| e.to_string())?;
    let file = std::fs::File::open(&a.file).map_err(|e| format!("{}: {e}", a.file))?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    let trailer = (a.mode != Streaming::SignedChunks).then_some(a.checksum);
    let lengths: Vec<(&str, usize)> = trailer
        .iter()
        .map(|c| (c.header_name(), c.value_len()))
        .collect();
    let length = encoded_length(a.mode, size, a.chunk_size as u64, &lengths)
        .ok_or("the file is too large to frame")?;
    let mut headers = seed_headers(a.mode, size, trailer.map(Checksum::header_name));
    headers.push(("content-length".into(), length.to_string()));
    let path = format!("/{}/{}", a.bucket, a.key);
    let borrowed: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seed = Request::new("PUT", authority, &path)
        .with_scheme(scheme)
        .with_headers(&borrowed)
        .with_payload(Payload::Streaming(a.mode));
    let signed = signer.authorize(&seed, time).map_err(|e| e.to_string())?;
    let chunks = (a.mode != Streaming::UnsignedWithTrailer)
        .then(|| ChunkSigner::new(&signer, signed.values()).unwrap());
    let body = ChunkedBody::new(file, a.mode, chunks, a.chunk_size, a.checksum);
    let mut put = reqwest::blocking::Client::new()
        .put(format!(
            "{}{}",
            a.endpoint.trim_end_matches('/'),
            seed.path()
        ))
        .body(reqwest::blocking::Body::sized(body, length));
    for (name, value) in headers.iter().filter(|(n, _)| n != "content-length") {
        put = put.header(name, value);
    }
    for (name, value) in signed.headers() {
        put = put.header(name, value);
    }
    let response = put.send().map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response.text().unwrap_or_default();
    println!(
        "status {status}{}",
        if text.is_empty() {
            String::new()
        } else {
            format!(": {text}")
        }
    );
    Ok(status)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("upload_chunked: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let outcome = run(args);
    println!("peak memory {}", peak_memory());
    match outcome {
        Ok(200) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("upload_chunked: {e}");
            ExitCode::FAILURE
        }
    }
}

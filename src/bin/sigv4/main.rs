//! `sigv4`: presign S3 objects and AWS requests from the command line.
//!
//! ```text
//! sigv4 presign s3://BUCKET/KEY [--method M] [--expires-in S] [--region R] [--endpoint-url URL]
//!               [--addressing-style auto|virtual|path] [--signing-time T] [--header 'N: v']...
//!               [--query 'n=v']... [--version-id V] [--profile P] [--json]
//! sigv4 presign --url URL --service SERVICE [--region R] [--method M] ...
//! sigv4 verify URL [--method M] [--header 'N: v']... [--now T] [--max-skew S] [--region R]
//!              [--service S] [--max-expires S] [--profile P]
//! sigv4 explain URL [--method M] [--header 'N: v']... [--s3-error FILE] [--show-signing-key]
//! ```
//!
//! Exit status: 0 on success (and for a valid URL), 1 for a URL that fails
//! verification, 2 with one line on standard error for any bad flag or value.

mod args;
mod config;

use args::{parse_header, parse_query, Args, Spec, Usage};
use config::Config;
use sigv4::s3::{AddressingStyle, Endpoint, S3Presigner, S3Request};
use sigv4::verify::{Verifier, VerifyError};
use sigv4::{Request, Signer, SigningTime};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: sigv4 presign (s3://BUCKET/KEY | --url URL --service SERVICE) [flags] | sigv4 verify URL [flags] | sigv4 explain URL [flags]; see README";

/// How a command ended.
enum Outcome {
    /// Print this to standard output, exit 0.
    Done(String),
    /// Print this one line to standard output, exit 1 (a URL failed verification).
    Invalid(String),
}

fn main() -> ExitCode {
    // No backtraces for users: any panic (there should be none) is one line.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("sigv4: internal error: {info}");
    }));
    // `std::env::args` panics on an argument that is not UTF-8: refuse it instead.
    let argv: Result<Vec<String>, Usage> = std::env::args_os()
        .skip(1)
        .enumerate()
        .map(|(i, a)| {
            a.into_string()
                .map_err(|_| Usage(format!("argument {} is not valid UTF-8", i + 1)))
        })
        .collect();
    let mut argv = match argv {
        Ok(args) => args.into_iter(),
        Err(Usage(message)) => {
            eprintln!("sigv4: {message}");
            return ExitCode::from(2);
        }
    };
    let result = match argv.next().as_deref() {
        Some("presign") => presign(argv).map(Outcome::Done),
        Some("verify") => verify(argv),
        Some("explain") => explain(argv).map(Outcome::Done),
        Some("--help") | Some("-h") | Some("help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(Usage(format!("unknown command {other:?}; {USAGE}"))),
        None => Err(Usage(USAGE.to_string())),
    };
    match result {
        Ok(outcome) => {
            let (output, code) = match outcome {
                Outcome::Done(output) => (output, ExitCode::SUCCESS),
                Outcome::Invalid(line) => (line, ExitCode::from(1)),
            };
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out.write_all(output.as_bytes());
            let _ = out.flush();
            code
        }
        Err(Usage(message)) => {
            eprintln!("sigv4: {message}");
            ExitCode::from(2)
        }
    }
}

const PRESIGN: Spec = Spec {
    flags: &[
        "method",
        "expires-in",
        "region",
        "endpoint-url",
        "addressing-style",
        "signing-time",
        "header",
        "query",
        "version-id",
        "profile",
        "url",
        "service",
    ],
    switches: &["json"],
};

fn signing_time(args: &Args) -> Result<SigningTime, Usage> {
    match args.one("signing-time")? {
        Some(t) => SigningTime::parse(t).map_err(|e| Usage(format!("--signing-time: {e}"))),
        None => SigningTime::try_from(std::time::SystemTime::now()).map_err(Usage::from),
    }
}

fn expires_in(args: &Args, default: u64) -> Result<u64, Usage> {
    match args.one("expires-in")? {
        None => Ok(default),
        Some(s) => s.parse().map_err(|_| {
            Usage(format!(
                "--expires-in {s:?} is not a whole number of seconds"
            ))
        }),
    }
}

fn presign(raw: impl Iterator<Item = String>) -> Result<String, Usage> {
    let args = Args::parse(&PRESIGN, raw)?;
    let config = Config::load(args.one("profile")?);
    let time = signing_time(&args)?;
    let headers: Vec<(String, String)> = args
        .all("header")
        .iter()
        .map(|h| parse_header(h))
        .collect::<Result<_, _>>()?;
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let query: Vec<(String, String)> = args.all("query").iter().map(|q| parse_query(q)).collect();
    let query_refs: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let method = args.one("method")?.unwrap_or("GET");

    let url = match (args.one("url")?, args.positionals.as_slice()) {
        (Some(url), []) => {
            let service = args.one("service")?.ok_or_else(|| {
                Usage("--url needs --service (e.g. --service execute-api)".into())
            })?;
            let region = config
                .region(args.one("region")?)
                .ok_or_else(|| Usage("no region: pass --region or set AWS_REGION".into()))?;
            let signer = Signer::new(config.credentials()?, &region, service)
                .map_err(|e| Usage(format!("--region/--service: {e}")))?;
            let parts = sigv4::uri::parse_url(url).map_err(|e| Usage(format!("--url: {e}")))?;
            let req = Request::new(method, parts.host, parts.path)
                .with_scheme(parts.scheme)
                .with_query(parts.query)
                .with_params(&query_refs)
                .with_headers(&header_refs);
            let url = signer.presign(&req, time, expires_in(&args, 900)?)?;
            (url.as_str().to_string(), url.expires_at())
        }
        (None, [target]) => {
            if args.one("service")?.is_some_and(|s| s != "s3") {
                return Err(Usage(
                    "--service goes with --url; s3:// targets are S3".into(),
                ));
            }
            let rest = target
                .strip_prefix("s3://")
                .ok_or_else(|| Usage(format!("{target:?} is not s3://BUCKET/KEY")))?;
            let (bucket, key) = rest
                .split_once('/')
                .ok_or_else(|| Usage(format!("{target:?} has no key: s3://BUCKET/KEY")))?;
            let region = config
                .region(args.one("region")?)
                .unwrap_or_else(|| "us-east-1".into());
            let style = match args.one("addressing-style")? {
                None => AddressingStyle::Auto,
                Some(s) => AddressingStyle::parse(s).ok_or_else(|| {
                    Usage(format!(
                        "--addressing-style {s:?} is not auto, virtual or path"
                    ))
                })?,
            };
            let mut presigner = S3Presigner::new(config.credentials()?, &region)
                .map_err(|e| Usage(format!("--region: {e}")))?
                .with_addressing_style(style);
            if let Some(endpoint) = config.endpoint(args.one("endpoint-url")?, true) {
                let endpoint = Endpoint::parse(&endpoint)
                    .map_err(|e| Usage(format!("--endpoint-url: {e}")))?;
                presigner = presigner.with_endpoint(endpoint);
            }
            let mut req = S3Request::new(method, bucket, key)
                .expires_in(expires_in(&args, sigv4::s3::DEFAULT_EXPIRES)?)
                .with_headers(&header_refs)
                .with_params(&query_refs);
            if let Some(v) = args.one("version-id")? {
                req = req.version_id(v);
            }
            let url = presigner.presign(&req, time)?;
            (url.as_str().to_string(), url.expires_at())
        }
        (Some(_), _) => return Err(Usage("--url takes no s3:// target".into())),
        (None, []) => return Err(Usage(format!("missing target; {USAGE}"))),
        (None, _) => return Err(Usage("give one s3://BUCKET/KEY target".into())),
    };
    let (url, expires_at) = url;
    if !args.switch("json") {
        return Ok(format!("{url}\n"));
    }
    let mut json = String::from("{\"url\":");
    json_string(&mut json, &url);
    json.push_str(",\"method\":");
    json_string(&mut json, method);
    json.push_str(",\"headers\":{");
    for (i, (name, value)) in headers.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json_string(&mut json, name);
        json.push(':');
        json_string(&mut json, value);
    }
    json.push_str("},\"expires_at\":");
    json_string(&mut json, &expires_at.to_string());
    json.push_str("}\n");
    Ok(json)
}

const VERIFY: Spec = Spec {
    flags: &[
        "method",
        "header",
        "now",
        "max-skew",
        "region",
        "service",
        "max-expires",
        "profile",
    ],
    switches: &[],
};

const EXPLAIN: Spec = Spec {
    flags: &["method", "header", "s3-error", "profile"],
    switches: &["show-signing-key"],
};

fn seconds_flag(args: &Args, name: &str, default: u64) -> Result<u64, Usage> {
    match args.one(name)? {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|_| Usage(format!("--{name} {s:?} is not a whole number of seconds"))),
    }
}

fn one_url(args: &Args) -> Result<&str, Usage> {
    match args.positionals.as_slice() {
        [url] => Ok(url),
        [] => Err(Usage("missing URL".into())),
        _ => Err(Usage("give one URL (quote it: it holds '&')".into())),
    }
}

fn sent_headers(args: &Args) -> Result<Vec<(String, String)>, Usage> {
    args.all("header").iter().map(|h| parse_header(h)).collect()
}

fn verify(raw: impl Iterator<Item = String>) -> Result<Outcome, Usage> {
    let args = Args::parse(&VERIFY, raw)?;
    let url = one_url(&args)?;
    let config = Config::load(args.one("profile")?);
    let creds = config.credentials()?;
    let now = match args.one("now")? {
        Some(t) => SigningTime::parse(t).map_err(|e| Usage(format!("--now: {e}")))?,
        None => SigningTime::try_from(std::time::SystemTime::now())?,
    };
    let headers = sent_headers(&args)?;
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let service = args.one("service")?.unwrap_or("s3");
    let key_id = creds.access_key_id().to_string();
    let mut verifier = Verifier::new(move |id: &str| (id == key_id).then(|| creds.clone()))
        .max_skew(seconds_flag(
            &args,
            "max-skew",
            sigv4::verify::DEFAULT_MAX_SKEW,
        )?)
        .max_expires(seconds_flag(
            &args,
            "max-expires",
            sigv4::sign::MAX_EXPIRES,
        )?);
    verifier = match config.region(args.one("region")?) {
        Some(region) => verifier.accept(&region, service),
        None => verifier.accept_any_region(service),
    };
    let method = args.one("method")?.unwrap_or("GET");
    let result = if header_refs
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
    {
        verifier.verify_authorization(method, url, &header_refs, None, now)
    } else {
        verifier.verify_presigned(method, url, &header_refs, None, now)
    };
    match result {
        Ok(v) => {
            let mut line = format!("valid: key {}, signed {}", v.access_key_id(), v.signed_at());
            if let Some(expires_at) = v.expires_at() {
                line.push_str(&format!(", expires {expires_at}"));
            }
            Ok(Outcome::Done(line + "\n"))
        }
        Err(VerifyError::Malformed(e)) => Err(Usage(format!("URL or header: {e}"))),
        Err(VerifyError::SignatureMismatch { .. }) => Ok(Outcome::Invalid(
            "invalid: signature does not match (`sigv4 explain URL` shows what was computed)\n"
                .into(),
        )),
        Err(e) => Ok(Outcome::Invalid(format!("invalid: {e}\n"))),
    }
}

fn explain(raw: impl Iterator<Item = String>) -> Result<String, Usage> {
    let args = Args::parse(&EXPLAIN, raw)?;
    let url = one_url(&args)?;
    let config = Config::load(args.one("profile")?);
    // Explaining needs no secret; with one, the signature is checked too.
    let creds = config.credentials().ok();
    let headers = sent_headers(&args)?;
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let method = args.one("method")?.unwrap_or("GET");
    let show_key = args.switch("show-signing-key");
    let explained = if header_refs
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
    {
        sigv4::explain::explain_authorization(
            method,
            url,
            &header_refs,
            None,
            creds.as_ref(),
            show_key,
        )
    } else {
        sigv4::explain::explain_presigned(method, url, &header_refs, creds.as_ref(), show_key)
    }
    .map_err(|e| Usage(format!("cannot explain: {e}")))?;
    let mut out = explained.to_string();
    if let Some(file) = args.one("s3-error")? {
        let xml = std::fs::read_to_string(file)
            .map_err(|e| Usage(format!("--s3-error {file:?}: {e}")))?;
        let s3 = sigv4::explain::parse_s3_error(&xml);
        if s3.canonical_request.is_none() && s3.string_to_sign.is_none() {
            return Err(Usage(format!(
                "--s3-error {file:?} holds neither CanonicalRequest nor StringToSign"
            )));
        }
        out.push_str("== compared with the S3 error ==\n");
        match sigv4::explain::compare_with_s3(&explained, &s3) {
            Some(d) => out.push_str(&format!("{d}\n")),
            None => out.push_str("S3 computed the same canonical request and string to sign\n"),
        }
    }
    Ok(out)
}

/// Appends `s` as a JSON string literal.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

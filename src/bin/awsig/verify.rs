//! `awsig verify`: checks a received presigned URL (or header-signed
//! request) as a service would, with the secret from the usual sources.

use crate::args::{self, parse_header, Args, Command, Flag, Takes, Usage};
use crate::config::Config;
use crate::{credentials, Outcome};
use awsig::verify::{Verifier, VerifyError};
use awsig::{Payload, SigningTime};

const METHOD: Flag = Flag {
    name: "method",
    takes: Takes::One("METHOD"),
    default: Some("GET"),
    help: "HTTP method the request was received with, upper-cased",
};
const HEADER: Flag = Flag {
    name: "header",
    takes: Takes::Repeated("'NAME: VALUE'"),
    default: None,
    help: "header the client sent (an Authorization header makes it a header-signed request)",
};
const BODY: Flag = Flag {
    name: "body",
    takes: Takes::One("FILE"),
    default: Some("an empty body"),
    help: "file holding the body received, checked where the signature covers it",
};
const NOW: Flag = Flag {
    name: "now",
    takes: Takes::One("TIME"),
    default: Some("the clock"),
    help: "time to verify at, 2013-05-24T12:00:00Z or 20130524T120000Z",
};
const MAX_SKEW: Flag = Flag {
    name: "max-skew",
    takes: Takes::One("SECONDS"),
    default: Some("900"),
    help: "clock skew allowed between the signer and now",
};
const REGION: Flag = Flag {
    name: "region",
    takes: Takes::One("REGION"),
    default: Some("any: the region in the request's credential"),
    help:
        "accept only requests signed for this region (never read from the environment or profile)",
};
const SERVICE: Flag = Flag {
    name: "service",
    takes: Takes::One("SERVICE"),
    default: Some("any: the service in the request's credential"),
    help: "accept only requests signed for this service",
};
const MAX_EXPIRES: Flag = Flag {
    name: "max-expires",
    takes: Takes::One("SECONDS"),
    default: Some("604800"),
    help: "longest X-Amz-Expires accepted",
};
const PROFILE: Flag = Flag {
    name: "profile",
    takes: Takes::One("NAME"),
    default: Some("AWS_PROFILE, else default"),
    help: "profile whose credentials hold the secret to verify with",
};

/// The command's table.
pub(crate) const COMMAND: Command = Command {
    name: "verify",
    about: "check a presigned URL (or header-signed request); exit 0 valid, 1 invalid, 2 usage",
    forms: &["URL"],
    flags: &[
        &METHOD,
        &HEADER,
        &BODY,
        &NOW,
        &MAX_SKEW,
        &REGION,
        &SERVICE,
        &MAX_EXPIRES,
        &PROFILE,
    ],
};

/// `awsig verify`'s arguments, checked.
struct VerifyArgs {
    /// The received URL.
    url: String,
    /// The method, upper-cased.
    method: String,
    /// `--header`s, split.
    headers: Vec<(String, String)>,
    /// The bytes of `--body`, if given.
    body: Option<Vec<u8>>,
    /// `--now`, else the clock.
    now: SigningTime,
    /// `--max-skew`.
    max_skew: u64,
    /// `--region`: only the flag, never the environment or profile.
    region: Option<String>,
    /// `--service`.
    service: Option<String>,
    /// `--max-expires`.
    max_expires: u64,
    /// `--profile`.
    profile: Option<String>,
}

impl VerifyArgs {
    /// Checks the parsed flags and positionals.
    fn from_args(args: &Args) -> Result<Self, Usage> {
        let owned = |flag: &Flag| args.one(flag).map(str::to_string);
        let seconds = |flag: &Flag, default: u64| {
            args.one(flag)
                .map_or(Ok(default), |s| args::seconds(flag, s))
        };
        let body = match args.one(&BODY) {
            Some(file) => {
                Some(std::fs::read(file).map_err(|e| Usage(format!("--body {file:?}: {e}")))?)
            }
            None => None,
        };
        Ok(VerifyArgs {
            url: one_url(args)?.to_string(),
            method: args.one(&METHOD).unwrap_or("GET").to_ascii_uppercase(),
            headers: sent_headers(args, &HEADER)?,
            body,
            now: match args.one(&NOW) {
                Some(t) => SigningTime::parse(t).map_err(|e| Usage(format!("--now: {e}")))?,
                None => SigningTime::try_from(std::time::SystemTime::now())?,
            },
            max_skew: seconds(&MAX_SKEW, awsig::verify::DEFAULT_MAX_SKEW)?,
            region: owned(&REGION),
            service: owned(&SERVICE),
            max_expires: seconds(&MAX_EXPIRES, awsig::settings::MAX_EXPIRES)?,
            profile: owned(&PROFILE),
        })
    }
}

/// The one positional URL of `verify` and `explain`.
pub(crate) fn one_url(args: &Args) -> Result<&str, Usage> {
    match args.positionals.as_slice() {
        [url] => Ok(url),
        [] => Err(Usage("missing URL".into())),
        _ => Err(Usage("give one URL (quote it: it holds '&')".into())),
    }
}

/// Every `--header` of a command, split.
pub(crate) fn sent_headers(args: &Args, flag: &Flag) -> Result<Vec<(String, String)>, Usage> {
    args.all(flag).into_iter().map(parse_header).collect()
}

/// Whether the request is signed with an `Authorization` header.
pub(crate) fn has_authorization(headers: &[(&str, &str)]) -> bool {
    headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
}

/// Runs the command on its arguments.
pub(crate) fn run(args: &Args) -> Result<Outcome, Usage> {
    let a = VerifyArgs::from_args(args)?;
    let config = Config::load(a.profile.as_deref())?;
    let creds = credentials::require(&config)?;
    let headers = args::borrowed(&a.headers);
    let key_id = creds.access_key_id().to_string();
    let verifier = Verifier::new(move |id: &str| (id == key_id).then(|| creds.clone()))
        .max_skew(a.max_skew)
        .max_expires(a.max_expires);
    // The scope is the request's own unless a flag narrows it: a default
    // region from the environment must not refuse every other region.
    let verifier = match (&a.region, &a.service) {
        (Some(region), Some(service)) => verifier.accept(region, service),
        (None, Some(service)) => verifier.accept_any_region(service),
        (None, None) => verifier.accept_any_scope(),
        (Some(region), None) => verifier.accept_any_service(region),
    };
    // A request that came without a body had an empty one.
    let payload = match &a.body {
        Some(body) => Payload::Bytes(body),
        None => Payload::Empty,
    };
    let result = if has_authorization(&headers) {
        verifier.verify_authorization(&a.method, &a.url, &headers, Some(payload), a.now)
    } else {
        verifier.verify_presigned(&a.method, &a.url, &headers, Some(payload), a.now)
    };
    match result {
        Ok(v) => {
            let mut line = format!("valid: key {}, signed {}", v.access_key_id(), v.signed_at());
            if let Some(expires_at) = v.expires_at() {
                line.push_str(&format!(", expires {expires_at}"));
            }
            Ok(Outcome::Done(line + "\n"))
        }
        // An argument that is not a URL at all is a usage error; a URL that
        // parses but fails a check (a port of 0, a lower-case method) is an
        // invalid request.
        Err(VerifyError::Malformed(
            e @ (awsig::Error::InvalidUrl { .. } | awsig::Error::InvalidScheme { .. }),
        )) => Err(Usage(format!("URL: {e}"))),
        Err(VerifyError::SignatureMismatch { .. }) => Ok(Outcome::Invalid(
            "invalid: signature does not match (`awsig explain URL` shows what was computed)\n"
                .into(),
        )),
        Err(e) => Ok(Outcome::Invalid(format!("invalid: {e}\n"))),
    }
}

//! `awsig verify`: checks a received presigned URL (or header-signed
//! request) as a service would, with the secret from the usual sources.

use crate::args::{self, parse_header, Command, CommandArgs, Flag, Takes, Usage};
use crate::config::Config;
use crate::{credentials, Failure, Outcome};
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
    about: "check a presigned URL (or header-signed request); exit 0 valid, 1 invalid, 2 usage, 3 environment",
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

/// `awsig verify`'s arguments, each flag converted as it is read.
#[derive(Default)]
pub(crate) struct VerifyArgs {
    /// The positionals: the received URL, alone.
    urls: Vec<String>,
    /// `--method`, upper-cased.
    method: Option<String>,
    /// `--header`s, split.
    headers: Vec<(String, String)>,
    /// `--body`: the file, read when the command runs.
    body: Option<String>,
    /// `--now`, else the clock.
    now: Option<SigningTime>,
    /// `--max-skew`.
    max_skew: Option<u64>,
    /// `--region`: only the flag, never the environment or profile.
    region: Option<String>,
    /// `--service`.
    service: Option<String>,
    /// `--max-expires`.
    max_expires: Option<u64>,
    /// `--profile`.
    profile: Option<String>,
}

impl CommandArgs for VerifyArgs {
    const COMMAND: &'static Command = &COMMAND;

    fn take(&mut self, flag: &'static Flag, value: Option<String>) -> Result<(), Usage> {
        // Every flag of verify takes a value.
        let text = value.unwrap_or_default();
        match *flag {
            METHOD => self.method = Some(text.to_ascii_uppercase()),
            HEADER => self.headers.push(parse_header(&text)?),
            BODY => self.body = Some(text),
            NOW => self.now = Some(args::time(flag, &text)?),
            MAX_SKEW => self.max_skew = Some(args::seconds(flag, &text)?),
            REGION => self.region = Some(text),
            SERVICE => self.service = Some(text),
            MAX_EXPIRES => self.max_expires = Some(args::seconds(flag, &text)?),
            PROFILE => self.profile = Some(text),
            _ => return Err(flag.unread()),
        }
        Ok(())
    }

    fn positional(&mut self, arg: String) -> Result<(), Usage> {
        self.urls.push(arg);
        Ok(())
    }
}

/// The one positional URL of `verify`, `explain` and `verify-post`.
pub(crate) fn one_url(positionals: &[String]) -> Result<&str, Usage> {
    match positionals {
        [url] => Ok(url),
        [] => Err(Usage("missing URL".into())),
        _ => Err(Usage("give one URL (quote it: it holds '&')".into())),
    }
}

/// Whether the request is signed with an `Authorization` header.
pub(crate) fn has_authorization(headers: &[(&str, &str)]) -> bool {
    headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
}

/// Runs the command on its arguments.
pub(crate) fn run(a: VerifyArgs) -> Result<Outcome, Failure> {
    let url = one_url(&a.urls)?;
    let body = match &a.body {
        Some(file) => Some(std::fs::read(file).map_err(|e| Failure::unreadable(&BODY, file, e))?),
        None => None,
    };
    let now = match a.now {
        Some(now) => now,
        None => args::now()?,
    };
    let method = a.method.as_deref().unwrap_or("GET");
    let config = Config::load(a.profile.as_deref())?;
    let creds = credentials::require(&config)?;
    let headers = args::borrowed(&a.headers);
    let key_id = creds.access_key_id().to_string();
    let verifier = Verifier::new(move |id: &str| (id == key_id).then(|| creds.clone()))
        .max_skew(a.max_skew.unwrap_or(awsig::verify::DEFAULT_MAX_SKEW))
        .max_expires(a.max_expires.unwrap_or(awsig::settings::MAX_EXPIRES));
    // The scope is the request's own unless a flag narrows it: a default
    // region from the environment must not refuse every other region.
    let verifier = match (&a.region, &a.service) {
        (Some(region), Some(service)) => verifier.accept(region, service),
        (None, Some(service)) => verifier.accept_any_region(service),
        (None, None) => verifier.accept_any_scope(),
        (Some(region), None) => verifier.accept_any_service(region),
    };
    // A request that came without a body had an empty one.
    let payload = match &body {
        Some(body) => Payload::Bytes(body),
        None => Payload::Empty,
    };
    let result = if has_authorization(&headers) {
        verifier.verify_authorization(method, url, &headers, Some(payload), now)
    } else {
        verifier.verify_presigned(method, url, &headers, Some(payload), now)
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
        )) => Err(Failure::Usage(format!("URL: {e}"))),
        Err(VerifyError::SignatureMismatch { .. }) => Ok(Outcome::Invalid(
            "invalid: signature does not match (`awsig explain URL` shows what was computed)\n"
                .into(),
        )),
        Err(e) => Ok(Outcome::Invalid(format!("invalid: {e}\n"))),
    }
}

//! `awsig explain`: the canonical request, string to sign and scope of a
//! signed request, and where S3's own computation differs from ours.

use crate::args::{self, parse_header, Command, CommandArgs, Flag, Takes, Usage};
use crate::config::Config;
use crate::verify::{has_authorization, one_url};
use crate::{credentials, Failure};
use awsig::explain::DerivedKeys;

const METHOD: Flag = Flag {
    name: "method",
    takes: Takes::One("METHOD"),
    default: Some("GET"),
    help: "HTTP method the request was sent with, upper-cased",
};
const HEADER: Flag = Flag {
    name: "header",
    takes: Takes::Repeated("'NAME: VALUE'"),
    default: None,
    help: "header the client sent (an Authorization header makes it a header-signed request)",
};
const S3_ERROR: Flag = Flag {
    name: "s3-error",
    takes: Takes::One("FILE"),
    default: None,
    help: "XML body of S3's SignatureDoesNotMatch error, to show where S3 differs",
};
const SHOW_SIGNING_KEY: Flag = Flag {
    name: "show-signing-key",
    takes: Takes::Nothing,
    default: None,
    help: "also print the signing-key chain (secret-derived: keep it private)",
};
const PROFILE: Flag = Flag {
    name: "profile",
    takes: Takes::One("NAME"),
    default: Some("AWS_PROFILE, else default"),
    help: "profile whose secret checks the signature (without one, nothing is checked)",
};

/// The command's table.
pub(crate) const COMMAND: Command = Command {
    name: "explain",
    about: "show what was signed: canonical request, string to sign, scope, and the S3 diff",
    forms: &["URL"],
    flags: &[&METHOD, &HEADER, &S3_ERROR, &SHOW_SIGNING_KEY, &PROFILE],
};

/// `awsig explain`'s arguments, each flag converted as it is read.
#[derive(Default)]
pub(crate) struct ExplainArgs {
    /// The positionals: the signed URL, alone.
    urls: Vec<String>,
    /// `--method`, upper-cased.
    method: Option<String>,
    /// `--header`s, split.
    headers: Vec<(String, String)>,
    /// `--s3-error`: the file, read when the command runs.
    s3_error: Option<String>,
    /// `--show-signing-key`.
    show_signing_key: bool,
    /// `--profile`.
    profile: Option<String>,
}

impl CommandArgs for ExplainArgs {
    const COMMAND: &'static Command = &COMMAND;

    fn take(&mut self, flag: &'static Flag, value: Option<String>) -> Result<(), Usage> {
        // `None` only for the switch, which reads no value.
        let text = value.unwrap_or_default();
        match *flag {
            METHOD => self.method = Some(text.to_ascii_uppercase()),
            HEADER => self.headers.push(parse_header(&text)?),
            S3_ERROR => self.s3_error = Some(text),
            SHOW_SIGNING_KEY => self.show_signing_key = true,
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

/// Runs the command on its arguments, giving what to print.
pub(crate) fn run(a: ExplainArgs) -> Result<String, Failure> {
    let url = one_url(&a.urls)?;
    let config = Config::load(a.profile.as_deref())?;
    // Explaining needs no secret; with one, the signature is checked too.
    // A broken source is still an error: it would hide which key was meant.
    let creds = credentials::find(&config)?;
    let headers = args::borrowed(&a.headers);
    let method = a.method.as_deref().unwrap_or("GET");
    let derived_keys = match a.show_signing_key {
        true => DerivedKeys::Shown,
        false => DerivedKeys::Hidden,
    };
    let explained = if has_authorization(&headers) {
        awsig::explain::explain_authorization(
            method,
            url,
            &headers,
            None,
            creds.as_ref(),
            derived_keys,
        )
    } else {
        awsig::explain::explain_presigned(method, url, &headers, creds.as_ref(), derived_keys)
    }
    .map_err(|e| Usage(format!("cannot explain: {e}")))?;
    let mut out = explained.to_string();
    if let Some(file) = &a.s3_error {
        let xml =
            std::fs::read_to_string(file).map_err(|e| Failure::unreadable(&S3_ERROR, file, e))?;
        let s3 = awsig::explain::parse_s3_error(&xml);
        if s3.canonical_request.is_none() && s3.string_to_sign.is_none() {
            return Err(Usage(format!(
                "--s3-error {file:?} holds neither CanonicalRequest nor StringToSign"
            ))
            .into());
        }
        out.push_str("== compared with the S3 error ==\n");
        match awsig::explain::compare_with_s3(&explained, &s3) {
            Some(d) => out.push_str(&format!("{d}\n")),
            None => out.push_str("S3 computed the same canonical request and string to sign\n"),
        }
    }
    Ok(out)
}

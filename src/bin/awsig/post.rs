//! `awsig presign-post` and `awsig verify-post`: browser-upload forms, made
//! and checked.

use crate::args::{self, Args, Command, Flag, Takes, Usage};
use crate::config::Config;
use crate::presign::{
    addressing_style, s3_presigner, ADDRESSING_STYLE, ENDPOINT_URL, PROFILE, REGION, SIGNING_TIME,
};
use crate::{credentials, Outcome};
use awsig::post::PostRequest;
use awsig::post::PostUpload;
use awsig::verify::Verifier;
use awsig::SigningTime;
use serde_json::Value;

const EXPIRES_IN: Flag = Flag {
    name: "expires-in",
    takes: Takes::One("SECONDS"),
    default: Some("3600"),
    help: "how long the form stays valid, 1 to 604800 seconds",
};
const STARTS_WITH: Flag = Flag {
    name: "starts-with",
    takes: Takes::Repeated("FIELD=PREFIX"),
    default: None,
    help: "condition: FIELD starts with PREFIX (empty: any value); on key, the client may pick the key within PREFIX",
};
const EQ: Flag = Flag {
    name: "eq",
    takes: Takes::Repeated("FIELD=VALUE"),
    default: None,
    help: "condition: FIELD is exactly VALUE",
};
const CONTENT_LENGTH_RANGE: Flag = Flag {
    name: "content-length-range",
    takes: Takes::One("MIN:MAX"),
    default: None,
    help: "condition: the file is MIN to MAX bytes, both included",
};
const FIELD: Flag = Flag {
    name: "field",
    takes: Takes::Repeated("NAME=VALUE"),
    default: None,
    help: "form field to send (Content-Type, acl, x-amz-meta-*, ...), pinned by an exact condition unless --eq or --starts-with names it",
};
const JSON: Flag = Flag {
    name: "json",
    takes: Takes::Nothing,
    default: None,
    help: "print {\"url\": ..., \"fields\": {...}}, as boto3's generate_presigned_post returns",
};
const HTML: Flag = Flag {
    name: "html",
    takes: Takes::Nothing,
    default: None,
    help: "print an HTML form that uploads a file the user picks",
};

/// `presign-post`'s table.
pub(crate) const PRESIGN_COMMAND: Command = Command {
    name: "presign-post",
    about: "print a browser-upload form (a presigned POST policy) for an S3 key",
    forms: &["s3://BUCKET/KEY"],
    flags: &[
        &EXPIRES_IN,
        &STARTS_WITH,
        &EQ,
        &CONTENT_LENGTH_RANGE,
        &FIELD,
        &REGION,
        &ENDPOINT_URL,
        &ADDRESSING_STYLE,
        &SIGNING_TIME,
        &PROFILE,
        &JSON,
        &HTML,
    ],
};

const FIELDS: Flag = Flag {
    name: "fields",
    takes: Takes::One("FILE.json"),
    default: None,
    help: "the form's fields: one flat JSON object, or presign-post --json's whole output",
};
const SIZE: Flag = Flag {
    name: "size",
    takes: Takes::One("BYTES"),
    default: Some("0"),
    help: "size of the uploaded file, checked against content-length-range",
};
const FILE_NAME: Flag = Flag {
    name: "file-name",
    takes: Takes::One("NAME"),
    default: Some("none: ${filename} becomes empty"),
    help: "name of the uploaded file, which replaces ${filename}",
};
const BUCKET: Flag = Flag {
    name: "bucket",
    takes: Takes::One("BUCKET"),
    default: Some("the last segment of the URL's path, else the first label of its host"),
    help: "the bucket the upload went to",
};
const NOW: Flag = Flag {
    name: "now",
    takes: Takes::One("TIME"),
    default: Some("the clock"),
    help: "time to verify at, 2013-05-24T12:00:00Z or 20130524T120000Z",
};

/// `verify-post`'s table.
pub(crate) const VERIFY_COMMAND: Command = Command {
    name: "verify-post",
    about: "check a browser upload's fields against its signed policy; exit 0 valid, 1 invalid, 2 usage",
    forms: &["URL --fields FILE.json"],
    flags: &[&FIELDS, &SIZE, &FILE_NAME, &BUCKET, &NOW, &PROFILE],
};

/// Splits `FIELD=VALUE` for `flag`.
fn pair<'a>(flag: &Flag, text: &'a str) -> Result<(&'a str, &'a str), Usage> {
    text.split_once('=')
        .ok_or_else(|| Usage(format!("--{} {text:?} is not FIELD=VALUE", flag.name)))
}

/// The signing time: `--signing-time`, else the clock.
fn time(args: &Args, flag: &Flag) -> Result<SigningTime, Usage> {
    match args.one(flag) {
        Some(t) => SigningTime::parse(t).map_err(|e| Usage(format!("--{}: {e}", flag.name))),
        None => Ok(SigningTime::try_from(std::time::SystemTime::now())?),
    }
}

/// Runs `presign-post`, giving what to print.
pub(crate) fn presign(args: &Args) -> Result<String, Usage> {
    let target = match args.positionals.as_slice() {
        [target] => target,
        [] => return Err(Usage("missing target: give s3://BUCKET/KEY".into())),
        _ => return Err(Usage("give one s3://BUCKET/KEY target".into())),
    };
    let (bucket, key) = target
        .strip_prefix("s3://")
        .and_then(|rest| rest.split_once('/'))
        .ok_or_else(|| Usage(format!("{target:?} is not s3://BUCKET/KEY")))?;
    if args.switch(&JSON) && args.switch(&HTML) {
        return Err(Usage("give --json or --html, not both".into()));
    }
    let signing_time = time(args, &SIGNING_TIME)?;
    let expires_in = args
        .one(&EXPIRES_IN)
        .map_or(Ok(3600), |s| args::seconds(&EXPIRES_IN, s))?;
    let expiration = signing_time
        .checked_add(expires_in)
        .ok_or_else(|| Usage("--expires-in runs past the year 9999".into()))?;
    let mut req = PostRequest::new(bucket, key, expiration);
    for text in args.all(&STARTS_WITH) {
        let (field, prefix) = pair(&STARTS_WITH, text)?;
        req = req.starts_with(field, prefix);
    }
    for text in args.all(&EQ) {
        let (field, value) = pair(&EQ, text)?;
        req = req.eq(field, value);
    }
    if let Some(range) = args.one(&CONTENT_LENGTH_RANGE) {
        let bad = || {
            Usage(format!(
                "--content-length-range {range:?} is not MIN:MAX in bytes"
            ))
        };
        let (min, max) = range.split_once(':').ok_or_else(bad)?;
        let number = |s: &str| s.parse::<u64>().map_err(|_| bad());
        req = req.content_length_range(number(min)?, number(max)?);
    }
    for text in args.all(&FIELD) {
        let (name, value) = pair(&FIELD, text)?;
        req = req.field(name, value);
    }
    let config = Config::load(args.one(&PROFILE))?;
    let style = args
        .one(&ADDRESSING_STYLE)
        .map(|s| addressing_style(s, "--addressing-style"))
        .transpose()?;
    let presigner = s3_presigner(&config, args.one(&REGION), args.one(&ENDPOINT_URL), style)?;
    let form = presigner.presign_post(&req, signing_time)?;
    if args.switch(&JSON) {
        return Ok(form.to_json() + "\n");
    }
    if args.switch(&HTML) {
        return Ok(form.html_form());
    }
    let mut out = format!("{}\n", form.url());
    for (name, value) in form.fields() {
        out.push_str(&format!("{name}={value}\n"));
    }
    Ok(out)
}

/// The bucket a form's action URL posts to: the last segment of its path
/// (path style, after any endpoint prefix), else the first label of its
/// host (virtual-hosted), which an IP address or a one-label host has not.
fn bucket_of(url: &str) -> Result<&str, Usage> {
    let parts = awsig::request::parse_url(url).map_err(|e| Usage(format!("URL: {e}")))?;
    let from_path = parts.path.rsplit('/').find(|s| !s.is_empty());
    let name = parts
        .host
        .rsplit_once(':')
        .map_or(parts.host, |(name, _)| name);
    let ip = name.starts_with('[') || name.parse::<std::net::Ipv4Addr>().is_ok();
    let from_host = (!ip)
        .then(|| name.split_once('.').map(|(label, _)| label))
        .flatten();
    from_path
        .or(from_host)
        .ok_or_else(|| Usage(format!("URL {url:?} names no bucket: give --bucket")))
}

/// The fields of `--fields`: a flat object of strings, or an object whose
/// `fields` member is one.
fn read_fields(file: &str) -> Result<Vec<(String, String)>, Usage> {
    let text =
        std::fs::read_to_string(file).map_err(|e| Usage(format!("--fields {file:?}: {e}")))?;
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| Usage(format!("--fields {file:?}: {e}")))?;
    let Value::Object(mut members) = doc else {
        return Err(Usage(format!("--fields {file:?} is not a JSON object")));
    };
    // presign-post --json's whole output is exactly `url` and `fields`; any
    // other object is the fields themselves, every member a field.
    let whole = members.len() == 2
        && matches!(members.get("url"), Some(Value::String(_)))
        && matches!(members.get("fields"), Some(Value::Object(_)));
    if whole {
        if let Some(Value::Object(inner)) = members.remove("fields") {
            members = inner;
        }
    }
    members
        .into_iter()
        .map(|(name, value)| match value {
            Value::String(value) => Ok((name, value)),
            _ => Err(Usage(format!(
                "--fields {file:?}: field {name:?} is not a string"
            ))),
        })
        .collect()
}

/// Runs `verify-post`.
pub(crate) fn verify(args: &Args) -> Result<Outcome, Usage> {
    let url = crate::verify::one_url(args)?;
    let bucket = match args.one(&BUCKET) {
        Some(bucket) => bucket,
        None => bucket_of(url)?,
    };
    let file = args
        .one(&FIELDS)
        .ok_or_else(|| Usage("missing --fields FILE.json".into()))?;
    let fields = read_fields(file)?;
    let size = args.one(&SIZE).map_or(Ok(0), |s| {
        s.parse::<u64>()
            .map_err(|_| Usage(format!("--size {s:?} is not a number of bytes")))
    })?;
    let now = time(args, &NOW)?;
    let config = Config::load(args.one(&PROFILE))?;
    let creds = credentials::require(&config)?;
    let key_id = creds.access_key_id().to_string();
    let verifier = Verifier::new(move |id: &str| (id == key_id).then(|| creds.clone()))
        .accept_any_region("s3");
    let fields = args::borrowed(&fields);
    let mut upload = PostUpload::new(bucket, &fields, size);
    if let Some(name) = args.one(&FILE_NAME) {
        upload = upload.with_file_name(name);
    }
    Ok(match verifier.verify_post(&upload, now) {
        Ok(v) => Outcome::Done(format!(
            "valid: key {}, object {:?}, policy expires {}\n",
            v.access_key_id(),
            v.key(),
            v.policy().expiration
        )),
        Err(e) => Outcome::Invalid(format!("invalid: {e}\n")),
    })
}

//! `awsig presign-post` and `awsig verify-post`: browser-upload forms, made
//! and checked.

use crate::args::{self, Command, CommandArgs, Flag, Takes, Usage};
use crate::config::Config;
use crate::presign::{
    addressing_style, s3_presigner, ADDRESSING_STYLE, ENDPOINT_URL, PROFILE, REGION, SIGNING_TIME,
};
use crate::{credentials, Failure, Outcome};
use awsig::post::PostRequest;
use awsig::post::PostUpload;
use awsig::s3::AddressingStyle;
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
    about: "check a browser upload's fields against its signed policy; exit 0 valid, 1 invalid, 2 usage, 3 environment",
    forms: &["URL --fields FILE.json"],
    flags: &[&FIELDS, &SIZE, &FILE_NAME, &BUCKET, &NOW, &PROFILE],
};

/// Splits `FIELD=VALUE` for `flag`.
fn pair(flag: &Flag, text: &str) -> Result<(String, String), Usage> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| Usage(format!("--{} {text:?} is not FIELD=VALUE", flag.name)))?;
    Ok((name.to_string(), value.to_string()))
}

/// `presign-post`'s arguments, each flag converted as it is read.
#[derive(Default)]
pub(crate) struct PresignPostArgs {
    /// The positionals: one `s3://BUCKET/KEY`.
    targets: Vec<String>,
    /// `--expires-in`.
    expires_in: Option<u64>,
    /// `--starts-with` conditions: field and prefix.
    starts_with: Vec<(String, String)>,
    /// `--eq` conditions: field and value.
    eq: Vec<(String, String)>,
    /// `--content-length-range`: least and most bytes.
    content_length_range: Option<(u64, u64)>,
    /// `--field`s: name and value.
    fields: Vec<(String, String)>,
    /// `--region`, before the environment and profile are asked.
    region: Option<String>,
    /// `--endpoint-url`, before the environment and profile are asked.
    endpoint_url: Option<String>,
    /// `--addressing-style`, before the profile is asked.
    addressing_style: Option<AddressingStyle>,
    /// `--signing-time`, else now.
    signing_time: Option<SigningTime>,
    /// `--profile`.
    profile: Option<String>,
    /// `--json`.
    json: bool,
    /// `--html`.
    html: bool,
}

impl CommandArgs for PresignPostArgs {
    const COMMAND: &'static Command = &PRESIGN_COMMAND;

    fn take(&mut self, flag: &'static Flag, value: Option<String>) -> Result<(), Usage> {
        // `None` only for the switches, which read no value.
        let text = value.unwrap_or_default();
        match *flag {
            EXPIRES_IN => self.expires_in = Some(args::seconds(flag, &text)?),
            STARTS_WITH => self.starts_with.push(pair(flag, &text)?),
            EQ => self.eq.push(pair(flag, &text)?),
            CONTENT_LENGTH_RANGE => {
                let bad = || {
                    Usage(format!(
                        "--content-length-range {text:?} is not MIN:MAX in bytes"
                    ))
                };
                let (min, max) = text.split_once(':').ok_or_else(bad)?;
                let bytes = |s: &str| s.parse::<u64>().map_err(|_| bad());
                self.content_length_range = Some((bytes(min)?, bytes(max)?));
            }
            FIELD => self.fields.push(pair(flag, &text)?),
            REGION => self.region = Some(text),
            ENDPOINT_URL => self.endpoint_url = Some(text),
            ADDRESSING_STYLE => {
                self.addressing_style = Some(addressing_style(&text, "--addressing-style")?)
            }
            SIGNING_TIME => self.signing_time = Some(args::time(flag, &text)?),
            PROFILE => self.profile = Some(text),
            JSON => self.json = true,
            HTML => self.html = true,
            _ => return Err(flag.unread()),
        }
        Ok(())
    }

    fn positional(&mut self, arg: String) -> Result<(), Usage> {
        self.targets.push(arg);
        Ok(())
    }
}

/// Runs `presign-post`, giving what to print.
pub(crate) fn presign(a: PresignPostArgs) -> Result<String, Failure> {
    let target = match a.targets.as_slice() {
        [target] => target,
        [] => return Err(Usage("missing target: give s3://BUCKET/KEY".into()).into()),
        _ => return Err(Usage("give one s3://BUCKET/KEY target".into()).into()),
    };
    let (bucket, key) = target
        .strip_prefix("s3://")
        .and_then(|rest| rest.split_once('/'))
        .ok_or_else(|| Usage(format!("{target:?} is not s3://BUCKET/KEY")))?;
    if a.json && a.html {
        return Err(Usage("give --json or --html, not both".into()).into());
    }
    let signing_time = match a.signing_time {
        Some(time) => time,
        None => args::now()?,
    };
    let expiration = signing_time
        .checked_add(a.expires_in.unwrap_or(3600))
        .ok_or_else(|| Usage("--expires-in runs past the year 9999".into()))?;
    // Conditions in the policy in the flags' order within each kind, the
    // kinds in this order, whatever their order on the command line.
    let mut req = PostRequest::new(bucket, key, expiration);
    for (field, prefix) in &a.starts_with {
        req = req.starts_with(field, prefix);
    }
    for (field, value) in &a.eq {
        req = req.eq(field, value);
    }
    if let Some((min, max)) = a.content_length_range {
        req = req.content_length_range(min, max);
    }
    for (name, value) in &a.fields {
        req = req.field(name, value);
    }
    let config = Config::load(a.profile.as_deref())?;
    let presigner = s3_presigner(
        &config,
        a.region.as_deref(),
        a.endpoint_url.as_deref(),
        a.addressing_style,
    )?;
    let form = presigner
        .presign_post(&req, signing_time)
        .map_err(Usage::from)?;
    if a.json {
        return Ok(form.to_json() + "\n");
    }
    if a.html {
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
/// `fields` member is one. A file that cannot be read is the environment
/// failing; one that holds something else is a usage error.
fn read_fields(file: &str) -> Result<Vec<(String, String)>, Failure> {
    let text = std::fs::read_to_string(file).map_err(|e| Failure::unreadable(&FIELDS, file, e))?;
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| Usage(format!("--fields {file:?}: {e}")))?;
    let Value::Object(mut members) = doc else {
        return Err(Usage(format!("--fields {file:?} is not a JSON object")).into());
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
            _ => Err(Failure::Usage(format!(
                "--fields {file:?}: field {name:?} is not a string"
            ))),
        })
        .collect()
}

/// `verify-post`'s arguments, each flag converted as it is read.
#[derive(Default)]
pub(crate) struct VerifyPostArgs {
    /// The positionals: the form's action URL, alone.
    urls: Vec<String>,
    /// `--fields`: the file, read when the command runs.
    fields: Option<String>,
    /// `--size`.
    size: Option<u64>,
    /// `--file-name`.
    file_name: Option<String>,
    /// `--bucket`, else found in the URL.
    bucket: Option<String>,
    /// `--now`, else the clock.
    now: Option<SigningTime>,
    /// `--profile`.
    profile: Option<String>,
}

impl CommandArgs for VerifyPostArgs {
    const COMMAND: &'static Command = &VERIFY_COMMAND;

    fn take(&mut self, flag: &'static Flag, value: Option<String>) -> Result<(), Usage> {
        // Every flag of verify-post takes a value.
        let text = value.unwrap_or_default();
        match *flag {
            FIELDS => self.fields = Some(text),
            SIZE => {
                let size = text
                    .parse::<u64>()
                    .map_err(|_| Usage(format!("--size {text:?} is not a number of bytes")))?;
                self.size = Some(size);
            }
            FILE_NAME => self.file_name = Some(text),
            BUCKET => self.bucket = Some(text),
            NOW => self.now = Some(args::time(flag, &text)?),
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

/// Runs `verify-post`.
pub(crate) fn verify(a: VerifyPostArgs) -> Result<Outcome, Failure> {
    let url = crate::verify::one_url(&a.urls)?;
    let bucket = match &a.bucket {
        Some(bucket) => bucket,
        None => bucket_of(url)?,
    };
    let file = a
        .fields
        .as_deref()
        .ok_or_else(|| Usage("missing --fields FILE.json".into()))?;
    let fields = read_fields(file)?;
    let now = match a.now {
        Some(now) => now,
        None => args::now()?,
    };
    let config = Config::load(a.profile.as_deref())?;
    let creds = credentials::require(&config)?;
    let key_id = creds.access_key_id().to_string();
    let verifier = Verifier::new(move |id: &str| (id == key_id).then(|| creds.clone()))
        .accept_any_region("s3");
    let fields = args::borrowed(&fields);
    let mut upload = PostUpload::new(bucket, &fields, a.size.unwrap_or(0));
    if let Some(name) = &a.file_name {
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

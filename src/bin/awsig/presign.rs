//! `awsig presign`: a presigned URL for an S3 object or any AWS request.

use crate::args::{self, parse_header, parse_query, Command, CommandArgs, Flag, Takes, Usage};
use crate::config::Config;
use crate::{credentials, Failure};
use awsig::s3::{AddressingStyle, Endpoint, MultiRegionAccessPoint, S3Presigner, S3Request};
use awsig::sigv4a::RegionSet;
use awsig::{Request, Signer, SigningTime};

const METHOD: Flag = Flag {
    name: "method",
    takes: Takes::One("METHOD"),
    default: Some("GET"),
    help: "HTTP method the URL is for, upper-cased before signing (put signs PUT)",
};
pub(crate) const EXPIRES_IN: Flag = Flag {
    name: "expires-in",
    takes: Takes::One("SECONDS"),
    default: Some("900; 300 for a directory bucket with --s3express-session"),
    help: "how long the URL stays valid, 1 to 604800 seconds",
};
pub(crate) const REGION: Flag = Flag {
    name: "region",
    takes: Takes::One("REGION"),
    default: Some("AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1 for S3"),
    help: "region to sign for",
};
pub(crate) const ENDPOINT_URL: Flag = Flag {
    name: "endpoint-url",
    takes: Takes::One("URL"),
    default: Some("AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's, else AWS's"),
    help: "S3-compatible endpoint (MinIO, R2, a gateway with a path prefix); S3 only",
};
pub(crate) const ADDRESSING_STYLE: Flag = Flag {
    name: "addressing-style",
    takes: Takes::One("STYLE"),
    default: Some("the profile's s3 addressing_style, else auto"),
    help: "auto, virtual (bucket in the host) or path (bucket in the path); S3 only",
};
pub(crate) const SIGNING_TIME: Flag = Flag {
    name: "signing-time",
    takes: Takes::One("TIME"),
    default: Some("now"),
    help: "time to sign at, 2013-05-24T00:00:00Z or 20130524T000000Z",
};
const HEADER: Flag = Flag {
    name: "header",
    takes: Takes::Repeated("'NAME: VALUE'"),
    default: None,
    help: "header to sign; the client must send it with the URL",
};
const QUERY: Flag = Flag {
    name: "query",
    takes: Takes::Repeated("NAME=VALUE"),
    default: None,
    help: "query parameter to sign, given literally (encoded here)",
};
const VERSION_ID: Flag = Flag {
    name: "version-id",
    takes: Takes::One("ID"),
    default: None,
    help: "object version (versionId); S3 only",
};
pub(crate) const PROFILE: Flag = Flag {
    name: "profile",
    takes: Takes::One("NAME"),
    default: Some("AWS_PROFILE, else default"),
    help: "profile of the shared files to take credentials and settings from",
};
const URL: Flag = Flag {
    name: "url",
    takes: Takes::One("URL"),
    default: None,
    help: "request URL of any other AWS service, instead of s3://BUCKET/KEY",
};
const SERVICE: Flag = Flag {
    name: "service",
    takes: Takes::One("SERVICE"),
    default: Some("s3 for s3:// targets; required with --url"),
    help: "service to sign for (execute-api, sqs, ...)",
};
const SIGV4A: Flag = Flag {
    name: "sigv4a",
    takes: Takes::Nothing,
    default: None,
    help: "sign with SigV4a (AWS4-ECDSA-P256-SHA256), good in every region of --region-set",
};
const REGION_SET: Flag = Flag {
    name: "region-set",
    takes: Takes::One("SET"),
    default: Some("the region; * for a multi-region access point"),
    help: "SigV4a's regions: names, * or a prefix and *, joined with ','",
};
const S3EXPRESS_SESSION: Flag = Flag {
    name: "s3express-session",
    takes: Takes::One("FILE"),
    default: Some("IAM mode: the usual credentials, signed as s3express"),
    help: "S3 Express session for a directory bucket (NAME--AZID--x-s3): the JSON `aws s3api create-session --bucket B` prints, - for standard input",
};
const JSON: Flag = Flag {
    name: "json",
    takes: Takes::Nothing,
    default: None,
    help: "print {\"url\", \"method\", \"headers\", \"expires_at\"} instead of the URL alone",
};

/// The command's table.
pub(crate) const COMMAND: Command = Command {
    name: "presign",
    about: "print a presigned URL for an S3 object or any AWS request",
    forms: &["s3://BUCKET/KEY", "--url URL --service SERVICE"],
    flags: &[
        &METHOD,
        &EXPIRES_IN,
        &REGION,
        &ENDPOINT_URL,
        &ADDRESSING_STYLE,
        &SIGNING_TIME,
        &HEADER,
        &QUERY,
        &VERSION_ID,
        &PROFILE,
        &URL,
        &SERVICE,
        &SIGV4A,
        &REGION_SET,
        &S3EXPRESS_SESSION,
        &JSON,
    ],
};

/// `awsig presign`'s arguments, each flag converted as it is read.
#[derive(Default)]
pub(crate) struct PresignArgs {
    /// The positionals: one `s3://BUCKET/KEY`, or none with `--url`.
    targets: Vec<String>,
    /// `--method`, upper-cased.
    method: Option<String>,
    /// `--expires-in`; the default depends on the target.
    expires_in: Option<u64>,
    /// `--region`, before the environment and profile are asked.
    region: Option<String>,
    /// `--endpoint-url`, before the environment and profile are asked.
    endpoint_url: Option<String>,
    /// `--addressing-style`, before the profile is asked.
    addressing_style: Option<AddressingStyle>,
    /// `--signing-time`, else now.
    signing_time: Option<SigningTime>,
    /// `--header`s, split.
    headers: Vec<(String, String)>,
    /// `--query` parameters, split.
    query: Vec<(String, String)>,
    /// `--version-id`.
    version_id: Option<String>,
    /// `--profile`.
    profile: Option<String>,
    /// `--url`: a whole request URL instead of an s3:// target.
    url: Option<String>,
    /// `--service`.
    service: Option<String>,
    /// `--sigv4a`: sign with SigV4a (a multi-region access point always is).
    sigv4a: bool,
    /// `--region-set`, checked.
    region_set: Option<RegionSet>,
    /// `--s3express-session`: the file (or `-`) holding the session.
    s3express_session: Option<String>,
    /// `--json`.
    json: bool,
}

impl CommandArgs for PresignArgs {
    const COMMAND: &'static Command = &COMMAND;

    fn take(&mut self, flag: &'static Flag, value: Option<String>) -> Result<(), Usage> {
        // `None` only for the switches, which read no value.
        let text = value.unwrap_or_default();
        match *flag {
            METHOD => self.method = Some(text.to_ascii_uppercase()),
            EXPIRES_IN => self.expires_in = Some(args::seconds(flag, &text)?),
            REGION => self.region = Some(text),
            ENDPOINT_URL => self.endpoint_url = Some(text),
            ADDRESSING_STYLE => {
                self.addressing_style = Some(addressing_style(&text, "--addressing-style")?)
            }
            SIGNING_TIME => self.signing_time = Some(args::time(flag, &text)?),
            HEADER => self.headers.push(parse_header(&text)?),
            QUERY => self.query.push(parse_query(&text)),
            VERSION_ID => self.version_id = Some(text),
            PROFILE => self.profile = Some(text),
            URL => self.url = Some(text),
            SERVICE => self.service = Some(text),
            SIGV4A => self.sigv4a = true,
            REGION_SET => {
                let set =
                    RegionSet::parse(&text).map_err(|e| Usage(format!("--region-set: {e}")))?;
                self.region_set = Some(set);
            }
            S3EXPRESS_SESSION => self.s3express_session = Some(text),
            JSON => self.json = true,
            _ => return Err(flag.unread()),
        }
        Ok(())
    }

    fn positional(&mut self, arg: String) -> Result<(), Usage> {
        self.targets.push(arg);
        Ok(())
    }
}

/// What to presign.
enum Target<'a> {
    /// `s3://BUCKET/KEY`: the key is literal, as `aws s3 presign` takes it.
    S3 {
        /// The bucket.
        bucket: &'a str,
        /// The object key, literal.
        key: &'a str,
    },
    /// `--url URL --service SERVICE`.
    Url {
        /// The request URL as given.
        url: &'a str,
        /// The service to sign for.
        service: &'a str,
    },
}

impl PresignArgs {
    /// The one target: `--url` with `--service`, or an `s3://BUCKET/KEY`
    /// with only the flags that suit it.
    fn target(&self) -> Result<Target<'_>, Usage> {
        match (&self.url, self.targets.as_slice()) {
            (Some(url), []) => {
                // These shape an S3 URL; a --url is already whole, so taking
                // them silently would sign something other than asked.
                let s3_only = [
                    (&VERSION_ID, self.version_id.is_some()),
                    (&ENDPOINT_URL, self.endpoint_url.is_some()),
                    (&ADDRESSING_STYLE, self.addressing_style.is_some()),
                ];
                if let Some((flag, _)) = s3_only.iter().find(|(_, given)| *given) {
                    return Err(Usage(format!(
                        "--{} is for s3:// targets; with --url, put it in the URL",
                        flag.name
                    )));
                }
                let service = self.service.as_deref().ok_or_else(|| {
                    Usage("--url needs --service (e.g. --service execute-api)".into())
                })?;
                Ok(Target::Url { url, service })
            }
            (None, [target]) => {
                if self.service.as_deref().is_some_and(|s| s != "s3") {
                    return Err(Usage(
                        "--service goes with --url; s3:// targets are S3".into(),
                    ));
                }
                let rest = target
                    .strip_prefix("s3://")
                    .ok_or_else(|| Usage(format!("{target:?} is not s3://BUCKET/KEY")))?;
                // An access point ARN holds a `/` of its own
                // (`arn:aws:s3::ACCOUNT:accesspoint/NAME`), as the AWS CLI takes it:
                // its resource is what follows the fifth `:`, and its name ends
                // at the first `/` after `accesspoint/` (or `accesspoint:`).
                let after_bucket = match rest.starts_with("arn:") {
                    true => (rest.match_indices(':').nth(4))
                        .map(|(colon, _)| colon + 1)
                        .filter(|&resource| {
                            let kind = rest[resource..].get(.."accesspoint/".len());
                            matches!(kind, Some("accesspoint/" | "accesspoint:"))
                        })
                        .map(|resource| resource + "accesspoint/".len()),
                    false => Some(0),
                };
                let (bucket, key) = after_bucket
                    .and_then(|from| Some(rest.split_at(from + rest[from..].find('/')?)))
                    .map(|(bucket, key)| (bucket, &key[1..]))
                    .ok_or_else(|| Usage(format!("{target:?} has no key: s3://BUCKET/KEY")))?;
                Ok(Target::S3 { bucket, key })
            }
            (Some(_), _) => Err(Usage("--url takes no s3:// target".into())),
            (None, []) => Err(Usage(
                "missing target: give s3://BUCKET/KEY, or --url URL --service SERVICE".into(),
            )),
            (None, _) => Err(Usage("give one s3://BUCKET/KEY target".into())),
        }
    }
}

/// The session `--s3express-session` names: a file, or `-` for standard
/// input, holding what `aws s3api create-session` prints. A file that
/// cannot be read is the environment's failure (exit 3); one that holds no
/// session, the command line's.
fn read_session(file: &str) -> Result<awsig::Credentials, Failure> {
    let text = match file {
        "-" => std::io::read_to_string(std::io::stdin()),
        file => std::fs::read_to_string(file),
    }
    .map_err(|e| Failure::unreadable(&S3EXPRESS_SESSION, file, e))?;
    credentials::s3express_session(&text)
        .map_err(|why| Usage(format!("--s3express-session {file:?}: {why}")).into())
}

/// An addressing style named by `source` (a flag or a setting).
pub(crate) fn addressing_style(text: &str, source: &str) -> Result<AddressingStyle, Usage> {
    AddressingStyle::parse(text)
        .ok_or_else(|| Usage(format!("{source} {text:?} is not auto, virtual or path")))
}

/// The S3 presigner the flags, the environment and the profile ask for:
/// the region (else `us-east-1`), the addressing style, the endpoint.
pub(crate) fn s3_presigner(
    config: &Config,
    region: Option<&str>,
    endpoint_url: Option<&str>,
    style: Option<AddressingStyle>,
) -> Result<S3Presigner, Failure> {
    let region = config.region(region).unwrap_or_else(|| "us-east-1".into());
    let style = match style {
        Some(style) => style,
        None => match config.s3_addressing_style() {
            Some(s) => addressing_style(s, "the profile's s3 addressing_style")?,
            None => AddressingStyle::Auto,
        },
    };
    let mut presigner = S3Presigner::new(credentials::require(config)?, &region)
        .map_err(|e| Usage(format!("--region: {e}")))?
        .with_addressing_style(style);
    if let Some(endpoint) = config.s3_endpoint(endpoint_url)? {
        let endpoint =
            Endpoint::parse(&endpoint).map_err(|e| Usage(format!("--endpoint-url: {e}")))?;
        presigner = presigner.with_endpoint(endpoint);
    }
    Ok(presigner)
}

/// Percent-encodes, once, every byte of a URL path that is not unreserved,
/// `/`, or part of a `%XX` escape, so that the URL carries exactly the path
/// that is signed (a raw space or `é` would otherwise be signed as given but
/// sent escaped, and fail at the service).
fn encode_path_once(path: &str) -> String {
    let b = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    for (i, &c) in b.iter().enumerate() {
        let escape = c == b'%'
            && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if awsig::encoding::is_unreserved(c) || c == b'/' || escape {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Runs the command on its arguments, giving what to print.
pub(crate) fn run(a: PresignArgs) -> Result<String, Failure> {
    let target = a.target()?;
    let signing_time = match a.signing_time {
        Some(time) => time,
        None => args::now()?,
    };
    if a.region_set.is_some() && !a.sigv4a {
        return Err(Usage("--region-set goes with --sigv4a".into()).into());
    }
    let method = a.method.as_deref().unwrap_or("GET");
    let config = Config::load(a.profile.as_deref())?;
    let headers = args::borrowed(&a.headers);
    let query = args::borrowed(&a.query);
    let (url, expires_at) = match target {
        Target::Url { url, service } => {
            let region = config
                .region(a.region.as_deref())
                .ok_or_else(|| Usage("no region: pass --region or set AWS_REGION".into()))?;
            let creds = credentials::require(&config)?;
            let signer = match (a.sigv4a, &a.region_set) {
                (false, _) => Signer::new(creds, &region, service),
                (true, Some(set)) => Signer::new_sigv4a(creds, set, service),
                (true, None) => RegionSet::parse(&region)
                    .and_then(|set| Signer::new_sigv4a(creds, &set, service)),
            }
            .map_err(|e| Usage(format!("--region/--service: {e}")))?;
            let parts = awsig::request::parse_url(url).map_err(|e| Usage(format!("--url: {e}")))?;
            let path = encode_path_once(parts.path);
            let req = Request::new(method, parts.host, &path)
                .with_scheme(parts.scheme)
                .with_query(parts.query)
                .with_params(&query)
                .with_headers(&headers);
            let url = signer
                .presign(&req, signing_time, a.expires_in.unwrap_or(900))
                .map_err(Usage::from)?;
            (url.as_str().to_string(), url.expires_at())
        }
        Target::S3 { bucket, key } => {
            let mut presigner = s3_presigner(
                &config,
                a.region.as_deref(),
                a.endpoint_url.as_deref(),
                a.addressing_style,
            )?;
            if let Some(file) = &a.s3express_session {
                if !awsig::s3::is_directory_bucket(bucket) {
                    return Err(Usage(format!(
                        "--s3express-session is for directory buckets (NAME--AZID--x-s3), not {bucket:?}"
                    ))
                    .into());
                }
                let session = read_session(file)?;
                presigner = presigner
                    .with_s3express_session(session)
                    .map_err(Usage::from)?;
            }
            // Unless asked, the presigner's default: 900 s, or 300 s for a
            // directory bucket's session.
            let mut req = S3Request::new(method, bucket, key)
                .with_headers(&headers)
                .with_params(&query);
            if let Some(seconds) = a.expires_in {
                req = req.expires_in(seconds);
            }
            if let Some(v) = &a.version_id {
                req = req.version_id(v);
            }
            if bucket.starts_with("arn:") {
                // A multi-region access point: SigV4a, every region unless told.
                let creds = credentials::require(&config)?;
                let mut mrap = MultiRegionAccessPoint::new(creds, bucket).map_err(Usage::from)?;
                if let Some(set) = &a.region_set {
                    mrap = mrap.with_region_set(set).map_err(Usage::from)?;
                }
                let url = mrap.presign(&req, signing_time).map_err(Usage::from)?;
                (url.as_str().to_string(), url.expires_at())
            } else if a.sigv4a {
                return Err(Usage(
                    "--sigv4a with s3:// takes a multi-region access point \
                     (s3://arn:aws:s3::ACCOUNT:accesspoint/NAME/KEY); for a bucket, \
                     use --url https://BUCKET.s3.amazonaws.com/KEY --service s3"
                        .into(),
                )
                .into());
            } else {
                let url = presigner.presign(&req, signing_time).map_err(Usage::from)?;
                (url.as_str().to_string(), url.expires_at())
            }
        }
    };
    if !a.json {
        return Ok(format!("{url}\n"));
    }
    let mut out = String::from("{\"url\":");
    out.push_str(&json_string(&url));
    out.push_str(",\"method\":");
    out.push_str(&json_string(method));
    out.push_str(",\"headers\":{");
    for (i, (name, value)) in a.headers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(name));
        out.push(':');
        out.push_str(&json_string(value));
    }
    out.push_str("},\"expires_at\":");
    match expires_at {
        Some(t) => out.push_str(&json_string(&t.to_string())),
        None => out.push_str("null"),
    }
    out.push_str("}\n");
    Ok(out)
}

/// `text` as a JSON string literal, by serde_json.
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::encode_path_once;

    #[test]
    fn paths_are_encoded_once() {
        assert_eq!(encode_path_once("/a b/é"), "/a%20b/%C3%A9");
        assert_eq!(encode_path_once("/a%20b/%zz%"), "/a%20b/%25zz%25");
        assert_eq!(encode_path_once("/a+b:c=d"), "/a%2Bb%3Ac%3Dd");
        assert_eq!(encode_path_once("/-._~/"), "/-._~/");
    }
}

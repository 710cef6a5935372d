//! `awsig` for Node.js, the native half: presigning with the AWS SDK v2's
//! `getSignedUrl` names, the signature of a POST policy, and the verifier,
//! on the Rust crate. `index.js` gives them the SDKs' shapes; every error is
//! thrown with the crate's message, and no secret is ever in one.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use awsig::s3::{
    virtual_host_check, AddressingStyle, AwsEndpoint, Dots, Endpoint, S3Presigner, S3Request,
};
use awsig::verify::{Verified, Verifier};
use awsig::{Credentials, Payload, SigningTime};
use napi::bindgen_prelude::{Buffer, External, FunctionRef};
use napi::{Env, Error, Result, Status};
use napi_derive::napi;

/// An input awsig will not sign. `index.js` throws it as `SigningError`.
fn signing_error(e: impl std::fmt::Display) -> Error {
    Error::new(Status::InvalidArg, e.to_string())
}

/// A request that did not verify. `index.js` throws it as
/// `VerificationError`.
fn verification_error(e: impl std::fmt::Display) -> Error {
    Error::new(Status::GenericFailure, e.to_string())
}

/// Unix seconds from JavaScript (a `Date`'s milliseconds divided by 1000,
/// floored by `index.js`), checked.
fn time(unix_seconds: f64) -> Result<SigningTime> {
    if !unix_seconds.is_finite() || unix_seconds.fract() != 0.0 {
        return Err(signing_error("the time is not a whole number of seconds"));
    }
    SigningTime::from_unix_seconds(unix_seconds as i64).map_err(signing_error)
}

/// The operations' numbers, as `index.js`'s `OPERATIONS` gives them.
const GET_OBJECT: u32 = 0;
const PUT_OBJECT: u32 = 1;
const HEAD_OBJECT: u32 = 2;
const DELETE_OBJECT: u32 = 3;
const UPLOAD_PART: u32 = 4;

/// One signer's presigning: its key cache lives as long as the `S3` object.
/// JavaScript holds it as an external value and hands it to the functions
/// below: a function with an external is quicker to call than a method of a
/// class (about 0.11 µs against 0.25 µs here), and a URL is signed per call.
pub struct NativePresigner {
    presigner: S3Presigner,
    /// At a custom endpoint, the path-style presigner for a dotted bucket:
    /// the SDK v2 sends it in the path (its certificate check would fail
    /// on the dots), but any other DNS-label bucket in the host.
    dotted: Option<S3Presigner>,
    region: String,
    /// The custom endpoint, for POST forms' URLs.
    endpoint: Option<Endpoint>,
    force_path_style: bool,
}

impl NativePresigner {
    /// `endpoint` is a custom endpoint (`http://127.0.0.1:9000`); with
    /// `forcePathStyle` the bucket goes in the path, as the SDKs'
    /// `s3ForcePathStyle` and `forcePathStyle` put it.
    pub fn new(
        access_key_id: String,
        secret_access_key: String,
        region: String,
        session_token: Option<String>,
        endpoint: Option<String>,
        force_path_style: bool,
    ) -> Result<Self> {
        let mut credentials =
            Credentials::new(&access_key_id, &secret_access_key).map_err(signing_error)?;
        if let Some(token) = &session_token {
            credentials = credentials
                .with_session_token(token)
                .map_err(signing_error)?;
        }
        // The SDK v2 puts a bucket that is a DNS label in the host at a
        // custom endpoint too (the crate still sends an IP endpoint's
        // bucket in the path, where a host name could not hold it).
        let style = match (force_path_style, &endpoint) {
            (true, _) => AddressingStyle::Path,
            (false, Some(_)) => AddressingStyle::Virtual,
            (false, None) => AddressingStyle::Auto,
        };
        let mut presigner = S3Presigner::new(credentials, &region)
            .map_err(signing_error)?
            .with_addressing_style(style);
        let endpoint = match endpoint {
            Some(url) => Some(Endpoint::parse(&url).map_err(signing_error)?),
            None => None,
        };
        let mut dotted = None;
        if let Some(endpoint) = &endpoint {
            if !force_path_style {
                let path_style =
                    S3Presigner::new(presigner.signer().credentials().clone(), &region)
                        .map_err(signing_error)?
                        .with_addressing_style(AddressingStyle::Path)
                        .with_endpoint(endpoint.clone());
                dotted = Some(path_style);
            }
            presigner = presigner.with_endpoint(endpoint.clone());
        }
        Ok(NativePresigner {
            presigner,
            dotted,
            region,
            endpoint,
            force_path_style,
        })
    }

    /// A presigned URL for `operation` (numbered by `index.js`: `getObject`
    /// 0, `putObject` 1, `headObject` 2, `deleteObject` 3, `uploadPart` 4,
    /// a number being quicker to hand over than a name) of `key` in `bucket`,
    /// valid `expires` seconds from `signingTime`, with the SDK v2's other
    /// `params` as `[name, text]` pairs (none: `null`, the common case,
    /// which crosses into Rust fastest); its query in the SDK v2's order.
    pub fn presign(
        &self,
        operation: u32,
        bucket: String,
        key: String,
        expires: f64,
        signing_time: f64,
        params: Option<Vec<Vec<String>>>,
    ) -> Result<String> {
        let method = match operation {
            GET_OBJECT => "GET",
            PUT_OBJECT | UPLOAD_PART => "PUT",
            HEAD_OBJECT => "HEAD",
            DELETE_OBJECT => "DELETE",
            other => return Err(signing_error(format!("no operation numbered {other}"))),
        };
        if !(expires.is_finite() && expires.fract() == 0.0 && expires >= 1.0) {
            return Err(signing_error(
                "Expires must be a whole number of seconds, at least 1",
            ));
        }
        let mut version = None;
        let (mut query, mut overrides) = (Vec::new(), Vec::new());
        for pair in params.iter().flatten() {
            let [name, value] = pair.as_slice() else {
                return Err(signing_error("a param is a [name, value] pair"));
            };
            match name.as_str() {
                "VersionId" => version = Some(value.as_str()),
                "PartNumber" => query.push(("partNumber", value.as_str())),
                "UploadId" => query.push(("uploadId", value.as_str())),
                // The SDK v2 signs a content type in the query, not as a
                // header: the URL then works whatever type the client sends.
                "ContentType" => query.push(("Content-Type", value.as_str())),
                "ResponseCacheControl"
                | "ResponseContentDisposition"
                | "ResponseContentEncoding"
                | "ResponseContentLanguage"
                | "ResponseContentType"
                | "ResponseExpires" => overrides.push((name.as_str(), value.as_str())),
                other => {
                    return Err(signing_error(format!(
                        "params has {other:?}, which awsig does not presign"
                    )))
                }
            }
        }
        let mut req = S3Request::new(method, &bucket, &key)
            .expires_in(expires as u64)
            .with_params(&query);
        if let Some(version) = version {
            req = req.version_id(version);
        }
        for (name, value) in overrides {
            req = match name {
                "ResponseCacheControl" => req.response_cache_control(value),
                "ResponseContentDisposition" => req.response_content_disposition(value),
                "ResponseContentEncoding" => req.response_content_encoding(value),
                "ResponseContentLanguage" => req.response_content_language(value),
                "ResponseContentType" => req.response_content_type(value),
                _ => req.response_expires(value),
            };
        }
        let presigner = match (&self.dotted, bucket.contains('.')) {
            (Some(path_style), true) => path_style,
            _ => &self.presigner,
        };
        let url = presigner
            .presign(&req, time(signing_time)?)
            .map_err(signing_error)?;
        Ok(query_sorted(url.as_str()))
    }

    /// The signature of a POST policy (its base64 text as the form sends
    /// it) under the key for the day of `signingTime`.
    pub fn sign_policy(&self, policy_base64: String, signing_time: f64) -> Result<String> {
        self.presigner
            .sign_post_policy(&policy_base64, time(signing_time)?)
            .map_err(signing_error)
    }

    /// Where a POST form for `bucket` goes, as `@aws-sdk/s3-presigned-post`
    /// writes it: the regional endpoint (`s3.us-east-1.amazonaws.com` too),
    /// virtual-hosted when the bucket is one DNS label (at the endpoint's
    /// path prefix, or `/`), path-style otherwise.
    pub fn post_url(&self, bucket: String) -> Result<String> {
        awsig::s3::validate_bucket(&bucket).map_err(signing_error)?;
        let (scheme, host, prefix, ip) = match &self.endpoint {
            Some(e) => (
                e.scheme().as_str(),
                e.host().to_string(),
                e.path_prefix(),
                e.is_ip(),
            ),
            None => {
                let aws = AwsEndpoint::resolve(&self.region).map_err(signing_error)?;
                let host = match aws.endpoint().host() {
                    "s3.amazonaws.com" => "s3.us-east-1.amazonaws.com".to_string(),
                    host => host.to_string(),
                };
                ("https", host, "", false)
            }
        };
        let virtual_hosted =
            !self.force_path_style && !ip && virtual_host_check(&bucket, Dots::Refused).is_ok();
        Ok(match virtual_hosted {
            // An endpoint's path prefix stands as it is; no prefix is `/`.
            true if prefix.is_empty() => format!("{scheme}://{bucket}.{host}/"),
            true => format!("{scheme}://{bucket}.{host}{prefix}"),
            false => format!("{scheme}://{host}{prefix}/{bucket}"),
        })
    }

    /// The access key id, for the credential field and `inspect`.
    pub fn access_key_id(&self) -> String {
        self.presigner
            .signer()
            .credentials()
            .access_key_id()
            .to_string()
    }

    /// The POST form's `X-Amz-Credential` for the day of `signingTime`:
    /// the access key id and the scope the policy is signed under.
    pub fn post_credential(&self, signing_time: f64) -> Result<String> {
        let signer = self.presigner.signer();
        Ok(format!(
            "{}/{}",
            signer.credentials().access_key_id(),
            signer.scope().credential_scope(time(signing_time)?)
        ))
    }
}

/// A presigner (see [`NativePresigner::new`]).
#[napi]
pub fn presigner_new(
    access_key_id: String,
    secret_access_key: String,
    region: String,
    session_token: Option<String>,
    endpoint: Option<String>,
    force_path_style: bool,
) -> Result<External<NativePresigner>> {
    NativePresigner::new(
        access_key_id,
        secret_access_key,
        region,
        session_token,
        endpoint,
        force_path_style,
    )
    .map(External::new)
}

/// [`NativePresigner::presign`].
#[napi]
pub fn presign(
    presigner: &External<NativePresigner>,
    operation: u32,
    bucket: String,
    key: String,
    expires: f64,
    signing_time: f64,
    params: Option<Vec<Vec<String>>>,
) -> Result<String> {
    presigner.presign(operation, bucket, key, expires, signing_time, params)
}

/// [`NativePresigner::sign_policy`].
#[napi]
pub fn sign_policy(
    presigner: &External<NativePresigner>,
    policy_base64: String,
    signing_time: f64,
) -> Result<String> {
    presigner.sign_policy(policy_base64, signing_time)
}

/// [`NativePresigner::post_url`].
#[napi]
pub fn post_url(presigner: &External<NativePresigner>, bucket: String) -> Result<String> {
    presigner.post_url(bucket)
}

/// [`NativePresigner::post_credential`].
#[napi]
pub fn post_credential(presigner: &External<NativePresigner>, signing_time: f64) -> Result<String> {
    presigner.post_credential(signing_time)
}

/// [`NativePresigner::access_key_id`].
#[napi]
pub fn access_key_id(presigner: &External<NativePresigner>) -> String {
    presigner.access_key_id()
}

/// `url` with its query parameters in the SDK v2's order, sorted by name.
/// The crate writes them sorted (the canonical query's order) and the
/// signature last, as botocore does, so only the signature moves: the
/// parameters are the same, and the URL verifies the same.
fn query_sorted(url: &str) -> String {
    const SIGNATURE: &str = "&X-Amz-Signature=";
    let (Some((base, query)), Some(at)) = (url.split_once('?'), url.rfind(SIGNATURE)) else {
        return url.to_string();
    };
    let (rest, signature) = (&query[..at - base.len() - 1], &url[at + 1..]);
    // Where the signature sorts among the others: before the first name
    // that sorts after it.
    let mut before = 0;
    for pair in rest.split('&') {
        if pair.split_once('=').map_or(pair, |(name, _)| name) > "X-Amz-Signature" {
            break;
        }
        before += pair.len() + 1;
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(base);
    out.push('?');
    match before > rest.len() {
        true => {
            out.push_str(rest);
            out.push('&');
            out.push_str(signature);
        }
        false => {
            out.push_str(&rest[..before]);
            out.push_str(signature);
            out.push('&');
            out.push_str(&rest[before..]);
        }
    }
    out
}

/// What `index.js` hands the lookup's answer as: `[secret]`,
/// `[secret, sessionToken]`, or nothing for an unknown key.
type Answer = Option<Vec<String>>;

type Lookup = Box<dyn Fn(&str) -> Option<Credentials>>;

/// Verifies presigned URLs and `Authorization` headers with a JavaScript
/// credential lookup.
#[napi]
pub struct NativeVerifier {
    verifier: Verifier<Lookup>,
    /// The environment of the call being verified: the lookup calls into
    /// JavaScript only while a verification runs, on its thread.
    env: Rc<Cell<Option<Env>>>,
    /// What the lookup threw during the last verification, thrown again
    /// after it (a credential store that fails is no unknown key).
    raised: Rc<RefCell<Option<Error>>>,
}

/// The claims of a request that verified.
#[napi(object)]
pub struct Claims {
    /// The access key id that signed.
    pub access_key_id: String,
    /// The credential scope's region.
    pub region: String,
    /// The credential scope's service.
    pub service: String,
    /// When it was signed, in Unix seconds.
    pub signed_at: f64,
    /// When a presigned URL stops being valid, in Unix seconds.
    pub expires_at: Option<f64>,
    /// The signed headers, lower-case, in order.
    pub signed_headers: Vec<String>,
}

fn claims(verified: &Verified) -> Claims {
    Claims {
        access_key_id: verified.access_key_id().to_string(),
        region: verified.region().to_string(),
        service: verified.service().to_string(),
        signed_at: verified.signed_at().unix_seconds() as f64,
        expires_at: verified.expires_at().map(|t| t.unix_seconds() as f64),
        signed_headers: verified.signed_headers().map(str::to_string).collect(),
    }
}

fn credentials_of(key_id: &str, answer: Vec<String>) -> Result<Credentials> {
    let credentials = |secret: &str| Credentials::new(key_id, secret).map_err(signing_error);
    match answer.as_slice() {
        [secret] => credentials(secret),
        [secret, token] => credentials(secret)?
            .with_session_token(token)
            .map_err(signing_error),
        _ => Err(signing_error(
            "credentials give a secret, a [secret, sessionToken] pair, or nothing",
        )),
    }
}

#[napi]
impl NativeVerifier {
    /// `lookup(accessKeyId)` returns the answer `index.js` made of the
    /// user's credentials; `region` and `service` restrict the scopes
    /// accepted (any, unless given).
    #[napi(constructor)]
    pub fn new(
        lookup: FunctionRef<String, Answer>,
        region: Option<String>,
        service: Option<String>,
    ) -> Self {
        let env: Rc<Cell<Option<Env>>> = Rc::new(Cell::new(None));
        let raised: Rc<RefCell<Option<Error>>> = Rc::new(RefCell::new(None));
        let (call_env, keep) = (Rc::clone(&env), Rc::clone(&raised));
        let lookup: Lookup = Box::new(move |key_id: &str| {
            let env = call_env.get()?;
            let found = lookup
                .borrow_back(&env)
                .and_then(|f| f.call(key_id.to_string()))
                .and_then(|answer| answer.map(|a| credentials_of(key_id, a)).transpose());
            match found {
                Ok(credentials) => credentials,
                Err(error) => {
                    *keep.borrow_mut() = Some(error);
                    None
                }
            }
        });
        let verifier = match (region.as_deref(), service.as_deref()) {
            (Some(region), Some(service)) => Verifier::new(lookup).accept(region, service),
            (Some(region), None) => Verifier::new(lookup).accept_any_service(region),
            (None, Some(service)) => Verifier::new(lookup).accept_any_region(service),
            (None, None) => Verifier::new(lookup).accept_any_scope(),
        };
        NativeVerifier {
            verifier,
            env,
            raised,
        }
    }

    /// Runs `verify` on what was received, with the lookup able to call
    /// into JavaScript, then throws what the lookup threw, if anything.
    fn run(
        &self,
        env: Env,
        received: Received,
        verify: impl FnOnce(
            &Verifier<Lookup>,
            &[(&str, &str)],
            Option<Payload<'_>>,
            SigningTime,
        ) -> std::result::Result<Verified, awsig::verify::VerifyError>,
    ) -> Result<Claims> {
        let (headers, now) = (header_pairs(&received.headers)?, time(received.now)?);
        let payload = received.body.as_deref().map(Payload::Bytes);
        self.env.set(Some(env));
        let out = verify(&self.verifier, &headers, payload, now);
        self.env.set(None);
        if let Some(error) = self.raised.borrow_mut().take() {
            return Err(error);
        }
        out.map(|verified| claims(&verified))
            .map_err(verification_error)
    }

    /// Verifies a presigned URL received with `method` and `headers`
    /// (`[name, value]` pairs), and its `body` where the service signs it.
    #[napi]
    pub fn verify_presigned(
        &self,
        env: Env,
        method: String,
        url: String,
        headers: Vec<Vec<String>>,
        body: Option<Buffer>,
        now: f64,
    ) -> Result<Claims> {
        let received = Received { headers, body, now };
        self.run(env, received, |v, headers, payload, now| {
            v.verify_presigned(&method, &url, headers, payload, now)
        })
    }

    /// Verifies a request signed with an `Authorization` header.
    #[napi]
    pub fn verify_authorization(
        &self,
        env: Env,
        method: String,
        url: String,
        headers: Vec<Vec<String>>,
        body: Option<Buffer>,
        now: f64,
    ) -> Result<Claims> {
        let received = Received { headers, body, now };
        self.run(env, received, |v, headers, payload, now| {
            v.verify_authorization(&method, &url, headers, payload, now)
        })
    }
}

/// What arrived besides the method and URL, as JavaScript hands it over.
struct Received {
    headers: Vec<Vec<String>>,
    body: Option<Buffer>,
    now: f64,
}

fn header_pairs(headers: &[Vec<String>]) -> Result<Vec<(&str, &str)>> {
    headers
        .iter()
        .map(|pair| match pair.as_slice() {
            [name, value] => Ok((name.as_str(), value.as_str())),
            _ => Err(signing_error("a header is a [name, value] pair")),
        })
        .collect()
}

// What bench.js measures the package against, to show where its time goes:
// not part of index.js's API.

/// The crossing alone: the arguments `presign` takes converted into Rust
/// and a URL-sized string handed back, with no signing.
#[napi]
pub fn bench_crossing(
    operation: u32,
    bucket: String,
    key: String,
    expires: f64,
    signing_time: f64,
    params: Option<Vec<Vec<String>>>,
) -> String {
    let read = operation as usize + bucket.len() + key.len() + params.map_or(0, |p| p.len());
    std::hint::black_box((read, expires, signing_time));
    "x".repeat(330)
}

/// The signing alone: microseconds per presigned URL of `presign`'s work
/// in Rust (the cached key, the URL, the query in the SDK v2's order), over
/// `count` URLs for `bucket` and `key`, with no crossing per URL.
#[napi]
pub fn bench_presign_in_rust(bucket: String, key: String, count: u32) -> Result<f64> {
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .map_err(signing_error)?;
    let presigner = S3Presigner::new(credentials, "eu-west-1").map_err(signing_error)?;
    let at = time(1_700_000_000.0)?;
    let start = std::time::Instant::now();
    for _ in 0..count {
        let req = S3Request::get(&bucket, &key).expires_in(3600);
        let url = presigner.presign(&req, at).map_err(signing_error)?;
        std::hint::black_box(query_sorted(url.as_str()));
    }
    Ok(start.elapsed().as_secs_f64() * 1e6 / f64::from(count.max(1)))
}

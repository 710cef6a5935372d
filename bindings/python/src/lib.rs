//! `awsig` for Python: S3 presigned URLs and POST forms with boto3's names,
//! and the verifier, on the Rust crate. Typed errors become exceptions with
//! the crate's message; no secret is ever in a `repr`.

use awsig::post::{Condition, PostRequest};
use awsig::s3::{AddressingStyle, Endpoint, S3Presigner as Presigner, S3Request};
use awsig::verify::{Verified, Verifier as RustVerifier};
use awsig::{Credentials, Payload, SigningTime};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyString};

create_exception!(
    awsig,
    SigningError,
    PyValueError,
    "An input awsig will not sign: the message names it."
);
create_exception!(
    awsig,
    VerificationError,
    PyException,
    "A request that did not verify: the message names the failed check."
);

fn signing_error(e: impl std::fmt::Display) -> PyErr {
    SigningError::new_err(e.to_string())
}

/// The signing time: `None` (now), Unix seconds, or a timezone-aware
/// `datetime`.
fn signing_time(at: Option<&Bound<'_, PyAny>>) -> PyResult<SigningTime> {
    let Some(at) = at.filter(|a| !a.is_none()) else {
        return SigningTime::try_from(std::time::SystemTime::now()).map_err(signing_error);
    };
    let seconds: f64 = if at.hasattr("timestamp")? {
        if at.getattr("tzinfo")?.is_none() {
            return Err(SigningError::new_err(
                "signing_time must be a timezone-aware datetime (or Unix seconds)",
            ));
        }
        at.call_method0("timestamp")?.extract()?
    } else {
        at.extract().map_err(|_| {
            SigningError::new_err("signing_time must be a timezone-aware datetime or Unix seconds")
        })?
    };
    if !seconds.is_finite() {
        return Err(SigningError::new_err("signing_time is not a finite time"));
    }
    SigningTime::from_unix_seconds(seconds.floor() as i64).map_err(signing_error)
}

/// Presigns S3 requests as boto3's `generate_presigned_url` and
/// `generate_presigned_post` do, keeping the day's signing key across calls.
#[pyclass(module = "awsig", frozen)]
struct S3Presigner {
    presigner: Presigner,
    region: String,
}

/// A boto3 operation: its method, the `Params` it takes beside `Bucket`
/// and `Key`, and those it needs, as botocore's S3 model validates them.
struct Operation {
    method: &'static str,
    takes: &'static [&'static str],
    needs: &'static [&'static str],
}

const RESPONSE_OVERRIDES: [&str; 6] = [
    "ResponseCacheControl",
    "ResponseContentDisposition",
    "ResponseContentEncoding",
    "ResponseContentLanguage",
    "ResponseContentType",
    "ResponseExpires",
];
const CHECKSUMS: [&str; 5] = [
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumSHA1",
    "ChecksumSHA256",
];

const READ_PARAMS: [&str; 8] = [
    "VersionId",
    "PartNumber",
    RESPONSE_OVERRIDES[0],
    RESPONSE_OVERRIDES[1],
    RESPONSE_OVERRIDES[2],
    RESPONSE_OVERRIDES[3],
    RESPONSE_OVERRIDES[4],
    RESPONSE_OVERRIDES[5],
];
const PUT_PARAMS: [&str; 8] = [
    "ContentType",
    "ContentMD5",
    "ACL",
    CHECKSUMS[0],
    CHECKSUMS[1],
    CHECKSUMS[2],
    CHECKSUMS[3],
    CHECKSUMS[4],
];
const PART_PARAMS: [&str; 8] = [
    "PartNumber",
    "UploadId",
    "ContentMD5",
    CHECKSUMS[0],
    CHECKSUMS[1],
    CHECKSUMS[2],
    CHECKSUMS[3],
    CHECKSUMS[4],
];

fn operation(name: &str) -> PyResult<Operation> {
    let (method, takes, needs): (_, &'static [&'static str], &'static [&'static str]) = match name {
        "get_object" => ("GET", &READ_PARAMS, &[]),
        "head_object" => ("HEAD", &READ_PARAMS, &[]),
        "put_object" => ("PUT", &PUT_PARAMS, &[]),
        "upload_part" => ("PUT", &PART_PARAMS, &["PartNumber", "UploadId"]),
        "delete_object" => ("DELETE", &["VersionId"], &[]),
        other => {
            return Err(SigningError::new_err(format!(
                "ClientMethod {other:?} is not one awsig presigns (get_object, put_object, \
                 head_object, delete_object, upload_part)"
            )))
        }
    };
    Ok(Operation {
        method,
        takes,
        needs,
    })
}

/// Every `Params` name awsig presigns for some operation.
fn is_known_param(name: &str) -> bool {
    [&READ_PARAMS[..], &PUT_PARAMS, &PART_PARAMS]
        .iter()
        .any(|list| list.contains(&name))
}

/// The `(name, value)` pairs of any mapping (a dict, a web framework's
/// headers), by its `items()`.
fn items<'py>(mapping: Option<&Bound<'py, PyAny>>) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
    let mut out = Vec::new();
    if let Some(mapping) = mapping.filter(|m| !m.is_none()) {
        for pair in mapping.call_method0("items")?.try_iter()? {
            let (name, value): (String, Bound<'py, PyAny>) = pair?.extract()?;
            out.push((name, value));
        }
    }
    Ok(out)
}

/// A `Params` value as text: strings as given, integers in decimal (not
/// `True`, which is an `int` to Python and `"True"` to boto3).
fn text(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = value.downcast::<PyString>() {
        return utf8(s, &format!("Params[{name:?}]"));
    }
    if !value.is_instance_of::<PyBool>() {
        if let Ok(n) = value.extract::<i64>() {
            return Ok(n.to_string());
        }
    }
    Err(SigningError::new_err(format!(
        "Params[{name:?}] must be a string or an integer"
    )))
}

/// A Python string as UTF-8, or a `SigningError` that names `what` and
/// never repeats the value (it may be a secret): a lone surrogate has no
/// UTF-8, and Python's own error would carry the whole string.
fn utf8(text: &Bound<'_, PyString>, what: &str) -> PyResult<String> {
    text.to_cow().map(|c| c.into_owned()).map_err(|_| {
        SigningError::new_err(format!("{what} holds a lone surrogate, which has no UTF-8"))
    })
}

/// A required string argument, converted as [`utf8`] converts it.
fn string_arg(value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let text = value
        .downcast::<PyString>()
        .map_err(|_| SigningError::new_err(format!("{what} must be a string")))?;
    utf8(text, what)
}

/// Seconds until expiry: `None` is boto3's 3600; an integer from 1 (not a
/// bool or a float) otherwise.
fn expires_in(value: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(3600);
    };
    let seconds = match value.is_instance_of::<PyBool>() {
        true => None,
        false => value.extract::<i64>().ok(),
    };
    match seconds {
        Some(s) if s >= 1 => Ok(s as u64),
        _ => Err(SigningError::new_err(
            "ExpiresIn must be a whole number of seconds, at least 1",
        )),
    }
}

#[pymethods]
impl S3Presigner {
    #[new]
    #[pyo3(signature = (access_key_id, secret_access_key, region="us-east-1", session_token=None, endpoint_url=None, addressing_style="auto"))]
    fn new(
        access_key_id: &str,
        secret_access_key: &Bound<'_, PyAny>,
        region: &str,
        session_token: Option<&Bound<'_, PyAny>>,
        endpoint_url: Option<&str>,
        addressing_style: &str,
    ) -> PyResult<Self> {
        // The secret and token are read by hand: PyO3's own conversion
        // error for a lone surrogate would carry the whole string.
        let secret = string_arg(secret_access_key, "secret_access_key")?;
        let mut creds = Credentials::new(access_key_id, &secret).map_err(signing_error)?;
        if let Some(token) = session_token.filter(|t| !t.is_none()) {
            let token = string_arg(token, "session_token")?;
            creds = creds.with_session_token(&token).map_err(signing_error)?;
        }
        let style = AddressingStyle::parse(addressing_style).ok_or_else(|| {
            SigningError::new_err(format!(
                "addressing_style {addressing_style:?} is not auto, virtual or path"
            ))
        })?;
        let mut presigner = Presigner::new(creds, region)
            .map_err(signing_error)?
            .with_addressing_style(style);
        if let Some(url) = endpoint_url {
            presigner = presigner.with_endpoint(Endpoint::parse(url).map_err(signing_error)?);
        }
        Ok(S3Presigner {
            presigner,
            region: region.to_string(),
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "awsig.S3Presigner(access_key_id={:?}, region={:?})",
            self.presigner.signer().credentials().access_key_id(),
            self.region
        )
    }

    /// A presigned URL for `ClientMethod` (`get_object`, `put_object`,
    /// `head_object`, `delete_object`, `upload_part`) with boto3's `Params`,
    /// valid `ExpiresIn` seconds (3600, as boto3) from `signing_time`.
    #[pyo3(signature = (ClientMethod, Params=None, ExpiresIn=None, HttpMethod=None, signing_time=None))]
    #[allow(non_snake_case)]
    fn generate_presigned_url(
        &self,
        ClientMethod: &str,
        Params: Option<&Bound<'_, PyAny>>,
        ExpiresIn: Option<&Bound<'_, PyAny>>,
        HttpMethod: Option<&str>,
        signing_time: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let time = self::signing_time(signing_time)?;
        let expires = expires_in(ExpiresIn)?;
        let operation = operation(ClientMethod)?;
        let method = HttpMethod.unwrap_or(operation.method).to_ascii_uppercase();
        let (mut bucket, mut key) = (None, None);
        let (mut query, mut headers, mut version, mut overrides) =
            (Vec::new(), Vec::new(), None, Vec::new());
        let params = items(Params)?;
        for (name, value) in &params {
            if value.is_none() || name == "Bucket" || name == "Key" {
                continue;
            }
            if !operation.takes.contains(&name.as_str()) {
                return Err(SigningError::new_err(match is_known_param(name) {
                    true => format!("{ClientMethod} takes no {name}"),
                    false => format!("Params has {name:?}, which awsig does not presign"),
                }));
            }
        }
        for needed in operation.needs {
            if !params
                .iter()
                .any(|(name, v)| name == needed && !v.is_none())
            {
                return Err(SigningError::new_err(format!(
                    "{ClientMethod} needs Params[{needed:?}]"
                )));
            }
        }
        for (name, value) in params {
            if value.is_none() {
                continue;
            }
            let value = text(&name, &value)?;
            match name.as_str() {
                "Bucket" => bucket = Some(value),
                "Key" => key = Some(value),
                "VersionId" => version = Some(value),
                "PartNumber" => query.push(("partNumber".to_string(), value)),
                "UploadId" => query.push(("uploadId".to_string(), value)),
                "ContentType" => headers.push(("content-type".to_string(), value)),
                "ContentMD5" => headers.push(("content-md5".to_string(), value)),
                "ACL" => headers.push(("x-amz-acl".to_string(), value)),
                "ChecksumCRC32" | "ChecksumCRC32C" | "ChecksumCRC64NVME" | "ChecksumSHA1"
                | "ChecksumSHA256" => {
                    let algorithm = name["Checksum".len()..].to_ascii_lowercase();
                    headers.push((format!("x-amz-checksum-{algorithm}"), value));
                }
                "ResponseCacheControl"
                | "ResponseContentDisposition"
                | "ResponseContentEncoding"
                | "ResponseContentLanguage"
                | "ResponseContentType"
                | "ResponseExpires" => overrides.push((name.clone(), value)),
                other => {
                    return Err(SigningError::new_err(format!(
                        "Params has {other:?}, which awsig does not presign"
                    )))
                }
            }
        }
        let bucket = bucket.ok_or_else(|| SigningError::new_err("Params needs Bucket"))?;
        let key = key.ok_or_else(|| SigningError::new_err("Params needs Key"))?;
        let query: Vec<(&str, &str)> = query
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let mut req = S3Request::new(&method, &bucket, &key)
            .expires_in(expires)
            .with_params(&query)
            .with_headers(&headers);
        if let Some(version) = &version {
            req = req.version_id(version);
        }
        for (name, value) in &overrides {
            req = match name.as_str() {
                "ResponseCacheControl" => req.response_cache_control(value),
                "ResponseContentDisposition" => req.response_content_disposition(value),
                "ResponseContentEncoding" => req.response_content_encoding(value),
                "ResponseContentLanguage" => req.response_content_language(value),
                "ResponseContentType" => req.response_content_type(value),
                _ => req.response_expires(value),
            };
        }
        let url = self.presigner.presign(&req, time).map_err(signing_error)?;
        Ok(url.as_str().to_string())
    }

    /// A browser upload form, as boto3's `generate_presigned_post`:
    /// `{"url": …, "fields": {…}}`. `Conditions` take boto3's forms
    /// (`{"acl": "public-read"}`, `["starts-with", "$key", "user/"]`,
    /// `["eq", "$acl", …]`, `["content-length-range", 1, 1048576]`).
    #[pyo3(signature = (Bucket, Key, Fields=None, Conditions=None, ExpiresIn=None, signing_time=None))]
    // boto3's names and arguments, each one of its keywords.
    #[allow(non_snake_case, clippy::too_many_arguments)]
    fn generate_presigned_post<'py>(
        &self,
        py: Python<'py>,
        Bucket: &str,
        Key: &str,
        Fields: Option<&Bound<'py, PyAny>>,
        Conditions: Option<&Bound<'py, PyAny>>,
        ExpiresIn: Option<&Bound<'py, PyAny>>,
        signing_time: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let time = self::signing_time(signing_time)?;
        let until = time
            .checked_add(expires_in(ExpiresIn)?)
            .ok_or_else(|| SigningError::new_err("ExpiresIn is out of range"))?;
        let mut fields = Vec::new();
        for (name, value) in items(Fields)? {
            let value = text(&name, &value)?;
            fields.push((name, value));
        }
        let mut req = PostRequest::new(Bucket, Key, until);
        for (name, value) in &fields {
            req = req.field(name, value);
        }
        let conditions = match Conditions.filter(|c| !c.is_none()) {
            Some(list) => list.try_iter()?.collect::<PyResult<Vec<_>>>()?,
            None => Vec::new(),
        };
        for condition in conditions {
            req = match read_condition(&condition)? {
                Condition::Eq { field, value } => req.eq(&field, &value),
                Condition::StartsWith { field, prefix } => req.starts_with(&field, &prefix),
                Condition::ContentLengthRange { min, max } => req.content_length_range(min, max),
            };
        }
        let form = self
            .presigner
            .presign_post(&req, time)
            .map_err(signing_error)?;
        let out = PyDict::new(py);
        out.set_item("url", form.url())?;
        let fields = PyDict::new(py);
        for (name, value) in form.fields() {
            fields.set_item(name, value)?;
        }
        out.set_item("fields", fields)?;
        Ok(out)
    }
}

/// One of boto3's condition forms.
fn read_condition(condition: &Bound<'_, PyAny>) -> PyResult<Condition> {
    let bad = || {
        SigningError::new_err(
            "a condition is {\"field\": \"value\"}, [\"eq\" or \"starts-with\", \"$field\", \"value\"] \
             or [\"content-length-range\", min, max], its values strings and its bounds integers",
        )
    };
    if let Ok(dict) = condition.downcast::<PyDict>() {
        // One field a condition: a second would be dropped from the policy.
        if dict.len() != 1 {
            return Err(bad());
        }
        let (field, value) = dict.iter().next().ok_or_else(bad)?;
        return Ok(Condition::Eq {
            field: field.extract().map_err(|_| bad())?,
            value: value.extract().map_err(|_| bad())?,
        });
    }
    let items: Vec<Bound<'_, PyAny>> = condition.extract().map_err(|_| bad())?;
    let [kind, a, b] = items.as_slice() else {
        return Err(bad());
    };
    let kind: String = kind.extract().map_err(|_| bad())?;
    let field = |v: &Bound<'_, PyAny>| -> PyResult<String> {
        let name: String = v.extract().map_err(|_| bad())?;
        Ok(name.trim_start_matches('$').to_string())
    };
    match kind.to_ascii_lowercase().as_str() {
        "eq" => Ok(Condition::Eq {
            field: field(a)?,
            value: b.extract().map_err(|_| bad())?,
        }),
        "starts-with" => Ok(Condition::StartsWith {
            field: field(a)?,
            prefix: b.extract().map_err(|_| bad())?,
        }),
        "content-length-range" => Ok(Condition::ContentLengthRange {
            min: a.extract().map_err(|_| bad())?,
            max: b.extract().map_err(|_| bad())?,
        }),
        _ => Err(bad()),
    }
}

type Lookup = Box<dyn Fn(&str) -> Option<Credentials> + Send + Sync>;

/// Verifies presigned URLs and `Authorization` headers against
/// `credentials`: a mapping of access key id to its secret (or to
/// `(secret, session_token)`), or a callable returning the same or `None`.
/// `region` and `service` restrict the scopes accepted (any, unless given).
#[pyclass(module = "awsig", frozen)]
struct Verifier {
    verifier: RustVerifier<Lookup>,
    /// What the lookup raised during the last verification, raised again
    /// after it (a credential store that fails is no unknown key).
    raised: std::sync::Arc<std::sync::Mutex<Option<PyErr>>>,
}

/// Credentials from what the mapping or callable gave for `key_id`.
fn credentials_of(key_id: &str, found: &Bound<'_, PyAny>) -> PyResult<Option<Credentials>> {
    if found.is_none() {
        return Ok(None);
    }
    let (secret, token): (String, Option<String>) = match found.extract::<String>() {
        Ok(secret) => (secret, None),
        Err(_) => found.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "credentials give a secret, a (secret, session_token) pair, or None",
            )
        })?,
    };
    let creds = Credentials::new(key_id, &secret).map_err(signing_error)?;
    Ok(Some(match token {
        Some(token) => creds.with_session_token(&token).map_err(signing_error)?,
        None => creds,
    }))
}

impl Verifier {
    /// Runs `verify`, then raises what the lookup raised, if anything.
    fn run<T>(&self, verify: impl FnOnce(&RustVerifier<Lookup>) -> T) -> PyResult<T> {
        let out = verify(&self.verifier);
        let raised = self.raised.lock().map(|mut r| r.take()).unwrap_or(None);
        match raised {
            Some(error) => Err(error),
            None => Ok(out),
        }
    }
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(signature = (credentials, region=None, service=None))]
    fn new(credentials: Py<PyAny>, region: Option<&str>, service: Option<&str>) -> Self {
        let raised = std::sync::Arc::new(std::sync::Mutex::new(None));
        let keep = std::sync::Arc::clone(&raised);
        let lookup: Lookup = Box::new(move |key_id: &str| {
            Python::with_gil(|py| {
                let source = credentials.bind(py);
                let found = match source.is_callable() {
                    true => source.call1((key_id,)),
                    false => match source.get_item(key_id) {
                        Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => {
                            return None
                        }
                        other => other,
                    },
                };
                match found.and_then(|found| credentials_of(key_id, &found)) {
                    Ok(creds) => creds,
                    Err(error) => {
                        if let Ok(mut slot) = keep.lock() {
                            *slot = Some(error);
                        }
                        None
                    }
                }
            })
        });
        let verifier = match (region, service) {
            (Some(region), Some(service)) => RustVerifier::new(lookup).accept(region, service),
            (Some(region), None) => RustVerifier::new(lookup).accept_any_service(region),
            (None, Some(service)) => RustVerifier::new(lookup).accept_any_region(service),
            (None, None) => RustVerifier::new(lookup).accept_any_scope(),
        };
        Verifier { verifier, raised }
    }

    fn __repr__(&self) -> &'static str {
        "awsig.Verifier(...)"
    }

    /// Verifies a presigned URL received with `method` and `headers` (a
    /// mapping), and its `body` where the service signs it; returns the
    /// claims or raises `VerificationError`.
    #[pyo3(signature = (method, url, headers=None, body=None, now=None))]
    fn verify_presigned<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        url: &str,
        headers: Option<&Bound<'py, PyAny>>,
        body: Option<&[u8]>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (headers, now) = (header_pairs(headers)?, signing_time(now)?);
        let borrowed: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let verified = self
            .run(|v| v.verify_presigned(method, url, &borrowed, body.map(Payload::Bytes), now))?
            .map_err(|e| VerificationError::new_err(e.to_string()))?;
        claims(py, &verified)
    }

    /// Verifies a request signed with an `Authorization` header.
    #[pyo3(signature = (method, url, headers=None, body=None, now=None))]
    fn verify_authorization<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        url: &str,
        headers: Option<&Bound<'py, PyAny>>,
        body: Option<&[u8]>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (headers, now) = (header_pairs(headers)?, signing_time(now)?);
        let borrowed: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let verified = self
            .run(|v| v.verify_authorization(method, url, &borrowed, body.map(Payload::Bytes), now))?
            .map_err(|e| VerificationError::new_err(e.to_string()))?;
        claims(py, &verified)
    }
}

fn header_pairs(headers: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    items(headers)?
        .into_iter()
        .map(|(name, value)| Ok((name, value.extract()?)))
        .collect()
}

fn claims<'py>(py: Python<'py>, verified: &Verified) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("access_key_id", verified.access_key_id())?;
    out.set_item("region", verified.region())?;
    out.set_item("service", verified.service())?;
    out.set_item("signed_at", verified.signed_at().unix_seconds())?;
    out.set_item(
        "expires_at",
        verified.expires_at().map(|t| t.unix_seconds()),
    )?;
    out.set_item(
        "signed_headers",
        verified.signed_headers().collect::<Vec<_>>(),
    )?;
    Ok(out)
}

/// AWS Signature Version 4 by hand: S3 presigned URLs and POST forms as
/// boto3 writes them (`S3Presigner`), and their verifier (`Verifier`), on
/// the Rust crate awsig.
#[pymodule(name = "awsig")]
fn awsig_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<S3Presigner>()?;
    m.add_class::<Verifier>()?;
    m.add("SigningError", m.py().get_type::<SigningError>())?;
    m.add("VerificationError", m.py().get_type::<VerificationError>())?;
    Ok(())
}

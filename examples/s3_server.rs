//! A minimal S3-compatible object store over a directory, on axum and
//! awsig's [`VerifyLayer`]: every request is verified before a handler
//! sees it, bodies as they stream.
//!
//! ```sh
//! AWSIG_SERVER_ACCESS_KEY_ID=AKID AWSIG_SERVER_SECRET_ACCESS_KEY=SECRET \
//!   cargo run --release --features tower --example s3_server -- \
//!   --root DIR --listen 127.0.0.1:9000 [--region us-east-1]
//! ```
//!
//! Path-style buckets (a bucket is a folder of DIR, made by `CreateBucket`
//! or there at start): ListBuckets, CreateBucket, HeadBucket,
//! GetBucketLocation, ListObjectsV2, PutObject (aws-chunked too),
//! GetObject, HeadObject, DeleteObject, multipart uploads, and browser POST
//! form uploads (verified with `Verifier::verify_post`). It prints
//! `listening on http://ADDR` when ready.

use awsig::layer::{S3Error, UnverifiedPostForm, VerifyLayer};
use awsig::post::PostUpload;
use awsig::verify::{Verified, Verifier};
use awsig::{Credentials, Scheme, SigningTime};
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

type Lookup = Box<dyn Fn(&str) -> Option<Credentials> + Send + Sync>;

struct Store {
    root: PathBuf,
    region: String,
    /// Verifies POST forms, which authenticate in their body.
    verifier: Verifier<Lookup>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut root, mut listen, mut region) = (None, None, String::from("us-east-1"));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--root" => root = args.next(),
            "--listen" => listen = args.next(),
            "--region" => region = args.next().ok_or("--region needs a region")?,
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let root = PathBuf::from(root.ok_or("--root DIR is required")?);
    let listen = listen.ok_or("--listen ADDR is required")?;
    let key_id = std::env::var("AWSIG_SERVER_ACCESS_KEY_ID")?;
    let secret = std::env::var("AWSIG_SERVER_SECRET_ACCESS_KEY")?;
    let creds = Credentials::new(&key_id, &secret)?;
    std::fs::create_dir_all(&root)?;

    let verifier = |creds: Credentials, region: &str| {
        let lookup: Lookup =
            Box::new(move |id: &str| (id == creds.access_key_id()).then(|| creds.clone()));
        Verifier::new(lookup).accept(region, "s3")
    };
    let store = Arc::new(Store {
        root,
        region: region.clone(),
        verifier: verifier(creds.clone(), &region),
    });
    let layer = VerifyLayer::new(verifier(creds, &region))
        .with_scheme(Scheme::Http)
        .allow_post_forms();
    let app = Router::new()
        .route("/", any(root_level))
        .route("/{bucket}", any(bucket_level))
        .route("/{bucket}/", any(bucket_level))
        .route("/{bucket}/{*key}", any(object_level))
        .layer(layer)
        .with_state(store);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen).await?;
        println!("listening on http://{}", listener.local_addr()?);
        axum::serve(listener, app).await?;
        Ok(())
    })
}

/// An S3 error response.
fn error(e: &S3Error) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        [(header::CONTENT_TYPE, "application/xml")],
        e.to_xml(),
    )
        .into_response()
}

fn s3_error(status: u16, code: &'static str, message: &str) -> Response {
    error(&S3Error {
        status,
        code,
        message: message.into(),
        string_to_sign: None,
        canonical_request: None,
    })
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A bucket name this store keeps (one safe path segment) and its folder,
/// or S3's answer to any other.
fn bucket_dir(store: &Store, bucket: &str) -> Result<PathBuf, Box<Response>> {
    let safe = !bucket.is_empty()
        && bucket
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
        && bucket != "."
        && bucket != "..";
    match safe {
        true => Ok(store.root.join(bucket)),
        false => Err(Box::new(s3_error(
            400,
            "InvalidBucketName",
            "The specified bucket is not valid.",
        ))),
    }
}

/// Where an object lives: its key hex-encoded, so that no key can name a
/// path outside its bucket.
fn object_path(bucket: &FsPath, key: &str) -> PathBuf {
    bucket.join(hex::encode(key.as_bytes()))
}

/// Whether the layer verified the request (every handler asks: only the
/// marked POST form reaches one unverified, and only its own branch takes it).
fn verified(req: &Request) -> bool {
    req.extensions().get::<Verified>().is_some()
}

fn access_denied() -> Response {
    s3_error(403, "AccessDenied", "Access Denied")
}

async fn root_level(State(store): State<Arc<Store>>, req: Request) -> Response {
    if !verified(&req) {
        return access_denied();
    }
    if req.method() != Method::GET {
        return s3_error(
            405,
            "MethodNotAllowed",
            "The specified method is not allowed",
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&store.root)
        .map(|dir| {
            dir.flatten()
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let buckets: String = names
        .iter()
        .map(|n| format!("<Bucket><Name>{}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>", escape(n)))
        .collect();
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult><Owner><ID>awsig</ID></Owner><Buckets>{buckets}</Buckets></ListAllMyBucketsResult>"
    ))
}

async fn bucket_level(
    State(store): State<Arc<Store>>,
    Path(bucket): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    let dir = match bucket_dir(&store, &bucket) {
        Ok(dir) => dir,
        Err(refused) => return *refused,
    };
    let form =
        req.method() == Method::POST && req.extensions().get::<UnverifiedPostForm>().is_some();
    if !verified(&req) && !form {
        return access_denied();
    }
    match *req.method() {
        Method::PUT => match std::fs::create_dir_all(&dir) {
            Ok(()) => (StatusCode::OK, [(header::LOCATION, format!("/{bucket}"))]).into_response(),
            Err(_) => s3_error(500, "InternalError", "The bucket could not be made."),
        },
        _ if !dir.is_dir() => s3_error(404, "NoSuchBucket", "The specified bucket does not exist"),
        Method::HEAD => StatusCode::OK.into_response(),
        Method::GET if query.contains_key("location") => xml(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint>{}</LocationConstraint>",
            if store.region == "us-east-1" { "" } else { &store.region }
        )),
        Method::GET => list_objects(&dir, &bucket, &query),
        Method::POST if form => post_form(&store, &dir, &bucket, req).await,
        _ => s3_error(405, "MethodNotAllowed", "The specified method is not allowed"),
    }
}

/// ListObjectsV2 (and V1's shape, which the AWS CLI never asks for here):
/// the keys under a prefix, in order, with `CommonPrefixes` for a delimiter.
fn list_objects(dir: &FsPath, bucket: &str, query: &HashMap<String, String>) -> Response {
    let prefix = query.get("prefix").map(String::as_str).unwrap_or("");
    let delimiter = query
        .get("delimiter")
        .map(String::as_str)
        .filter(|d| !d.is_empty());
    let start_after = query
        .get("start-after")
        .or(query.get("continuation-token"))
        .map(String::as_str)
        .unwrap_or("");
    let mut keys: Vec<(String, u64)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    let key = String::from_utf8(hex::decode(&name).ok()?).ok()?;
                    Some((key, e.metadata().ok()?.len()))
                })
                .collect()
        })
        .unwrap_or_default();
    keys.sort();
    let (mut contents, mut prefixes) = (String::new(), Vec::<String>::new());
    let mut count = 0;
    for (key, size) in keys
        .iter()
        .filter(|(k, _)| k.starts_with(prefix) && k.as_str() > start_after)
    {
        if let Some(d) = delimiter {
            if let Some(at) = key[prefix.len()..].find(d) {
                let common = key[..prefix.len() + at + d.len()].to_string();
                if !prefixes.contains(&common) {
                    prefixes.push(common);
                }
                continue;
            }
        }
        count += 1;
        contents.push_str(&format!(
            "<Contents><Key>{}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>\"{}\"</ETag><Size>{size}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            escape(key),
            etag_of(&object_path(dir, key)),
        ));
    }
    let common: String = prefixes
        .iter()
        .map(|p| {
            format!(
                "<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>",
                escape(p)
            )
        })
        .collect();
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>{}</Name><Prefix>{}</Prefix><KeyCount>{}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>{contents}{common}</ListBucketResult>",
        escape(bucket),
        escape(prefix),
        count + prefixes.len(),
    ))
}

/// An object's ETag: the first 16 bytes of its SHA-256 (S3's is MD5; no
/// client here checks it).
fn etag_of(path: &FsPath) -> String {
    std::fs::read(path)
        .map(|bytes| hex::encode(&Sha256::digest(&bytes)[..16]))
        .unwrap_or_default()
}

async fn object_level(
    State(store): State<Arc<Store>>,
    Path((bucket, key)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    let dir = match bucket_dir(&store, &bucket) {
        Ok(dir) => dir,
        Err(refused) => return *refused,
    };
    if !verified(&req) {
        return access_denied();
    }
    if !dir.is_dir() {
        return s3_error(404, "NoSuchBucket", "The specified bucket does not exist");
    }
    let path = object_path(&dir, &key);
    let uploads = dir.join(".uploads");
    match (req.method().clone(), query.get("uploadId")) {
        (Method::PUT, Some(upload)) => {
            let part = query.get("partNumber").and_then(|p| p.parse::<u32>().ok());
            let Some(part) = part.filter(|p| (1..=10_000).contains(p)) else {
                return s3_error(
                    400,
                    "InvalidArgument",
                    "Part number must be an integer between 1 and 10000, inclusive.",
                );
            };
            let Some(upload_dir) = upload_dir(&uploads, upload, &key) else {
                return s3_error(404, "NoSuchUpload", "The specified upload does not exist.");
            };
            write_body(&upload_dir.join(format!("{part:05}")), req.into_body()).await
        }
        (Method::PUT, None) => write_body(&path, req.into_body()).await,
        (Method::POST, None) if query.contains_key("uploads") => {
            let id = hex::encode(
                &Sha256::digest(format!("{key}{:?}", std::time::SystemTime::now()).as_bytes())
                    [..12],
            );
            let made = std::fs::create_dir_all(uploads.join(&id))
                .and_then(|()| std::fs::write(uploads.join(&id).join("key"), &key));
            match made {
                Ok(()) => xml(format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult><Bucket>{}</Bucket><Key>{}</Key><UploadId>{id}</UploadId></InitiateMultipartUploadResult>",
                    escape(&bucket),
                    escape(&key)
                )),
                Err(_) => s3_error(500, "InternalError", "The upload could not be started."),
            }
        }
        (Method::POST, Some(upload)) => {
            complete_upload(&uploads, upload, &path, &bucket, &key, req.into_body()).await
        }
        (Method::DELETE, Some(upload)) => {
            if let Some(dir) = upload_dir(&uploads, upload, &key) {
                let _ = std::fs::remove_dir_all(dir);
            }
            StatusCode::NO_CONTENT.into_response()
        }
        (Method::GET | Method::HEAD, _) => {
            let Ok(bytes) = tokio::fs::read(&path).await else {
                return s3_error(404, "NoSuchKey", "The specified key does not exist.");
            };
            let total = bytes.len();
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            // `Range: bytes=FIRST-LAST`, `FIRST-` or `-SUFFIX` (what ranged
            // downloads ask): 206 with that slice; 416 when none of it exists.
            let asked = (req.headers().get(header::RANGE))
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("bytes="))
                .and_then(|v| v.split_once('-'));
            let range = asked.and_then(|(first, last)| {
                let end = total.checked_sub(1)?;
                let (first, last) = match (first.parse::<usize>(), last.parse::<usize>()) {
                    (Ok(first), Ok(last)) => (first, last.min(end)),
                    (Ok(first), Err(_)) => (first, end),
                    (Err(_), Ok(suffix)) if suffix > 0 => (total.saturating_sub(suffix), end),
                    _ => return None,
                };
                (first <= last).then_some((first, last))
            });
            if asked.is_some() && range.is_none() {
                return s3_error(
                    416,
                    "InvalidRange",
                    "The requested range is not satisfiable",
                );
            }
            let (status, bytes) = match range {
                Some((first, last)) => {
                    let range = format!("bytes {first}-{last}/{total}");
                    if let Ok(value) = HeaderValue::from_str(&range) {
                        headers.insert(header::CONTENT_RANGE, value);
                    }
                    (StatusCode::PARTIAL_CONTENT, bytes[first..=last].to_vec())
                }
                None => (StatusCode::OK, bytes),
            };
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("binary/octet-stream"),
            );
            if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", etag_of(&path))) {
                headers.insert(header::ETAG, etag);
            }
            // The file's own time: a browser that guesses freshness from it
            // keeps a fresh object only a moment, as it would S3's.
            let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
            if let Some(date) = modified.and_then(|m| HeaderValue::from_str(&http_date(m)).ok()) {
                headers.insert(header::LAST_MODIFIED, date);
            }
            if req.method() == Method::HEAD {
                return (status, headers).into_response();
            }
            (status, headers, bytes).into_response()
        }
        (Method::DELETE, None) => {
            let _ = std::fs::remove_file(&path);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => s3_error(
            405,
            "MethodNotAllowed",
            "The specified method is not allowed",
        ),
    }
}

/// An upload in progress: its id is the 24 hex digits it was given, and it
/// belongs to the key it was started for.
fn upload_dir(uploads: &FsPath, id: &str, key: &str) -> Option<PathBuf> {
    let well_formed = id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let dir = uploads.join(id);
    let started_for = std::fs::read(dir.join("key")).ok()?;
    (well_formed && started_for == key.as_bytes()).then_some(dir)
}

/// Streams a verified body to `path` (through a temporary file, renamed
/// once the body ended verified): a body that fails verification as it
/// streams leaves nothing behind, and its client gets S3's error.
async fn write_body(path: &FsPath, body: Body) -> Response {
    use http_body_util::BodyExt;
    // A name of its own: two uploads of one key never share a partial file.
    static UPLOADS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = UPLOADS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let partial = path.with_extension(format!("partial-{n}"));
    let Ok(mut file) = tokio::fs::File::create(&partial).await else {
        return s3_error(500, "InternalError", "The object could not be written.");
    };
    let mut body = body;
    let mut hasher = Sha256::new();
    loop {
        match body.frame().await {
            None => break,
            Some(Err(e)) => {
                let _ = tokio::fs::remove_file(&partial).await;
                return body_error(e);
            }
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    hasher.update(&data);
                    if file.write_all(&data).await.is_err() {
                        return s3_error(500, "InternalError", "The object could not be written.");
                    }
                }
            }
        }
    }
    if file.flush().await.is_err() || tokio::fs::rename(&partial, path).await.is_err() {
        return s3_error(500, "InternalError", "The object could not be written.");
    }
    let etag = hex::encode(&hasher.finalize()[..16]);
    (StatusCode::OK, [(header::ETAG, format!("\"{etag}\""))]).into_response()
}

/// A body that failed as it streamed: the layer's error, as S3 reports it.
fn body_error(e: axum::Error) -> Response {
    use std::error::Error as _;
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(err) = source {
        if let Some(body) = err.downcast_ref::<awsig::layer::BodyError>() {
            return error(&body.s3_error());
        }
        source = err.source();
    }
    s3_error(400, "IncompleteBody", "The request body could not be read.")
}

/// CompleteMultipartUpload: the parts the client lists, joined in order.
async fn complete_upload(
    uploads: &FsPath,
    upload: &str,
    path: &FsPath,
    bucket: &str,
    key: &str,
    body: Body,
) -> Response {
    use http_body_util::BodyExt;
    let Some(dir) = upload_dir(uploads, upload, key) else {
        return s3_error(404, "NoSuchUpload", "The specified upload does not exist.");
    };
    // The part list is small: a bound keeps a large body from being held.
    let listing = match http_body_util::Limited::new(body, 1024 * 1024).collect().await {
        Ok(all) => all.to_bytes(),
        Err(_) => return s3_error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema."),
    };
    let listing = String::from_utf8_lossy(&listing);
    if !listing.contains("<PartNumber>") {
        return s3_error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
    }
    let mut joined = Vec::new();
    for piece in listing.split("<PartNumber>").skip(1) {
        let number: u32 = piece
            .split('<')
            .next()
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        match tokio::fs::read(dir.join(format!("{number:05}"))).await {
            Ok(bytes) => joined.extend_from_slice(&bytes),
            Err(_) => {
                return s3_error(
                    400,
                    "InvalidPart",
                    "One or more of the specified parts could not be found.",
                )
            }
        }
    }
    if tokio::fs::write(path, &joined).await.is_err() {
        return s3_error(500, "InternalError", "The object could not be written.");
    }
    let _ = std::fs::remove_dir_all(dir);
    let etag = hex::encode(&Sha256::digest(&joined)[..16]);
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult><Bucket>{}</Bucket><Key>{}</Key><ETag>\"{etag}-1\"</ETag></CompleteMultipartUploadResult>",
        escape(bucket),
        escape(key)
    ))
}

/// A browser POST form: its fields read, the form verified as S3 checks
/// it (signature, policy, conditions), then the file stored under the key.
async fn post_form(store: &Store, dir: &FsPath, bucket: &str, req: Request) -> Response {
    use axum::extract::FromRequest;
    let Ok(mut multipart) = Multipart::from_request(req, &()).await else {
        return s3_error(
            400,
            "MalformedPOSTRequest",
            "The body of your POST request is not well-formed multipart/form-data.",
        );
    };
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut file: Option<(Option<String>, Bytes)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        if name.eq_ignore_ascii_case("file") {
            let file_name = field.file_name().map(str::to_string);
            match field.bytes().await {
                Ok(bytes) => file = Some((file_name, bytes)),
                Err(_) => return s3_error(400, "IncompleteBody", "The file could not be read."),
            }
            break; // S3 ignores fields after the file.
        }
        match field.text().await {
            Ok(value) => fields.push((name, value)),
            Err(_) => return s3_error(400, "MalformedPOSTRequest", "A form field is not text."),
        }
    }
    let Some((file_name, bytes)) = file else {
        return s3_error(
            400,
            "InvalidArgument",
            "POST requires exactly one file upload per request.",
        );
    };
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut upload = PostUpload::new(bucket, &borrowed, bytes.len() as u64);
    if let Some(name) = &file_name {
        upload = upload.with_file_name(name);
    }
    let now =
        SigningTime::try_from(std::time::SystemTime::now()).unwrap_or(SigningTime::UNIX_EPOCH);
    let verified = match store.verifier.verify_post(&upload, now) {
        Ok(verified) => verified,
        Err(e) => return s3_error(403, "AccessDenied", &e.to_string()),
    };
    let key = verified.key().to_string();
    if tokio::fs::write(object_path(dir, &key), &bytes)
        .await
        .is_err()
    {
        return s3_error(500, "InternalError", "The object could not be written.");
    }
    StatusCode::NO_CONTENT.into_response()
}

/// An HTTP date (`Mon, 01 Jan 2024 00:00:00 GMT`) of a file's time.
fn http_date(at: std::time::SystemTime) -> String {
    let secs = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

//! The demo's two pages, shared by `examples/demo/main.rs` and the browser
//! test (`tests/browser.rs`, which serves them in-process).
//!
//! - `/`: a private S3 object shown through a presigned GET URL that lives
//!   a few seconds, with the URL printed, and the same URL again once it has
//!   expired. That second image is put in a frame of its own: a document
//!   reuses an image it already has for the same URL (HTML's "list of
//!   available images"), and the frame's document has none.
//! - `/upload`: a form built from a presigned POST policy, which posts
//!   straight to the S3 server.

use awsig::post::PostRequest;
use awsig::s3::{S3Presigner, S3Request};
use awsig::SigningTime;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// What the pages are made from.
pub(crate) struct Demo {
    /// Signs for the S3 server.
    pub(crate) presigner: S3Presigner,
    /// The bucket of the object and the uploads.
    pub(crate) bucket: String,
    /// The private object `/` shows.
    pub(crate) object_key: String,
    /// How long the object's URL lives, in seconds.
    pub(crate) url_lifetime: u64,
}

/// The app's routes.
pub(crate) fn router(demo: Arc<Demo>) -> Router {
    Router::new()
        .route("/", get(image_page))
        .route("/upload", get(upload_page))
        .with_state(demo)
}

/// The time now: the one place the demo reads the clock.
fn now() -> SigningTime {
    SigningTime::try_from(std::time::SystemTime::now()).expect("the clock is after year 0")
}

/// `text` escaped for HTML text and double-quoted attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str =
    "<style>body{font-family:sans-serif;max-width:56em;margin:2em auto;line-height:1.4}\
code{word-break:break-all;background:#f3f3f3;padding:.2em;display:block}\
img{border:1px solid #999;min-width:40px;min-height:40px}</style>";

async fn image_page(State(demo): State<Arc<Demo>>) -> Html<String> {
    let signed_at = now();
    // `no-store` (a signed response override): a browser that kept a copy
    // would go on showing the object after the URL expires.
    let get = S3Request::get(&demo.bucket, &demo.object_key)
        .expires_in(demo.url_lifetime)
        .response_cache_control("no-store");
    let page = match demo.presigner.presign(&get, signed_at) {
        Ok(url) => {
            let url = escape(url.as_str());
            let lifetime = demo.url_lifetime;
            let expires_at = signed_at.checked_add(lifetime).unwrap_or(signed_at);
            format!(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>awsig: a presigned URL</title>{STYLE}</head><body>\
<h1>A private S3 object through a presigned URL</h1>\
<p>Signed at {signed_at}, valid for {lifetime} s, until {expires_at}:</p><code id=\"url\">{url}</code>\
<p><img id=\"live\" src=\"{url}\" alt=\"the object\"></p>\
<h2>The same URL after it has expired</h2>\
<p id=\"later-note\">Loaded again {later} s after signing:</p>\
<iframe id=\"later\" title=\"the same URL, expired\" style=\"border:0;width:100%;height:160px\"></iframe>\
<script>setTimeout(function () {{ var f = document.getElementById('later'); \
f.onload = function () {{ var i = f.contentDocument.createElement('img'); i.id = 'expired'; \
i.alt = '(the object no longer loads)'; \
i.onload = i.onerror = function () {{ document.body.dataset.expiredLoaded = 'yes'; }}; \
i.src = document.getElementById('live').src; f.contentDocument.body.appendChild(i); }}; \
f.srcdoc = '<!doctype html><body style=\"margin:0\"></body>'; }}, {delay});</script>\
<p><a href=\"/upload\">Upload a file with a presigned POST form</a></p></body></html>",
                later = lifetime + 1,
                delay = (lifetime + 1) * 1000,
            )
        }
        Err(e) => format!("<p>could not presign: {}</p>", escape(&e.to_string())),
    };
    Html(page)
}

async fn upload_page(State(demo): State<Arc<Demo>>) -> Html<String> {
    let signed_at = now();
    // One key per page: the server stores what the form names.
    let key = format!("uploads/{}.bin", signed_at.unix_seconds());
    let expiration = signed_at.checked_add(600).unwrap_or(signed_at);
    let req = PostRequest::new(&demo.bucket, &key, expiration)
        .field("success_action_status", "201")
        .content_length_range(1, 10 * 1024 * 1024);
    let page = match demo.presigner.presign_post(&req, signed_at) {
        Ok(form) => format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>awsig: a presigned POST</title>{STYLE}</head><body>\
<h1>Upload straight to S3 with a presigned POST policy</h1>\
<p>The form posts to <code>{action}</code> as key</p><code id=\"key\">{key}</code>\
<p>The policy allows 1 byte to 10 MiB until {expiration}.</p>{form}</body></html>",
            action = escape(form.url()),
            key = escape(&key),
            form = form.html_form(),
        ),
        Err(e) => format!("<p>could not presign: {}</p>", escape(&e.to_string())),
    };
    Html(page)
}

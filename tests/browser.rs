//! The tutorial's demo in a real browser: headless Chromium (Debian's
//! `chromium`, driven through `chromedriver`'s WebDriver API) loads the demo
//! app's pages, served in-process against the s3s-fs server that `.ci/test`
//! starts. It checks that the object loads through its presigned URL before
//! expiry and that the same URL answers 403 "Request has expired" after,
//! and that the upload form stores the chosen file, byte for byte. It
//! saves a screenshot of each page under `target/browser/` (the README's
//! are copies in `docs/`). Without Chromium, chromedriver or the server it
//! fails, and says how to get them.
#![cfg(feature = "post")]

#[path = "../examples/demo/app.rs"]
#[allow(dead_code)]
mod app;

#[cfg(feature = "tower")]
#[path = "common/example_server.rs"]
mod example_server;

use awsig::s3::{AddressingStyle, Endpoint, S3Presigner, S3Request};
use awsig::{Credentials, SigningTime};
use base64::Engine;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const OBJECT: &[u8] = include_bytes!("../examples/demo/object.png");
/// The object URL's lifetime: long enough to load the page, short enough to wait out.
const URL_LIFETIME: u64 = 4;
/// WebDriver's key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is unset: start the S3 server with `.ci/test` or `.ci/s3s-start && source target/s3s/env`")
    })
}

fn now() -> SigningTime {
    SigningTime::try_from(std::time::SystemTime::now()).unwrap()
}

/// An S3 server the demo runs against: its endpoint, key pair and bucket.
#[derive(Clone)]
struct Store {
    endpoint: String,
    access_key: String,
    secret_key: String,
    bucket: String,
}

impl Store {
    /// The s3s-fs server `.ci/test` starts.
    fn s3s() -> Store {
        Store {
            endpoint: env("AWSIG_S3_ENDPOINT"),
            access_key: env("AWSIG_S3_ACCESS_KEY"),
            secret_key: env("AWSIG_S3_SECRET_KEY"),
            bucket: env("AWSIG_S3_BUCKET"),
        }
    }
}

fn presigner(store: &Store) -> S3Presigner {
    let creds = Credentials::new(&store.access_key, &store.secret_key).unwrap();
    S3Presigner::new(creds, "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::parse(&store.endpoint).unwrap())
        .with_addressing_style(AddressingStyle::Path)
}

/// A GET of `key` through a fresh presigned URL: the status and the bytes.
fn get(store: &Store, key: &str) -> (u16, Vec<u8>) {
    let bucket = &store.bucket;
    let url = presigner(store)
        .presign(&S3Request::get(bucket, key), now())
        .unwrap();
    let r = reqwest::blocking::get(url.as_str()).unwrap();
    (r.status().as_u16(), r.bytes().unwrap().to_vec())
}

/// Serves the demo on a free port of 127.0.0.1, in a thread of its own.
fn serve_demo(store: &Store) -> String {
    let bucket = store.bucket.clone();
    let object_key = "demo/object.png".to_string();
    let put = presigner(store)
        .presign(&S3Request::put(&bucket, &object_key), now())
        .unwrap();
    let status = reqwest::blocking::Client::new()
        .put(put.as_str())
        .body(OBJECT)
        .send()
        .unwrap()
        .status();
    assert!(status.is_success(), "PUT of the demo object: {status}");
    let demo = Arc::new(app::Demo {
        presigner: presigner(store),
        bucket,
        object_key,
        url_lifetime: URL_LIFETIME,
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app::router(demo)).await.unwrap();
        });
    });
    format!("http://{addr}")
}

/// A headless Chromium session through chromedriver.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::blocking::Client,
}

impl Browser {
    fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("chromedriver: {e}: install Debian's chromium and chromium-driver (.ci/run does)")
            });
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        // A profile of its own: two sessions may run at once.
        let profile =
            std::env::temp_dir().join(format!("awsig-chromium-{}-{port}", std::process::id()));
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1000,800",
            &format!("--user-data-dir={}", profile.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}
        }}});
        let reply: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .unwrap()
            .json()
            .unwrap();
        let session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {reply}"))
            .to_string();
        Browser {
            driver,
            base,
            session,
            http,
        }
    }

    fn call(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method, url);
        if !body.is_null() {
            request = request.json(&body);
        }
        let reply: Value = request.send().unwrap().json().unwrap();
        assert!(reply["value"].get("error").is_none(), "{path}: {reply}");
        reply["value"].clone()
    }

    fn open(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", json!({ "url": url }));
    }

    fn script(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )
    }

    fn element(&self, css: &str) -> String {
        let found = self.call(
            reqwest::Method::POST,
            "/element",
            json!({ "using": "css selector", "value": css }),
        );
        found[ELEMENT].as_str().unwrap().to_string()
    }

    /// Waits until `script` returns `true`.
    fn wait_for(&self, what: &str, script: &str, within: Duration) {
        let deadline = Instant::now() + within;
        while self.script(script) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.call(reqwest::Method::GET, "/screenshot", Value::Null);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../browser");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self
            .http
            .delete(format!("{}/session/{}", self.base, self.session))
            .send();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[test]
fn the_demo_in_chromium() {
    demo_in_chromium(&Store::s3s(), "s3s-fs");
}

/// The same pages against examples/s3_server.rs: the layer refuses the
/// expired URL as S3 does, and its POST form handler verifies the upload.
#[cfg(feature = "tower")]
#[test]
fn the_demo_in_chromium_against_the_example_server() {
    let server = example_server::start("browser", &["demo"]);
    let store = Store {
        endpoint: server.url.clone(),
        access_key: example_server::KEY_ID.into(),
        secret_key: example_server::SECRET.into(),
        bucket: "demo".into(),
    };
    demo_in_chromium(&store, "example-server");
}

/// The demo's two pages in Chromium against `store`; screenshots named
/// after `server`.
fn demo_in_chromium(store: &Store, server: &str) {
    let demo = serve_demo(store);
    let browser = Browser::start();

    // Page 1: the object loads through its presigned URL ...
    browser.open(&format!("{demo}/"));
    browser.wait_for(
        "the image to load",
        "const i = document.getElementById('live'); return i.complete && i.naturalWidth > 0;",
        Duration::from_secs(10),
    );
    let url = browser.script("return document.getElementById('url').textContent;");
    let url = url.as_str().unwrap().to_string();
    assert_eq!(
        browser.script("return document.getElementById('live').naturalWidth;"),
        json!(320)
    );
    // ... and once it has expired, the same URL loads nothing ...
    browser.wait_for(
        "the expired URL to be tried",
        "return document.body.dataset.expiredLoaded === 'yes';",
        Duration::from_secs(URL_LIFETIME + 10),
    );
    let expired = "document.getElementById('later').contentDocument.getElementById('expired')";
    assert_eq!(
        browser.script(&format!("return {expired}.naturalWidth;")),
        json!(0)
    );
    assert_eq!(
        browser.script(&format!("return {expired}.src;")).as_str(),
        Some(url.as_str())
    );
    let shot = browser.screenshot(&format!("demo-presigned-url-{server}.png"));
    // ... because the server answers it 403 "Request has expired".
    let r = reqwest::blocking::get(&url).unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.text().unwrap().contains("Request has expired"));
    assert!(std::fs::metadata(shot).unwrap().len() > 1000);

    // Page 2: the form uploads the chosen file straight to the S3 server.
    browser.open(&format!("{demo}/upload"));
    let key = browser.script("return document.getElementById('key').textContent;");
    let key = key.as_str().unwrap().to_string();
    let file: Vec<u8> = (0..50_000u32).map(|i| (i * 7 + i / 256) as u8).collect();
    // Named for the server too: the two runs may be at once.
    let path =
        std::env::temp_dir().join(format!("awsig-upload-{}-{server}.bin", std::process::id()));
    std::fs::write(&path, &file).unwrap();
    let input = browser.element("input[type=file]");
    browser.call(
        reqwest::Method::POST,
        &format!("/element/{input}/value"),
        json!({ "text": path.to_str().unwrap() }),
    );
    browser.screenshot(&format!("demo-upload-form-{server}.png"));
    let submit = browser.element("input[type=submit]");
    browser.call(
        reqwest::Method::POST,
        &format!("/element/{submit}/click"),
        json!({}),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let stored = loop {
        let (status, body) = get(store, &key);
        if status == 200 {
            break body;
        }
        assert!(
            Instant::now() < deadline,
            "{key} was not stored (last status {status})"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        stored, file,
        "the stored object differs from the chosen file"
    );
    std::fs::remove_file(path).ok();
}

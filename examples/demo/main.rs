//! The tutorial's demo: a private S3 object on a web page through a
//! presigned URL that stops loading once it expires, and a browser upload
//! through a presigned POST form.
//!
//! ```text
//! .ci/s3s-start && source target/s3s/env     # a local S3 server (s3s-fs)
//! cargo run --features post --example demo    # then open http://127.0.0.1:8080/
//! ```
//!
//! It reads the server from `AWSIG_S3_ENDPOINT`, `AWSIG_S3_ACCESS_KEY`,
//! `AWSIG_S3_SECRET_KEY` and `AWSIG_S3_BUCKET` (what `.ci/s3s-start`
//! writes), uploads `object.png` there with a presigned PUT, and serves the
//! pages on `DEMO_ADDR` (default `127.0.0.1:8080`). The object's URL lives
//! `DEMO_URL_LIFETIME` seconds (default 10).

mod app;

use awsig::s3::{AddressingStyle, Endpoint, S3Presigner, S3Request};
use awsig::{Credentials, SigningTime};
use std::sync::Arc;

/// The private object the first page shows.
const OBJECT: &[u8] = include_bytes!("object.png");

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("demo: {name} is unset: run `.ci/s3s-start && source target/s3s/env` first");
        std::process::exit(2)
    })
}

fn main() {
    let creds = Credentials::new(&env("AWSIG_S3_ACCESS_KEY"), &env("AWSIG_S3_SECRET_KEY"))
        .expect("valid credentials");
    let endpoint = Endpoint::parse(&env("AWSIG_S3_ENDPOINT")).expect("a valid endpoint URL");
    let presigner = S3Presigner::new(creds, "us-east-1")
        .expect("a valid region")
        .with_endpoint(endpoint)
        .with_addressing_style(AddressingStyle::Path);
    let bucket = env("AWSIG_S3_BUCKET");
    let object_key = "demo/object.png".to_string();
    let now = SigningTime::try_from(std::time::SystemTime::now()).expect("the clock");
    let put = presigner
        .presign(&S3Request::put(&bucket, &object_key).expires_in(60), now)
        .expect("presign the upload");
    let status = reqwest::blocking::Client::new()
        .put(put.as_str())
        .body(OBJECT)
        .send()
        .expect("PUT the object")
        .status();
    assert!(
        status.is_success(),
        "the S3 server answered {status} to the PUT"
    );

    let url_lifetime = std::env::var("DEMO_URL_LIFETIME")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let demo = Arc::new(app::Demo {
        presigner,
        bucket,
        object_key,
        url_lifetime,
    });
    let addr = std::env::var("DEMO_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    tokio::runtime::Runtime::new()
        .expect("a tokio runtime")
        .block_on(async move {
            let listener = tokio::net::TcpListener::bind(&addr)
                .await
                .expect("bind DEMO_ADDR");
            println!("demo: serving http://{addr}/ and http://{addr}/upload");
            axum::serve(listener, app::router(demo))
                .await
                .expect("serve");
        });
}

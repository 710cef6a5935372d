//! Presigns the S3 documentation example and checks it against the documented
//! signature: `cargo run --release --example presign`.

use awsig::{Credentials, Request, Signer, SigningTime};

/// From "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)".
const DOCUMENTED_SIGNATURE: &str =
    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

fn main() -> Result<(), awsig::Error> {
    let creds = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )?;
    let signer = Signer::new(creds, "us-east-1", "s3")?;
    let time = SigningTime::parse("2013-05-24T00:00:00Z")?;
    let request = Request::new("GET", "examplebucket.s3.amazonaws.com", "/test.txt");
    let url = signer.presign(&request, time, 86_400)?;
    println!("{}", url.as_str());
    if url.signature() == DOCUMENTED_SIGNATURE {
        println!("signature matches the AWS documentation");
        Ok(())
    } else {
        eprintln!("signature does NOT match the AWS documentation ({DOCUMENTED_SIGNATURE})");
        std::process::exit(1);
    }
}

//! examples/s3_server.rs started for a test: a free port, a fresh
//! directory, its one key pair; stopped (and its directory removed) on drop.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The key pair the example server is started with.
pub(crate) const KEY_ID: &str = "AKIDSERVEREXAMPLE";
pub(crate) const SECRET: &str = "server/secret+key=EXAMPLE";

/// The running example server.
pub(crate) struct ExampleServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) url: String,
    /// The directory it stores buckets in.
    pub(crate) root: PathBuf,
}

impl Drop for ExampleServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Starts the example server (built by `cargo test --features tower`
/// beside the test binaries), with `buckets` made at start.
pub(crate) fn start(test: &str, buckets: &[&str]) -> ExampleServer {
    let exe = std::env::current_exe().unwrap();
    let binary = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join("s3_server");
    assert!(
        binary.exists(),
        "{} is not built (cargo test --features tower builds it)",
        binary.display()
    );
    let root = std::env::temp_dir().join(format!("awsig-s3-server-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for bucket in buckets {
        std::fs::create_dir_all(root.join(bucket)).unwrap();
    }
    let mut child = Command::new(binary)
        .args(["--root", root.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .env("AWSIG_SERVER_ACCESS_KEY_ID", KEY_ID)
        .env("AWSIG_SERVER_SECRET_ACCESS_KEY", SECRET)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = (line.trim().strip_prefix("listening on "))
        .unwrap_or_else(|| panic!("the server said {line:?}"))
        .to_string();
    ExampleServer { child, url, root }
}

//! The `awsig` command-line tool: the documented example byte for byte,
//! credentials found as the AWS CLI finds them, exit 2 with one line for
//! every bad flag or value, and exit 3 with one line when the environment
//! fails (a file that cannot be read, a failing `credential_process`).
#![cfg(feature = "cli")]

use std::path::PathBuf;
use std::process::{Command, Output};

const DOC_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

/// A tool run with a clean environment plus `env`.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_awsig"));
    cmd.env_clear().env("HOME", "/nonexistent").args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

const DOC_CREDS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
    (
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
];

const DOC_ARGS: [&str; 6] = [
    "presign",
    "s3://examplebucket/test.txt",
    "--expires-in",
    "86400",
    "--signing-time",
    "2013-05-24T00:00:00Z",
];

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn prints_the_documented_example_byte_for_byte() {
    let o = run(&DOC_ARGS, &DOC_CREDS);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{DOC_URL}\n"));
}

#[test]
fn json_output() {
    let mut args = DOC_ARGS.to_vec();
    args.extend([
        "--method",
        "PUT",
        "--header",
        "Content-Type: text/plain",
        "--json",
    ]);
    let o = run(&args, &DOC_CREDS);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["method"], "PUT");
    assert_eq!(v["headers"]["Content-Type"], "text/plain");
    assert_eq!(v["expires_at"], "2013-05-25T00:00:00Z");
    assert!(v["url"]
        .as_str()
        .unwrap()
        .contains("X-Amz-SignedHeaders=content-type%3Bhost"));
}

#[test]
fn presigns_any_service_url() {
    let o = run(
        &[
            "presign",
            "--url",
            "https://example.amazonaws.com/?Param1=value1",
            "--service",
            "service",
            "--region",
            "us-east-1",
            "--signing-time",
            "20150830T123600Z",
            "--expires-in",
            "3600",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // aws-signing-test-suite/v4/get-vanilla-empty-query-key, query mode.
    assert!(
        stdout(&o).ends_with(
            "X-Amz-Signature=49096700cbbaa5753443850f40df10f904fc2fdb544dc9512203cc77c471a9de\n"
        ),
        "{}",
        stdout(&o)
    );
}

fn temp_home(files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "awsig-cli-{}-{}",
        std::process::id(),
        files.len() * 7 + files.first().map_or(0, |f| f.1.len())
    ));
    std::fs::create_dir_all(dir.join(".aws")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(".aws").join(name), text).unwrap();
    }
    dir
}

fn credential_of(url: &str) -> String {
    let start = url.find("X-Amz-Credential=").unwrap() + "X-Amz-Credential=".len();
    url[start..].split('%').next().unwrap().to_string()
}

fn region_of(url: &str) -> String {
    let start = url.find("X-Amz-Credential=").unwrap() + "X-Amz-Credential=".len();
    url[start..].split("%2F").nth(2).unwrap().to_string()
}

#[test]
fn credentials_come_from_env_then_profile_files() {
    let home = temp_home(&[
        (
            "credentials",
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n[work]\naws_access_key_id=AKIDWORK\naws_secret_access_key=s2\naws_session_token=tok/en+=\n",
        ),
        (
            "config",
            "[default]\nregion = eu-west-1\n\n[profile work]\nregion = ap-south-1\n\n[profile cfgonly]\naws_access_key_id = AKIDCFG\naws_secret_access_key = s3\n",
        ),
    ]);
    let home = home.to_str().unwrap();
    let target = ["presign", "s3://bucket/key"];
    let url = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = target.to_vec();
        all.extend_from_slice(args);
        let mut e = vec![("HOME", home)];
        e.extend_from_slice(env);
        let o = run(&all, &e);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let u = url(&[], &[]);
    assert_eq!(
        (credential_of(&u), region_of(&u)),
        ("AKIDDEFAULT".into(), "eu-west-1".into())
    );
    let u = url(&["--profile", "work"], &[]);
    assert_eq!(
        (credential_of(&u), region_of(&u)),
        ("AKIDWORK".into(), "ap-south-1".into())
    );
    assert!(u.contains("X-Amz-Security-Token=tok%2Fen%2B%3D"));
    let u = url(&[], &[("AWS_PROFILE", "work")]);
    assert_eq!(credential_of(&u), "AKIDWORK");
    let u = url(&[], &[("AWS_PROFILE", "cfgonly")]);
    assert_eq!(credential_of(&u), "AKIDCFG");
    // The environment's keys beat AWS_PROFILE; --profile beats the environment.
    let env_keys = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "s4"),
        ("AWS_PROFILE", "work"),
    ];
    assert_eq!(credential_of(&url(&[], &env_keys)), "AKIDENV");
    assert_eq!(
        credential_of(&url(&["--profile", "work"], &env_keys)),
        "AKIDWORK"
    );
    // Region: flag, then AWS_REGION, then AWS_DEFAULT_REGION, then profile.
    let u = url(&["--region", "us-west-2"], &[("AWS_REGION", "eu-north-1")]);
    assert_eq!(region_of(&u), "us-west-2");
    let u = url(
        &[],
        &[
            ("AWS_REGION", "eu-north-1"),
            ("AWS_DEFAULT_REGION", "sa-east-1"),
        ],
    );
    assert_eq!(region_of(&u), "eu-north-1");
    let u = url(&[], &[("AWS_DEFAULT_REGION", "sa-east-1")]);
    assert_eq!(region_of(&u), "sa-east-1");
    // Endpoint: AWS_ENDPOINT_URL_S3 beats AWS_ENDPOINT_URL.
    let u = url(
        &[],
        &[
            ("AWS_ENDPOINT_URL", "http://a.example:1"),
            ("AWS_ENDPOINT_URL_S3", "http://b.example:2"),
        ],
    );
    assert!(u.starts_with("http://b.example:2/bucket/key?"), "{u}");
    // Explicit files.
    let creds_file = format!("{home}/.aws/credentials");
    let u = url(
        &[],
        &[
            ("HOME", "/nonexistent"),
            ("AWS_SHARED_CREDENTIALS_FILE", &creds_file),
        ],
    );
    assert_eq!(credential_of(&u), "AKIDDEFAULT");
}

#[test]
fn missing_credentials_say_where_it_looked() {
    let o = run(&["presign", "s3://bucket/key"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
    assert!(err.contains("/nonexistent/.aws/credentials"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn bad_flags_and_values_exit_2_with_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (&["presign", "s3://examplebucket/k", "--bogus"], "--bogus"),
        (
            &["presign", "s3://examplebucket/k", "--expires-in", "soon"],
            "--expires-in",
        ),
        (
            &["presign", "s3://examplebucket/k", "--expires-in", "0"],
            "expiry",
        ),
        (
            &["presign", "s3://examplebucket/k", "--expires-in", "604801"],
            "604801",
        ),
        (
            &[
                "presign",
                "s3://examplebucket/k",
                "--signing-time",
                "yesterday",
            ],
            "--signing-time",
        ),
        (
            &[
                "presign",
                "s3://examplebucket/k",
                "--signing-time",
                "10000-01-01T00:00:00Z",
            ],
            "--signing-time",
        ),
        (
            &[
                "presign",
                "s3://examplebucket/k",
                "--addressing-style",
                "sideways",
            ],
            "--addressing-style",
        ),
        (
            &["presign", "s3://examplebucket/k", "--header", "no colon"],
            "--header",
        ),
        (
            &["presign", "s3://examplebucket/k", "--header", "x-a: a\r\nb"],
            "x-a",
        ),
        (
            &["presign", "s3://examplebucket/k", "--header", "bad name: v"],
            "bad name",
        ),
        (
            &["presign", "s3://examplebucket/k", "--region", "us/east"],
            "region",
        ),
        (
            &["presign", "s3://examplebucket/k", "--region", "us-east-1\n"],
            "region",
        ),
        (
            &[
                "presign",
                "s3://examplebucket/k",
                "--endpoint-url",
                "ftp://x",
            ],
            "--endpoint-url",
        ),
        (
            &[
                "presign",
                "s3://examplebucket/k",
                "--endpoint-url",
                "https://u:p@x/",
            ],
            "user info",
        ),
        (
            &["presign", "s3://examplebucket/k", "--method", "GE T"],
            "method",
        ),
        (
            &[
                "presign",
                "s3://examplebucket/k",
                "--query",
                "X-Amz-Signature=1",
            ],
            "X-Amz-Signature",
        ),
        (&["presign", "s3://Bad Bucket/k"], "Bad Bucket"),
        (
            &["presign", "s3://bucket/k", "--region", "auto"],
            "\"auto\"",
        ),
        (&["presign", "s3://bkt--x-s3/k"], "directory bucket"),
        (&["presign", "s3:///k"], "bucket"),
        (&["presign", "s3://examplebucket/"], "key"),
        (&["presign", "s3://examplebucket"], "no key"),
        (&["presign", "http://x/y"], "s3://"),
        (&["presign"], "missing target"),
        (
            &[
                "presign",
                "--url",
                "https://h/#frag",
                "--service",
                "execute-api",
                "--region",
                "us-east-1",
            ],
            "fragment",
        ),
        (&["presign", "--url", "https://h/"], "--service"),
        (&["frobnicate"], "unknown command"),
        (&[], "usage"),
    ];
    for (args, needle) in cases {
        let o = run(args, &DOC_CREDS);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn a_100_kb_key_is_an_error_not_a_crash() {
    let key = format!("s3://examplebucket/{}", "k".repeat(100_000));
    let o = run(&["presign", &key], &DOC_CREDS);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("100000 bytes"), "{}", stderr(&o));
}

fn doc_url() -> String {
    let o = run(&DOC_ARGS, &DOC_CREDS);
    stdout(&o).trim_end().to_string()
}

#[test]
fn verify_says_valid_or_names_the_failed_check() {
    let url = doc_url();
    let o = run(
        &["verify", &url, "--now", "2013-05-24T10:00:00Z"],
        &DOC_CREDS,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "valid: key AKIAIOSFODNN7EXAMPLE, signed 2013-05-24T00:00:00Z, expires 2013-05-25T00:00:00Z\n"
    );
    let invalid: &[(&[&str], &str)] = &[
        (&["--now", "2013-05-25T00:00:01Z"], "expired"),
        (&["--now", "2013-05-23T23:44:59Z"], "skew"),
        (
            &["--now", "2013-05-24T10:00:00Z", "--region", "eu-west-1"],
            "not accepted",
        ),
        (
            &["--now", "2013-05-24T10:00:00Z", "--service", "execute-api"],
            "not accepted",
        ),
        (
            &["--now", "2013-05-24T10:00:00Z", "--max-expires", "3600"],
            "X-Amz-Expires",
        ),
        (
            &["--now", "2013-05-24T10:00:00Z", "--method", "PUT"],
            "signature does not match",
        ),
    ];
    for (extra, needle) in invalid {
        let mut args = vec!["verify", url.as_str()];
        args.extend_from_slice(extra);
        let o = run(&args, &DOC_CREDS);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(
            out.starts_with("invalid: ") && out.contains(needle),
            "{extra:?}: {out}"
        );
    }
    let other_key = [
        ("AWS_ACCESS_KEY_ID", "AKIDOTHER"),
        ("AWS_SECRET_ACCESS_KEY", "x"),
    ];
    let o = run(
        &["verify", &url, "--now", "2013-05-24T10:00:00Z"],
        &other_key,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("AKIAIOSFODNN7EXAMPLE"));
    // Usage errors are 2.
    for args in [
        vec!["verify"],
        vec!["verify", url.as_str(), "--now", "noon"],
        vec!["verify", url.as_str(), "--max-skew", "-5"],
        vec!["verify", "not a url"],
        vec!["verify", "https://user@h/?a=b"],
    ] {
        let o = run(&args, &DOC_CREDS);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "{args:?}");
    }
    // A URL that parses but fails a check is an invalid request, not a usage
    // error: port 0, or a second authentication mechanism.
    let port_zero = url.replacen(
        "examplebucket.s3.amazonaws.com",
        "examplebucket.s3.amazonaws.com:0",
        1,
    );
    let bearer = [
        "verify",
        url.as_str(),
        "--now",
        "2013-05-24T10:00:00Z",
        "--header",
        "Authorization: Bearer x",
    ];
    for args in [
        vec![
            "verify",
            port_zero.as_str(),
            "--now",
            "2013-05-24T10:00:00Z",
        ],
        bearer.to_vec(),
    ] {
        let o = run(&args, &DOC_CREDS);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stdout(&o).starts_with("invalid: "),
            "{args:?}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn explain_shows_the_computation_and_the_s3_diff() {
    let url = doc_url();
    let o = run(&["explain", &url], &DOC_CREDS);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256"));
    assert!(out.contains("3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"));
    assert!(out.contains("match: yes"));
    assert!(!out.contains("kSigning"));
    let o = run(&["explain", &url, "--show-signing-key"], &DOC_CREDS);
    assert!(stdout(&o)
        .contains("kSigning: dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378"));
    // Without credentials it still explains.
    let o = run(&["explain", &url], &[]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("no secret given"));
    // Against an S3 error whose canonical request used '+' for a space.
    let creq = "GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\nhost:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD";
    let xml = format!(
        "<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>{}</CanonicalRequest></Error>",
        creq.replace('&', "&amp;")
    );
    let file = std::env::temp_dir().join(format!("awsig-s3-error-{}.xml", std::process::id()));
    std::fs::write(&file, xml).unwrap();
    let o = run(
        &["explain", &url, "--s3-error", file.to_str().unwrap()],
        &DOC_CREDS,
    );
    let out = stdout(&o);
    assert!(out.contains("first difference at line 3"), "{out}");
    assert!(
        out.contains("likely cause: the region or the date differs"),
        "{out}"
    );
    let o = run(
        &["explain", &url, "--s3-error", "/nonexistent.xml"],
        &DOC_CREDS,
    );
    assert_environment_failure(&o, &["--s3-error", "/nonexistent.xml"]);
}

#[test]
fn hostile_arguments_exit_2_with_one_line() {
    use std::os::unix::ffi::OsStrExt;
    let bad_utf8 = std::ffi::OsStr::from_bytes(b"s3://bucket/\xff\xfe");
    let o = Command::new(env!("CARGO_BIN_EXE_awsig"))
        .env_clear()
        .envs(DOC_CREDS)
        .arg("presign")
        .arg(bad_utf8)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1);
    assert!(stderr(&o).contains("not valid UTF-8"), "{}", stderr(&o));
    // Arguments, environment, and what the one error line must name.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case<'_>] = &[
        (
            &["presign", "s3://examplebucket/k", "--region", "us east"],
            &DOC_CREDS,
            "region",
        ),
        (
            &[
                "presign",
                "s3://examplebucket/k",
                "--region",
                "us-east-1",
                "--signing-time",
                "1969-12-31T23:59:59Z",
            ],
            &DOC_CREDS,
            "",
        ),
        (
            &["presign-post", "s3://bucket/k", "--region", "auto"],
            &DOC_CREDS,
            "custom endpoint",
        ),
        (
            &["presign", "s3://examplebucket/k"],
            &[
                ("AWS_ACCESS_KEY_ID", "AKID/X"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
            ],
            "access key id",
        ),
        (
            &[
                "presign",
                "--url",
                "https://user@h.example/",
                "--service",
                "execute-api",
                "--region",
                "us-east-1",
            ],
            &DOC_CREDS,
            "user info",
        ),
    ];
    for (args, env, needle) in cases {
        let o = run(args, env);
        if needle.is_empty() {
            // Before 1970 is a correct result, not an error.
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
            assert!(stdout(&o).contains("X-Amz-Date=19691231T235959Z"));
            continue;
        }
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    // Ten thousand query parameters are a correct result.
    let mut args = vec!["presign".to_string(), "s3://examplebucket/k".to_string()];
    for i in 0..10_000 {
        args.push("--query".into());
        args.push(format!("p{i}=v"));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&refs, &DOC_CREDS);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("p9999=v"));
}

/// The flags of each command, as `--help` must list them.
const PRESIGN_FLAGS: [&str; 14] = [
    "--s3express-session",
    "--method",
    "--expires-in",
    "--region",
    "--endpoint-url",
    "--addressing-style",
    "--signing-time",
    "--header",
    "--query",
    "--version-id",
    "--profile",
    "--url",
    "--service",
    "--json",
];
const VERIFY_FLAGS: [&str; 9] = [
    "--method",
    "--header",
    "--body",
    "--now",
    "--max-skew",
    "--region",
    "--service",
    "--max-expires",
    "--profile",
];
const EXPLAIN_FLAGS: [&str; 5] = [
    "--method",
    "--header",
    "--s3-error",
    "--show-signing-key",
    "--profile",
];

/// The help line of `flag` in `help`, which must exist.
fn help_line<'h>(help: &'h str, flag: &str) -> &'h str {
    help.lines()
        .find(|l| l.trim_start().starts_with(&format!("{flag} ")))
        .unwrap_or_else(|| panic!("{flag} not in help:\n{help}"))
}

#[test]
fn help_lists_every_flag_with_its_meaning_and_default() {
    let per_command: [(&str, &[&str]); 3] = [
        ("presign", &PRESIGN_FLAGS),
        ("verify", &VERIFY_FLAGS),
        ("explain", &EXPLAIN_FLAGS),
    ];
    for (command, flags) in per_command {
        for args in [
            vec![command, "--help"],
            vec![command, "-h"],
            vec!["help", command],
            vec![command, "s3://b/k", "--method", "put", "--help"],
        ] {
            let o = run(&args, &[]);
            assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
            assert!(stderr(&o).is_empty(), "{args:?}");
            let help = stdout(&o);
            for flag in flags {
                // A meaning beside every flag, not just its name.
                let line = help_line(&help, flag);
                assert!(line.split_whitespace().count() >= 3, "{line}");
            }
            assert!(help.contains("-h, --help"), "{help}");
        }
    }
    let top = stdout(&run(&["--help"], &[]));
    assert_eq!(top, stdout(&run(&["-h"], &[])));
    assert_eq!(top, stdout(&run(&["help"], &[])));
    for flag in PRESIGN_FLAGS
        .iter()
        .chain(&VERIFY_FLAGS)
        .chain(&EXPLAIN_FLAGS)
    {
        help_line(&top, flag);
    }
    // Defaults are shown where a flag has one.
    let presign = stdout(&run(&["presign", "--help"], &[]));
    assert!(help_line(&presign, "--method").contains("(default: GET)"));
    assert!(help_line(&presign, "--expires-in")
        .contains("(default: 900; 300 for a directory bucket with --s3express-session)"));
    assert!(help_line(&presign, "--addressing-style").contains("auto"));
    let verify = stdout(&run(&["verify", "--help"], &[]));
    assert!(help_line(&verify, "--max-skew").contains("(default: 900)"));
    assert!(help_line(&verify, "--max-expires").contains("(default: 604800)"));
}

#[test]
fn version_prints_the_package_version() {
    for flag in ["--version", "-V"] {
        let o = run(&[flag], &[]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(stdout(&o), format!("awsig {}\n", env!("CARGO_PKG_VERSION")));
    }
}

#[test]
fn unknown_flags_and_commands_name_the_nearest() {
    let url = doc_url();
    let cases: &[(&[&str], &str)] = &[
        (
            &["presign", "s3://examplebucket/k", "--expire-in", "60"],
            "awsig: unknown flag --expire-in; did you mean --expires-in?\n",
        ),
        (
            &["verify", &url, "--regoin", "us-east-1"],
            "awsig: unknown flag --regoin; did you mean --region?\n",
        ),
        (
            &["explain", &url, "--show-signing-keys"],
            "awsig: unknown flag --show-signing-keys; did you mean --show-signing-key?\n",
        ),
        (
            &["presign", "s3://examplebucket/k", "-regoin", "x"],
            "awsig: unknown flag -regoin; did you mean --region?\n",
        ),
        (
            &["verfy", &url],
            "awsig: unknown command \"verfy\"; did you mean verify?\n",
        ),
        (
            &["help", "presing"],
            "awsig: unknown command \"presing\"; did you mean presign?\n",
        ),
    ];
    for (args, expected) in cases {
        let o = run(args, &DOC_CREDS);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o), *expected, "{args:?}");
        assert!(stdout(&o).is_empty());
    }
    // A flag of another command is unknown here, and says where to look.
    let o = run(&["verify", &url, "--json"], &DOC_CREDS);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("verify --help"), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1);
}

/// A fresh HOME named for the test, holding `.aws/` files.
fn home_for(test: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("awsig-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".aws")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(".aws").join(name), text).unwrap();
    }
    dir
}

/// Runs with HOME set to `home`, plus `env`.
fn run_in(home: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = home.to_str().unwrap();
    let mut all = vec![("HOME", home)];
    all.extend_from_slice(env);
    run(args, &all)
}

/// Asserts a usage error: exit 2, one line on stderr holding every needle.
fn assert_usage(o: &Output, needles: &[&str]) -> String {
    assert_failure(o, 2, needles)
}

/// Asserts that the environment failed (a file that cannot be read, a
/// failing `credential_process`): exit 3, one line on stderr holding every
/// needle.
fn assert_environment_failure(o: &Output, needles: &[&str]) -> String {
    assert_failure(o, 3, needles)
}

/// Asserts exit `code`, one line on stderr holding every needle, and nothing
/// on stdout.
fn assert_failure(o: &Output, code: i32, needles: &[&str]) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{err}{}", stdout(o));
    assert_eq!(err.lines().count(), 1, "{err}");
    for needle in needles {
        assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    }
    assert!(stdout(o).is_empty());
    err
}

#[test]
fn a_partial_environment_pair_is_an_error_not_another_identity() {
    let home = home_for(
        "partial",
        &[(
            "credentials",
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n",
        )],
    );
    let target = ["presign", "s3://bucket/key"];
    let o = run_in(&home, &target, &[("AWS_ACCESS_KEY_ID", "AKIDENV")]);
    assert_usage(&o, &["partial credentials", "AWS_SECRET_ACCESS_KEY"]);
    let o = run_in(&home, &target, &[("AWS_SECRET_ACCESS_KEY", "s2")]);
    assert_usage(&o, &["partial credentials", "AWS_ACCESS_KEY_ID"]);
    // The same in a shared file.
    let home = home_for(
        "partial-file",
        &[("credentials", "[default]\naws_access_key_id = AKIDHALF\n")],
    );
    let o = run_in(&home, &target, &[]);
    assert_usage(&o, &["partial credentials", "aws_secret_access_key"]);
}

#[test]
fn a_named_profile_that_does_not_exist_says_so() {
    let home = home_for(
        "noprofile",
        &[(
            "credentials",
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n",
        )],
    );
    let target = ["presign", "s3://bucket/key"];
    let o = run_in(&home, &[&target[..], &["--profile", "nope"]].concat(), &[]);
    assert_usage(&o, &["profile \"nope\"", "--profile", "not found"]);
    // Named by AWS_PROFILE, even with keys in the environment (as the AWS CLI).
    let o = run_in(
        &home,
        &target,
        &[("AWS_PROFILE", "nope"), DOC_CREDS[0], DOC_CREDS[1]],
    );
    assert_usage(&o, &["profile \"nope\"", "AWS_PROFILE", "not found"]);
}

/// A `credential_process` profile printing `json` (through a file, so that
/// the INI line stays simple).
fn process_home(test: &str, json: &str, command_prefix: &str) -> PathBuf {
    let home = home_for(test, &[]);
    let doc = home.join("creds.json");
    std::fs::write(&doc, json).unwrap();
    let config = format!(
        "[profile proc]\ncredential_process = {command_prefix}cat '{}'\n",
        doc.display()
    );
    std::fs::write(home.join(".aws/config"), config).unwrap();
    home
}

#[test]
fn credential_process_runs_through_the_shell_and_reads_its_json() {
    let secret = "procSECRETprocSECRET";
    let json = format!(
        r#"{{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "{secret}", "SessionToken": "tok/en+=", "Expiration": "2013-05-24T01:00:00Z"}}"#
    );
    // `true &&` only works through a shell.
    let home = process_home("process", &json, "true && ");
    let args = |expires: &'static str| {
        vec![
            "presign",
            "s3://examplebucket/test.txt",
            "--profile",
            "proc",
            "--signing-time",
            "2013-05-24T00:00:00Z",
            "--expires-in",
            expires,
        ]
    };
    let o = run_in(&home, &args("600"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let url = stdout(&o);
    assert_eq!(credential_of(&url), "AKIDPROC");
    assert!(url.contains("X-Amz-Security-Token=tok%2Fen%2B%3D"), "{url}");
    // Expiration becomes the credentials' expiry: a URL may not outlive them.
    let o = run_in(&home, &args("7200"), &[]);
    let err = assert_usage(&o, &["expire"]);
    assert!(!err.contains(secret));
    // AWS_PROFILE finds it too.
    let mut by_env = args("600");
    by_env.drain(2..4);
    let o = run_in(&home, &by_env, &[("AWS_PROFILE", "proc")]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn credential_process_failures_are_clear_and_never_show_the_secret() {
    let secret = "procSECRETprocSECRET";
    let target = ["presign", "s3://bucket/key", "--profile", "proc"];
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "proc-version",
            r#"{"Version": 2, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procSECRETprocSECRET"}"#,
            &["credential_process", "Version"],
        ),
        (
            "proc-badjson",
            r#"{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procSECRETprocSECRET""#,
            &["credential_process", "not JSON"],
        ),
        (
            "proc-nosecret",
            r#"{"Version": 1, "AccessKeyId": "AKIDPROC"}"#,
            &["SecretAccessKey is missing"],
        ),
        (
            "proc-expiration",
            r#"{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procSECRETprocSECRET", "Expiration": "tomorrow"}"#,
            &["Expiration", "RFC 3339"],
        ),
    ];
    for (test, json, needles) in cases {
        let home = process_home(test, json, "");
        let err = assert_environment_failure(&run_in(&home, &target, &[]), needles);
        assert!(!err.contains(secret), "{err}");
    }
    // A failing command: its status and its last line of standard error.
    let home = home_for(
        "proc-exit",
        &[(
            "config",
            "[profile proc]\ncredential_process = echo '{\"SecretAccessKey\": \"procSECRETprocSECRET\"}'; echo 'token expired, run login' >&2; exit 3\n",
        )],
    );
    let err = assert_environment_failure(
        &run_in(&home, &target, &[]),
        &["exited with status 3", "token expired, run login"],
    );
    assert!(!err.contains(secret), "{err}");
}

/// Exit 3 is the environment failing, never the command line: a
/// `credential_process` that fails or cannot be found, a file that cannot
/// be read; a file that is read but holds the wrong thing stays a usage
/// error.
#[test]
fn environment_failures_exit_3_with_one_line() {
    let home = home_for(
        "environment",
        &[(
            "config",
            "[profile failing]\ncredential_process = echo 'session expired' >&2; exit 1\n\
             [profile missing]\ncredential_process = /nonexistent/credential-helper\n",
        )],
    );
    for (profile, needles) in [
        ("failing", &["exited with status 1", "session expired"][..]),
        (
            "missing",
            &["credential_process", "/nonexistent/credential-helper"],
        ),
    ] {
        for command in [
            &["presign", "s3://bucket/key"][..],
            &["verify", DOC_URL],
            &["presign-post", "s3://bucket/key"],
        ] {
            let args = [command, &["--profile", profile]].concat();
            assert_environment_failure(&run_in(&home, &args, &[]), needles);
        }
    }
    let unreadable: &[&[&str]] = &[
        &["verify", DOC_URL, "--body", "/nonexistent/body"],
        // A directory opens but does not read.
        &["verify", DOC_URL, "--body", "/"],
        &[
            "verify-post",
            "https://s3.amazonaws.com/b",
            "--fields",
            "/nonexistent.json",
        ],
        &["explain", DOC_URL, "--s3-error", "/nonexistent.xml"],
    ];
    for args in unreadable {
        let file = args[args.len() - 1];
        let o = run(args, &DOC_CREDS);
        assert_environment_failure(&o, &[args[args.len() - 2], &format!("{file:?}")]);
    }
    // Read, but not what the flag wants: a usage error.
    let not_an_object = home.join("fields.json");
    std::fs::write(&not_an_object, "[]").unwrap();
    let o = run(
        &[
            "verify-post",
            "https://s3.amazonaws.com/b",
            "--fields",
            not_an_object.to_str().unwrap(),
        ],
        &DOC_CREDS,
    );
    assert_usage(&o, &["--fields", "not a JSON object"]);
}

#[test]
fn sso_and_assume_role_profiles_name_what_is_unsupported() {
    let config = "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
        [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
        [profile legacy-sso]\nsso_start_url = https://corp.awsapps.com/start\nsso_account_id = 1\n\
        [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n\
        [profile ec2role]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Ec2InstanceMetadata\n\
        [profile web]\nrole_arn = arn:aws:iam::123456789012:role/r\nweb_identity_token_file = /tmp/token\n\
        [default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n";
    let home = home_for("unsupported", &[("config", config)]);
    for (profile, what) in [
        ("sso", "sso_session"),
        ("legacy-sso", "sso_start_url"),
        ("role", "source_profile"),
        ("ec2role", "credential_source"),
        ("web", "web_identity_token_file"),
    ] {
        let o = run_in(
            &home,
            &["presign", "s3://bucket/key", "--profile", profile],
            &[],
        );
        assert_usage(
            &o,
            &[
                what,
                "does not support",
                "credential_process",
                "aws configure export-credentials",
            ],
        );
    }
    // The environment's web identity comes before the profile's keys.
    let o = run_in(
        &home,
        &["presign", "s3://bucket/key"],
        &[
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r"),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"),
        ],
    );
    assert_usage(
        &o,
        &[
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "does not support",
            "export-credentials",
        ],
    );
}

/// The presigned URL's scheme, host and path (before `?`).
fn base_of(o: &Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    stdout(o).split('?').next().unwrap().to_string()
}

#[test]
fn nested_settings_and_services_sections_are_read_as_the_aws_cli_reads_them() {
    let config = "[default]\nregion = us-east-1\nsts =\n  endpoint_url = http://sts.example:1\n\
        [profile pathy]\ns3 =\n  addressing_style = path\n\
        [profile nested]\nendpoint_url = http://top.example:5\ns3 =\n  endpoint_url = http://nested.example:4\n\
        [profile services]\nservices = local\nendpoint_url = http://top.example:5\ns3 =\n  endpoint_url = http://nested.example:4\n\
        [profile top]\nendpoint_url = http://top.example:5\n\
        [services local]\nsts =\n  endpoint_url = http://sts.example:1\ns3 =\n  endpoint_url = http://services.example:3\n";
    let home = home_for(
        "nested",
        &[
            ("config", config),
            (
                "credentials",
                "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n",
            ),
        ],
    );
    let presign = |profile: &str, extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["presign", "s3://bucket/key"];
        args.extend_from_slice(extra);
        // AWS_PROFILE, not --profile: the environment's keys still sign.
        let mut env = env.to_vec();
        env.extend(DOC_CREDS);
        env.push(("AWS_PROFILE", profile));
        base_of(&run_in(&home, &args, &env))
    };
    // An indented endpoint_url under `sts =` is STS's, not S3's.
    assert_eq!(
        presign("default", &[], &[]),
        "https://bucket.s3.amazonaws.com/key"
    );
    assert_eq!(
        presign("pathy", &[], &[]),
        "https://s3.amazonaws.com/bucket/key"
    );
    assert_eq!(
        presign("pathy", &["--addressing-style", "virtual"], &[]),
        "https://bucket.s3.amazonaws.com/key"
    );
    // Precedence: flag, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, services
    // section, the profile's nested s3, its top-level endpoint_url.
    assert_eq!(presign("top", &[], &[]), "http://top.example:5/bucket/key");
    assert_eq!(
        presign("nested", &[], &[]),
        "http://nested.example:4/bucket/key"
    );
    assert_eq!(
        presign("services", &[], &[]),
        "http://services.example:3/bucket/key"
    );
    let global = ("AWS_ENDPOINT_URL", "http://global.example:2");
    let s3 = ("AWS_ENDPOINT_URL_S3", "http://s3env.example:1");
    assert_eq!(
        presign("services", &[], &[global]),
        "http://global.example:2/bucket/key"
    );
    assert_eq!(
        presign("services", &[], &[global, s3]),
        "http://s3env.example:1/bucket/key"
    );
    let flag = ["--endpoint-url", "http://flag.example:9"];
    assert_eq!(
        presign("services", &flag, &[global, s3]),
        "http://flag.example:9/bucket/key"
    );
    // Ignoring configured endpoints drops the environment's and the files',
    // never the flag.
    let ignore = ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    assert_eq!(
        presign("services", &[], &[global, s3, ignore]),
        "https://bucket.s3.amazonaws.com/key"
    );
    assert_eq!(
        presign("services", &flag, &[ignore]),
        "http://flag.example:9/bucket/key"
    );
    let o = run_in(
        &home,
        &["presign", "s3://bucket/key"],
        &[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "maybe")],
    );
    assert_usage(&o, &["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "maybe"]);
}

const SERVICE_URL_ARGS: [&str; 9] = [
    "presign",
    "--service",
    "execute-api",
    "--region",
    "us-east-1",
    "--signing-time",
    "2013-05-24T00:00:00Z",
    "--expires-in",
    "3600",
];

/// R2's region `auto` signs with the store's endpoint, from the flag or the
/// environment, and is refused without one (see the exit-2 cases).
#[test]
fn region_auto_signs_with_a_custom_endpoint() {
    let r2 = "https://0123456789abcdef.r2.cloudflarestorage.com";
    let mut env = DOC_CREDS.to_vec();
    env.extend([("AWS_REGION", "auto"), ("AWS_ENDPOINT_URL_S3", r2)]);
    for (args, env) in [
        (
            &[
                "presign",
                "s3://bucket/k",
                "--region",
                "auto",
                "--endpoint-url",
                r2,
            ][..],
            &DOC_CREDS[..],
        ),
        (&["presign", "s3://bucket/k"][..], &env[..]),
    ] {
        let o = run(args, env);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let url = stdout(&o);
        assert!(url.starts_with(&format!("{r2}/bucket/k?")), "{url}");
        assert!(url.contains("%2Fauto%2Fs3%2Faws4_request"), "{url}");
    }
}

/// `--addressing-style virtual` sends path-style what no host takes, as
/// `aws s3 presign` with `addressing_style = virtual` does.
#[test]
fn virtual_sends_names_no_host_takes_path_style() {
    for (bucket, endpoint, want) in [
        ("ab", None, "https://s3.amazonaws.com/ab/k?"),
        ("my.bucket", None, "https://s3.amazonaws.com/my.bucket/k?"),
        (
            "bkt",
            Some("http://127.0.0.1:9000"),
            "http://127.0.0.1:9000/bkt/k?",
        ),
    ] {
        let target = format!("s3://{bucket}/k");
        let mut args = vec!["presign", &target, "--addressing-style", "virtual"];
        if let Some(e) = endpoint {
            args.extend(["--endpoint-url", e]);
        }
        let o = run(&args, &DOC_CREDS);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).starts_with(want), "{}", stdout(&o));
    }
}

#[test]
fn presign_url_refuses_the_s3_only_flags() {
    for (flag, value) in [
        ("--version-id", "v1"),
        ("--endpoint-url", "http://127.0.0.1:9000"),
        ("--addressing-style", "path"),
    ] {
        let mut args = SERVICE_URL_ARGS.to_vec();
        args.extend(["--url", "https://h.example.com/p", flag, value]);
        assert_usage(&run(&args, &DOC_CREDS), &[flag, "s3://", "--url"]);
    }
}

#[test]
fn presign_url_encodes_a_raw_path_once_so_that_it_verifies() {
    for (path, wire) in [
        ("/a b/é", "/a%20b/%C3%A9"),
        ("/a%20b/c d", "/a%20b/c%20d"),
        ("/x+y:z", "/x%2By%3Az"),
    ] {
        let url = format!("https://h.example.com{path}?q=1");
        let mut args = SERVICE_URL_ARGS.to_vec();
        args.extend(["--url", &url]);
        let o = run(&args, &DOC_CREDS);
        assert!(o.status.success(), "{}", stderr(&o));
        let signed = stdout(&o).trim_end().to_string();
        assert!(
            signed.starts_with(&format!("https://h.example.com{wire}?")),
            "{signed}"
        );
        let o = run(
            &["verify", &signed, "--now", "2013-05-24T00:10:00Z"],
            &DOC_CREDS,
        );
        assert_eq!(o.status.code(), Some(0), "{path}: {}", stdout(&o));
    }
}

#[test]
fn method_is_upper_cased_before_signing() {
    let presign = |method: &str| {
        let mut args = DOC_ARGS.to_vec();
        args.extend(["--method", method, "--json"]);
        let o = run(&args, &DOC_CREDS);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        (v["url"].as_str().unwrap().to_string(), v["method"].clone())
    };
    let (lower, method) = presign("put");
    assert_eq!(method, "PUT");
    assert_eq!(lower, presign("PUT").0);
    let o = run(
        &[
            "verify",
            &lower,
            "--method",
            "put",
            "--now",
            "2013-05-24T00:10:00Z",
        ],
        &DOC_CREDS,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn verify_takes_the_scope_from_the_url_not_the_environment() {
    let url = doc_url();
    let now = ["--now", "2013-05-24T10:00:00Z"];
    let home = home_for(
        "verify-scope",
        &[("config", "[default]\nregion = eu-west-1\n")],
    );
    for env in [
        ("AWS_REGION", "eu-west-1"),
        ("AWS_DEFAULT_REGION", "eu-west-1"),
        // The profile's region (eu-west-1 in its config).
        ("AWS_PROFILE", "default"),
    ] {
        let o = run_in(
            &home,
            &[&["verify", url.as_str()][..], &now].concat(),
            &[env, DOC_CREDS[0], DOC_CREDS[1]],
        );
        assert_eq!(o.status.code(), Some(0), "{env:?}: {}", stdout(&o));
    }
    // Flags narrow it: region alone, service alone, both.
    for (extra, code) in [
        (&["--region", "us-east-1"][..], 0),
        (&["--region", "eu-west-1"], 1),
        (&["--service", "s3"], 0),
        (&["--region", "us-east-1", "--service", "s3"], 0),
        (&["--region", "us-east-1", "--service", "sqs"], 1),
    ] {
        let o = run(
            &[&["verify", url.as_str()][..], &now, extra].concat(),
            &DOC_CREDS,
        );
        assert_eq!(o.status.code(), Some(code), "{extra:?}: {}", stdout(&o));
    }
    // Any service's URL verifies without --service.
    let mut args = SERVICE_URL_ARGS.to_vec();
    args.extend(["--url", "https://h.example.com/"]);
    let signed = stdout(&run(&args, &DOC_CREDS)).trim_end().to_string();
    let now = ["--now", "2013-05-24T00:10:00Z"];
    let o = run(
        &[&["verify", signed.as_str()][..], &now].concat(),
        &DOC_CREDS,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(
        &[
            &["verify", signed.as_str(), "--region", "us-east-1"][..],
            &now,
        ]
        .concat(),
        &DOC_CREDS,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn verify_checks_the_headers_sent_and_the_body() {
    // A presigned PUT that signs content-type: the client must send it.
    let mut args = DOC_ARGS.to_vec();
    args.extend(["--method", "PUT", "--header", "Content-Type: text/plain"]);
    let url = stdout(&run(&args, &DOC_CREDS)).trim_end().to_string();
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            url.as_str(),
            "--method",
            "PUT",
            "--now",
            "2013-05-24T00:10:00Z",
        ];
        args.extend_from_slice(extra);
        run(&args, &DOC_CREDS)
    };
    let o = verify(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("content-type"), "{}", stdout(&o));
    let o = verify(&["--header", "Content-Type: text/plain"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = verify(&["--header", "Content-Type: text/html"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // S3 presigned URLs do not sign the body: any body verifies.
    let body = std::env::temp_dir().join(format!("awsig-cli-body-{}", std::process::id()));
    std::fs::write(&body, b"hello").unwrap();
    let o = verify(&[
        "--header",
        "Content-Type: text/plain",
        "--body",
        body.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = verify(&["--body", "/nonexistent/body"]);
    assert_environment_failure(&o, &["--body", "/nonexistent/body"]);
}

#[test]
fn verify_checks_a_header_signed_body() {
    use awsig::{Credentials, Payload, Request, Signer, SigningTime};
    let creds = Credentials::new(DOC_CREDS[0].1, DOC_CREDS[1].1).unwrap();
    let signer = Signer::new(creds, "us-east-1", "sqs").unwrap();
    let body = b"Action=ListQueues";
    let time = SigningTime::parse("2013-05-24T00:00:00Z").unwrap();
    let req =
        Request::new("POST", "sqs.us-east-1.amazonaws.com", "/").with_payload(Payload::Bytes(body));
    let auth = signer.authorize(&req, time).unwrap();
    let mut args = vec![
        "verify".to_string(),
        "https://sqs.us-east-1.amazonaws.com/".to_string(),
        "--method".into(),
        "post".into(),
        "--now".into(),
        "2013-05-24T00:01:00Z".into(),
    ];
    for (name, value) in auth.headers() {
        args.push("--header".into());
        args.push(format!("{name}: {value}"));
    }
    let dir = home_for("header-body", &[]);
    let (good, bad) = (dir.join("good"), dir.join("bad"));
    std::fs::write(&good, body).unwrap();
    std::fs::write(&bad, b"Action=DeleteQueue").unwrap();
    let with = |extra: &[&str]| {
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        all.extend_from_slice(extra);
        run(&all, &DOC_CREDS)
    };
    let o = with(&["--body", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = with(&["--body", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // Without --body the request had an empty body, which is not what was signed.
    let o = with(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn verify_passes_the_body_of_a_presigned_request() {
    // Outside S3 a presigned URL signs the body's hash (here: of no body).
    let mut args = SERVICE_URL_ARGS.to_vec();
    args.extend(["--url", "https://h.example.com/upload", "--method", "POST"]);
    let url = stdout(&run(&args, &DOC_CREDS)).trim_end().to_string();
    let dir = home_for("presigned-body", &[]);
    let (empty, data) = (dir.join("empty"), dir.join("data"));
    std::fs::write(&empty, b"").unwrap();
    std::fs::write(&data, b"not what was signed").unwrap();
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            url.as_str(),
            "--method",
            "POST",
            "--now",
            "2013-05-24T00:10:00Z",
        ];
        args.extend_from_slice(extra);
        run(&args, &DOC_CREDS)
    };
    // No --body is an empty body.
    assert_eq!(verify(&[]).status.code(), Some(0));
    assert_eq!(
        verify(&["--body", empty.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let o = verify(&["--body", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn errors_never_show_the_secret_or_token() {
    let secret = "SeCrEtVaLuE0123456789";
    let token = "ToKeNvAlUe0123456789";
    let home = home_for(
        "secrets",
        &[(
            "credentials",
            &format!(
                "[bad-id]\naws_access_key_id = AK/ID\naws_secret_access_key = {secret}\n\
                 [bad-token]\naws_access_key_id = AKID\naws_secret_access_key = {secret}\naws_session_token = {token}\x07\n"
            ),
        )],
    );
    // Extra arguments, and the environment.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let cases: &[Case<'_>] = &[
        (&["--profile", "bad-id"], &[]),
        (&["--profile", "bad-token"], &[]),
        (
            &[],
            &[
                ("AWS_ACCESS_KEY_ID", "AK ID"),
                ("AWS_SECRET_ACCESS_KEY", secret),
            ],
        ),
        (&[], &[("AWS_SECRET_ACCESS_KEY", secret)]),
        (
            &["--region", "us east"],
            &[
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", secret),
                ("AWS_SESSION_TOKEN", token),
            ],
        ),
    ];
    for (extra, env) in cases {
        let mut args = vec!["presign", "s3://bucket/key"];
        args.extend_from_slice(extra);
        let o = run_in(&home, &args, env);
        let err = assert_usage(&o, &[]);
        assert!(!err.contains(secret) && !err.contains(token), "{err}");
    }
}

/// `presign-post --json` writes what `verify-post` accepts: exit 0 for the
/// form as made, 1 for an upload the policy refuses, 2 for usage errors.
#[test]
fn presign_post_and_verify_post() {
    let dir = std::env::temp_dir().join(format!("awsig-cli-post-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let o = run(
        &[
            "presign-post",
            "s3://sigv4examplebucket/user/user1/${filename}",
            "--signing-time",
            "2015-12-29T00:00:00Z",
            "--starts-with",
            "Content-Type=image/",
            "--field",
            "Content-Type=image/jpeg",
            "--content-length-range",
            "1:1048576",
            "--json",
        ],
        &DOC_CREDS,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(out["url"], "https://sigv4examplebucket.s3.amazonaws.com/");
    assert_eq!(out["fields"]["key"], "user/user1/${filename}");
    assert_eq!(out["fields"]["x-amz-date"], "20151229T000000Z");
    let form = dir.join("form.json");
    std::fs::write(&form, stdout(&o)).unwrap();
    let form = form.to_str().unwrap();
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify-post",
            "https://sigv4examplebucket.s3.amazonaws.com/",
            "--fields",
            form,
        ];
        args.extend_from_slice(extra);
        run(&args, &DOC_CREDS)
    };
    let ok = verify(&[
        "--size",
        "10",
        "--file-name",
        "cat.jpg",
        "--now",
        "2015-12-29T00:10:00Z",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}{}", stdout(&ok), stderr(&ok));
    assert!(
        stdout(&ok).contains("\"user/user1/cat.jpg\""),
        "{}",
        stdout(&ok)
    );
    let big = verify(&["--size", "2000000", "--now", "2015-12-29T00:10:00Z"]);
    assert_eq!(big.status.code(), Some(1));
    assert!(
        stdout(&big).starts_with("invalid: the file is 2000000 bytes"),
        "{}",
        stdout(&big)
    );
    let late = verify(&["--size", "10", "--now", "2015-12-29T01:00:01Z"]);
    assert_eq!(late.status.code(), Some(1));
    assert!(
        stdout(&late).contains("policy expired"),
        "{}",
        stdout(&late)
    );
    // The flat fields object is read as well as the whole output.
    let flat = dir.join("flat.json");
    std::fs::write(&flat, out["fields"].to_string()).unwrap();
    let flat_run = run(
        &[
            "verify-post",
            "https://s3.amazonaws.com/sigv4examplebucket",
            "--fields",
            flat.to_str().unwrap(),
            "--size",
            "1",
            "--now",
            "2015-12-29T00:10:00Z",
        ],
        &DOC_CREDS,
    );
    assert_eq!(flat_run.status.code(), Some(0), "{}", stdout(&flat_run));
    // A flat object's `url` member is a field like any other (only
    // presign-post's whole output, exactly `url` and `fields`, is unwrapped).
    let mut extra = out["fields"].clone();
    extra["url"] = serde_json::Value::from("https://elsewhere/");
    let extra_file = dir.join("extra.json");
    std::fs::write(&extra_file, extra.to_string()).unwrap();
    let verify_file = |url: &str, file: &std::path::Path, more: &[&str]| {
        let mut args = vec!["verify-post", url, "--fields", file.to_str().unwrap()];
        args.extend_from_slice(&["--size", "1", "--now", "2015-12-29T00:10:00Z"]);
        args.extend_from_slice(more);
        run(&args, &DOC_CREDS)
    };
    let o = verify_file(
        "https://s3.amazonaws.com/sigv4examplebucket",
        &extra_file,
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("\"url\""), "{}", stdout(&o));
    // An address with no bucket in it takes --bucket.
    let o = verify_file("http://127.0.0.1:9000/", &flat, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--bucket"), "{}", stderr(&o));
    let o = verify_file(
        "http://127.0.0.1:9000/",
        &flat,
        &["--bucket", "sigv4examplebucket"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    for (args, want) in [
        (
            &["presign-post", "s3://b/k", "--json", "--html"][..],
            "--json or --html",
        ),
        (
            &["presign-post", "s3://b/k", "--eq", "acl"][..],
            "FIELD=VALUE",
        ),
        (
            &["presign-post", "s3://b/k", "--content-length-range", "9"][..],
            "MIN:MAX",
        ),
        (&["presign-post", "s3://b"][..], "s3://BUCKET/KEY"),
        (
            &["verify-post", "https://s3.amazonaws.com/b"][..],
            "--fields",
        ),
    ] {
        let o = run(args, &DOC_CREDS);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o).lines().count(), 1);
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The suite's v4a credentials (and its public key, which explain prints).
const V4A_CREDS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
    (
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    ),
];

#[test]
fn sigv4a_urls_presign_verify_and_explain() {
    let presign = |extra: &[&str]| {
        let mut args = vec![
            "presign",
            "--url",
            "https://example.amazonaws.com/a",
            "--service",
            "service",
            "--region",
            "us-east-1",
            "--signing-time",
            "2015-08-30T12:36:00Z",
        ];
        args.extend(extra);
        let o = run(&args, &V4A_CREDS);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).trim_end().to_string()
    };
    // The default set is the region; --region-set is trimmed and encoded.
    let url = presign(&["--sigv4a"]);
    assert!(
        url.contains("X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&"),
        "{url}"
    );
    assert!(
        url.contains("%2F20150830%2Fservice%2Faws4_request&"),
        "{url}"
    );
    assert!(url.contains("&X-Amz-Region-Set=us-east-1&"), "{url}");
    let url = presign(&["--sigv4a", "--region-set", "us-east-1, us-west-*"]);
    assert!(
        url.contains("&X-Amz-Region-Set=us-east-1%2Cus-west-%2A&"),
        "{url}"
    );

    let now = ["--now", "2015-08-30T12:40:00Z"];
    let verify = |url: &str, extra: &[&str]| {
        let mut args = vec!["verify", url];
        args.extend(now);
        args.extend(extra);
        run(&args, &V4A_CREDS)
    };
    let o = verify(&url, &["--region", "us-west-2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = verify(&url, &["--region", "eu-west-1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not accepted"), "{}", stdout(&o));
    let tampered = url.replace("/a?", "/b?");
    let o = verify(&tampered, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("signature does not match"),
        "{}",
        stdout(&o)
    );

    let explain = |url: &str| stdout(&run(&["explain", url], &V4A_CREDS));
    let shown = explain(&url);
    assert!(shown.contains("== string to sign ==\nAWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\n"), "{shown}");
    assert!(
        shown.contains(
            "public key x:       b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1"
        ),
        "{shown}"
    );
    assert!(shown.contains("signature verifies: yes"), "{shown}");
    assert!(explain(&tampered).contains("signature verifies: NO"));
}

#[test]
fn multi_region_access_points_sign_with_sigv4a() {
    let arn = "s3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap/photos/cat.jpg";
    let o = run(
        &["presign", arn, "--signing-time", "2015-08-30T12:36:00Z"],
        &V4A_CREDS,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let url = stdout(&o);
    assert!(url.starts_with("https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/cat.jpg?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&"), "{url}");
    assert!(url.contains("&X-Amz-Region-Set=%2A&"), "{url}");
    let o = run(
        &["verify", url.trim_end(), "--now", "2015-08-30T12:36:00Z"],
        &V4A_CREDS,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The ARN's `accesspoint:NAME` form, and keys that hold `accesspoint/`
    // themselves: the name ends at the first `/` after the ARN's resource type.
    for (target, path) in [
        (
            "s3://arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap/docs/accesspoint/a/b",
            "/docs/accesspoint/a/b?",
        ),
        (
            "s3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap/accesspoint/readme",
            "/accesspoint/readme?",
        ),
    ] {
        let o = run(&["presign", target], &V4A_CREDS);
        assert!(o.status.success(), "{target}: {}", stderr(&o));
        let url = stdout(&o);
        let host = "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com";
        assert!(url.starts_with(&format!("{host}{path}")), "{target}: {url}");
    }
    // A bucket takes SigV4a through --url; the flags go together.
    for (args, says) in [
        (&["presign", "s3://bucket/k", "--sigv4a"][..], "--url"),
        (
            &["presign", "s3://bucket/k", "--region-set", "*"][..],
            "--sigv4a",
        ),
        (
            &["presign", "s3://arn:aws:s3:us-east-1:1:accesspoint/x/k"][..],
            "no region",
        ),
        (
            &["presign", "s3://arn:aws:s3::1:accesspoint/x"][..],
            "no key",
        ),
    ] {
        let o = run(args, &V4A_CREDS);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
}

/// A directory bucket: IAM mode with the usual credentials (signed as
/// `s3express`), or session mode with what `aws s3api create-session`
/// printed, from a file or standard input, as botocore signs it.
#[test]
fn directory_buckets_presign_in_iam_and_session_mode() {
    let target = "s3://mybucket--use1-az4--x-s3/obj.txt";
    let base = [
        "presign",
        target,
        "--region",
        "us-east-1",
        "--signing-time",
        "2013-05-24T00:00:00Z",
    ];
    let iam = run(&base, &DOC_CREDS);
    assert!(iam.status.success(), "{}", stderr(&iam));
    let url = stdout(&iam);
    assert!(
        url.starts_with(
            "https://mybucket--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com/obj.txt?"
        ),
        "{url}"
    );
    assert!(url.contains("%2Fs3express%2Faws4_request") && url.contains("X-Amz-Expires=900"));

    // botocore's S3ExpressQueryAuth for the same session (300 s by default).
    let want = "https://mybucket--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com/obj.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3express%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=300&X-Amz-S3session-Token=EXAMPLESESSIONTOKEN&X-Amz-SignedHeaders=host&X-Amz-Signature=52b64d4fafa7ea863cc1e165f0bf83941a01ceaf407b60bbad65ccc101e818b5\n";
    let session = r#"{"Credentials": {"AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "SessionToken": "EXAMPLESESSIONTOKEN", "Expiration": "2013-05-24T00:05:00+00:00"}}"#;
    let home = home_for("s3express", &[]);
    let file = home.join("session.json");
    std::fs::write(&file, session).unwrap();
    let mut args = base.to_vec();
    args.extend(["--s3express-session", file.to_str().unwrap()]);
    // The session's own credentials sign: none from the environment needed
    // for them, but the presigner is made with the usual ones.
    let o = run(&args, &DOC_CREDS);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), want);

    let mut piped = Command::new(env!("CARGO_BIN_EXE_awsig"));
    piped.env_clear().env("HOME", "/nonexistent");
    for (k, v) in DOC_CREDS {
        piped.env(k, v);
    }
    let mut args = base.to_vec();
    args.extend(["--s3express-session", "-"]);
    let mut child = piped
        .args(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(session.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), want);

    // `verify` and `explain` read S3 Express URLs, the session token among
    // the signed parameters.
    let mut session_env = DOC_CREDS.to_vec();
    session_env.push(("AWS_SESSION_TOKEN", "EXAMPLESESSIONTOKEN"));
    let url = want.trim_end();
    let verified = run(
        &["verify", url, "--now", "2013-05-24T00:01:00Z"],
        &session_env,
    );
    assert!(
        stdout(&verified).starts_with("valid"),
        "{}",
        stderr(&verified)
    );
    let explained = run(&["explain", url], &session_env);
    let text = stdout(&explained);
    assert!(text.contains("X-Amz-S3session-Token=EXAMPLESESSIONTOKEN&X-Amz-SignedHeaders=host"));
    assert!(text.contains("match: yes"), "{text}");
    // A session past its expiry: the URL would die with it.
    let mut late = base.to_vec();
    late[5] = "2013-05-24T00:04:00Z";
    late.extend(["--s3express-session", file.to_str().unwrap()]);
    assert_usage(&run(&late, &DOC_CREDS), &["expire"]);
    // Not a session; not a directory bucket; no such file.
    std::fs::write(&file, r#"{"AccessKeyId": "A"}"#).unwrap();
    assert_usage(&run(&args_with(&base, &file), &DOC_CREDS), &["Credentials"]);
    let mut general = args_with(&base, &file);
    general[1] = "s3://examplebucket/obj.txt";
    assert_usage(&run(&general, &DOC_CREDS), &["directory bucket"]);
    let missing = home.join("missing.json");
    assert_environment_failure(
        &run(&args_with(&base, &missing), &DOC_CREDS),
        &["missing.json"],
    );
}

fn args_with<'a>(base: &[&'a str], file: &'a std::path::Path) -> Vec<&'a str> {
    let mut args = base.to_vec();
    args.extend(["--s3express-session", file.to_str().unwrap()]);
    args
}

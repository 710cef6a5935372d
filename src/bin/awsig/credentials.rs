//! The credential chain, in botocore's order: the environment (unless
//! `--profile` names a profile), then the profile's sources. Providers that
//! need AWS calls (SSO, assume-role, web identity) are refused by name, with
//! the way around them, rather than skipped for another identity.
//!
//! A source that is wrong (a partial pair, a key id with a `/`) is a usage
//! error; a `credential_process` that fails or prints something unusable is
//! the environment failing ([`Failure::Environment`]).

use crate::args::Usage;
use crate::config::{env, Config, ProfileSource, Section, Setting, SharedFile};
use crate::Failure;
use awsig::{Credentials, SigningTime};
use serde_json::Value;
use std::process::{Command, Stdio};

/// Finds the credentials, `Ok(None)` when no source holds any.
///
/// A source that is present but incomplete or broken is an error, never a
/// reason to fall through to another identity (botocore's
/// `PartialCredentialsError`).
pub(crate) fn find(config: &Config) -> Result<Option<Credentials>, Failure> {
    if config.source != ProfileSource::Flag {
        if let Some(creds) = from_environment()? {
            return Ok(Some(creds));
        }
    }
    refuse_unsupported(config)?;
    if let Some(creds) = static_keys(&config.credentials_file, config.credentials_section())? {
        return Ok(Some(creds));
    }
    if let Some(command) = config.profile_value("credential_process") {
        return credential_process(command, &config.profile).map(Some);
    }
    Ok(static_keys(&config.config_file, config.config_section())?)
}

/// Like [`find`], with "none found" as the error that says where it looked.
pub(crate) fn require(config: &Config) -> Result<Credentials, Failure> {
    find(config)?.ok_or_else(|| {
        let env_part = if config.source == ProfileSource::Flag {
            String::new()
        } else {
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then ".to_string()
        };
        Failure::Usage(format!(
            "no credentials: looked in {env_part}profile {:?} in {} and {}",
            config.profile,
            config.credentials_file.path.display(),
            config.config_file.path.display()
        ))
    })
}

/// Credentials from their parts; errors name `source` and the part, never a value.
fn build(id: &str, secret: &str, token: Option<&str>, source: &str) -> Result<Credentials, Usage> {
    let mut creds = Credentials::new(id, secret).map_err(|e| Usage(format!("{source}: {e}")))?;
    if let Some(token) = token {
        creds = creds
            .with_session_token(token)
            .map_err(|e| Usage(format!("{source}: {e}")))?;
    }
    Ok(creds)
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
fn from_environment() -> Result<Option<Credentials>, Usage> {
    match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => build(
            &id,
            &secret,
            env("AWS_SESSION_TOKEN").as_deref(),
            "environment",
        )
        .map(Some),
        (Some(_), None) => Err(Usage(
            "partial credentials: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".into(),
        )),
        (None, Some(_)) => Err(Usage(
            "partial credentials: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not".into(),
        )),
        (None, None) => Ok(None),
    }
}

/// A plain, non-empty setting of `section`.
fn value<'s>(section: &'s Section, key: &str) -> Option<&'s str> {
    match section.get(key) {
        Some(Setting::Value(v)) if !v.is_empty() => Some(v),
        _ => None,
    }
}

/// `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token` of one file.
fn static_keys(file: &SharedFile, section: Option<&Section>) -> Result<Option<Credentials>, Usage> {
    let Some(section) = section else {
        return Ok(None);
    };
    let source = file.path.display().to_string();
    match (
        value(section, "aws_access_key_id"),
        value(section, "aws_secret_access_key"),
    ) {
        (Some(id), Some(secret)) => {
            build(id, secret, value(section, "aws_session_token"), &source).map(Some)
        }
        (Some(_), None) => Err(Usage(format!(
            "partial credentials in {source}: aws_access_key_id without aws_secret_access_key"
        ))),
        (None, Some(_)) => Err(Usage(format!(
            "partial credentials in {source}: aws_secret_access_key without aws_access_key_id"
        ))),
        (None, None) => Ok(None),
    }
}

/// Profiles whose credentials come from an AWS call this tool does not make.
fn refuse_unsupported(config: &Config) -> Result<(), Usage> {
    let has = |key: &str| config.profile_value(key).is_some();
    let kind = if has("role_arn") && has("web_identity_token_file") {
        "assumes a role with a web identity token (role_arn, web_identity_token_file)"
    } else if has("role_arn") {
        if has("credential_source") {
            "assumes a role (role_arn with credential_source)"
        } else {
            "assumes a role (role_arn with source_profile)"
        }
    } else if has("sso_session") {
        "signs in through IAM Identity Center (sso_session)"
    } else if has("sso_start_url") || has("sso_account_id") || has("sso_role_name") {
        "signs in through IAM Identity Center (sso_start_url, sso_account_id)"
    } else if env("AWS_ROLE_ARN").is_some() && env("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() {
        // botocore tries the environment's web identity before the
        // profile's keys: signing with those instead would be another identity.
        return Err(Usage(
            "AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE assumes a role with a web identity token, which awsig does not support: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN from `aws configure export-credentials --format env`, or use a credential_process".into(),
        ));
    } else {
        return Ok(());
    };
    let p = &config.profile;
    Err(Usage(format!(
        "profile {p:?} {kind}, which awsig does not support: give it a credential_process, or export credentials with `aws configure export-credentials --profile {p} --format env`"
    )))
}

/// Runs a profile's `credential_process` through the shell, as the AWS CLI
/// does, and reads the credentials from its JSON output. Every failure is
/// the environment's: the process, not the command line, is at fault.
fn credential_process(command: &str, profile: &str) -> Result<Credentials, Failure> {
    let what = format!("credential_process of profile {profile:?}");
    let output = shell(command)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| Failure::Environment(format!("{what} could not start: {e}")))?;
    if !output.status.success() {
        // Its standard error says why; standard output may hold secrets.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty())
            .map(|l| {
                let l: String = l.chars().filter(|c| !c.is_control()).take(200).collect();
                format!(": {l}")
            })
            .unwrap_or_default();
        let status = match output.status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "was killed by a signal".to_string(),
        };
        return Err(Failure::Environment(format!("{what} {status}{reason}")));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| Failure::Environment(format!("{what} printed output that is not UTF-8")))?;
    process_credentials(&text).map_err(|reason| Failure::Environment(format!("{what}: {reason}")))
}

/// `sh -c COMMAND`, as the AWS CLI runs `credential_process` on Unix.
#[cfg(unix)]
fn shell(command: &str) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c").arg(command);
    c
}

/// `cmd /C COMMAND` elsewhere.
#[cfg(not(unix))]
fn shell(command: &str) -> Command {
    let mut c = Command::new("cmd");
    c.arg("/C").arg(command);
    c
}

/// The credentials in a `credential_process` document: `Version` 1,
/// `AccessKeyId`, `SecretAccessKey`, optional `SessionToken` and
/// `Expiration`. Errors name fields, never their values.
pub(crate) fn process_credentials(text: &str) -> Result<Credentials, String> {
    // serde_json's errors say where, never what: no value is echoed.
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("output is not JSON ({e})"))?;
    let Value::Object(fields) = doc else {
        return Err("output is not a JSON object".into());
    };
    match fields.get("Version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) && n.to_string() == "1" => {}
        Some(_) => return Err("Version is not 1 (the only version the AWS CLI reads)".into()),
        None => return Err("Version is missing".into()),
    }
    credentials_in(&fields)
}

/// The session credentials `aws s3api create-session --bucket B` prints:
/// `{"Credentials": {"AccessKeyId", "SecretAccessKey", "SessionToken",
/// "Expiration"}}`, the token required. Errors name fields, never their
/// values.
pub(crate) fn s3express_session(text: &str) -> Result<Credentials, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("it is not JSON ({e})"))?;
    let Some(Value::Object(fields)) = doc.get("Credentials") else {
        return Err("it has no Credentials object (aws s3api create-session prints one)".into());
    };
    if !fields.contains_key("SessionToken") {
        return Err("Credentials has no SessionToken".into());
    }
    credentials_in(fields)
}

/// `AccessKeyId`, `SecretAccessKey`, optional `SessionToken` and
/// `Expiration`, as the AWS CLI's JSON documents write them.
fn credentials_in(fields: &serde_json::Map<String, Value>) -> Result<Credentials, String> {
    let string = |name: &str| -> Result<Option<&str>, String> {
        match fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("{name} is not a string")),
        }
    };
    let id = string("AccessKeyId")?.ok_or("AccessKeyId is missing")?;
    let secret = string("SecretAccessKey")?.ok_or("SecretAccessKey is missing")?;
    let mut creds = Credentials::new(id, secret).map_err(|e| e.to_string())?;
    if let Some(token) = string("SessionToken")? {
        creds = creds.with_session_token(token).map_err(|e| e.to_string())?;
    }
    if let Some(expiration) = string("Expiration")? {
        let at = rfc3339_unix_seconds(expiration)
            .and_then(|s| SigningTime::from_unix_seconds(s).ok())
            .ok_or("Expiration is not an RFC 3339 time")?;
        creds = creds.with_expiry(at);
    }
    Ok(creds)
}

/// Seconds since the epoch of an RFC 3339 time (`2024-01-02T03:04:05Z`,
/// fractional seconds and a `±HH:MM` offset allowed), read by `time`.
/// Fractional seconds are dropped: the credentials are then taken to expire
/// a moment early, never late.
fn rfc3339_unix_seconds(text: &str) -> Option<i64> {
    let at = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339);
    at.ok().map(time::OffsetDateTime::unix_timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_times() {
        assert_eq!(
            rfc3339_unix_seconds("2013-05-24T00:00:00Z"),
            Some(1_369_353_600)
        );
        assert_eq!(
            rfc3339_unix_seconds("2013-05-24T02:00:00.123+02:00"),
            Some(1_369_353_600)
        );
        assert_eq!(
            rfc3339_unix_seconds("1970-01-01T00:00:00-00:30"),
            Some(1800)
        );
        assert_eq!(
            rfc3339_unix_seconds("2024-02-29T00:00:00Z"),
            Some(1_709_164_800)
        );
        for bad in [
            "",
            "2013-05-24",
            "2013-05-24T00:00:00",
            "2023-02-29T00:00:00Z",
            "2013-13-01T00:00:00Z",
            "2013-05-24T00:00:00.Z",
            "2013-05-24T00:00:00+0200",
            "2013-05-24T24:00:00Z",
            "２013-05-24T00:00:00Z",
            "2013-05-24T00:00:00Zjunk",
        ] {
            assert_eq!(rfc3339_unix_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn process_output_errors_never_show_values() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        for doc in [
            format!(r#"{{"Version": 2, "AccessKeyId": "AKID", "SecretAccessKey": "{secret}"}}"#),
            format!(r#"{{"Version": 1, "AccessKeyId": "AK/ID", "SecretAccessKey": "{secret}"}}"#),
            format!(r#"{{"Version": 1, "SecretAccessKey": "{secret}"}}"#),
            format!(
                r#"{{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "{secret}", "Expiration": "{secret}"}}"#
            ),
            format!(r#"{{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "{secret}""#),
        ] {
            let err = process_credentials(&doc).unwrap_err();
            assert!(!err.contains(secret) && !err.contains("AKID"), "{err}");
        }
    }
}

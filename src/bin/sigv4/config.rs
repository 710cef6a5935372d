//! Credentials and settings found the way the AWS CLI finds them: flags, then
//! environment variables, then the profile in the shared files.

use crate::args::Usage;
use sigv4::Credentials;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A profile's keys from one shared file.
type Section = BTreeMap<String, String>;

/// Reads `[section]` blocks of an INI-style AWS file. A missing file is empty.
fn read_sections(path: &PathBuf) -> BTreeMap<String, Section> {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return sections;
    };
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(name.trim().to_string());
            continue;
        }
        if let (Some(section), Some((key, value))) = (&current, line.split_once('=')) {
            sections
                .entry(section.clone())
                .or_default()
                .insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    sections
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn home_file(var: &str, rel: &str) -> PathBuf {
    if let Some(p) = env(var) {
        return PathBuf::from(p);
    }
    let home = env("HOME").unwrap_or_else(|| ".".into());
    PathBuf::from(home).join(rel)
}

/// The profile, credentials file and config file in force.
pub struct Config {
    profile: String,
    profile_from_flag: bool,
    credentials_path: PathBuf,
    config_path: PathBuf,
    credentials_file: BTreeMap<String, Section>,
    config_file: BTreeMap<String, Section>,
}

impl Config {
    pub fn load(profile_flag: Option<&str>) -> Config {
        let credentials_path = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
        let config_path = home_file("AWS_CONFIG_FILE", ".aws/config");
        Config {
            profile: profile_flag
                .map(str::to_string)
                .or_else(|| env("AWS_PROFILE"))
                .unwrap_or_else(|| "default".into()),
            profile_from_flag: profile_flag.is_some(),
            credentials_file: read_sections(&credentials_path),
            config_file: read_sections(&config_path),
            credentials_path,
            config_path,
        }
    }

    /// A key of the profile: the credentials file first, then `[profile NAME]`
    /// (or `[default]`) in the config file.
    fn profile_value(&self, key: &str) -> Option<String> {
        let config_section = if self.profile == "default" {
            "default".to_string()
        } else {
            format!("profile {}", self.profile)
        };
        self.credentials_file
            .get(&self.profile)
            .and_then(|s| s.get(key))
            .or_else(|| {
                self.config_file
                    .get(&config_section)
                    .and_then(|s| s.get(key))
            })
            .filter(|v| !v.is_empty())
            .cloned()
    }

    /// Credentials: `--profile` wins, then the environment, then the profile.
    pub fn credentials(&self) -> Result<Credentials, Usage> {
        let from_env = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"));
        let (id, secret, token) = match from_env {
            (Some(id), Some(secret)) if !self.profile_from_flag => {
                (id, secret, env("AWS_SESSION_TOKEN"))
            }
            _ => {
                let id = self.profile_value("aws_access_key_id");
                let secret = self.profile_value("aws_secret_access_key");
                match (id, secret) {
                    (Some(id), Some(secret)) => {
                        (id, secret, self.profile_value("aws_session_token"))
                    }
                    _ => {
                        return Err(Usage(format!(
                            "no credentials: looked in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then profile {:?} in {} and {}",
                            self.profile,
                            self.credentials_path.display(),
                            self.config_path.display()
                        )))
                    }
                }
            }
        };
        let mut creds = Credentials::new(&id, &secret)?;
        if let Some(token) = token {
            creds = creds.with_session_token(&token)?;
        }
        Ok(creds)
    }

    /// `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    pub fn region(&self, flag: Option<&str>) -> Option<String> {
        flag.map(str::to_string)
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .or_else(|| self.profile_value("region"))
    }

    /// `--endpoint-url`, `AWS_ENDPOINT_URL_S3` (for S3), `AWS_ENDPOINT_URL`,
    /// then the profile's `endpoint_url`.
    pub fn endpoint(&self, flag: Option<&str>, s3: bool) -> Option<String> {
        flag.map(str::to_string)
            .or_else(|| if s3 { env("AWS_ENDPOINT_URL_S3") } else { None })
            .or_else(|| env("AWS_ENDPOINT_URL"))
            .or_else(|| self.profile_value("endpoint_url"))
    }
}

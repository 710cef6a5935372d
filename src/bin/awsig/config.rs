//! Settings found the way the AWS CLI finds them: flags, then environment
//! variables, then the profile in the shared `credentials` and `config`
//! files (read as botocore reads them, nested `s3 =` blocks and
//! `[services NAME]` sections included).

use crate::args::Usage;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One setting of a section: `key = value`, or `key =` followed by indented
/// `sub_key = value` lines (botocore's nested form, as in `s3 =`).
///
/// Its `Debug` shows no values: a section may hold a secret access key.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Setting {
    /// A plain value.
    Value(String),
    /// The indented settings under an empty key.
    Nested(BTreeMap<String, String>),
}

impl std::fmt::Debug for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Setting::Value(v) => write!(f, "Value(<{} bytes>)", v.len()),
            Setting::Nested(map) => f.debug_set().entries(map.keys()).finish(),
        }
    }
}

/// A section's settings, keys lower-cased as botocore's parser does.
pub(crate) type Section = BTreeMap<String, Setting>;

/// Parses the INI form of the shared files. Unparseable lines are skipped,
/// as botocore skips them rather than refusing the file.
pub(crate) fn parse_sections(text: &str) -> BTreeMap<String, Section> {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let mut current: Option<String> = None;
    // The key whose indented lines are being read, if the last key was empty.
    let mut open_key: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(name.trim().to_string());
            sections.entry(name.trim().to_string()).or_default();
            open_key = None;
            continue;
        }
        let (Some(section), Some((key, value))) = (&current, line.split_once('=')) else {
            continue;
        };
        let (key, value) = (key.trim().to_ascii_lowercase(), value.trim().to_string());
        let settings = sections.entry(section.clone()).or_default();
        if indented {
            // An indented line belongs to the key above it: it must never
            // become a top-level setting (an `sts =` block's endpoint_url
            // is not the profile's).
            if let Some(Setting::Nested(nested)) =
                open_key.as_ref().and_then(|k| settings.get_mut(k))
            {
                nested.insert(key, value);
            }
            continue;
        }
        if value.is_empty() {
            settings.insert(key.clone(), Setting::Nested(BTreeMap::new()));
            open_key = Some(key);
        } else {
            settings.insert(key, Setting::Value(value));
            open_key = None;
        }
    }
    sections
}

/// A variable of the environment; an empty one counts as unset, as in botocore.
pub(crate) fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The path in `var`, else `rel` under `HOME`.
fn home_file(var: &str, rel: &str) -> PathBuf {
    if let Some(p) = env(var) {
        return PathBuf::from(p);
    }
    let home = env("HOME").unwrap_or_else(|| ".".into());
    PathBuf::from(home).join(rel)
}

/// The sections of the file at `path`; a missing or unreadable file is an
/// empty one, as for the AWS CLI.
fn read_sections(path: &Path) -> BTreeMap<String, Section> {
    std::fs::read_to_string(path)
        .map(|text| parse_sections(&text))
        .unwrap_or_default()
}

/// Where the profile's name came from: it decides whether the environment's
/// keys are consulted and whether a missing profile is an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProfileSource {
    /// `--profile`: the environment's keys are skipped, as the AWS CLI does.
    Flag,
    /// `AWS_PROFILE`.
    Environment,
    /// Neither: the `default` profile, which may be absent.
    Default,
}

/// One shared file: where it is and what it holds (its `Debug` shows no
/// values, see [`Setting`]).
#[derive(Debug)]
pub(crate) struct SharedFile {
    /// Its path, for messages.
    pub path: PathBuf,
    /// Its sections by name.
    pub sections: BTreeMap<String, Section>,
}

/// The profile in force and the two shared files.
#[derive(Debug)]
pub(crate) struct Config {
    /// The profile's name.
    pub profile: String,
    /// How it was chosen.
    pub source: ProfileSource,
    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    pub credentials_file: SharedFile,
    /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
    pub config_file: SharedFile,
}

impl Config {
    /// Reads the shared files; a profile named by `--profile` or
    /// `AWS_PROFILE` must exist in one of them.
    pub(crate) fn load(profile_flag: Option<&str>) -> Result<Config, Usage> {
        let (profile, source) = match (profile_flag, env("AWS_PROFILE")) {
            (Some(p), _) => (p.to_string(), ProfileSource::Flag),
            (None, Some(p)) => (p, ProfileSource::Environment),
            (None, None) => ("default".to_string(), ProfileSource::Default),
        };
        let credentials_path = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
        let config_path = home_file("AWS_CONFIG_FILE", ".aws/config");
        let config = Config {
            profile,
            source,
            credentials_file: SharedFile {
                sections: read_sections(&credentials_path),
                path: credentials_path,
            },
            config_file: SharedFile {
                sections: read_sections(&config_path),
                path: config_path,
            },
        };
        let named = config.source != ProfileSource::Default;
        if named && config.credentials_section().is_none() && config.config_section().is_none() {
            let via = match config.source {
                ProfileSource::Flag => "--profile",
                _ => "AWS_PROFILE",
            };
            return Err(Usage(format!(
                "profile {:?} ({via}) not found: no [{}] in {} and no [profile {}] in {}",
                config.profile,
                config.profile,
                config.credentials_file.path.display(),
                config.profile,
                config.config_file.path.display()
            )));
        }
        Ok(config)
    }

    /// `[NAME]` in the credentials file.
    pub(crate) fn credentials_section(&self) -> Option<&Section> {
        self.credentials_file.sections.get(&self.profile)
    }

    /// `[profile NAME]` in the config file (`[default]` too for the default).
    pub(crate) fn config_section(&self) -> Option<&Section> {
        let sections = &self.config_file.sections;
        let prefixed = sections.get(&format!("profile {}", self.profile));
        if self.profile == "default" {
            prefixed.or_else(|| sections.get("default"))
        } else {
            prefixed
        }
    }

    /// A top-level setting of the profile: the credentials file wins over
    /// the config file, as botocore merges them.
    pub(crate) fn profile_value(&self, key: &str) -> Option<&str> {
        [self.credentials_section(), self.config_section()]
            .into_iter()
            .flatten()
            .find_map(|s| match s.get(key) {
                Some(Setting::Value(v)) if !v.is_empty() => Some(v.as_str()),
                _ => None,
            })
    }

    /// A nested setting of the profile (`s3 =` then `addressing_style = …`).
    fn profile_nested(&self, key: &str, sub_key: &str) -> Option<&str> {
        [self.credentials_section(), self.config_section()]
            .into_iter()
            .flatten()
            .find_map(|s| nested(s, key, sub_key))
    }

    /// `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    pub(crate) fn region(&self, flag: Option<&str>) -> Option<String> {
        flag.map(str::to_string)
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .or_else(|| self.profile_value("region").map(str::to_string))
    }

    /// The profile's `s3 = addressing_style`, if set.
    pub(crate) fn s3_addressing_style(&self) -> Option<&str> {
        self.profile_nested("s3", "addressing_style")
    }

    /// Whether configured endpoints are ignored: `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`,
    /// else the profile's `ignore_configured_endpoint_urls`.
    fn ignore_configured_endpoints(&self) -> Result<bool, Usage> {
        let (value, from) = match env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
            Some(v) => (v, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"),
            None => match self.profile_value("ignore_configured_endpoint_urls") {
                Some(v) => (v.to_string(), "ignore_configured_endpoint_urls"),
                None => return Ok(false),
            },
        };
        match value.to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(Usage(format!("{from} {value:?} is not true or false"))),
        }
    }

    /// The S3 endpoint, in the AWS CLI's order: `--endpoint-url`, then
    /// (unless configured endpoints are ignored) `AWS_ENDPOINT_URL_S3`,
    /// `AWS_ENDPOINT_URL`, `s3 = endpoint_url` in the profile's
    /// `[services NAME]` section, the profile's own nested `s3 =
    /// endpoint_url`, and the profile's top-level `endpoint_url`.
    pub(crate) fn s3_endpoint(&self, flag: Option<&str>) -> Result<Option<String>, Usage> {
        if let Some(flag) = flag {
            return Ok(Some(flag.to_string()));
        }
        if self.ignore_configured_endpoints()? {
            return Ok(None);
        }
        let services = self
            .profile_value("services")
            .and_then(|name| self.config_file.sections.get(&format!("services {name}")))
            .and_then(|s| nested(s, "s3", "endpoint_url"))
            .map(str::to_string);
        Ok(env("AWS_ENDPOINT_URL_S3")
            .or_else(|| env("AWS_ENDPOINT_URL"))
            .or(services)
            .or_else(|| {
                self.profile_nested("s3", "endpoint_url")
                    .map(str::to_string)
            })
            .or_else(|| self.profile_value("endpoint_url").map(str::to_string)))
    }
}

/// `key =` then indented `sub_key = value` in `section`, if set and non-empty.
fn nested<'s>(section: &'s Section, key: &str, sub_key: &str) -> Option<&'s str> {
    match section.get(key) {
        Some(Setting::Nested(map)) => map
            .get(sub_key)
            .map(String::as_str)
            .filter(|v| !v.is_empty()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_lines_belong_to_the_key_above() {
        let s = parse_sections(
            "[profile p]\nregion = eu-west-1\nsts =\n  endpoint_url = http://sts\ns3 =\n\taddressing_style = path\n  endpoint_url = http://s3\nendpoint_url = http://top\n  stray = x\n",
        );
        let p = &s["profile p"];
        assert_eq!(p["region"], Setting::Value("eu-west-1".into()));
        assert_eq!(p["endpoint_url"], Setting::Value("http://top".into()));
        assert_eq!(nested(p, "sts", "endpoint_url"), Some("http://sts"));
        assert_eq!(nested(p, "s3", "addressing_style"), Some("path"));
        assert_eq!(nested(p, "s3", "endpoint_url"), Some("http://s3"));
        assert!(!p.contains_key("stray"));
    }
}

//! A small command-line parser: `--flag value`, `--flag=value`, repeatable
//! flags, switches and positionals. Hand-written so the tool adds no crates.

use std::collections::BTreeMap;

/// A usage error: exit 2 with this one line.
#[derive(Debug)]
pub struct Usage(pub String);

impl<E: std::fmt::Display> From<E> for Usage {
    fn from(e: E) -> Self {
        Usage(e.to_string())
    }
}

/// Parsed arguments of one subcommand.
#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<&'static str, Vec<String>>,
    switches: Vec<&'static str>,
    pub positionals: Vec<String>,
}

/// What a subcommand accepts: flags that take a value, and switches.
pub struct Spec {
    pub flags: &'static [&'static str],
    pub switches: &'static [&'static str],
}

impl Args {
    pub fn parse(spec: &Spec, raw: impl IntoIterator<Item = String>) -> Result<Args, Usage> {
        let mut args = Args::default();
        let mut raw = raw.into_iter();
        while let Some(arg) = raw.next() {
            let Some(flag) = arg.strip_prefix("--") else {
                args.positionals.push(arg);
                continue;
            };
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            if let Some(known) = spec.switches.iter().find(|s| **s == name) {
                if inline.is_some() {
                    return Err(Usage(format!("--{name} takes no value")));
                }
                args.switches.push(known);
            } else if let Some(known) = spec.flags.iter().find(|f| **f == name) {
                let value = match inline {
                    Some(v) => v,
                    None => raw
                        .next()
                        .ok_or_else(|| Usage(format!("--{name} needs a value")))?,
                };
                args.values.entry(known).or_default().push(value);
            } else {
                return Err(Usage(format!("unknown flag --{name}")));
            }
        }
        Ok(args)
    }

    /// The value of a flag given at most once.
    pub fn one(&self, name: &str) -> Result<Option<&str>, Usage> {
        match self.values.get(name).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([v]) => Ok(Some(v)),
            Some(_) => Err(Usage(format!("--{name} given more than once"))),
        }
    }

    /// Every value of a repeatable flag.
    pub fn all(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn switch(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }
}

/// `Name: value` → (`Name`, `value`), the value's leading blanks dropped.
pub fn parse_header(text: &str) -> Result<(String, String), Usage> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| Usage(format!("--header {text:?} is not 'Name: value'")))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Usage(format!("--header {text:?} has no name")));
    }
    Ok((
        name.to_string(),
        value.trim_start_matches([' ', '\t']).to_string(),
    ))
}

/// `name=value` → (`name`, `value`); a bare `name` has an empty value.
pub fn parse_query(text: &str) -> (String, String) {
    let (name, value) = text.split_once('=').unwrap_or((text, ""));
    (name.to_string(), value.to_string())
}

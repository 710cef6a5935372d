//! The command-line grammar: each command is a table of [`Flag`]s whose name,
//! value, default and meaning sit together, so that parsing, `--help` and the
//! "did you mean" hint all read the same entry. Hand-written so that the tool
//! adds no crates.

use std::fmt::Write as _;

/// A usage error: exit 2 with this one line.
#[derive(Debug)]
pub(crate) struct Usage(pub String);

impl<E: std::fmt::Display> From<E> for Usage {
    fn from(e: E) -> Self {
        Usage(e.to_string())
    }
}

/// What a flag takes after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Takes {
    /// Nothing: the flag is a switch.
    Nothing,
    /// One value, named so in help (`--region REGION`); given at most once.
    One(&'static str),
    /// One value per occurrence; the flag may be repeated.
    Repeated(&'static str),
}

/// One flag: everything the parser and the help text know about it.
#[derive(Debug)]
pub(crate) struct Flag {
    /// The name after `--`.
    pub name: &'static str,
    /// Whether and how it takes a value.
    pub takes: Takes,
    /// What help shows as the default, if the flag has one.
    pub default: Option<&'static str>,
    /// What it means, in one line.
    pub help: &'static str,
}

/// A command: its name, how it is called, and its flags.
#[derive(Debug)]
pub(crate) struct Command {
    /// The word after `awsig`.
    pub name: &'static str,
    /// What it does, in one line.
    pub about: &'static str,
    /// Its positional forms, each shown after `awsig NAME`.
    pub forms: &'static [&'static str],
    /// Every flag it accepts.
    pub flags: &'static [&'static Flag],
}

/// `-h` / `--help`, accepted by every command (not in its table: it is not
/// an input to the command).
const HELP_LINE: (&str, &str) = ("-h, --help", "print this help and exit");

impl Command {
    /// The command's help: its forms, then every flag with its meaning and
    /// default, aligned.
    pub(crate) fn help(&self) -> String {
        let mut out = format!("awsig {}: {}\n\nusage:", self.name, self.about);
        for (i, form) in self.forms.iter().enumerate() {
            let lead = if i == 0 { " " } else { "       " };
            let _ = writeln!(out, "{lead}awsig {} {form} [flags]", self.name);
        }
        out.push_str("\nflags:\n");
        let left: Vec<String> = self
            .flags
            .iter()
            .map(|f| match f.takes {
                Takes::Nothing => format!("--{}", f.name),
                Takes::One(v) => format!("--{} {v}", f.name),
                Takes::Repeated(v) => format!("--{} {v}...", f.name),
            })
            .collect();
        let width = left
            .iter()
            .map(String::len)
            .chain([HELP_LINE.0.len()])
            .max()
            .unwrap_or(0);
        for (flag, left) in self.flags.iter().zip(&left) {
            let _ = write!(out, "  {left:width$}  {}", flag.help);
            if let Some(default) = flag.default {
                let _ = write!(out, " (default: {default})");
            }
            out.push('\n');
        }
        let _ = writeln!(out, "  {:width$}  {}", HELP_LINE.0, HELP_LINE.1);
        out
    }

    /// The flag of this command called `name`.
    fn find(&self, name: &str) -> Option<&'static Flag> {
        self.flags.iter().copied().find(|f| f.name == name)
    }

    /// The error for a flag given as `typed` (dashes included), naming the
    /// closest known flag when one is close.
    fn unknown(&self, typed: &str) -> Usage {
        let name = typed.trim_start_matches('-');
        match nearest(name, self.flags.iter().map(|f| f.name)) {
            Some(n) => Usage(format!("unknown flag {typed}; did you mean --{n}?")),
            None => Usage(format!(
                "unknown flag {typed} for {}; `awsig {} --help` lists its flags",
                self.name, self.name
            )),
        }
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a likely typo (at most a third of the word, and at least 1 or 2 edits).
pub(crate) fn nearest<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters, one row at a time.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// What a command line holds once parsed against a [`Command`]. No `Debug`:
/// a `--header` value may be a session token.
#[derive(Default)]
pub(crate) struct Args {
    values: Vec<(&'static str, String)>,
    switches: Vec<&'static str>,
    /// Arguments that are not flags or their values, in order.
    pub positionals: Vec<String>,
}

/// A parsed command line, or a request for the command's help.
pub(crate) enum Parsed {
    /// Run the command with these arguments.
    Run(Args),
    /// `-h` or `--help` was given: print the help, run nothing.
    Help,
}

impl Args {
    /// Parses `--flag value`, `--flag=value`, switches and positionals; `--`
    /// ends the flags.
    pub(crate) fn parse(
        command: &Command,
        raw: impl IntoIterator<Item = String>,
    ) -> Result<Parsed, Usage> {
        let mut args = Args::default();
        let mut raw = raw.into_iter();
        while let Some(arg) = raw.next() {
            if arg == "--" {
                args.positionals.extend(raw);
                break;
            }
            if arg == "-h" || arg == "--help" {
                return Ok(Parsed::Help);
            }
            let Some(flag) = arg.strip_prefix("--") else {
                // A lone `-x` is a mistyped flag, never a target or URL.
                if arg.len() > 1 && arg.starts_with('-') {
                    return Err(command.unknown(&arg));
                }
                args.positionals.push(arg);
                continue;
            };
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            let known = command
                .find(name)
                .ok_or_else(|| command.unknown(&format!("--{name}")))?;
            if known.takes == Takes::Nothing {
                if inline.is_some() {
                    return Err(Usage(format!("--{name} takes no value")));
                }
                args.switches.push(known.name);
                continue;
            }
            let value = match inline {
                Some(v) => v,
                None => raw.next().ok_or_else(|| match known.takes {
                    Takes::One(v) | Takes::Repeated(v) => {
                        Usage(format!("--{name} needs a value ({v})"))
                    }
                    Takes::Nothing => Usage(format!("--{name} takes no value")),
                })?,
            };
            if matches!(known.takes, Takes::One(_))
                && args.values.iter().any(|(n, _)| *n == known.name)
            {
                return Err(Usage(format!("--{name} given more than once")));
            }
            args.values.push((known.name, value));
        }
        Ok(Parsed::Run(args))
    }

    /// The value of a flag taken at most once.
    pub(crate) fn one(&self, flag: &Flag) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| *n == flag.name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable flag, in order.
    pub(crate) fn all(&self, flag: &Flag) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(n, _)| *n == flag.name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a switch was given.
    pub(crate) fn switch(&self, flag: &Flag) -> bool {
        self.switches.contains(&flag.name)
    }

    /// Whether a flag of any kind was given.
    pub(crate) fn given(&self, flag: &Flag) -> bool {
        self.switch(flag) || self.one(flag).is_some()
    }
}

/// `Name: value` → (`Name`, `value`), the value's leading blanks dropped.
pub(crate) fn parse_header(text: &str) -> Result<(String, String), Usage> {
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
pub(crate) fn parse_query(text: &str) -> (String, String) {
    let (name, value) = text.split_once('=').unwrap_or((text, ""));
    (name.to_string(), value.to_string())
}

/// A whole number of seconds, or the error naming the flag.
pub(crate) fn seconds(flag: &Flag, text: &str) -> Result<u64, Usage> {
    text.parse().map_err(|_| {
        Usage(format!(
            "--{} {text:?} is not a whole number of seconds",
            flag.name
        ))
    })
}

/// Pairs as the library takes them, borrowed from owned pairs.
pub(crate) fn borrowed(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_single_edits() {
        assert_eq!(edit_distance("expire-in", "expires-in"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            nearest("regoin", ["region", "header"].into_iter()),
            Some("region")
        );
        assert_eq!(nearest("zzzzzz", ["region", "header"].into_iter()), None);
    }
}

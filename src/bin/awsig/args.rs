//! The command-line grammar: each command is a table of [`Flag`]s whose name,
//! value, default and meaning sit together, so that parsing, `--help` and the
//! "did you mean" hint all read the same entry. lexopt splits the command
//! line; [`parse`] checks each flag against the table and hands it to the
//! command's own typed arguments ([`CommandArgs`]).

use awsig::SigningTime;
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
///
/// `PartialEq` and `Eq` let a command's `take` match on its flags' constants.
#[derive(Debug, PartialEq, Eq)]
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

/// A command's arguments, one typed field per flag, filled in as [`parse`]
/// reads the command line: each value is converted once, by `take`, into
/// the field it is read from. No `Debug` on the implementors: a `--header`
/// value may be a session token.
pub(crate) trait CommandArgs: Default {
    /// The command's table, which decides what `take` is handed.
    const COMMAND: &'static Command;

    /// Takes one flag of [`Self::COMMAND`]'s table: its value, or `None` for
    /// a switch.
    fn take(&mut self, flag: &'static Flag, value: Option<String>) -> Result<(), Usage>;

    /// Takes one argument that is not a flag or a flag's value.
    fn positional(&mut self, arg: String) -> Result<(), Usage>;
}

/// A parsed command line, or a request for the command's help.
pub(crate) enum Parsed<A> {
    /// Run the command with these arguments.
    Run(A),
    /// `-h` or `--help` was given: print the help, run nothing.
    Help,
}

/// Parses a command's arguments (`argv` after the command's name) against
/// its table: `--flag value`, `--flag=value`, switches and positionals; `--`
/// ends the flags.
///
/// A flag the command does not know, a missing value or a repeated
/// single-valued flag stops the parse at once. A value that does not
/// convert is reported only once the whole line is read, so that a
/// `--help` anywhere still prints the help and an unknown flag anywhere is
/// named first.
pub(crate) fn parse<A: CommandArgs>(argv: Vec<String>) -> Result<Parsed<A>, Usage> {
    let command = A::COMMAND;
    let mut parser = lexopt::Parser::from_args(argv);
    // `-r=x` stays one unknown flag named as typed, not `-r` with a value.
    parser.set_short_equals(false);
    let mut args = A::default();
    let mut single_valued_seen: Vec<&'static str> = Vec::new();
    let mut first_bad_value: Option<Usage> = None;
    while let Some(arg) = parser.next()? {
        let taken = match arg {
            lexopt::Arg::Value(value) => args.positional(utf8(value)?),
            // `-h` is the only one-letter flag. Any other `-x...` is a
            // mistyped flag (`-regoin`), never a target or URL, and is named
            // as typed: its letter and the rest of its word.
            lexopt::Arg::Short(letter) => {
                let rest = parser.optional_value().map(utf8).transpose()?;
                return match (letter, rest) {
                    ('h', None) => Ok(Parsed::Help),
                    (letter, rest) => {
                        Err(command.unknown(&format!("-{letter}{}", rest.unwrap_or_default())))
                    }
                };
            }
            lexopt::Arg::Long("help") => {
                if parser.optional_value().is_some() {
                    return Err(Usage("--help takes no value".into()));
                }
                return Ok(Parsed::Help);
            }
            lexopt::Arg::Long(name) => {
                let flag = command
                    .find(name)
                    .ok_or_else(|| command.unknown(&format!("--{name}")))?;
                let value = match flag.takes {
                    Takes::Nothing => match parser.optional_value() {
                        Some(_) => return Err(Usage(format!("--{} takes no value", flag.name))),
                        None => None,
                    },
                    Takes::One(shown) | Takes::Repeated(shown) => {
                        // lexopt takes the next argument whatever it looks
                        // like (`--max-skew -5`); only the end of the line
                        // leaves a flag without its value.
                        let value = parser.value().map_err(|_| {
                            Usage(format!("--{} needs a value ({shown})", flag.name))
                        })?;
                        Some(utf8(value)?)
                    }
                };
                if let Takes::One(_) = flag.takes {
                    if single_valued_seen.contains(&flag.name) {
                        return Err(Usage(format!("--{} given more than once", flag.name)));
                    }
                    single_valued_seen.push(flag.name);
                }
                args.take(flag, value)
            }
        };
        if let Err(bad_value) = taken {
            first_bad_value.get_or_insert(bad_value);
        }
    }
    match first_bad_value {
        Some(bad_value) => Err(bad_value),
        None => Ok(Parsed::Run(args)),
    }
}

/// An argument as text. `main` has already refused arguments that are not
/// UTF-8, so this only keeps that promise without a panic.
fn utf8(arg: std::ffi::OsString) -> Result<String, Usage> {
    arg.into_string()
        .map_err(|arg| Usage(format!("argument {arg:?} is not valid UTF-8")))
}

impl Flag {
    /// The error for a flag of a command's table that its `take` does not
    /// read: a mistake in this program, reported rather than ignored.
    pub(crate) fn unread(&self) -> Usage {
        Usage(format!("internal error: --{} is not read", self.name))
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

/// A time given to `flag`, `2013-05-24T00:00:00Z` or `20130524T000000Z`.
pub(crate) fn time(flag: &Flag, text: &str) -> Result<SigningTime, Usage> {
    SigningTime::parse(text).map_err(|e| Usage(format!("--{}: {e}", flag.name)))
}

/// The clock's time, for a command given no time.
pub(crate) fn now() -> Result<SigningTime, Usage> {
    Ok(SigningTime::try_from(std::time::SystemTime::now())?)
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

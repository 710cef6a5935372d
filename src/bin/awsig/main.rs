//! `awsig`: presign S3 objects and AWS requests, verify and explain signed
//! requests, and make and check browser-upload forms, from the command line. `awsig --help` lists every command and
//! flag; each command's table lives in its own file.
//!
//! Exit status: 0 on success (and for a valid URL), 1 for a URL that fails
//! verification, 2 with one line on standard error for any bad flag or value,
//! 3 with one line on standard error when the environment fails: a file that
//! cannot be read (`--body`, `--fields`, `--s3-error`) or a
//! `credential_process` that fails or prints something unusable.

mod args;
mod config;
mod credentials;
mod explain;
mod post;
mod presign;
mod verify;

use args::{CommandArgs, Parsed, Usage};
use explain::ExplainArgs;
use post::{PresignPostArgs, VerifyPostArgs};
use presign::PresignArgs;
use std::io::Write;
use std::process::ExitCode;
use verify::VerifyArgs;

/// Every command, by name.
#[derive(Debug, Clone, Copy)]
enum CommandName {
    Presign,
    Verify,
    Explain,
    PresignPost,
    VerifyPost,
}

/// Every command, in the order help lists them.
const COMMANDS: [CommandName; 5] = [
    CommandName::Presign,
    CommandName::Verify,
    CommandName::Explain,
    CommandName::PresignPost,
    CommandName::VerifyPost,
];

impl CommandName {
    /// The command's table: its name, forms and flags.
    fn table(self) -> &'static args::Command {
        match self {
            CommandName::Presign => PresignArgs::COMMAND,
            CommandName::Verify => VerifyArgs::COMMAND,
            CommandName::Explain => ExplainArgs::COMMAND,
            CommandName::PresignPost => PresignPostArgs::COMMAND,
            CommandName::VerifyPost => VerifyPostArgs::COMMAND,
        }
    }

    /// The command called `name`, or the error naming the nearest.
    fn named(name: &str) -> Result<CommandName, Usage> {
        COMMANDS
            .into_iter()
            .find(|c| c.table().name == name)
            .ok_or_else(|| {
                let names = COMMANDS.iter().map(|c| c.table().name);
                let hint = match args::nearest(name, names) {
                    Some(n) => format!("did you mean {n}?"),
                    None => "commands: presign, verify, explain, presign-post, verify-post (awsig --help)"
                        .to_string(),
                };
                Usage(format!("unknown command {name:?}; {hint}"))
            })
    }

    /// The command's arguments (`argv` after its name), parsed into its own
    /// typed arguments, or its help.
    fn parse(self, argv: Vec<String>) -> Result<Invocation, Usage> {
        /// `A`'s arguments wrapped by `run`, or `A`'s help.
        fn parsed<A: CommandArgs>(
            argv: Vec<String>,
            run: fn(A) -> Invocation,
        ) -> Result<Invocation, Usage> {
            Ok(match args::parse::<A>(argv)? {
                Parsed::Run(a) => run(a),
                Parsed::Help => Invocation::Help(A::COMMAND),
            })
        }
        match self {
            CommandName::Presign => parsed(argv, Invocation::Presign),
            CommandName::Verify => parsed(argv, Invocation::Verify),
            CommandName::Explain => parsed(argv, Invocation::Explain),
            CommandName::PresignPost => parsed(argv, Invocation::PresignPost),
            CommandName::VerifyPost => parsed(argv, Invocation::VerifyPost),
        }
    }
}

/// What the command line asks for, parsed.
enum Invocation {
    /// `awsig --help`, `-h` or `help`: the overview and every command's help.
    Overview,
    /// `awsig --version` or `-V`.
    Version,
    /// `awsig help COMMAND` or `awsig COMMAND --help`.
    Help(&'static args::Command),
    /// `awsig presign`.
    Presign(PresignArgs),
    /// `awsig verify`.
    Verify(VerifyArgs),
    /// `awsig explain`.
    Explain(ExplainArgs),
    /// `awsig presign-post`.
    PresignPost(PresignPostArgs),
    /// `awsig verify-post`.
    VerifyPost(VerifyPostArgs),
}

/// How a command ended.
pub enum Outcome {
    /// Print this to standard output, exit 0.
    Done(String),
    /// Print this one line to standard output, exit 1 (a URL failed verification).
    Invalid(String),
}

/// Why a command stopped: each kind has its own exit status, and one line
/// on standard error says why.
pub(crate) enum Failure {
    /// Exit 2: a bad flag, value, setting or credential.
    Usage(String),
    /// Exit 3: the environment failed, not the command line: a file that
    /// cannot be read, or a `credential_process` that fails or prints
    /// something unusable.
    Environment(String),
}

impl Failure {
    /// A file named by `flag` that cannot be read: the environment failed,
    /// not the command line.
    pub(crate) fn unreadable(flag: &args::Flag, file: &str, error: std::io::Error) -> Failure {
        Failure::Environment(format!("--{} {file:?}: {error}", flag.name))
    }
}

impl From<Usage> for Failure {
    fn from(Usage(message): Usage) -> Self {
        Failure::Usage(message)
    }
}

/// The overview, then every command's full help: `awsig --help` is the
/// whole reference.
fn overview() -> String {
    let mut out = format!(
        "awsig {}: AWS Signature Version 4 by hand\n\nusage: awsig COMMAND [flags]   (awsig help COMMAND, awsig COMMAND --help)\n       awsig --version\n\ncommands:\n",
        env!("CARGO_PKG_VERSION")
    );
    for c in COMMANDS.map(CommandName::table) {
        out.push_str(&format!("  {:12} {}\n", c.name, c.about));
    }
    out.push_str(
        "\nexit status: 0 success (a valid URL), 1 a URL that fails verification, 2 a usage error, 3 the environment failed (an unreadable file, a failing credential_process)\n",
    );
    for c in COMMANDS.map(CommandName::table) {
        out.push('\n');
        out.push_str(&c.help());
    }
    out
}

/// Reads what the command line asks for.
fn parse(argv: Vec<String>) -> Result<Invocation, Usage> {
    let mut argv = argv.into_iter();
    let Some(first) = argv.next() else {
        return Err(Usage(
            "usage: awsig presign|verify|explain|presign-post|verify-post ... (awsig --help lists every flag)"
                .into(),
        ));
    };
    match first.as_str() {
        "--help" | "-h" => Ok(Invocation::Overview),
        "--version" | "-V" => Ok(Invocation::Version),
        "help" => match (argv.next(), argv.next()) {
            (None, _) => Ok(Invocation::Overview),
            (Some(name), None) => Ok(Invocation::Help(CommandName::named(&name)?.table())),
            (Some(_), Some(extra)) => Err(Usage(format!(
                "help takes one command name; {extra:?} is extra"
            ))),
        },
        name => CommandName::named(name)?.parse(argv.collect()),
    }
}

/// Runs what the command line asks for.
fn run(invocation: Invocation) -> Result<Outcome, Failure> {
    match invocation {
        Invocation::Overview => Ok(Outcome::Done(overview())),
        Invocation::Version => Ok(Outcome::Done(format!(
            "awsig {}\n",
            env!("CARGO_PKG_VERSION")
        ))),
        Invocation::Help(command) => Ok(Outcome::Done(command.help())),
        Invocation::Presign(a) => presign::run(a).map(Outcome::Done),
        Invocation::Verify(a) => verify::run(a),
        Invocation::Explain(a) => explain::run(a).map(Outcome::Done),
        Invocation::PresignPost(a) => post::presign(a).map(Outcome::Done),
        Invocation::VerifyPost(a) => post::verify(a),
    }
}

/// Prints the outcome, or the one line saying why it failed, and sets the
/// exit status.
fn main() -> ExitCode {
    // No backtraces for users: any panic (there should be none) is one line.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("awsig: internal error: {info}");
    }));
    // `std::env::args` panics on an argument that is not UTF-8: refuse it instead.
    let argv: Result<Vec<String>, Usage> = std::env::args_os()
        .skip(1)
        .enumerate()
        .map(|(i, a)| {
            a.into_string()
                .map_err(|_| Usage(format!("argument {} is not valid UTF-8", i + 1)))
        })
        .collect();
    let outcome = argv.and_then(parse).map_err(Failure::from).and_then(run);
    let (message, code) = match outcome {
        Ok(outcome) => {
            let (output, code) = match outcome {
                Outcome::Done(output) => (output, ExitCode::SUCCESS),
                Outcome::Invalid(line) => (line, ExitCode::from(1)),
            };
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out.write_all(output.as_bytes());
            let _ = out.flush();
            return code;
        }
        Err(Failure::Usage(message)) => (message, ExitCode::from(2)),
        Err(Failure::Environment(message)) => (message, ExitCode::from(3)),
    };
    // One line, whatever the message holds (a library error could quote a
    // newline).
    let line: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    eprintln!("awsig: {line}");
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use args::Takes;

    /// Asserts that `A`'s `take` reads every flag of its table: a flag
    /// handed a value may refuse it, but never as unread.
    fn assert_reads_every_flag<A: CommandArgs>() {
        for flag in A::COMMAND.flags {
            let value = match flag.takes {
                Takes::Nothing => None,
                Takes::One(_) | Takes::Repeated(_) => Some("1".to_string()),
            };
            if let Err(Usage(message)) = A::default().take(flag, value) {
                assert_ne!(message, flag.unread().0, "{}", A::COMMAND.name);
            }
        }
    }

    #[test]
    fn every_command_reads_every_flag_of_its_table() {
        assert_reads_every_flag::<PresignArgs>();
        assert_reads_every_flag::<VerifyArgs>();
        assert_reads_every_flag::<ExplainArgs>();
        assert_reads_every_flag::<PresignPostArgs>();
        assert_reads_every_flag::<VerifyPostArgs>();
    }
}

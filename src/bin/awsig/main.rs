//! `awsig`: presign S3 objects and AWS requests, verify and explain signed
//! requests, and make and check browser-upload forms, from the command line. `awsig --help` lists every command and
//! flag; each command's table lives in its own file.
//!
//! Exit status: 0 on success (and for a valid URL), 1 for a URL that fails
//! verification, 2 with one line on standard error for any bad flag or value.

mod args;
mod config;
mod credentials;
mod explain;
mod post;
mod presign;
mod verify;

use args::{Args, Command, Parsed, Usage};
use std::io::Write;
use std::process::ExitCode;

/// Every command, in the order help lists them.
const COMMANDS: [&Command; 5] = [
    &presign::COMMAND,
    &verify::COMMAND,
    &explain::COMMAND,
    &post::PRESIGN_COMMAND,
    &post::VERIFY_COMMAND,
];

/// How a command ended.
pub enum Outcome {
    /// Print this to standard output, exit 0.
    Done(String),
    /// Print this one line to standard output, exit 1 (a URL failed verification).
    Invalid(String),
}

/// The overview, then every command's full help: `awsig --help` is the
/// whole reference.
fn overview() -> String {
    let mut out = format!(
        "awsig {}: AWS Signature Version 4 by hand\n\nusage: awsig COMMAND [flags]   (awsig help COMMAND, awsig COMMAND --help)\n       awsig --version\n\ncommands:\n",
        env!("CARGO_PKG_VERSION")
    );
    for c in COMMANDS {
        out.push_str(&format!("  {:12} {}\n", c.name, c.about));
    }
    out.push_str(
        "\nexit status: 0 success (a valid URL), 1 a URL that fails verification, 2 a usage error\n",
    );
    for c in COMMANDS {
        out.push('\n');
        out.push_str(&c.help());
    }
    out
}

/// The command called `name`, or the error naming the nearest.
fn command(name: &str) -> Result<&'static Command, Usage> {
    COMMANDS
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            let hint = match args::nearest(name, COMMANDS.iter().map(|c| c.name)) {
                Some(n) => format!("did you mean {n}?"),
                None => {
                    "commands: presign, verify, explain, presign-post, verify-post (awsig --help)"
                        .to_string()
                }
            };
            Usage(format!("unknown command {name:?}; {hint}"))
        })
}

/// Runs what the command line asks for.
fn dispatch(mut argv: impl Iterator<Item = String>) -> Result<Outcome, Usage> {
    let Some(first) = argv.next() else {
        return Err(Usage(
            "usage: awsig presign|verify|explain|presign-post|verify-post ... (awsig --help lists every flag)"
                .into(),
        ));
    };
    match first.as_str() {
        "--help" | "-h" => return Ok(Outcome::Done(overview())),
        "--version" | "-V" => {
            return Ok(Outcome::Done(format!(
                "awsig {}\n",
                env!("CARGO_PKG_VERSION")
            )))
        }
        "help" => {
            return match (argv.next(), argv.next()) {
                (None, _) => Ok(Outcome::Done(overview())),
                (Some(name), None) => Ok(Outcome::Done(command(&name)?.help())),
                (Some(_), Some(extra)) => Err(Usage(format!(
                    "help takes one command name; {extra:?} is extra"
                ))),
            }
        }
        _ => {}
    }
    let cmd = command(&first)?;
    let args = match Args::parse(cmd, argv)? {
        Parsed::Help => return Ok(Outcome::Done(cmd.help())),
        Parsed::Run(args) => args,
    };
    match cmd.name {
        "presign" => presign::run(&args).map(Outcome::Done),
        "verify" => verify::run(&args),
        "presign-post" => post::presign(&args).map(Outcome::Done),
        "verify-post" => post::verify(&args),
        _ => explain::run(&args).map(Outcome::Done),
    }
}

/// Prints the outcome, or the one-line usage error, and sets the exit status.
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
    match argv.and_then(|argv| dispatch(argv.into_iter())) {
        Ok(outcome) => {
            let (output, code) = match outcome {
                Outcome::Done(output) => (output, ExitCode::SUCCESS),
                Outcome::Invalid(line) => (line, ExitCode::from(1)),
            };
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out.write_all(output.as_bytes());
            let _ = out.flush();
            code
        }
        Err(Usage(message)) => {
            // One line, whatever the message holds (a library error could
            // quote a newline).
            let line: String = message
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            eprintln!("awsig: {line}");
            ExitCode::from(2)
        }
    }
}

//! The `sigv4` command-line tool (in progress).

fn main() {
    eprintln!("sigv4: the command-line tool is not built yet");
    std::process::exit(2);
}

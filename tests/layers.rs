//! The crate's shape, checked: its modules form layers, each importing only
//! the ones below it (so there is no import circle), and no source file
//! passes 500 lines (unit tests in `tests.rs` aside). The order is the one
//! `docs/architecture.md` draws.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The crate's top modules, lowest first.
const LAYERS: &[&str] = &[
    "error",
    "settings",
    "encoding",
    "scope",
    "credentials",
    "request",
    "canonical",
    "string_to_sign",
    "key",
    "key_cache",
    "sigv4a",
    "sign",
    "verify",
    "s3",
    "chunked",
    "eventstream",
    "post",
    "http",
    "layer",
    "explain",
];

/// Every library source file but unit tests and the command-line tool.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "bin") {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// The top module a source file belongs to (`src/verify/checks.rs`: `verify`).
fn module_of(path: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let relative = path.strip_prefix(&src).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// The module each name the crate's root re-exports comes from
/// (`pub use error::Error;` in `lib.rs`: `Error` is `error`'s).
fn root_exports() -> Vec<(String, String)> {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"));
    let lib = lib.unwrap().replace('\n', " ");
    let mut exports = Vec::new();
    for statement in lib.split(';') {
        let Some((_, path)) = statement.split_once("pub use ") else {
            continue;
        };
        let Some((module, names)) = path.trim().split_once("::") else {
            continue;
        };
        for name in names
            .trim_matches(|c| c == '{' || c == '}' || c == ' ')
            .split(',')
        {
            exports.push((name.trim().to_string(), module.to_string()));
        }
    }
    exports
}

/// The crate's modules a file's code names (`crate::NAME`, or a name the
/// root re-exports), comments aside.
fn imports(text: &str, exports: &[(String, String)]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = (rest.chars())
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let module = match exports.iter().find(|(export, _)| *export == name) {
                Some((_, module)) => module.clone(),
                None => name,
            };
            names.insert(module);
        }
    }
    names
}

#[test]
fn each_module_imports_only_the_layers_below_it() {
    let rank = |name: &str| LAYERS.iter().position(|l| *l == name);
    let exports = root_exports();
    let mut upward = Vec::new();
    for path in sources() {
        let module = module_of(&path);
        if module == "lib" {
            continue;
        }
        let own = rank(&module).unwrap_or_else(|| panic!("{module} is in no layer"));
        let text = std::fs::read_to_string(&path).unwrap();
        for name in imports(&text, &exports) {
            if name == module {
                continue;
            }
            match rank(&name) {
                Some(theirs) if theirs < own => {}
                _ => upward.push(format!("{} imports {name}", path.display())),
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports of a layer above or beside: {upward:#?}"
    );
}

#[test]
fn no_source_file_passes_500_lines() {
    let long: Vec<String> = (sources().into_iter())
        .filter_map(|path| {
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            (lines > 500).then(|| format!("{}: {lines}", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:?}");
}

// Builds the native half (cargo, release) and copies it beside index.js as
// awsig.node, the name index.js loads.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const here = __dirname;
const root = path.resolve(here, "..", "..");
execFileSync("cargo", ["build", "--release", "-p", "awsig-node"], { cwd: root, stdio: "inherit" });
const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(root, process.env.CARGO_TARGET_DIR)
  : path.join(root, "target");
const file = { linux: "libawsig_node.so", darwin: "libawsig_node.dylib", win32: "awsig_node.dll" }[process.platform];
if (!file) throw new Error(`no build for platform ${process.platform}`);
fs.copyFileSync(path.join(targetDir, "release", file), path.join(here, "awsig.node"));
console.log("built", path.join(here, "awsig.node"));

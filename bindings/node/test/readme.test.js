// The README's first example runs as written (with the package loaded from
// this checkout), and does what its comments say.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

test("the README's first example runs", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  const example = readme.split("## First example")[1].match(/```js\n([\s\S]*?)```/)[1];
  assert.match(example, /require\("awsig"\)/);
  const logged = [];
  const run = new Function("require", "console", example + "\nreturn { url, action, fields, claims };");
  const out = run((name) => require(name === "awsig" ? ".." : name), { log: (...args) => logged.push(args) });
  assert.match(out.url, /^https:\/\/photos\.s3\.amazonaws\.com\/cat%201\.jpg\?X-Amz-Algorithm=AWS4-HMAC-SHA256&/);
  assert.match(out.url, /X-Amz-Expires=600&/);
  assert.equal(out.action, "https://uploads.s3.us-east-1.amazonaws.com/");
  assert.equal(out.fields.key, "user/${filename}");
  assert.equal(out.claims.accessKeyId, "AKIAIOSFODNN7EXAMPLE");
  assert.deepEqual(logged, [["AKIAIOSFODNN7EXAMPLE", out.claims.expiresAt]]);
});

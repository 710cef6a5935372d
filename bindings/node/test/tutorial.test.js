// The tutorial on the Node package, in a real browser: examples/tutorial.js
// serves its page against the s3s-fs server that .ci/test starts (its
// settings in AWSIG_S3_*), and headless Chromium (Debian's chromium, driven
// through chromedriver's WebDriver API) loads it. The image loads through
// the presigned URL; after 6 s the page goes to the same URL, which expired
// at 5 s, and the server answers 403 "Request has expired". Without the
// server, Chromium or chromedriver it fails, and says how to get them.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");
const { spawn } = require("node:child_process");

const NEEDED = ["AWSIG_S3_ENDPOINT", "AWSIG_S3_ACCESS_KEY", "AWSIG_S3_SECRET_KEY", "AWSIG_S3_BUCKET"];
const IMAGE = path.join(__dirname, "..", "..", "..", "examples", "demo", "object.png");

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A headless Chromium session through chromedriver's WebDriver API. */
async function browser() {
  const port = await freePort();
  const driver = spawn("chromedriver", [`--port=${port}`], { stdio: "ignore" });
  const spawned = new Promise((_, reject) =>
    driver.on("error", (e) => reject(new Error(`chromedriver: ${e.message}: install Debian's chromium and chromium-driver (.ci/run does)`))),
  );
  const base = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${base}/status`)).ok) return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error("chromedriver did not start");
  })();
  await Promise.race([ready, spawned]);
  const profile = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "awsig-node-chromium-"));
  const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`];
  const created = await (
    await fetch(`${base}/session`, {
      method: "POST",
      body: JSON.stringify({ capabilities: { alwaysMatch: { browserName: "chrome", "goog:chromeOptions": { binary: "/usr/bin/chromium", args } } } }),
    })
  ).json();
  const session = created.value.sessionId;
  assert.ok(session, `no browser session: ${JSON.stringify(created)}`);
  const call = async (method, route, body) => {
    const reply = await (await fetch(`${base}/session/${session}${route}`, { method, body: body && JSON.stringify(body) })).json();
    assert.equal(reply.value?.error, undefined, `${route}: ${JSON.stringify(reply)}`);
    return reply.value;
  };
  return {
    open: (url) => call("POST", "/url", { url }),
    script: (script) => call("POST", "/execute/sync", { script, args: [] }),
    async waitFor(what, script, ms) {
      const deadline = Date.now() + ms;
      while ((await this.script(script)) !== true) {
        assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
        await sleep(100);
      }
    },
    async close() {
      await fetch(`${base}/session/${session}`, { method: "DELETE" }).catch(() => {});
      driver.kill();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

test("the tutorial's page in Chromium: the image loads, and the same URL is refused once expired", { timeout: 120_000 }, async () => {
  const missing = NEEDED.filter((name) => !process.env[name]);
  assert.deepEqual(missing, [], "start the S3 server with `.ci/test` or `.ci/s3s-start && source target/s3s/env`");

  // The tutorial's object, put there through a URL this package presigned.
  const awsig = require("..");
  const uploader = new awsig.S3({
    accessKeyId: process.env.AWSIG_S3_ACCESS_KEY,
    secretAccessKey: process.env.AWSIG_S3_SECRET_KEY,
    endpoint: process.env.AWSIG_S3_ENDPOINT,
    s3ForcePathStyle: true,
  });
  const put = await fetch(uploader.getSignedUrl("putObject", { Bucket: process.env.AWSIG_S3_BUCKET, Key: "panda.jpeg" }), {
    method: "PUT",
    body: fs.readFileSync(IMAGE),
    headers: { "content-type": "image/png" },
  });
  assert.equal(put.status, 200, await put.text());

  const tutorial = require("../examples/tutorial.js");
  const { server, url: site } = await tutorial.start(0);
  const chromium = await browser();
  try {
    await chromium.open(`${site}/s3/signed-url`);
    await chromium.waitFor("the image to load", "const i = document.getElementById('panda'); return i.complete && i.naturalWidth > 0;", 4000);
    assert.equal(await chromium.script("return document.getElementById('panda').naturalWidth;"), 320);
    const signedUrl = await chromium.script("return document.getElementById('url').textContent;");
    assert.match(signedUrl, /X-Amz-Expires=5&/);

    // At 6 s the page goes to the same URL, which expired at 5 s.
    await chromium.waitFor("the redirect to the expired URL", `return location.href === ${JSON.stringify(signedUrl)} && document.readyState === 'complete';`, 15_000);
    const shown = await chromium.script("return document.documentElement.textContent;");
    assert.match(shown, /Request has expired/);

    const again = await fetch(signedUrl);
    assert.equal(again.status, 403);
    assert.match(await again.text(), /Request has expired/);
  } finally {
    await chromium.close();
    server.close();
  }
});

// Times one presigned GET URL from this package, aws4, the AWS SDK for
// JavaScript v2's getSignedUrl and v3's getSignedUrl, side by side in one
// run, and this package's two parts apart (the crossing into Rust, the
// signing in Rust) (the machine may be shared: ratios, not absolute times, are the
// result). Each is warmed, then timed in alternating rounds; the median
// round counts.
//
//   npm run bench            (after npm run build)
"use strict";

const aws4 = require("aws4");
const AWS = require("aws-sdk");
const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
const { getSignedUrl } = require("@aws-sdk/s3-request-presigner");
const awsig = require(".");

process.removeAllListeners("warning");

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const ours = new awsig.S3({ ...credentials, region: "eu-west-1" });
const v2 = new AWS.S3({ ...credentials, region: "eu-west-1", signatureVersion: "v4" });
const v3 = new S3Client({ region: "eu-west-1", credentials });

const native = require("./awsig.node");
const now = Math.floor(Date.now() / 1000);

const contenders = {
  awsig: () => ours.getSignedUrl("getObject", { Bucket: "my-bucket", Key: "photos/2024/cat.jpg", Expires: 3600 }),
  aws4: () => {
    const o = aws4.sign({ host: "my-bucket.s3.eu-west-1.amazonaws.com", path: "/photos/2024/cat.jpg?X-Amz-Expires=3600", service: "s3", region: "eu-west-1", signQuery: true }, credentials);
    return `https://${o.host}${o.path}`;
  },
  "aws-sdk v2": () => v2.getSignedUrl("getObject", { Bucket: "my-bucket", Key: "photos/2024/cat.jpg", Expires: 3600 }),
  "aws-sdk v3": () => getSignedUrl(v3, new GetObjectCommand({ Bucket: "my-bucket", Key: "photos/2024/cat.jpg" }), { expiresIn: 3600 }),
  // Where awsig's time goes: the crossing into Rust and back with presign's
  // arguments and a URL-sized result but no signing, and the signing in
  // Rust with no crossing (timed inside Rust over a round's URLs).
  "  crossing": () => native.benchCrossing(0, "my-bucket", "photos/2024/cat.jpg", 3600, now, null),
  "  in Rust": null,
};

/** Microseconds per URL over `n` calls (awaited when the call is async). */
async function time(f, n) {
  if (f === null) return native.benchPresignInRust("my-bucket", "photos/2024/cat.jpg", n);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const out = f();
    if (out instanceof Promise) await out;
  }
  return Number(process.hrtime.bigint() - start) / 1000 / n;
}

async function main() {
  const rounds = Number(process.env.ROUNDS ?? 7);
  const budgetMs = Number(process.env.ROUND_MS ?? 300);
  const samples = {};
  const calls = {};
  for (const [name, f] of Object.entries(contenders)) {
    await time(f, 200); // warm up: JIT, caches, the signing key
    // As many calls as fit in the round's budget.
    const per = await time(f, 200);
    calls[name] = Math.max(100, Math.round((budgetMs * 1000) / per));
    samples[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, f] of Object.entries(contenders)) samples[name].push(await time(f, calls[name]));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(samples.awsig);
  console.log(`node ${process.version}, ${rounds} rounds, median µs per presigned URL:`);
  for (const name of Object.keys(contenders)) {
    const m = median(samples[name]);
    const ratio = name === "awsig" ? "" : `  (${(m / base).toFixed(2)} × awsig)`;
    console.log(`  ${name.padEnd(11)} ${m.toFixed(2).padStart(9)} µs${ratio}`);
  }
  const aws4 = median(samples.aws4);
  const floor = median(samples["  crossing"]) + median(samples["  in Rust"]);
  console.log(`aws4 / awsig: ${(aws4 / base).toFixed(1)} ×; aws4 / (crossing + signing in Rust): ${(aws4 / floor).toFixed(1)} ×; aws4 / signing in Rust alone: ${(aws4 / median(samples["  in Rust"])).toFixed(1)} ×`);
}

main();

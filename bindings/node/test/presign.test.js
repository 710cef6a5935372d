// Presigned URLs equal to the AWS SDK for JavaScript v2's getSignedUrl at a
// fixed time, over generated cases (awkward keys, regions, tokens,
// operations, params), and each one verifies while a tampered copy does not.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const AWS = require("aws-sdk");
const awsig = require("..");

// The SDK v2 prints a maintenance notice on load; it is not a test result.
process.removeAllListeners("warning");

const T = 1700000000;
const AT = new Date(T * 1000);

/** The SDK v2's URL at the fixed time: it reads the clock through Date.now. */
function v2Url(options, operation, params) {
  const realNow = Date.now;
  Date.now = () => T * 1000;
  try {
    return new AWS.S3(options).getSignedUrl(operation, params);
  } finally {
    Date.now = realNow;
  }
}

const KEYS = [
  "photo.jpg",
  "a b/ü+%.txt",
  "dir//double/slash/",
  "~tilde*star'quote!(paren)",
  "emoji-😀/中文.png",
  "question?hash#amp&eq=",
  "semi;colon,comma:colon@at$dollar",
  "x".repeat(300),
  "plus+in+key",
  " leading and trailing ",
];
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "sa-east-1", "cn-north-1", "us-gov-west-1"];
const BUCKETS = ["my-bucket", "my.dotted.bucket", "Upper_Case"];
const TOKENS = [undefined, "FQoGZXIvYXdzE+/token=="];
const OPERATIONS = [
  ["getObject", {}],
  ["getObject", { VersionId: "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", ResponseContentType: "text/plain", ResponseContentDisposition: 'attachment; filename="a b.txt"' }],
  ["getObject", { ResponseCacheControl: "no-cache", ResponseContentEncoding: "gzip", ResponseContentLanguage: "en", ResponseExpires: new Date(1445412480000) }],
  ["getObject", { ResponseExpires: "2015-10-21T07:28:00Z" }],
  ["putObject", { ContentType: "image/png" }],
  ["putObject", {}],
  ["headObject", {}],
  ["deleteObject", {}],
  ["uploadPart", { PartNumber: 3, UploadId: "VXBsb2FkIElE/+=" }],
];

/** Every combination, thinned to a few hundred by stepping through them. */
function cases() {
  const out = [];
  let i = 0;
  for (const region of REGIONS) {
    for (const bucket of BUCKETS) {
      for (const key of KEYS) {
        for (const token of TOKENS) {
          const [operation, extra] = OPERATIONS[i % OPERATIONS.length];
          const expires = [undefined, 1, 60, 3600, 604800][i % 5];
          out.push({ region, bucket, key, token, operation, extra, expires });
          i++;
        }
      }
    }
  }
  return out;
}

test("URLs equal the SDK v2's getSignedUrl at a fixed time, and verify", () => {
  const all = cases();
  assert.ok(all.length >= 400, `${all.length} cases`);
  let same = 0;
  for (const c of all) {
    const options = {
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      sessionToken: c.token,
      region: c.region,
      signatureVersion: "v4",
    };
    const params = { Bucket: c.bucket, Key: c.key, Expires: c.expires, ...c.extra };
    const theirs = v2Url(options, c.operation, params);
    const ours = new awsig.S3(options).getSignedUrl(c.operation, { ...params, signingTime: AT });
    assert.equal(ours, theirs, JSON.stringify(c));
    same++;

    const verifier = new awsig.Verifier({ AKIDEXAMPLE: [options.secretAccessKey, c.token] });
    const method = { getObject: "GET", putObject: "PUT", headObject: "HEAD", deleteObject: "DELETE", uploadPart: "PUT" }[c.operation];
    const claims = verifier.verifyPresigned(method, ours, { now: AT });
    assert.equal(claims.region, c.region === "us-gov-west-1" ? "us-gov-west-1" : c.region);
    assert.equal(claims.service, "s3");
    assert.equal(claims.expiresAt.getTime(), (T + (c.expires ?? 900)) * 1000);
    const other = method === "GET" ? "PUT" : "GET";
    assert.throws(() => verifier.verifyPresigned(other, ours, { now: AT }), awsig.VerificationError);
  }
  console.log(`v2 getSignedUrl: ${same}/${all.length} equal`);
});

test("the SDK v2's global config and callback form work as the tutorial uses them", () => {
  const saved = awsig.config;
  try {
    awsig.config = new awsig.Config({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", region: "eu-west-1", signatureVersion: "v4" });
    const s3 = new awsig.S3();
    const url = s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "panda.jpeg", Expires: 5, signingTime: AT });
    AWS.config = new AWS.Config({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", region: "eu-west-1", signatureVersion: "v4" });
    assert.equal(url, v2Url({}, "getObject", { Bucket: "b-1", Key: "panda.jpeg", Expires: 5 }));
    let got;
    s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "panda.jpeg", Expires: 5, signingTime: AT }, (err, u) => (got = [err, u]));
    assert.deepEqual(got, [null, url]);
    s3.getSignedUrl("listBuckets", {}, (err) => (got = err));
    assert.ok(got instanceof awsig.SigningError);
  } finally {
    awsig.config = saved;
    AWS.config = new AWS.Config();
  }
});

test("getSignedUrlPromise resolves to the same URL", async () => {
  const s3 = new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" });
  const params = { Bucket: "b-1", Key: "k", signingTime: AT };
  assert.equal(await s3.getSignedUrlPromise("getObject", params), s3.getSignedUrl("getObject", params));
  await assert.rejects(s3.getSignedUrlPromise("getObject", { Bucket: "b-1" }), awsig.SigningError);
});

test("bad inputs are SigningErrors that say what is wrong", () => {
  const s3 = new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", region: "eu-west-1" });
  const wrong = [
    [() => s3.getSignedUrl("getObject", { Key: "k", signingTime: AT }), /Bucket/],
    [() => s3.getSignedUrl("getObject", { Bucket: "b-1", signingTime: AT }), /Key/],
    [() => s3.getSignedUrl("copyObject", { Bucket: "b-1", Key: "k" }), /copyObject/],
    [() => s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "k", Expires: 604801, signingTime: AT }), /604800|week|expir/i],
    [() => s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "k", Expires: 1.5 }), /Expires/],
    [() => s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "k", Metadata: { a: "b" } }), /Metadata/],
    [() => s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "k", SSECustomerKey: "x" }), /SSECustomerKey/],
    [() => s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "k", signingTime: new Date("nope") }), /signingTime/],
    [() => s3.getSignedUrl("getObject", { Bucket: "bad/bucket", Key: "k", signingTime: AT }), /bucket/i],
    [() => new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", region: "not a region" }), /region/i],
    [() => new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", signatureVersion: "v2" }), /signatureVersion/],
    [() => new awsig.S3({ accessKeyId: "AKIDEXAMPLE" }), /secretAccessKey/],
    [() => new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", endpoint: "ftp://x" }), /scheme|endpoint|URL/i],
  ];
  for (const [f, message] of wrong) {
    assert.throws(f, (e) => e instanceof awsig.SigningError && message.test(e.message), String(f));
  }
});

test("no secret or token in inspect, JSON or an error", () => {
  const util = require("node:util");
  const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  const token = "SESSIONTOKENVALUE";
  const s3 = new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret, sessionToken: token });
  const config = new awsig.Config({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret, sessionToken: token });
  const verifier = new awsig.Verifier({ AKIDEXAMPLE: secret });
  let error;
  try {
    s3.getSignedUrl("getObject", { Key: "k" });
  } catch (e) {
    error = e;
  }
  for (const shown of [util.inspect(s3), util.inspect(config), JSON.stringify(s3), util.inspect(verifier), String(error), error.stack]) {
    assert.ok(!shown.includes(secret) && !shown.includes(token), shown);
  }
  assert.match(util.inspect(s3), /AKIDEXAMPLE/);
});

test("each operation takes the params the SDK v2 takes: the same URL, or both refuse", () => {
  const options = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", region: "eu-west-1", signatureVersion: "v4" };
  const values = { VersionId: "v1", ContentType: "text/plain", PartNumber: 2, UploadId: "u1", ResponseCacheControl: "no-cache", ResponseContentDisposition: "inline", ResponseContentEncoding: "gzip", ResponseContentLanguage: "en", ResponseContentType: "text/plain", ResponseExpires: new Date(0), Metadata: { a: "b" }, ACL: "private" };
  let compared = 0;
  for (const operation of ["getObject", "putObject", "headObject", "deleteObject", "uploadPart"]) {
    const base = operation === "uploadPart" ? { PartNumber: 1, UploadId: "u0" } : {};
    for (const [name, value] of Object.entries(values)) {
      const params = { Bucket: "b-1", Key: "k", ...base, [name]: value };
      let theirs;
      try {
        theirs = v2Url(options, operation, params);
      } catch {
        theirs = null;
      }
      if (!["Metadata", "ACL"].includes(name) && theirs === null) {
        assert.throws(() => new awsig.S3(options).getSignedUrl(operation, { ...params, signingTime: AT }), awsig.SigningError, `${operation} ${name}`);
      } else if (["Metadata", "ACL"].includes(name)) {
        // Headers the SDK v2 signs both as headers and in the query: not
        // presigned here, and refused by name rather than left out.
        assert.throws(() => new awsig.S3(options).getSignedUrl(operation, { ...params, signingTime: AT }), new RegExp(`${name}`));
      } else {
        assert.equal(new awsig.S3(options).getSignedUrl(operation, { ...params, signingTime: AT }), theirs, `${operation} ${name}`);
      }
      compared++;
    }
  }
  assert.throws(() => new awsig.S3(options).getSignedUrl("uploadPart", { Bucket: "b-1", Key: "k", PartNumber: 1 }), /UploadId/);
  assert.equal(compared, 60);
});

test("the SDK v2's settings and defaults: custom endpoints, no scheme, empty region and token, Expires 0", () => {
  const cases = [
    [{ endpoint: "http://minio.local:9000" }, { Bucket: "b-1", Key: "k" }],
    [{ endpoint: "http://minio.local:9000" }, { Bucket: "b.1", Key: "k" }],
    [{ endpoint: "http://minio.local:9000" }, { Bucket: "B_1", Key: "k" }],
    [{ endpoint: "localhost:9000" }, { Bucket: "b-1", Key: "k" }],
    [{ endpoint: "https://gw.example.com", s3ForcePathStyle: true }, { Bucket: "b-1", Key: "k" }],
    [{ s3ForcePathStyle: true }, { Bucket: "b-1", Key: "k" }],
    [{ region: "" }, { Bucket: "b-1", Key: "k" }],
    [{ sessionToken: "" }, { Bucket: "b-1", Key: "k" }],
    [{}, { Bucket: "b-1", Key: "k", Expires: 0 }],
    [{ credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "other", sessionToken: "t" } }, { Bucket: "b-1", Key: "k" }],
  ];
  for (const [settings, params] of cases) {
    const options = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", region: "eu-west-1", signatureVersion: "v4", ...settings };
    assert.equal(new awsig.S3(options).getSignedUrl("getObject", { ...params, signingTime: AT }), v2Url(options, "getObject", params), JSON.stringify(settings));
  }
  // The one difference, on purpose: a bucket cannot be a label of an IP address.
  const ip = new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", endpoint: "http://127.0.0.1:9000" });
  assert.match(ip.getSignedUrl("getObject", { Bucket: "b-1", Key: "k" }), /^http:\/\/127\.0\.0\.1:9000\/b-1\/k\?/);
});

test("settings that would change the URL in ways awsig does not sign are refused by name", () => {
  for (const setting of [{ useAccelerateEndpoint: true }, { useDualstackEndpoint: true }, { sslEnabled: false }, { s3BucketEndpoint: true }, { s3UsEast1RegionalEndpoint: "regional" }]) {
    const name = Object.keys(setting)[0];
    assert.throws(() => new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", ...setting }), (e) => e instanceof awsig.SigningError && e.message.startsWith(name));
  }
  const s3 = new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" });
  assert.throws(() => s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "\uD800x" }), /surrogate/);
  assert.throws(() => v2Url({ accessKeyId: "A", secretAccessKey: "s", signatureVersion: "v4" }, "getObject", { Bucket: "b-1", Key: "\uD800x" }));
  assert.throws(() => s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "k", PartNumber: 1e300 }), /PartNumber/);
  assert.throws(() => s3.getSignedUrl("getObject", { Bucket: "b-1", Key: "k", VersionId: 5 }), /VersionId/);
});

test("a Config keeps its secrets out of JSON, entries and inspect; update sets settings", () => {
  const util = require("node:util");
  const config = new awsig.Config({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "SECRETVALUE", sessionToken: "TOKENVALUE", region: "eu-west-1" });
  config.update({ credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "SECRETVALUE2" }, region: "eu-central-1" });
  for (const shown of [JSON.stringify(config), JSON.stringify(Object.entries(config)), util.format("%j %o", config, config), util.inspect(config)]) {
    assert.ok(!/SECRETVALUE|TOKENVALUE/.test(shown), shown);
  }
  const saved = awsig.config;
  try {
    awsig.config = config;
    assert.match(new awsig.S3().getSignedUrl("getObject", { Bucket: "b-1", Key: "k" }), /eu-central-1/);
  } finally {
    awsig.config = saved;
  }
  for (const bad of [{ sessionToken: Buffer.from("TOKENVALUE") }, { sessionToken: new String("TOKENVALUE") }, { region: Buffer.from("TOKENVALUE") }]) {
    assert.throws(
      () => new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "SECRETVALUE", ...bad }),
      (e) => e instanceof awsig.SigningError && !/SECRETVALUE|TOKENVALUE|84,79/.test(e.message),
    );
  }
});

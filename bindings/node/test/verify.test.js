// The verifier against what real clients sign: presigned URLs from the AWS
// SDK for JavaScript v2 and v3 and aws4, Authorization headers from v3's
// signer and aws4; tampered copies refused with the failed check named.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const AWS = require("aws-sdk");
const aws4 = require("aws4");
const { S3Client, GetObjectCommand, PutObjectCommand } = require("@aws-sdk/client-s3");
const { getSignedUrl } = require("@aws-sdk/s3-request-presigner");
const { SignatureV4 } = require("@smithy/signature-v4");
const { Sha256 } = require("@aws-crypto/sha256-js");
const awsig = require("..");

process.removeAllListeners("warning");

const KEY_ID = "AKIDEXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN = "FQoGZXIvYXdzE+/token==";
const credentials = { accessKeyId: KEY_ID, secretAccessKey: SECRET };

/** Every presigned URL the three clients make for one GET and one PUT. */
async function presignedUrls() {
  const v2 = new AWS.S3({ ...credentials, region: "eu-west-1", signatureVersion: "v4" });
  const v3 = new S3Client({ region: "eu-west-1", credentials });
  const signedByAws4 = (method, path) => {
    const opts = aws4.sign({ method, host: "my-bucket.s3.eu-west-1.amazonaws.com", path, service: "s3", region: "eu-west-1", signQuery: true }, credentials);
    return `https://${opts.host}${opts.path}`;
  };
  return [
    ["v2 GET", "GET", v2.getSignedUrl("getObject", { Bucket: "my-bucket", Key: "a b/ü.txt" })],
    ["v2 PUT", "PUT", v2.getSignedUrl("putObject", { Bucket: "my-bucket", Key: "k", ContentType: "text/plain" })],
    ["v3 GET", "GET", await getSignedUrl(v3, new GetObjectCommand({ Bucket: "my-bucket", Key: "a b/ü.txt", ResponseContentType: "text/plain" }), { expiresIn: 600 })],
    ["v3 PUT", "PUT", await getSignedUrl(v3, new PutObjectCommand({ Bucket: "my-bucket", Key: "k" }), { expiresIn: 600 })],
    ["aws4 GET", "GET", signedByAws4("GET", "/a%20b/%C3%BC.txt")],
    ["aws4 PUT", "PUT", signedByAws4("PUT", "/k?partNumber=1&uploadId=u1")],
  ];
}

test("presigned URLs from the SDK v2, v3 and aws4 verify; tampered ones do not", async () => {
  const verifier = new awsig.Verifier({ [KEY_ID]: SECRET }, { region: "eu-west-1", service: "s3" });
  const urls = await presignedUrls();
  for (const [client, method, url] of urls) {
    const claims = verifier.verifyPresigned(method, url);
    assert.equal(claims.accessKeyId, KEY_ID, client);
    assert.equal(claims.region, "eu-west-1", client);
    assert.ok(claims.signedAt instanceof Date && claims.expiresAt > claims.signedAt, client);
    assert.ok(claims.signedHeaders.includes("host"), client);

    const tampered = [
      [method === "GET" ? "PUT" : "GET", url],
      [method, url.replace("my-bucket", "my-bucket2")],
      [method, url.replace(/X-Amz-Signature=[0-9a-f]/, (m) => m.slice(0, -1) + (m.endsWith("0") ? "1" : "0"))],
      [method, url.replace(/X-Amz-Date=\d{8}T\d{6}Z/, "X-Amz-Date=20200101T000000Z")],
      [method, url + "&extra=1"],
    ];
    for (const [m, u] of tampered) {
      assert.throws(() => verifier.verifyPresigned(m, u), awsig.VerificationError, `${client}: ${m} ${u}`);
    }
  }
  console.log(`presigned by v2, v3 and aws4: ${urls.length}/${urls.length} verify`);
});

test("Authorization headers from v3's signer and aws4 verify; a changed body or header does not", async () => {
  const verifier = new awsig.Verifier(new Map([[KEY_ID, { secretAccessKey: SECRET }]]));
  const body = '{"TableName":"t"}';
  const signer = new SignatureV4({ credentials, region: "us-east-1", service: "dynamodb", sha256: Sha256 });
  const v3 = await signer.sign({
    method: "POST",
    protocol: "https:",
    hostname: "dynamodb.us-east-1.amazonaws.com",
    path: "/",
    headers: { host: "dynamodb.us-east-1.amazonaws.com", "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDB_20120810.DescribeTable" },
    body,
  });
  const fromAws4 = aws4.sign(
    { host: "sqs.eu-west-1.amazonaws.com", path: "/?Action=ListQueues", service: "sqs", region: "eu-west-1", method: "POST", body: "a=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } },
    credentials,
  );
  const signed = [
    ["v3", "POST", `https://${v3.hostname}${v3.path}`, v3.headers, body, "dynamodb"],
    ["aws4", "POST", `https://${fromAws4.host}${fromAws4.path}`, fromAws4.headers, fromAws4.body, "sqs"],
  ];
  for (const [client, method, url, headers, sent, service] of signed) {
    const claims = verifier.verifyAuthorization(method, url, { headers, body: sent });
    assert.equal(claims.service, service, client);
    assert.equal(claims.expiresAt, null, client);
    assert.throws(() => verifier.verifyAuthorization(method, url, { headers, body: sent + " " }), awsig.VerificationError, client);
    const changed = Object.fromEntries(Object.entries(headers).map(([n, v]) => [n, n.toLowerCase() === "content-type" ? v + "x" : v]));
    assert.throws(() => verifier.verifyAuthorization(method, url, { headers: changed, body: sent }), awsig.VerificationError, client);
  }
});

test("credentials from an object, a Map or a function; unknown keys and scopes refused", () => {
  const s3 = new awsig.S3({ ...credentials, region: "eu-west-1" });
  const url = s3.getSignedUrl("getObject", { Bucket: "my-bucket", Key: "k" });
  for (const store of [{ [KEY_ID]: SECRET }, new Map([[KEY_ID, [SECRET]]]), (id) => (id === KEY_ID ? SECRET : undefined)]) {
    assert.equal(new awsig.Verifier(store).verifyPresigned("GET", url).accessKeyId, KEY_ID);
  }
  const asked = [];
  const unknown = new awsig.Verifier((id) => {
    asked.push(id);
    return null;
  });
  assert.throws(() => unknown.verifyPresigned("GET", url), (e) => e instanceof awsig.VerificationError && /AKIDEXAMPLE|access key/i.test(e.message));
  assert.deepEqual(asked, [KEY_ID]);
  // A key the object only inherits is no credential.
  assert.throws(() => new awsig.Verifier({}).verifyPresigned("GET", s3.getSignedUrl("getObject", { Bucket: "my-bucket", Key: "k" }).replace(KEY_ID, "toString")), awsig.VerificationError);
  assert.throws(() => new awsig.Verifier({ [KEY_ID]: SECRET }, { region: "us-east-1" }).verifyPresigned("GET", url), /region|scope/i);
  assert.throws(() => new awsig.Verifier({ [KEY_ID]: SECRET }, { service: "sqs" }).verifyPresigned("GET", url), /service|scope/i);
});

test("a session token is required where the credentials have one, and must match", () => {
  const withToken = new awsig.S3({ ...credentials, sessionToken: TOKEN, region: "eu-west-1" });
  const without = new awsig.S3({ ...credentials, region: "eu-west-1" });
  const verifier = new awsig.Verifier({ [KEY_ID]: [SECRET, TOKEN] });
  assert.equal(verifier.verifyPresigned("GET", withToken.getSignedUrl("getObject", { Bucket: "my-bucket", Key: "k" })).accessKeyId, KEY_ID);
  assert.throws(() => verifier.verifyPresigned("GET", without.getSignedUrl("getObject", { Bucket: "my-bucket", Key: "k" })), /token/i);
  const other = new awsig.Verifier({ [KEY_ID]: [SECRET, "another"] });
  assert.throws(() => other.verifyPresigned("GET", withToken.getSignedUrl("getObject", { Bucket: "my-bucket", Key: "k" })), /token/i);
});

test("expiry is checked against now, which can be given", () => {
  const s3 = new awsig.S3({ ...credentials, region: "eu-west-1" });
  const at = new Date(1700000000 * 1000);
  const url = s3.getSignedUrl("getObject", { Bucket: "my-bucket", Key: "k", Expires: 5, signingTime: at });
  const verifier = new awsig.Verifier({ [KEY_ID]: SECRET });
  assert.equal(verifier.verifyPresigned("GET", url, { now: new Date(at.getTime() + 5000) }).expiresAt.getTime(), at.getTime() + 5000);
  assert.throws(() => verifier.verifyPresigned("GET", url, { now: new Date(at.getTime() + 6000) }), /expired/i);
  assert.throws(() => verifier.verifyPresigned("GET", url), /expired/i);
});

test("what the credential store throws reaches the caller as it was thrown", () => {
  const url = new awsig.S3({ ...credentials }).getSignedUrl("getObject", { Bucket: "my-bucket", Key: "k" });
  class StoreDown extends Error {}
  const verifier = new awsig.Verifier(() => {
    throw new StoreDown("the store is down");
  });
  assert.throws(() => verifier.verifyPresigned("GET", url), StoreDown);
  assert.throws(() => new awsig.Verifier(() => 42).verifyPresigned("GET", url), TypeError);
  // The verifier still works after a lookup threw.
  let up = false;
  const flaky = new awsig.Verifier(() => {
    if (!up) throw new StoreDown("not yet");
    return SECRET;
  });
  assert.throws(() => flaky.verifyPresigned("GET", url), StoreDown);
  up = true;
  assert.equal(flaky.verifyPresigned("GET", url).accessKeyId, KEY_ID);
});

test("headers in any iterable form are read, and a forged Host among them refused", () => {
  const s3 = new awsig.S3({ ...credentials, region: "eu-west-1" });
  const url = s3.getSignedUrl("putObject", { Bucket: "my-bucket", Key: "k" });
  const verifier = new awsig.Verifier({ [KEY_ID]: SECRET });
  const forged = [["host", "evil.example"]];
  const forms = [
    forged,
    new Map(forged),
    new Headers(forged),
    (function* () {
      yield* forged;
    })(),
    forged[Symbol.iterator](),
    { host: "evil.example" },
    { host: ["evil.example"] },
  ];
  for (const headers of forms) {
    assert.throws(() => verifier.verifyPresigned("PUT", url, { headers }), /[Hh]ost/, String(headers));
  }
  const good = "my-bucket.s3.eu-west-1.amazonaws.com";
  assert.equal(verifier.verifyPresigned("PUT", url, { headers: new Map([["host", good]]) }).accessKeyId, KEY_ID);
  for (const name of ["Host ", " Host", "x-amz-acl "]) {
    assert.throws(() => verifier.verifyPresigned("PUT", url, { headers: { [name]: "evil.example" } }), /not an HTTP token/);
  }
  for (const bad of [new Set(["x-amz-acl,public-read"]), [["x-amz-acl"]], "host: x", [[1, "x"]]]) {
    assert.throws(() => verifier.verifyPresigned("PUT", url, { headers: bad }), awsig.SigningError);
  }
});

test("whatever a credential store throws comes back as it was thrown", () => {
  const url = new awsig.S3({ ...credentials }).getSignedUrl("getObject", { Bucket: "my-bucket", Key: "k" });
  const coded = Object.assign(new Error("coded"), { code: "InvalidArg" });
  for (const value of ["a string", null, undefined, 0, coded]) {
    const verifier = new awsig.Verifier(() => {
      throw value;
    });
    let caught = Symbol("none");
    try {
      verifier.verifyPresigned("GET", url);
    } catch (e) {
      caught = e;
    }
    assert.equal(caught, value);
  }
  // A lookup that verifies with the same verifier, then throws: its own
  // verification is unaffected, and its throw comes back.
  const inner = new awsig.S3({ accessKeyId: "AKIDINNER", secretAccessKey: "s" }).getSignedUrl("getObject", { Bucket: "my-bucket", Key: "k" });
  const seen = [];
  const verifier = new awsig.Verifier((id) => {
    if (id === "AKIDINNER") return "s";
    seen.push(verifier.verifyPresigned("GET", inner).accessKeyId);
    throw new RangeError("outer");
  });
  assert.throws(() => verifier.verifyPresigned("GET", url), RangeError);
  assert.deepEqual(seen, ["AKIDINNER"]);
  assert.equal(verifier.verifyPresigned("GET", inner).accessKeyId, "AKIDINNER");
  assert.throws(() => new awsig.Verifier({}, { region: 5 }), awsig.SigningError);
});

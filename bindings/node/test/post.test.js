// POST forms equal to @aws-sdk/s3-presigned-post's createPresignedPost at a
// fixed time: the same URL, fields, policy and signature.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { S3Client } = require("@aws-sdk/client-s3");
const { createPresignedPost } = require("@aws-sdk/s3-presigned-post");
const awsig = require("..");

const T = 1700000000;
const AT = new Date(T * 1000);

/** v3's form at the fixed time: it reads the clock through Date.now. */
async function v3Form(clientOptions, params) {
  const realNow = Date.now;
  Date.now = () => T * 1000;
  try {
    return await createPresignedPost(new S3Client(clientOptions), params);
  } finally {
    Date.now = realNow;
  }
}

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

const CASES = [
  { region: "us-east-1", params: { Bucket: "my-bucket", Key: "photo.jpg" } },
  { region: "us-east-1", params: { Bucket: "my.dotted.bucket", Key: "u/${filename}" } },
  { region: "eu-west-1", token: "FQoGZXIvYXdzE+/token==", params: { Bucket: "my-bucket", Key: "uploads/${filename}", Expires: 600 } },
  {
    region: "ap-northeast-1",
    params: {
      Bucket: "my-bucket",
      Key: "a b/ü+%.txt",
      Conditions: [["content-length-range", 1, 1048576], ["starts-with", "$Content-Type", "image/"], { acl: "public-read" }],
      Fields: { acl: "public-read", "Content-Type": "image/png", "x-amz-meta-tag": "ünïcode \"quoted\"" },
      Expires: 60,
    },
  },
  { region: "eu-central-1", params: { Bucket: "my-bucket", Key: "k/${filename}.jpg", Conditions: [["eq", "$success_action_status", "201"]], Fields: { success_action_status: "201" } } },
  { region: "cn-north-1", params: { Bucket: "my-bucket", Key: "k" } },
  { region: "us-gov-west-1", token: "tok", params: { Bucket: "my-bucket", Key: "k", Expires: 604800 } },
  { region: "us-west-2", params: { Bucket: "Upper_Case", Key: "k" } },
  { region: "us-east-1", endpoint: "http://127.0.0.1:9000", forcePathStyle: true, params: { Bucket: "b-1", Key: "k" } },
  { region: "us-east-1", endpoint: "http://localhost:9000", params: { Bucket: "b-1", Key: "k" } },
  { region: "us-east-1", endpoint: "https://gw.example.com/s3", params: { Bucket: "b-1", Key: "k" } },
  { region: "eu-west-1", params: { Bucket: "my-bucket", Key: "k", Fields: { "x-amz-meta-n": 5 }, Expires: 0 } },
  { region: "eu-west-1", params: { Bucket: "my-bucket", Key: "k", Expires: 90.5 } },
];

test("POST forms equal @aws-sdk/s3-presigned-post's at a fixed time", async () => {
  let same = 0;
  for (const c of CASES) {
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: c.token };
    const theirs = await v3Form(
      { region: c.region, credentials, endpoint: c.endpoint, forcePathStyle: c.forcePathStyle },
      c.params,
    );
    const s3 = new awsig.S3({ ...credentials, region: c.region, endpoint: c.endpoint, s3ForcePathStyle: c.forcePathStyle });
    const ours = s3.createPresignedPost({ ...c.params, signingTime: AT });
    assert.deepEqual(ours, theirs, JSON.stringify(c));
    // Field order too: a form is posted in its fields' order.
    assert.deepEqual(Object.keys(ours.fields), Object.keys(theirs.fields));
    same++;
  }
  console.log(`@aws-sdk/s3-presigned-post: ${same}/${CASES.length} equal`);
});

test("the signature is over the policy: another policy gets another signature", () => {
  const s3 = new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, region: "eu-west-1" });
  const a = s3.createPresignedPost({ Bucket: "my-bucket", Key: "a", signingTime: AT });
  const b = s3.createPresignedPost({ Bucket: "my-bucket", Key: "b", signingTime: AT });
  assert.notEqual(a.fields.Policy, b.fields.Policy);
  assert.notEqual(a.fields["X-Amz-Signature"], b.fields["X-Amz-Signature"]);
  assert.match(a.fields["X-Amz-Signature"], /^[0-9a-f]{64}$/);
});

test("a malformed form request is a SigningError", () => {
  const s3 = new awsig.S3({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, region: "eu-west-1" });
  const wrong = [
    [{ Key: "k" }, /Bucket/],
    [{ Bucket: "my-bucket", Key: "k", Conditions: [["starts-with", "$key"]] }, /condition/],
    [{ Bucket: "my-bucket", Key: "k", Conditions: [{ a: "1", b: "2" }] }, /condition/],
    [{ Bucket: "my-bucket", Key: "k", Fields: { acl: {} } }, /Fields\.acl/],
    [{ Bucket: "my-bucket", Key: "k", Expires: -1 }, /Expires/],
    [{ Bucket: "my-bucket", Key: "k", Expires: 1e20 }, /Expires/],
    [{ Bucket: "my-bucket", Key: "\uD800x" }, /surrogate/],
    [{ Bucket: "bad/bucket", Key: "k", signingTime: AT }, /bucket/i],
  ];
  for (const [params, message] of wrong) {
    assert.throws(() => s3.createPresignedPost(params), (e) => e instanceof awsig.SigningError && message.test(e.message), JSON.stringify(params));
  }
});

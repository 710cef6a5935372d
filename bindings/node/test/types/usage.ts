// The type definitions checked against the README's uses (`tsc --noEmit`,
// part of `npm test`): these compile, and the marked misuses do not.
import awsig = require("../..");

awsig.config = new awsig.Config({ accessKeyId: "AKID", secretAccessKey: "secret", region: "us-east-1", signatureVersion: "v4" });
const s3 = new awsig.S3();
const url: string = s3.getSignedUrl("getObject", { Bucket: "b", Key: "k", Expires: 5, signingTime: new Date() });
s3.getSignedUrl("putObject", { Bucket: "b", Key: "k", ContentType: "image/png" }, (error, signed) => {
  const maybe: string | undefined = signed;
  const failed: Error | null = error;
  void [maybe, failed];
});
const later: Promise<string> = s3.getSignedUrlPromise("headObject", { Bucket: "b", Key: "k" });
const form: { url: string; fields: Record<string, string | number> } = s3.createPresignedPost({
  Bucket: "b",
  Key: "u/${filename}",
  Conditions: [["content-length-range", 1, 1024], ["starts-with", "$Content-Type", "image/"], { acl: "private" }],
  Fields: { acl: "private" },
  Expires: 600,
});

const verifier = new awsig.Verifier({ AKID: "secret", OTHER: ["secret", "token"] }, { region: "us-east-1", service: "s3" });
const claims = verifier.verifyPresigned("GET", url, { headers: { host: "b.s3.amazonaws.com" }, now: new Date() });
const expires: Date | null = claims.expiresAt;
new awsig.Verifier(new Map([["AKID", { secretAccessKey: "secret" }]]));
verifier.verifyPresigned("GET", url, { headers: new Map([["host", ["b.s3.amazonaws.com"]]]) });
const region: string | undefined = awsig.config.update({ region: "eu-west-1", forcePathStyle: true, apiVersion: "2006-03-01" }).region;
void region;
new awsig.Verifier((id: string) => (id === "AKID" ? "secret" : undefined)).verifyAuthorization("POST", url, { body: new TextEncoder().encode("x") });

try {
  s3.getSignedUrl("getObject", { Bucket: "b", Key: "k" });
} catch (e) {
  if (e instanceof awsig.SigningError || e instanceof awsig.VerificationError) console.log(e.message);
}

// @ts-expect-error: an operation awsig does not presign
s3.getSignedUrl("copyObject", { Bucket: "b", Key: "k" });
// @ts-expect-error: Key is required
s3.getSignedUrl("getObject", { Bucket: "b" });
// @ts-expect-error: only SigV4
new awsig.S3({ signatureVersion: "v2" });
// @ts-expect-error: a condition is one of three shapes
s3.createPresignedPost({ Bucket: "b", Key: "k", Conditions: [["starts-with", "$key"]] });

void [later, form, expires];
// @ts-expect-error: accelerate endpoints are refused
new awsig.S3({ useAccelerateEndpoint: true });

// Drives examples/s3_server.rs with the AWS SDK for JavaScript v3: PutObject
// with a stream body, GetObject byte for byte, getSignedUrl, and a forged
// signature refused. One line per check; exit 1 on a failure.
//
//   node jsv3_client.mjs ENDPOINT_URL   (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
import { S3Client, PutObjectCommand, GetObjectCommand, CreateBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Readable } from "node:stream";
import { randomBytes } from "node:crypto";

const endpoint = process.argv[2];
let failed = 0;
const check = (name, ok, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"} js-v3 ${name}${!ok && detail ? ": " + detail : ""}`);
  if (!ok) failed += 1;
};
const client = (secret) => new S3Client({
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  maxAttempts: 1,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: secret ?? process.env.AWS_SECRET_ACCESS_KEY },
});

const s3 = client();
await s3.send(new CreateBucketCommand({ Bucket: "js" }));
const data = randomBytes(200_000);
await s3.send(new PutObjectCommand({ Bucket: "js", Key: "stream.bin", Body: Readable.from([data]), ContentLength: data.length }));
const got = await s3.send(new GetObjectCommand({ Bucket: "js", Key: "stream.bin" }));
const back = Buffer.from(await got.Body.transformToByteArray());
check("PutObject with a stream body, GetObject byte for byte", back.equals(data), `${back.length} bytes`);
const listed = await s3.send(new ListObjectsV2Command({ Bucket: "js" }));
check("ListObjectsV2", (listed.Contents ?? []).map((o) => o.Key).join(",") === "stream.bin");

const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "js", Key: "stream.bin" }), { expiresIn: 60 });
const fetched = await fetch(url);
const body = Buffer.from(await fetched.arrayBuffer());
check("getSignedUrl GET", fetched.status === 200 && body.equals(data), `${fetched.status}`);
const tampered = await fetch(url.replace("stream.bin", "other.bin"));
const text = await tampered.text();
check("a tampered URL gets SignatureDoesNotMatch", tampered.status === 403 && text.includes("<Code>SignatureDoesNotMatch</Code>"), `${tampered.status} ${text.slice(0, 200)}`);

try {
  await client("not-the-secret").send(new GetObjectCommand({ Bucket: "js", Key: "stream.bin" }));
  check("a forged signature gets SignatureDoesNotMatch", false, "it was served");
} catch (e) {
  check("a forged signature gets SignatureDoesNotMatch", e.name === "SignatureDoesNotMatch", e.name);
}
process.exit(failed ? 1 : 0);

// The tutorial "How to Generate Signed Amazon S3 URLs in Node.js" on awsig.
//
// Its getSignedS3URL is the tutorial's code with the require changed from
// "aws-sdk" to awsig (and an endpoint for a local S3 server, when one is
// set); its route /s3/signed-url is the tutorial's page: the URL, the image
// through it, and after 6 s a redirect to the same URL, which expired at 5 s.
//
//   AWSIG_S3_ACCESS_KEY=… AWSIG_S3_SECRET_KEY=… AWSIG_S3_BUCKET=… \
//   [AWSIG_S3_ENDPOINT=http://127.0.0.1:9000] node examples/tutorial.js [PORT]
//
// It prints "listening on http://127.0.0.1:PORT" when ready.
"use strict";

const http = require("node:http");
const AWS = require(".."); // was: import AWS from "aws-sdk";

const settings = { aws: { akid: process.env.AWSIG_S3_ACCESS_KEY, sak: process.env.AWSIG_S3_SECRET_KEY } };

AWS.config = new AWS.Config({
  accessKeyId: settings?.aws?.akid,
  secretAccessKey: settings?.aws?.sak,
  region: "us-east-1",
  signatureVersion: "v4",
  // Not in the tutorial: a local S3 server (s3s-fs in the tests) instead of AWS.
  ...(process.env.AWSIG_S3_ENDPOINT ? { endpoint: process.env.AWSIG_S3_ENDPOINT, s3ForcePathStyle: true } : {}),
});

const s3 = new AWS.S3();

const getSignedS3URL = ({ bucket, key, expires }) => {
  const signedUrl = s3.getSignedUrl("getObject", {
    Key: key,
    Bucket: bucket,
    Expires: expires || 900, // S3 default is 900 seconds (15 minutes)
  });

  return signedUrl;
};

// The tutorial's route, on node:http instead of the boilerplate's Express.
function route(req, res) {
  if (new URL(req.url, "http://localhost").pathname !== "/s3/signed-url") {
    res.writeHead(404).end("not found");
    return;
  }
  const signedUrl = getSignedS3URL({
    bucket: process.env.AWSIG_S3_BUCKET || "cheatcode-tutorials",
    key: "panda.jpeg",
    expires: 5, // NOTE: Make this URL expire in five seconds.
  });
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(`
    <html>
      <head>
        <title>AWS Signed URL Test</title>
      </head>
      <body>
        <p>URL on Amazon: <span id="url">${escapeHtml(signedUrl)}</span></p>
        <img id="panda" src="${escapeHtml(signedUrl)}" alt="AWS Signed URL Test" />
        <script>
          setTimeout(() => {
            location = ${JSON.stringify(signedUrl)};
          }, 6 * 1000);
        </script>
      </body>
    </html>
  `);
}

// The tutorial writes the URL into the page as it is; an URL holds '&', so
// it is escaped here to stay valid HTML.
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/** Starts the server on `port` (0: any free one); resolves to its URL. */
function start(port = 5001) {
  const server = http.createServer(route);
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

if (require.main === module) {
  start(Number(process.argv[2] ?? 5001)).then(({ url }) => console.log(`listening on ${url}`));
}

module.exports = { getSignedS3URL, start };

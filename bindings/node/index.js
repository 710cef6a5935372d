// awsig for Node.js: the AWS SDK for JavaScript v2's synchronous
// getSignedUrl, @aws-sdk/s3-presigned-post's createPresignedPost, and a
// SigV4 verifier, on the awsig Rust crate (awsig.node, built by build.js).
"use strict";

const native = require("./awsig.node");
const { inspect } = require("node:util");

/** An input awsig will not sign: the message names it. */
class SigningError extends Error {
  constructor(message) {
    super(message);
    this.name = "SigningError";
  }
}

/** A request that did not verify: the message names the failed check. */
class VerificationError extends Error {
  constructor(message) {
    super(message);
    this.name = "VerificationError";
  }
}

// The native half throws a signing error with code InvalidArg and a failed
// verification with GenericFailure (src/lib.rs); anything else (what a
// credential lookup threw) goes on as it was thrown.
function translated(error) {
  if (error && error.code === "InvalidArg") return new SigningError(error.message);
  if (error && error.code === "GenericFailure") return new VerificationError(error.message);
  return error;
}

function call(f) {
  try {
    return f();
  } catch (error) {
    throw translated(error);
  }
}

/** Unix seconds of `at` (a Date; now when undefined or null), floored. */
function unixSeconds(at, name) {
  if (at === undefined || at === null) return Math.floor(Date.now() / 1000);
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new SigningError(`${name} must be a valid Date`);
  }
  return Math.floor(at.getTime() / 1000);
}

/** A whole number of seconds from `value` (or `fallback` when undefined). */
function seconds(value, fallback, name) {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new SigningError(`${name} must be a whole number of seconds, at least 1`);
  }
  return value;
}

/** The operations getSignedUrl presigns, by the code the native half takes. */
const OPERATIONS = Object.assign(Object.create(null), { getObject: 0, putObject: 1, headObject: 2, deleteObject: 3, uploadPart: 4 });

/** The params getSignedUrl reads itself; every other one is passed on. */
const PRESIGN_OWN = new Set(["Bucket", "Key", "Expires", "signingTime"]);

/**
 * Settings for every `S3` made without its own, as the SDK v2's
 * `AWS.config = new AWS.Config({...})`.
 */
class Config {
  constructor(options = {}) {
    Object.assign(this, options);
  }

  [inspect.custom]() {
    return `Config { accessKeyId: ${inspect(this.accessKeyId)}, region: ${inspect(this.region)} }`;
  }
}

/**
 * An S3 presigner with the SDK v2's constructor and its synchronous
 * `getSignedUrl`. The day's signing key is cached across calls.
 */
class S3 {
  #native;
  #sessionToken;
  #region;

  constructor(options = {}) {
    const settings = { ...module.exports.config, ...options };
    const credentials = settings.credentials ?? settings;
    const { accessKeyId, secretAccessKey, sessionToken } = credentials;
    const region = settings.region ?? "us-east-1";
    if (typeof accessKeyId !== "string" || typeof secretAccessKey !== "string") {
      throw new SigningError("S3 needs accessKeyId and secretAccessKey (strings)");
    }
    const version = settings.signatureVersion;
    if (version !== undefined && version !== "v4" && version !== "s3v4") {
      throw new SigningError(`signatureVersion ${inspect(version)} is not v4: awsig signs only SigV4`);
    }
    const endpoint = settings.endpoint === undefined ? null : String(settings.endpoint);
    this.#native = call(() =>
      native.presignerNew(
          accessKeyId,
          secretAccessKey,
          region,
          sessionToken ?? null,
          endpoint,
        Boolean(settings.s3ForcePathStyle ?? settings.forcePathStyle),
      ),
    );
    this.#sessionToken = sessionToken ?? null;
    this.#region = region;
  }

  /**
   * A presigned URL for `operation` (getObject, putObject, headObject,
   * deleteObject, uploadPart) with the SDK v2's params (Bucket, Key,
   * Expires: 900 by default, VersionId, ContentType, PartNumber, UploadId,
   * Response*) and `signingTime` (a Date; now by default). With a
   * `callback`, it is called with (error, url) as the SDK v2 does.
   */
  getSignedUrl(operation, params = {}, callback) {
    if (typeof callback === "function") {
      let url;
      try {
        url = this.getSignedUrl(operation, params);
      } catch (error) {
        return callback(error);
      }
      return callback(null, url);
    }
    params ??= {};
    const { Bucket, Key } = params;
    if (typeof Bucket !== "string") throw new SigningError("params needs Bucket (a string)");
    if (typeof Key !== "string") throw new SigningError("params needs Key (a string)");
    const code = OPERATIONS[operation];
    if (code === undefined) {
      throw new SigningError(
        `operation ${inspect(operation)} is not one awsig presigns (getObject, putObject, headObject, deleteObject, uploadPart)`,
      );
    }
    // The other params, if any, as [name, text] pairs. A URL is signed per
    // request in a server, so the usual call (Bucket, Key, Expires) makes
    // no array and crosses into Rust with numbers and two strings.
    let pairs = null;
    for (const name in params) {
      if (!Object.hasOwn(params, name) || PRESIGN_OWN.has(name)) continue;
      const value = params[name];
      if (value === undefined || value === null) continue;
      pairs ??= [];
      if (name === "ResponseExpires") pairs.push([name, httpDate(value)]);
      else if (typeof value === "string") pairs.push([name, value]);
      else if (Number.isInteger(value)) pairs.push([name, String(value)]);
      else throw new SigningError(`params.${name} must be a string or an integer`);
    }
    const expires = seconds(params.Expires, 900, "Expires");
    const at = unixSeconds(params.signingTime, "signingTime");
    try {
      return native.presign(this.#native, code, Bucket, Key, expires, at, pairs);
    } catch (error) {
      throw translated(error);
    }
  }

  /** `getSignedUrl` as a promise, as the SDK v2's `getSignedUrlPromise`. */
  getSignedUrlPromise(operation, params) {
    return new Promise((resolve) => resolve(this.getSignedUrl(operation, params)));
  }

  /**
   * A browser upload form as `@aws-sdk/s3-presigned-post`'s
   * `createPresignedPost` returns it (`{ url, fields }`), but synchronous:
   * the same fields, policy and signature for the same inputs and time.
   * `Expires` is 3600 s by default; `signingTime` a Date (now by default).
   */
  createPresignedPost({ Bucket, Key, Conditions = [], Fields = {}, Expires, signingTime } = {}) {
    if (typeof Bucket !== "string" || typeof Key !== "string") {
      throw new SigningError("createPresignedPost needs Bucket and Key (strings)");
    }
    const at = unixSeconds(signingTime, "signingTime");
    const expiresIn = seconds(Expires, 3600, "Expires");
    const now = new Date(at * 1000);
    const signingDate = iso8601(now).replace(/[-:]/g, "");
    const fields = {
      ...Fields,
      bucket: Bucket,
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": call(() => native.postCredential(this.#native, at)),
      "X-Amz-Date": signingDate,
      ...(this.#sessionToken ? { "X-Amz-Security-Token": this.#sessionToken } : {}),
    };
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value !== "string") throw new SigningError(`Fields.${name} must be a string`);
    }
    // The same conditions in the same order as @aws-sdk/s3-presigned-post:
    // the caller's, each field, then the key (a prefix before a trailing
    // ${filename}); a repeated one once.
    const conditions = new Set();
    for (const condition of Conditions) conditions.add(JSON.stringify(checkedCondition(condition)));
    for (const [name, value] of Object.entries(fields)) conditions.add(JSON.stringify({ [name]: value }));
    if (Key.endsWith("${filename}")) {
      const prefix = Key.substring(0, Key.lastIndexOf("${filename}"));
      conditions.add(JSON.stringify(["starts-with", "$key", prefix]));
    } else {
      conditions.add(JSON.stringify({ key: Key }));
    }
    const policy = Buffer.from(
      JSON.stringify({
        expiration: iso8601(new Date(now.valueOf() + expiresIn * 1000)),
        conditions: Array.from(conditions, (text) => JSON.parse(text)),
      }),
      "utf8",
    ).toString("base64");
    const signature = call(() => native.signPolicy(this.#native, policy, at));
    const url = call(() => native.postUrl(this.#native, Bucket));
    return { url, fields: { ...fields, key: Key, Policy: policy, "X-Amz-Signature": signature } };
  }

  [inspect.custom]() {
    return `S3 { accessKeyId: ${inspect(native.accessKeyId(this.#native))}, region: ${inspect(this.#region)} }`;
  }

  toJSON() {
    return { accessKeyId: native.accessKeyId(this.#native), region: this.#region };
  }
}

/**
 * A timestamp as the SDK v2 writes `ResponseExpires`: from a Date, Unix
 * seconds or a date string, in HTTP's form (`Wed, 21 Oct 2015 07:28:00 GMT`).
 */
function httpDate(value) {
  const date = value instanceof Date ? value : typeof value === "number" ? new Date(value * 1000) : new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    throw new SigningError("params.ResponseExpires must be a Date, Unix seconds or a date string");
  }
  return date.toUTCString();
}

const iso8601 = (date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** A POST condition as the SDKs take it: `{field: value}`, or a 3-item array. */
function checkedCondition(condition) {
  const isPair =
    condition !== null &&
    typeof condition === "object" &&
    !Array.isArray(condition) &&
    Object.keys(condition).length === 1;
  const isTriple =
    Array.isArray(condition) &&
    condition.length === 3 &&
    ["eq", "starts-with", "content-length-range"].includes(String(condition[0]).toLowerCase());
  if (!isPair && !isTriple) {
    throw new SigningError(
      'a condition is {field: value}, ["eq" or "starts-with", "$field", value] or ["content-length-range", min, max]',
    );
  }
  return condition;
}

/** What a credential store gave, as the native lookup takes it. */
function answer(found) {
  if (found === undefined || found === null) return null;
  if (typeof found === "string") return [found];
  if (Array.isArray(found) && (found.length === 1 || found.length === 2) && typeof found[0] === "string") {
    const token = found[1];
    if (token === undefined || token === null) return [found[0]];
    if (typeof token === "string") return [found[0], token];
  }
  if (typeof found === "object" && typeof found.secretAccessKey === "string") {
    const token = found.sessionToken;
    if (token === undefined || token === null) return [found.secretAccessKey];
    if (typeof token === "string") return [found.secretAccessKey, token];
  }
  throw new TypeError(
    "credentials give a secret, a [secret, sessionToken] pair, { secretAccessKey, sessionToken }, or nothing",
  );
}

/** `[name, value]` pairs from an object, a Map, fetch's Headers or pairs. */
function headerPairs(headers) {
  if (headers === undefined || headers === null) return [];
  const entries =
    typeof headers.entries === "function" && !Array.isArray(headers)
      ? Array.from(headers.entries())
      : Array.isArray(headers)
        ? headers
        : Object.entries(headers);
  const pairs = [];
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    // Node's IncomingMessage gives a repeated header as an array.
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([String(name), String(one)]);
  }
  return pairs;
}

function bodyBuffer(body) {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new SigningError("body must be a Buffer, a Uint8Array or a string");
}

function claims(native) {
  return {
    accessKeyId: native.accessKeyId,
    region: native.region,
    service: native.service,
    signedAt: new Date(native.signedAt * 1000),
    expiresAt: native.expiresAt === undefined || native.expiresAt === null ? null : new Date(native.expiresAt * 1000),
    signedHeaders: native.signedHeaders,
  };
}

/**
 * Verifies presigned URLs and `Authorization` headers. `credentials` maps
 * an access key id to its secret (or `[secret, sessionToken]`, or
 * `{ secretAccessKey, sessionToken }`): an object, a Map, or a function
 * returning the same or nothing. `region` and `service` restrict the
 * scopes accepted (any, unless given).
 */
class Verifier {
  #native;

  constructor(credentials, { region, service } = {}) {
    let lookup;
    if (typeof credentials === "function") lookup = credentials;
    else if (credentials instanceof Map) lookup = (id) => credentials.get(id);
    else if (credentials !== null && typeof credentials === "object") {
      lookup = (id) => (Object.hasOwn(credentials, id) ? credentials[id] : undefined);
    } else throw new TypeError("credentials is an object, a Map or a function");
    this.#native = new native.NativeVerifier((id) => answer(lookup(id)), region ?? null, service ?? null);
  }

  /**
   * Verifies a presigned URL received with `method`, its `headers` and its
   * `body` where the service signs it, at `now` (a Date; now by default).
   * Returns the claims, or throws `VerificationError` naming the failed check.
   */
  verifyPresigned(method, url, { headers, body, now } = {}) {
    const at = unixSeconds(now, "now");
    return claims(call(() => this.#native.verifyPresigned(String(method), String(url), headerPairs(headers), bodyBuffer(body), at)));
  }

  /** Verifies a request signed with an `Authorization` header, as `verifyPresigned`. */
  verifyAuthorization(method, url, { headers, body, now } = {}) {
    const at = unixSeconds(now, "now");
    return claims(call(() => this.#native.verifyAuthorization(String(method), String(url), headerPairs(headers), bodyBuffer(body), at)));
  }

  [inspect.custom]() {
    return "Verifier { … }";
  }
}

module.exports = { S3, Config, Verifier, SigningError, VerificationError, config: new Config() };

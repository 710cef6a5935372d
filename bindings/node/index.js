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

/** What each other param is, as the SDK v2's S3 model types it. */
const PARAM_TYPES = Object.assign(Object.create(null), {
  VersionId: "string",
  ContentType: "string",
  PartNumber: "integer",
  UploadId: "string",
  ResponseCacheControl: "string",
  ResponseContentDisposition: "string",
  ResponseContentEncoding: "string",
  ResponseContentLanguage: "string",
  ResponseContentType: "string",
  ResponseExpires: "timestamp",
});

const RESPONSE_OVERRIDES = ["ResponseCacheControl", "ResponseContentDisposition", "ResponseContentEncoding", "ResponseContentLanguage", "ResponseContentType", "ResponseExpires"];

/** The params each operation takes, and those it needs, as the SDK v2 validates them. */
const OPERATION_PARAMS = {
  getObject: { takes: new Set(["VersionId", "PartNumber", ...RESPONSE_OVERRIDES]), needs: [] },
  putObject: { takes: new Set(["ContentType"]), needs: [] },
  headObject: { takes: new Set(["VersionId", "PartNumber", ...RESPONSE_OVERRIDES]), needs: [] },
  deleteObject: { takes: new Set(["VersionId"]), needs: [] },
  uploadPart: { takes: new Set(["PartNumber", "UploadId"]), needs: ["PartNumber", "UploadId"] },
};

/**
 * Settings that change the URL the SDK v2 writes in ways awsig does not:
 * refused by name rather than signed otherwise.
 */
const UNSUPPORTED_SETTINGS = [
  ["useAccelerateEndpoint", (v) => v === true],
  ["useDualstackEndpoint", (v) => v === true],
  ["sslEnabled", (v) => v === false],
  ["s3BucketEndpoint", (v) => v === true],
  ["s3UsEast1RegionalEndpoint", (v) => v === "regional"],
];

/** The settings that are secrets: kept out of sight on a Config. */
const SECRET_SETTINGS = ["secretAccessKey", "sessionToken", "credentials"];

/**
 * Settings for every `S3` made without its own, as the SDK v2's
 * `AWS.config = new AWS.Config({...})` (and `AWS.config.update({...})`).
 * The secret, the token and `credentials` are not enumerable: they stay
 * out of `JSON.stringify`, `Object.entries` and `util.inspect`.
 */
class Config {
  constructor(options = {}) {
    this.update(options);
  }

  /** Sets the given settings, as the SDK v2's `config.update`. */
  update(options = {}) {
    for (const [name, value] of Object.entries(options)) {
      Object.defineProperty(this, name, { value, writable: true, configurable: true, enumerable: !SECRET_SETTINGS.includes(name) });
    }
    return this;
  }

  [inspect.custom]() {
    return `Config { accessKeyId: ${inspect(this.accessKeyId)}, region: ${inspect(this.region)} }`;
  }
}

/** A setting from `options`, else from the global config. */
function setting(options, name) {
  const config = module.exports.config;
  return options[name] !== undefined ? options[name] : config?.[name];
}

/** A setting that must be a string when given; its value never in the message. */
function optionalString(value, name) {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new SigningError(`${name} must be a string`);
  return value;
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
    options ??= {};
    const credentials = setting(options, "credentials");
    const from = credentials ?? { accessKeyId: setting(options, "accessKeyId"), secretAccessKey: setting(options, "secretAccessKey"), sessionToken: setting(options, "sessionToken") };
    const accessKeyId = optionalString(from.accessKeyId, "accessKeyId");
    const secretAccessKey = optionalString(from.secretAccessKey, "secretAccessKey");
    if (accessKeyId === null || secretAccessKey === null) {
      throw new SigningError("S3 needs accessKeyId and secretAccessKey (strings)");
    }
    // As the SDK v2: an empty token is no token, an empty region us-east-1.
    const sessionToken = optionalString(from.sessionToken, "sessionToken") || null;
    const region = optionalString(setting(options, "region"), "region") || "us-east-1";
    const version = setting(options, "signatureVersion");
    if (version !== undefined && version !== "v4" && version !== "s3v4") {
      throw new SigningError(`signatureVersion ${inspect(version)} is not v4: awsig signs only SigV4`);
    }
    for (const [name, unsupported] of UNSUPPORTED_SETTINGS) {
      if (unsupported(setting(options, name))) {
        throw new SigningError(`${name}: ${inspect(setting(options, name))} is not a setting awsig presigns with`);
      }
    }
    this.#native = call(() =>
      native.presignerNew(
        accessKeyId,
        secretAccessKey,
        region,
        sessionToken,
        endpointUrl(setting(options, "endpoint")),
        Boolean(setting(options, "s3ForcePathStyle") ?? setting(options, "forcePathStyle")),
      ),
    );
    this.#sessionToken = sessionToken;
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
    wellFormed(Bucket, "Bucket");
    wellFormed(Key, "Key");
    // The other params, if any, as [name, text] pairs. A URL is signed per
    // request in a server, so the usual call (Bucket, Key, Expires) makes
    // no array and crosses into Rust with numbers and two strings.
    const allowed = OPERATION_PARAMS[operation];
    let pairs = null;
    for (const name in params) {
      if (!Object.hasOwn(params, name) || PRESIGN_OWN.has(name)) continue;
      const value = params[name];
      if (value === undefined || value === null) continue;
      if (!allowed.takes.has(name)) {
        throw new SigningError(
          name in PARAM_TYPES ? `${operation} takes no ${name}` : `params has ${name}, which awsig does not presign`,
        );
      }
      pairs ??= [];
      pairs.push([name, paramText(name, value)]);
    }
    for (const name of allowed.needs) {
      if (params[name] === undefined || params[name] === null) throw new SigningError(`${operation} needs params.${name}`);
    }
    // As the SDK v2: no expiry, or 0, is 900 s.
    const expires = seconds(params.Expires || undefined, 900, "Expires");
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
    wellFormed(Bucket, "Bucket");
    wellFormed(Key, "Key");
    const at = unixSeconds(signingTime, "signingTime");
    // Any non-negative number of seconds, as @aws-sdk/s3-presigned-post
    // takes it (the expiration is written in whole seconds).
    const expiresIn = Expires ?? 3600;
    if (typeof expiresIn !== "number" || !(expiresIn >= 0)) throw new SigningError("Expires must be a number of seconds, at least 0");
    const now = new Date(at * 1000);
    const expiration = new Date(now.valueOf() + expiresIn * 1000);
    if (Number.isNaN(expiration.getTime())) throw new SigningError("Expires is out of range");
    const signingDate = iso8601(now).replace(/[-:]/g, "");
    const fields = {
      ...Fields,
      bucket: Bucket,
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": call(() => native.postCredential(this.#native, at)),
      "X-Amz-Date": signingDate,
      ...(this.#sessionToken ? { "X-Amz-Security-Token": this.#sessionToken } : {}),
    };
    // Numbers go in the policy as numbers, as @aws-sdk/s3-presigned-post
    // writes them; a browser sends them as text, which S3 compares.
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === "string") wellFormed(value, `Fields.${name}`);
      else if (typeof value !== "number" || !Number.isFinite(value)) throw new SigningError(`Fields.${name} must be a string or a number`);
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
        expiration: iso8601(expiration),
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

/** A param's value as text, checked against its type in the SDK v2's model. */
function paramText(name, value) {
  switch (PARAM_TYPES[name]) {
    case "timestamp":
      return httpDate(value);
    case "integer":
      if (!Number.isSafeInteger(value)) throw new SigningError(`params.${name} must be an integer`);
      return String(value);
    default:
      if (typeof value !== "string") throw new SigningError(`params.${name} must be a string`);
      return wellFormed(value, `params.${name}`);
  }
}

/** `text`, refused if it holds a lone surrogate (no UTF-8 for it: the SDK v2 throws too). */
function wellFormed(text, name) {
  if (!text.isWellFormed()) throw new SigningError(`${name} holds a lone UTF-16 surrogate`);
  return text;
}

/** A custom endpoint as a URL: a string (https:// when it names no scheme, as the SDK v2) or an AWS.Endpoint-like `{ href }`. */
function endpointUrl(endpoint) {
  if (endpoint === undefined || endpoint === null) return null;
  const text = typeof endpoint === "object" && typeof endpoint.href === "string" ? endpoint.href : endpoint;
  if (typeof text !== "string") throw new SigningError("endpoint must be a URL string");
  return text.includes("://") ? text : `https://${text}`;
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

/**
 * `[name, value]` pairs from a plain object (Node's `req.headers`), a Map,
 * fetch's Headers or any iterable of pairs; a value may be an array of
 * values (a repeated header). Anything else is refused: headers read as
 * none would skip the checks on them.
 */
function headerPairs(headers) {
  if (headers === undefined || headers === null) return [];
  if (typeof headers !== "object") throw new SigningError("headers must be an object, a Map, a Headers or [name, value] pairs");
  const entries = typeof headers[Symbol.iterator] === "function" ? Array.from(headers) : Object.entries(headers);
  const pairs = [];
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") {
      throw new SigningError("headers must be an object, a Map, a Headers or [name, value] pairs");
    }
    const [name, value] = entry;
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      if (typeof one !== "string" && typeof one !== "number") throw new SigningError(`header ${name} must be a string`);
      pairs.push([name, String(one)]);
    }
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
  /** What the credential lookup threw during the verification under way. */
  #thrown = null;

  constructor(credentials, { region, service } = {}) {
    let lookup;
    if (typeof credentials === "function") lookup = credentials;
    else if (credentials instanceof Map) lookup = (id) => credentials.get(id);
    else if (credentials !== null && typeof credentials === "object") {
      lookup = (id) => (Object.hasOwn(credentials, id) ? credentials[id] : undefined);
    } else throw new TypeError("credentials is an object, a Map or a function");
    // What the store throws is kept and thrown again, as it was thrown,
    // once the verification returns: a failing store is no unknown key.
    const guarded = (id) => {
      try {
        return answer(lookup(id));
      } catch (thrown) {
        this.#thrown = { value: thrown };
        return null;
      }
    };
    this.#native = new native.NativeVerifier(guarded, optionalString(region, "region"), optionalString(service, "service"));
  }

  /** Runs one verification; a lookup's throw wins over its outcome. */
  #verify(verify) {
    const outer = this.#thrown;
    this.#thrown = null;
    try {
      const out = call(verify);
      if (this.#thrown) throw this.#thrown.value;
      return claims(out);
    } catch (error) {
      if (this.#thrown) throw this.#thrown.value;
      throw error;
    } finally {
      this.#thrown = outer;
    }
  }

  /**
   * Verifies a presigned URL received with `method`, its `headers` and its
   * `body` where the service signs it, at `now` (a Date; now by default).
   * Returns the claims, or throws `VerificationError` naming the failed check.
   */
  verifyPresigned(method, url, { headers, body, now } = {}) {
    const received = [String(method), String(url), headerPairs(headers), bodyBuffer(body), unixSeconds(now, "now")];
    return this.#verify(() => this.#native.verifyPresigned(...received));
  }

  /** Verifies a request signed with an `Authorization` header, as `verifyPresigned`. */
  verifyAuthorization(method, url, { headers, body, now } = {}) {
    const received = [String(method), String(url), headerPairs(headers), bodyBuffer(body), unixSeconds(now, "now")];
    return this.#verify(() => this.#native.verifyAuthorization(...received));
  }

  [inspect.custom]() {
    return "Verifier { … }";
  }
}

module.exports = { S3, Config, Verifier, SigningError, VerificationError, config: new Config() };

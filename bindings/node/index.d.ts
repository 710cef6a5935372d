// Type definitions for awsig (Node.js): the AWS SDK v2's synchronous
// getSignedUrl, @aws-sdk/s3-presigned-post's form, and a SigV4 verifier.

/** An input awsig will not sign: the message names it. */
export class SigningError extends Error {
  name: "SigningError";
}

/** A request that did not verify: the message names the failed check. */
export class VerificationError extends Error {
  name: "VerificationError";
}

/** The settings of an `S3`, as the SDK v2's `AWS.Config` takes them. */
export interface S3Options {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Or the three above in one object, as the SDK v2's `credentials`. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** `us-east-1` by default. */
  region?: string;
  /** A custom endpoint (`http://127.0.0.1:9000`; `https://` when it names no scheme), or an object with its `href`; AWS's for the region by default. */
  endpoint?: string | { href: string };
  /** The bucket in the path rather than the host. */
  s3ForcePathStyle?: boolean;
  /** The SDK v3's name for `s3ForcePathStyle`. */
  forcePathStyle?: boolean;
  /** Only SigV4 is signed: `v4` (or `s3v4`), if given. */
  signatureVersion?: "v4" | "s3v4";
  /** Accepted and ignored, as the SDK v2's S3 has one API version. */
  apiVersion?: string;
  /** Refused when `true`: awsig does not presign accelerate endpoints. */
  useAccelerateEndpoint?: false;
  /** Refused when `true`: awsig does not presign dual-stack endpoints here. */
  useDualstackEndpoint?: false;
  /** Refused when `false`: URLs are https at AWS. */
  sslEnabled?: true;
}

/**
 * Settings for every `S3` made without its own: `awsig.config = new awsig.Config({...})`.
 * The secret, the token and `credentials` are kept out of JSON and inspection.
 */
export class Config {
  constructor(options?: S3Options);
  /** Sets the given settings, as the SDK v2's `config.update`. */
  update(options: S3Options): this;
}
/** A Config's settings are an S3Options' (declaration merging). */
export interface Config extends S3Options {}

/** The settings `new S3()` starts from. */
export let config: Config;

/** The operations `getSignedUrl` presigns. */
export type Operation = "getObject" | "putObject" | "headObject" | "deleteObject" | "uploadPart";

/** The SDK v2's `getSignedUrl` params that awsig presigns. */
export interface SignedUrlParams {
  Bucket: string;
  Key: string;
  /** Seconds the URL stays valid: 900 by default, at most 604800. */
  Expires?: number;
  VersionId?: string;
  /** Signed in the query, as the SDK v2 signs it. */
  ContentType?: string;
  /** getObject, headObject; uploadPart needs it. */
  PartNumber?: number;
  /** uploadPart needs it. */
  UploadId?: string;
  ResponseCacheControl?: string;
  ResponseContentDisposition?: string;
  ResponseContentEncoding?: string;
  ResponseContentLanguage?: string;
  ResponseContentType?: string;
  ResponseExpires?: Date | number | string;
  /** When the URL is signed: now by default. */
  signingTime?: Date;
}

/** A POST condition: `{ field: value }`, `["eq" | "starts-with", "$field", value]` or `["content-length-range", min, max]`. */
export type Condition = Record<string, string> | ["eq" | "starts-with", string, string] | ["content-length-range", number, number];

export interface PresignedPostParams {
  Bucket: string;
  Key: string;
  Conditions?: Condition[];
  Fields?: Record<string, string | number>;
  /** Seconds the form stays valid: 3600 by default. */
  Expires?: number;
  /** When the form is signed: now by default. */
  signingTime?: Date;
}

/** What `@aws-sdk/s3-presigned-post`'s `createPresignedPost` returns. */
export interface PresignedPost {
  url: string;
  fields: Record<string, string | number>;
}

/** An S3 presigner with the SDK v2's constructor; the day's signing key is cached across calls. */
export class S3 {
  constructor(options?: S3Options);
  /** A presigned URL, synchronously, as the SDK v2's `getSignedUrl`. */
  getSignedUrl(operation: Operation, params: SignedUrlParams): string;
  /** The same, handed to `callback`. */
  getSignedUrl(operation: Operation, params: SignedUrlParams, callback: (error: Error | null, url?: string) => void): void;
  /** The same, as a promise. */
  getSignedUrlPromise(operation: Operation, params: SignedUrlParams): Promise<string>;
  /** A browser upload form, synchronously, equal to `@aws-sdk/s3-presigned-post`'s. */
  createPresignedPost(params: PresignedPostParams): PresignedPost;
}

/** What a credential store gives for an access key id. */
export type Secret = string | [secret: string, sessionToken?: string] | { secretAccessKey: string; sessionToken?: string };

export type CredentialStore = Record<string, Secret> | Map<string, Secret> | ((accessKeyId: string) => Secret | null | undefined);

/** Headers as an object (Node's `req.headers`), a Map, fetch's `Headers` or any iterable of `[name, value]` pairs. */
export type HeadersLike = Record<string, string | string[] | undefined> | Map<string, string | string[]> | Iterable<[string, string | string[]]>;

export interface ReceivedRequest {
  headers?: HeadersLike;
  /** The body, where the service signs it. */
  body?: Uint8Array | string;
  /** The time to check against: now by default. */
  now?: Date;
}

/** The claims of a request that verified. */
export interface Claims {
  accessKeyId: string;
  region: string;
  service: string;
  signedAt: Date;
  /** When a presigned URL stops being valid; `null` for a header-signed request. */
  expiresAt: Date | null;
  /** The signed headers, lower-case, in order. */
  signedHeaders: string[];
}

/** Verifies presigned URLs and `Authorization` headers. */
export class Verifier {
  /** `region` and `service` restrict the scopes accepted (any, unless given). */
  constructor(credentials: CredentialStore, options?: { region?: string; service?: string });
  /** The claims of a presigned URL, or a `VerificationError` naming the failed check. */
  verifyPresigned(method: string, url: string, request?: ReceivedRequest): Claims;
  /** The claims of a request signed with an `Authorization` header. */
  verifyAuthorization(method: string, url: string, request?: ReceivedRequest): Claims;
}

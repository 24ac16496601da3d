import type * as http from 'node:http';
import * as aws4 from 'aws4';
import { downloadBundle, sourceAgent, sourceError } from './bundle-download';
import type { BundleSource, SourceFetch, SourceMark } from './bundle-source';

/**
 * Static AWS credentials. Never in the config (it is kept in the history and shown by the admin
 * API): the primary reads them from its environment at start, see {@link s3CredentialsFromEnv}.
 */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** For temporary credentials (`AWS_SESSION_TOKEN`), sent as `X-Amz-Security-Token`. */
  readonly sessionToken?: string;
}

/** Options of {@link S3BundleSource}. */
export interface S3BundleSourceOptions {
  /** The bucket (validated by the config schema). */
  readonly bucket: string;
  /** The object key of the bundle file, without a leading `/`. */
  readonly key: string;
  /** The region the request is signed for (`us-east-1`; S3-compatible stores often take any). */
  readonly region: string;
  /**
   * `http(s)://host[:port]` of an S3-compatible store (MinIO, R2, Ceph...). Absent: AWS,
   * `https://s3.<region>.amazonaws.com`.
   */
  readonly endpoint?: string;
  /**
   * `true`: `<endpoint>/<bucket>/<key>`; `false`: `<bucket>.<endpoint host>/<key>` (virtual-hosted).
   * Default: `true` with an `endpoint`, `false` without (AWS's recommended style).
   */
  readonly forcePathStyle?: boolean;
  /** Null: every fetch fails with WEIR_ERR_BUNDLE_SOURCE saying the credentials are missing. */
  readonly credentials: S3Credentials | null;
  /** Deadline of one fetch, headers and body, in ms. */
  readonly timeoutMs: number;
  /** Largest object accepted, in bytes (as `HttpBundleSource`). */
  readonly maxBytes: number;
}

/**
 * The credentials in `env` (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional
 * `AWS_SESSION_TOKEN`), or null when either of the first two is missing or empty. Read once,
 * when the primary starts (operations.md, "Bundles"): rotating them needs a restart.
 */
export function s3CredentialsFromEnv(env: NodeJS.ProcessEnv): S3Credentials | null {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (accessKeyId === undefined || accessKeyId === '' || secretAccessKey === undefined || secretAccessKey === '') return null;
  const sessionToken = env['AWS_SESSION_TOKEN'];
  return sessionToken === undefined || sessionToken === '' ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}

/**
 * A bundle in an S3 bucket or an S3-compatible store: a GetObject (`GET /<bucket>/<key>` or
 * virtual-hosted) signed with AWS Signature Version 4 by `aws4` (a maintained, dependency-free
 * signer; the AWS SDK would bring dozens of packages into the primary for one GET). Sends the
 * last answer's `ETag` as `If-None-Match` (and `Last-Modified` as `If-Modified-Since`), which S3
 * answers with 304. The download (status, size cap, deadline) is `downloadBundle`, shared with
 * `HttpBundleSource`; an error answer's S3 error code (`AccessDenied`, `SignatureDoesNotMatch`,
 * `NoSuchKey`, ...) is in the WEIR_ERR_BUNDLE_SOURCE message.
 *
 * Each fetch is signed afresh (SigV4 signatures carry their time and expire after 15 minutes).
 */
export class S3BundleSource implements BundleSource {
  readonly description: string;
  private readonly url: URL;
  private readonly region: string;
  private readonly credentials: S3Credentials | null;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly agent: http.Agent;

  constructor(options: S3BundleSourceOptions) {
    this.url = s3ObjectUrl(options);
    this.region = options.region;
    this.credentials = options.credentials;
    this.timeoutMs = options.timeoutMs;
    this.maxBytes = options.maxBytes;
    this.description = `s3://${options.bucket}/${options.key}${options.endpoint === undefined ? '' : ` at ${this.url.origin}`}`;
    this.agent = sourceAgent(this.url);
  }

  fetch(previous: SourceMark | null): Promise<SourceFetch> {
    const credentials = this.credentials;
    if (credentials === null) {
      return Promise.reject(sourceError(`no credentials for ${this.description}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment of weir and restart it`));
    }
    const headers: http.OutgoingHttpHeaders = {};
    if (previous?.etag != null) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified != null) headers['if-modified-since'] = previous.lastModified;
    // aws4 adds Host, X-Amz-Date, X-Amz-Content-Sha256, X-Amz-Security-Token and Authorization.
    const signed = aws4.sign(
      { host: this.url.host, path: this.url.pathname, method: 'GET', service: 's3', region: this.region, headers },
      { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }) },
    );
    return downloadBundle({
      url: this.url,
      headers: signed.headers ?? headers,
      agent: this.agent,
      description: this.description,
      timeoutMs: this.timeoutMs,
      maxBytes: this.maxBytes,
      errorDetail: s3ErrorCode,
    });
  }

  close(): Promise<void> {
    this.agent.destroy();
    return Promise.resolve();
  }
}

/** The object's URL, each key segment percent-encoded as SigV4's canonical URI wants it. */
export function s3ObjectUrl(options: Pick<S3BundleSourceOptions, 'bucket' | 'key' | 'region' | 'endpoint' | 'forcePathStyle'>): URL {
  const base = new URL(options.endpoint ?? `https://s3.${options.region}.amazonaws.com`);
  const pathStyle = options.forcePathStyle ?? options.endpoint !== undefined;
  const key = options.key.split('/').map(encodeRfc3986).join('/');
  if (pathStyle) return new URL(`${base.origin}/${encodeRfc3986(options.bucket)}/${key}`);
  return new URL(`${base.protocol}//${options.bucket}.${base.host}/${key}`);
}

/** `encodeURIComponent` plus the sub-delimiters it leaves alone (RFC 3986 section 2.3, as SigV4 wants). */
function encodeRfc3986(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The `<Code>` of an S3 error document, or null. */
function s3ErrorCode(body: string): string | null {
  const match = /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(body);
  return match?.[1] ?? null;
}

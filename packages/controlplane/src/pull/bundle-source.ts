/**
 * Validators of the last bundle a source answered with: sent back on the next poll so an
 * unchanged source answers 304 instead of the whole file (RFC 9110 section 13.1).
 */
export interface SourceMark {
  /** The `ETag` of the last 200 answer, or null. Sent as `If-None-Match`. */
  readonly etag: string | null;
  /** The `Last-Modified` of the last 200 answer, or null. Sent as `If-Modified-Since`. */
  readonly lastModified: string | null;
}

/** What one poll of a source found. */
export type SourceFetch =
  /** The source says the bundle has not changed since `mark` (HTTP 304). */
  | { readonly status: 'unchanged' }
  /** The bundle file's bytes, and the validators to send next time. */
  | { readonly status: 'fetched'; readonly bytes: Buffer; readonly mark: SourceMark };

/**
 * Where bundles come from. `HttpBundleSource` reads plain HTTP(S) (any static server or CDN); an
 * object-store source (S3 with SigV4) implements the same interface. The source is not trusted:
 * everything it returns goes through the verifier.
 */
export interface BundleSource {
  /** What to show in logs and `/admin/status` (the URL; never credentials). */
  readonly description: string;
  /**
   * Fetch the bundle, conditionally on `previous` (null: unconditionally). Rejects with
   * WeirError WEIR_ERR_BUNDLE_SOURCE when the source cannot be read: unreachable, timed out,
   * an unexpected status, or a file over the size cap (the download stops there).
   */
  fetch(previous: SourceMark | null): Promise<SourceFetch>;
  /** Release connections. */
  close(): Promise<void>;
}

import { Transform, type TransformCallback } from 'node:stream';

/** The error a body over the route's `maxBodyBytes` fails its upstream request with. */
export function bodyTooLarge(): Error {
  return Object.assign(new Error('request body larger than limits.maxBodyBytes'), { code: 'WEIR_ERR_BODY_TOO_LARGE' });
}

/**
 * Counts a streamed request body of unknown length (chunked, or HTTP/2 without
 * content-length) and fails the stream once it passes `max` bytes: undici then aborts the
 * upstream request and the exchange answers 413 (or cuts a started response). Only routes with
 * `limits.maxBodyBytes` and bodies without a content-length pay for it; a larger announced
 * content-length is refused before anything is sent.
 */
export class BodyLimit extends Transform {
  private readonly max: number;
  private seen: number;

  constructor(max: number) {
    super();
    this.max = max;
    this.seen = 0;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) {
      callback(bodyTooLarge());
      return;
    }
    callback(null, chunk);
  }
}

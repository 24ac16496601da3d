/**
 * The part of `@20minutes/s3rver` (a maintained fork of s3rver that verifies SigV4 signatures;
 * the original `s3rver` 3.x accepts any V4 signature) the S3 source tests use. The package
 * ships no types.
 */
declare module '@20minutes/s3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  class S3rver {
    constructor(options: S3rverOptions);
    /** The listening server, once `run` resolved. */
    httpServer: Server | undefined;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }

  export = S3rver;
}

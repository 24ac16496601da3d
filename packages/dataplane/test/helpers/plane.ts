import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { Spec } from '@weir/runtime';
import type { AccessLog, DataplaneMetrics } from '@weir/obs';
import { DataPlane } from '../../src/index';
import { silentLogger } from './servers';

/** A committed data plane on one port-0 listener. */
export interface TestPlane {
  readonly plane: DataPlane;
  /** Port of the first listener. */
  readonly port: number;
  /** Ports by listener name. */
  readonly ports: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** Options of `startPlane`. */
export interface StartPlaneOptions {
  readonly metrics?: DataplaneMetrics;
  /** An access log (a `MemoryAccessLog` is accepted: it is structurally what dataplane calls). */
  readonly accessLog?: AccessLog | MemoryAccessLog;
  readonly random?: () => number;
  /** The data plane's monotonic clock (breakers, outlier detection, ejections). */
  readonly clock?: { now(): number };
}

/** Prepares and commits `spec` on a new DataPlane. */
export async function startPlane(spec: Spec, options: StartPlaneOptions = {}): Promise<TestPlane> {
  const accessLog = options.accessLog;
  const plane = new DataPlane({
    logger: silentLogger(),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(accessLog === undefined ? {} : { openAccessLog: () => accessLog as AccessLog }),
  });
  const prepared = await plane.prepare(spec);
  plane.commit();
  const ports = new Map(prepared.listeners.map((l) => [l.name, l.port] as const));
  return {
    plane,
    port: prepared.listeners[0]!.port,
    ports,
    close: () => plane.drain(1_000),
  };
}

/** A response read whole. */
export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** One request on its own connection (agent: false), body read whole. */
export function send(
  port: number,
  options: { method?: string; path?: string; headers?: OutgoingHttpHeaders | readonly string[]; body?: string | Buffer } = {},
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers as OutgoingHttpHeaders,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The parsed JSON error body of a proxy-made error. */
export function errorCode(res: TestResponse): string {
  return (JSON.parse(res.body.toString('utf8')) as { error: { code: string } }).error.code;
}

/** An in-memory access log. */
export class MemoryAccessLog {
  readonly records: Record<string, unknown>[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];

  write(record: object): void {
    this.records.push({ ...record } as Record<string, unknown>);
    this.waiters = this.waiters.filter((w) => {
      if (this.records.length < w.n) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once `n` records were written. */
  waitFor(n: number): Promise<void> {
    if (this.records.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

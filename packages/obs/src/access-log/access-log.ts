import { WeirError } from '@weir/errors';
import pino from 'pino';
import type { AccessRecord } from './access-record';

type Destination = ReturnType<typeof pino.destination>;

/** Options of {@link AccessLog}. */
export interface AccessLogOptions {
  /** `"stdout"` or an absolute file path, appended to (created if missing). Default `"stdout"`. */
  readonly path?: string;
  /**
   * Most bytes waiting to be written before new lines are dropped (and counted in `dropped()`),
   * so a stalled disk or pipe costs bounded memory instead of the worker. Lines reach the
   * destination one event-loop turn's worth at a time, and a turn's worth that does not fit is
   * dropped whole. Default 16 MiB.
   */
  readonly maxBufferedBytes?: number;
  /**
   * Called for write errors (disk full, pipe closed) after the log opened. The access log must
   * never take the request path down, so errors are reported here and writing continues.
   * Default: ignored.
   */
  readonly onError?: (err: Error) => void;
}

const needsEscape = /["\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/;

/** `,"name":"value"` for a set optional field, '' otherwise. */
function optional(name: string, value: string | null | undefined): string {
  return value === undefined || value === null || value === '' ? '' : ',"' + name + '":' + quote(value);
}

/** A JSON string literal; JSON.stringify only when the value has something to escape. */
function quote(value: string): string {
  return needsEscape.test(value) ? JSON.stringify(value) : '"' + value + '"';
}

/**
 * Pending characters that trigger a hand-over before the end of the event-loop turn, so one long
 * synchronous burst does not build an unbounded string.
 */
const maxPendingChars = 64 * 1024;

function countLines(data: string): number {
  let lines = 0;
  for (let at = data.indexOf('\n'); at >= 0 && lines < data.length; at = data.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** A JSON number; non-finite values (which JSON cannot hold) are written as 0. */
function num(value: number): string {
  return Number.isFinite(value) ? String(value) : '0';
}

/**
 * The access log: one JSON line per request, written asynchronously (DESIGN.md section 5).
 *
 * `write` formats the line by hand in a fixed field order (time, method, path, host, status,
 * route, upstream, endpoint, durationMs, bytesSent, remoteAddress, code) and appends it to a
 * pending string; once per turn of the event loop (setImmediate) the pending lines go to a
 * sonic-boom destination (pino's, `sync: false`) in one piece, and libuv writes them while the
 * event loop serves other requests. Batching matters: sonic-boom measures the byte length of its
 * whole buffered string on every `write`, which cost ~2 µs per line when each line was written on
 * its own; here format + append cost ~0.3-0.4 µs per line, against ~4.3 µs for `pino.info(record)`
 * (`bench/access-log-write.bench.ts`, our 2-core machine). The time string is cached per
 * millisecond, since requests finishing on one coarse-clock tick share it.
 *
 * A disabled access log is `null` at the call site (see `createAccessLog`), so a worker with
 * no access log pays one null check per request.
 *
 * Writing to `"stdout"` shares the stream with the process log; a busy proxy should log to a
 * file.
 */
export class AccessLog {
  private dest: Destination;
  private readonly target: string | 1;
  private readonly maxLength: number;
  private readonly onError: ((err: Error) => void) | undefined;
  private readonly opened: Promise<void>;
  private state: 'opening' | 'open' | 'failed' | 'closed' = 'opening';
  private closing: Promise<void> | null = null;
  /** Destinations replaced by `reopen`, still writing their queue to the rotated file. */
  private readonly retiring = new Set<Promise<void>>();
  /**
   * Per destination: resolves `true` once its file is open, `false` if opening failed (sonic-boom
   * never finishes `end()` on a destination that did not open, so we must not call it).
   */
  private readonly openOutcome = new WeakMap<Destination, Promise<boolean>>();
  private lastError: Error | null = null;
  private droppedLines = 0;
  /** Lines formatted since the last hand-over to the destination. */
  private pending = '';
  private scheduled: NodeJS.Immediate | null = null;
  /** Bound once: the setImmediate callback that hands pending lines over. */
  private readonly flushPending = (): void => {
    this.scheduled = null;
    this.flush();
  };
  private lastTime = Number.NaN;
  private lastIso = '';

  constructor(options: AccessLogOptions = {}) {
    const path = options.path ?? 'stdout';
    this.target = path === 'stdout' ? 1 : path;
    this.maxLength = options.maxBufferedBytes ?? 16 * 1024 * 1024;
    this.onError = options.onError;
    const open = { resolve: (): void => undefined, reject: (_err: unknown): void => undefined };
    this.opened = new Promise<void>((resolve, reject) => {
      open.resolve = resolve;
      open.reject = reject;
    });
    // `ready()` reports an open failure; a caller that never asks must not get an unhandled
    // rejection for it.
    this.opened.catch(() => undefined);
    this.dest = this.createDestination((err) => {
      if (err === null) {
        if (this.state === 'opening') this.state = 'open';
        open.resolve();
      } else {
        if (this.state === 'opening') this.state = 'failed';
        open.reject(new WeirError('WEIR_ERR_INTERNAL', `access log ${path} cannot be opened`, { cause: err }));
      }
    });
  }

  /**
   * Resolves once the destination is open; rejects with WEIR_ERR_INTERNAL (cause: the fs error)
   * when the file cannot be opened. Await it at startup to fail fast on a bad path; lines
   * written before then are queued.
   */
  ready(): Promise<void> {
    return this.opened;
  }

  /** Queue one line. Never throws; does nothing after `close()` or a failed open. */
  write(record: AccessRecord): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    const code = record.code;
    const line =
      '{"time":"' +
      this.iso(record.time) +
      '","method":' +
      quote(record.method) +
      ',"path":' +
      quote(record.path) +
      ',"host":' +
      quote(record.host) +
      ',"status":' +
      num(record.status) +
      ',"route":' +
      quote(record.route) +
      ',"upstream":' +
      quote(record.upstream) +
      ',"endpoint":' +
      quote(record.endpoint) +
      ',"durationMs":' +
      num(Math.round(record.durationMs * 1000) / 1000) +
      ',"bytesSent":' +
      num(record.bytesSent) +
      ',"remoteAddress":' +
      quote(record.remoteAddress) +
      optional('requestId', record.requestId) +
      optional('principal', record.principal) +
      optional('traffic', record.traffic) +
      optional('traceId', record.traceId) +
      optional('spanId', record.spanId) +
      (code === undefined || code === null || code === '' ? '}\n' : ',"code":' + quote(code) + '}\n');
    this.pending += line;
    if (this.pending.length >= maxPendingChars) this.flush();
    else if (this.scheduled === null) this.scheduled = setImmediate(this.flushPending);
  }

  /** Lines dropped because the destination's buffer was full. */
  dropped(): number {
    return this.droppedLines;
  }

  /**
   * Start a new file at the same path, after log rotation moved the old one away (logrotate
   * without copytruncate). Lines already queued still go to the old file, which is closed once
   * they are written; new lines go to the new file. No effect for stdout, before the log is
   * open, or after close. (A fresh destination rather than sonic-boom's `reopen()`: that one
   * never finishes an `end()` that races a reopen pending behind an in-flight write.)
   */
  reopen(): void {
    if (this.state !== 'open' || this.target === 1) return;
    this.flush();
    const old = this.dest;
    this.dest = this.createDestination((err) => {
      if (err !== null) this.report(err);
    });
    const ending = this.endDestination(old).then(() => {
      this.retiring.delete(ending);
    });
    this.retiring.add(ending);
  }

  /**
   * Write every queued line, then close the file (stdout stays open). Further writes are
   * ignored. Resolves also when the log failed to open. Idempotent.
   */
  close(): Promise<void> {
    if (this.closing === null) {
      this.flush();
      if (this.scheduled !== null) clearImmediate(this.scheduled);
      this.scheduled = null;
      this.state = 'closed';
      this.closing = Promise.all([this.endDestination(this.dest), ...this.retiring]).then(() => undefined);
    }
    return this.closing;
  }

  /**
   * A pino (sonic-boom) destination, asynchronous, with our listeners. `onOpen` gets `null` once
   * the file is open, or the error if opening failed.
   */
  private createDestination(onOpen: (err: Error | null) => void): Destination {
    const dest = pino.destination({ dest: this.target, sync: false, append: true, mkdir: false, minLength: 0, maxLength: this.maxLength });
    let opened: ((ok: boolean) => void) | null = null;
    this.openOutcome.set(
      dest,
      new Promise<boolean>((resolve) => {
        opened = resolve;
      }),
    );
    const settle = (err: Error | null): void => {
      if (opened === null) return;
      const resolve = opened;
      opened = null;
      resolve(err === null);
      onOpen(err);
    };
    dest.once('ready', () => settle(null));
    dest.on('error', (err: Error) => {
      // pino's destination re-emits an error once from its own listener (after checking for
      // EPIPE), so the same error can arrive twice.
      if (err === this.lastError) return;
      this.lastError = err;
      if (opened !== null) settle(err);
      else this.report(err);
    });
    dest.on('drop', (data: string) => {
      this.droppedLines += countLines(data);
    });
    return dest;
  }

  /** Flush and close one destination, once it has opened; resolves at once if it never opens. */
  private async endDestination(dest: Destination): Promise<void> {
    if (!(await this.openOutcome.get(dest))) return;
    await new Promise<void>((resolve) => {
      dest.once('close', () => resolve());
      dest.once('error', () => resolve());
      dest.end();
    });
  }

  /** Hand the pending lines to the destination (which queues them and writes asynchronously). */
  private flush(): void {
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    this.dest.write(chunk);
  }

  private report(err: Error): void {
    if (this.onError === undefined) return;
    try {
      this.onError(err);
    } catch {
      // Runs in a stream event listener: a throwing reporter would crash the worker.
    }
  }

  /**
   * ISO 8601 for an epoch-ms time (fractions truncated, as Date does), cached for the last
   * millisecond; `""` for an invalid time.
   */
  private iso(time: number): string {
    const ms = Math.trunc(time);
    if (ms !== this.lastTime) {
      const date = new Date(ms);
      this.lastTime = ms;
      this.lastIso = Number.isNaN(date.getTime()) ? '' : date.toISOString();
    }
    return this.lastIso;
  }
}

/** Options of {@link createAccessLog}: the spec's `logging.accessLog` plus AccessLog's own. */
export interface CreateAccessLogOptions extends AccessLogOptions {
  /** Default `false`: no access log. */
  readonly enabled?: boolean;
}

/**
 * The access log for a spec's `logging.accessLog`, or `null` when it is disabled. Call sites keep
 * the `AccessLog | null` and write with `if (accessLog !== null) accessLog.write(ctx)`.
 */
export function createAccessLog(options: CreateAccessLogOptions): AccessLog | null {
  return options.enabled === true ? new AccessLog(options) : null;
}

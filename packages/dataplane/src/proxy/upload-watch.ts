import { performance } from 'node:perf_hooks';

/** An upload the watch looks after: an exchange streaming a request body upstream. */
export interface WatchedUpload {
  /** Longest silence allowed from the client while its body is read (upstream `idleMs`). */
  readonly uploadIdleMs: number;
  /** Bytes read so far on the client connection (`socket.bytesRead`, monotonic). */
  uploadProgress(): number;
  /**
   * The client sent nothing for `uploadIdleMs`. Returns true when the exchange dealt with it
   * (the watch forgets the upload), false to keep watching from now (the body is complete or
   * waits unread because the upstream is slow, which is not the client's fault).
   */
  onClientIdle(): boolean;
  /** Watch bookkeeping: progress seen at the last sweep and when it last changed. */
  watchBytes: number;
  watchSince: number;
}

/** How often uploads are checked: an idle timeout fires up to this much late. */
export const UPLOAD_WATCH_TICK_MS = 250;

/**
 * One coarse timer per data plane for every request body in flight (nginx's
 * `client_body_timeout`, which undici's body timeout does not cover). Per request this costs a
 * Set insert and delete; nothing runs per chunk, and silence is detected by sampling
 * `socket.bytesRead` (undici's `util/timers.js` and STYLE.md rule 9 make the same trade). The
 * first version armed `socket.setTimeout` per request, which allocates a Timeout and a bound
 * function each time and is refreshed on every read. Measured with `tools/bench/run.js
 * --baseline` (16 KiB POSTs, same run), both versions cost about 5-8% of POST throughput
 * against the build without the guard; where the remaining cost comes from is still open.
 */
export class UploadWatch {
  private readonly active = new Set<WatchedUpload>();
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly tickMs: number;

  constructor(now: () => number = performance.now.bind(performance), tickMs = UPLOAD_WATCH_TICK_MS) {
    this.now = now;
    this.tickMs = tickMs;
  }

  /** Starts watching an upload; the shared timer starts with the first one and stays. */
  add(upload: WatchedUpload): void {
    upload.watchBytes = upload.uploadProgress();
    upload.watchSince = this.now();
    this.active.add(upload);
    if (this.timer === null) {
      this.timer = setInterval(sweepWatch, this.tickMs, this);
      this.timer.unref();
    }
  }

  delete(upload: WatchedUpload): void {
    this.active.delete(upload);
  }

  get size(): number {
    return this.active.size;
  }

  /** Checks every upload once (the timer calls this; tests may too). */
  sweep(): void {
    const now = this.now();
    for (const upload of this.active) {
      const bytes = upload.uploadProgress();
      if (bytes !== upload.watchBytes) {
        upload.watchBytes = bytes;
        upload.watchSince = now;
      } else if (now - upload.watchSince >= upload.uploadIdleMs) {
        if (upload.onClientIdle()) this.active.delete(upload);
        else upload.watchSince = now;
      }
    }
  }

  /** Stops the timer (the data plane is shutting down). */
  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.active.clear();
  }
}

function sweepWatch(watch: UploadWatch): void {
  watch.sweep();
}

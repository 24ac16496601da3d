import type { EventEmitter } from 'node:events';
import pino from 'pino';
import type { Logger } from './create-logger';

/** The part of sonic-boom (pino's destination) this file relies on. */
interface SonicBoomLike extends EventEmitter {
  readonly destroyed: boolean;
  /** -1 while a file destination is still opening. */
  readonly fd: number;
  write(data: string): boolean;
  flushSync(): void;
}

function isSonicBoom(stream: unknown): stream is SonicBoomLike {
  const s = stream as Partial<SonicBoomLike> | null;
  return s !== null && typeof s === 'object' && typeof s.flushSync === 'function' && typeof s.once === 'function' && typeof s.write === 'function';
}

/**
 * Resolve once every line the logger has queued is written, for exit paths (`await
 * flushLogger(log); process.exit(code)`).
 *
 * Why not `logger.flush(cb)`: with `minLength: 0` (our destination) sonic-boom calls `cb` at once,
 * even while an asynchronous write is still in flight. Queueing an empty write instead makes
 * sonic-boom emit `drain` only when its queue is empty. (pino's own exit hook calls `flushSync`
 * on `process.exit`, which can reorder lines behind an in-flight write; waiting here avoids it.)
 *
 * Other destinations fall back to `logger.flush(cb)`. A destination that never drains (a pipe
 * nobody reads) never resolves: race this with a timeout.
 */
export function flushLogger(logger: Logger): Promise<void> {
  const stream: unknown = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (!isSonicBoom(stream)) {
    return new Promise((resolve) => {
      logger.flush(() => resolve());
    });
  }
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
    // A file still opening writes its queue once open, but only if the queue is non-empty, so
    // the empty write must wait for 'ready'.
    if (stream.fd < 0) stream.once('ready', () => stream.write(''));
    else stream.write('');
  });
}

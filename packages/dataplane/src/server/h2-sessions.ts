import { constants, type Http2Server, type Http2SecureServer, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { Http2Spec } from '@weir/runtime';
import { ResetBudget } from './reset-budget';

/** Why the proxy sent a client GOAWAY and closed its connection (a metric label). */
export type GoawayReason = 'rapid_reset' | 'protocol_error';

/** Counts abusive HTTP/2 clients; `DataplaneMetrics` satisfies it. */
export interface Http2Observer {
  http2Goaway(reason: GoawayReason): void;
}

/** Per-session bookkeeping, kept on the session under a symbol. */
interface SessionState {
  streams: number;
  readonly resets: ResetBudget;
  readonly owner: H2Sessions;
}

const STATE = Symbol('weir.h2session');

type TrackedSession = Http2Session & { [STATE]?: SessionState };

const STREAM_SESSION = Symbol('weir.h2stream.session');

type TrackedStream = ServerHttp2Stream & { [STREAM_SESSION]?: TrackedSession | undefined };

/**
 * The HTTP/2 sessions of one listener: what Node's http2 servers do not track for us.
 *
 * - Drain and reload: `closeAll()` sends every session GOAWAY and lets its open streams finish
 *   (Node's `session.close()`); `destroyAll()` cuts what is left at the drain deadline.
 * - Idle sessions: the server's `timeout` (the listener's `keepAliveTimeoutMs`) closes a session
 *   with no open stream; a session with streams in flight is left alone, as HTTP/1.1 never
 *   times out a connection in the middle of a response.
 * - Rapid reset: streams the client resets (RST_STREAM with any code but NO_ERROR) are counted
 *   per session (`ResetBudget`, `http2.maxResets` per `http2.resetWindowMs`); over budget the
 *   session gets GOAWAY with ENHANCE_YOUR_CALM and is closed, and the metric counts it. Streams
 *   the proxy itself cut (INTERNAL_ERROR, an upstream that broke mid-response) are not counted;
 *   a client that resets with INTERNAL_ERROR on purpose still meets nghttp2's own reset-rate
 *   limit (a burst of 1,000, then 33 per second).
 * - Protocol abuse nghttp2 detects itself (CONTINUATION floods, invalid frames beyond
 *   `maxSessionInvalidFrames`, header lists over `maxHeaderListSize`): nghttp2 sends GOAWAY and
 *   Node reports a session error, which is counted as `protocol_error`.
 *
 * One `stream` and one stream `close` listener per stream, both module-level functions (no
 * closure per stream).
 */
export class H2Sessions {
  readonly sessions = new Set<Http2Session>();
  settings: Http2Spec;
  private readonly observer: Http2Observer | null;
  private readonly now: () => number;

  constructor(settings: Http2Spec, observer: Http2Observer | null, now: () => number) {
    this.settings = settings;
    this.observer = observer;
    this.now = now;
  }

  /** Hooks the server's session, timeout and error events. */
  attach(server: Http2Server | Http2SecureServer): void {
    server.on('session', (session: Http2Session) => {
      const s = this.settings;
      (session as TrackedSession)[STATE] = { streams: 0, resets: new ResetBudget(s.maxResets, s.resetWindowMs), owner: this };
      this.sessions.add(session);
      session.once('close', onSessionClose);
      session.on('stream', onSessionStream);
    });
    server.on('timeout', onSessionTimeout);
    server.on('sessionError', (err: Error & { code?: string }, session: Http2Session) => {
      // nghttp2 refused the peer's frames (and sent GOAWAY itself): abuse or a broken client.
      // Other session errors (ECONNRESET: a client that went away) are ordinary disconnects.
      if (err.code === 'ERR_HTTP2_ERROR' && this.observer !== null) this.observer.http2Goaway('protocol_error');
      if (!session.destroyed) session.destroy();
    });
  }

  /** GOAWAY to every session; open streams finish. */
  closeAll(): void {
    for (const session of this.sessions) if (!session.closed) session.close();
  }

  /** Cuts every session (the drain deadline passed). */
  destroyAll(): void {
    for (const session of this.sessions) session.destroy();
  }

  /** A stream of `session` was reset by its client before its response ended. */
  onClientReset(session: Http2Session, state: SessionState): void {
    if (!state.resets.record(this.now())) return;
    if (this.observer !== null) this.observer.http2Goaway('rapid_reset');
    session.goaway(constants.NGHTTP2_ENHANCE_YOUR_CALM);
    session.destroy();
  }
}

function onSessionClose(this: TrackedSession): void {
  const state = this[STATE];
  if (state !== undefined) state.owner.sessions.delete(this);
}

function onSessionStream(this: TrackedSession, stream: ServerHttp2Stream): void {
  const state = this[STATE];
  if (state === undefined) return;
  state.streams++;
  // Node clears `stream.session` before `close`, so the stream keeps its session's state.
  (stream as TrackedStream)[STREAM_SESSION] = this;
  stream.once('close', onStreamClose);
}

/**
 * A stream closed. Its `rstCode` is NO_ERROR after a normal exchange, the client's code when the
 * client reset it (RST_STREAM, usually CANCEL), INTERNAL_ERROR when the proxy cut it.
 */
function onStreamClose(this: TrackedStream): void {
  const session = this[STREAM_SESSION];
  if (session === undefined) return;
  this[STREAM_SESSION] = undefined;
  const state = session[STATE] as SessionState;
  state.streams--;
  const code = this.rstCode;
  if (code !== undefined && code !== constants.NGHTTP2_NO_ERROR && code !== constants.NGHTTP2_INTERNAL_ERROR && !session.destroyed) {
    state.owner.onClientReset(session, state);
  }
}

/** The server's `timeout` event for an idle session: close it only when no stream is open. */
function onSessionTimeout(session: Http2Session): void {
  const state = (session as TrackedSession)[STATE];
  if (state !== undefined && state.streams === 0 && !session.closed) session.close();
}

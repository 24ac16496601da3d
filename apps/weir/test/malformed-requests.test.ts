import * as net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { Daemon } from './harness/daemon';
import { TestUpstream } from './harness/upstreams';
import { acceptedCorpus, refusedCorpus, type Outcome } from './fixtures/malformed-corpus';

/**
 * Issue 9, "hardened request handling", against the built daemon (2 workers): every request of
 * the corpus in fixtures/malformed-corpus.ts is written by hand on a fresh connection, in one
 * write. A refused request must get its documented answer (JSON error, `x-weir-error`,
 * `Connection: close`) and the connection must close; an accepted one must be forwarded with
 * its body intact. The upstream records every request it sees by the marker each request
 * carries (`/m/<id>` or `X-Case: <id>`), which proves that nothing of a refused request reached
 * it and that the checks do not refuse valid requests.
 *
 * The whole corpus runs in `beforeAll`, every request on its own connection at the same time, so
 * each entry's test below only reads its result and any entry can be run alone with `-t`.
 */

/** What one connection got back. */
interface Exchange {
  /** The first response's status, or null when none arrived. */
  readonly status: number | null;
  /** Lower-case names; the last value of a repeated field. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  /** The server ended or reset the connection (before `EXCHANGE_TIMEOUT_MS`). */
  readonly closed: boolean;
}

/**
 * How long a connection may stay open. Every refused request closes at once and every accepted
 * one says `Connection: close`, so reaching this is a failure, not a way of waiting.
 */
const EXCHANGE_TIMEOUT_MS = 3000;

/** Writes `bytes` (latin1) on a fresh connection and reads until the server closes it. */
function exchange(port: number, bytes: string): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks).toString('latin1'), closed));
    };
    const timer = setTimeout(() => finish(false), EXCHANGE_TIMEOUT_MS);
    socket.on('connect', () => socket.write(Buffer.from(bytes, 'latin1')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(true));
    // A reset after the answer (the server closed with request bytes unread) still counts.
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

/** The first response in `wire` (framed by its `content-length`, else the rest). */
function parse(wire: string, closed: boolean): Exchange {
  const end = wire.indexOf('\r\n\r\n');
  if (end === -1) return { status: null, headers: new Map(), body: wire, closed };
  const lines = wire.slice(0, end).split('\r\n');
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i] as string;
    const colon = text.indexOf(':');
    headers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
  }
  const length = headers.has('content-length') ? Number(headers.get('content-length')) : wire.length - end - 4;
  return { status: Number((lines[0] as string).split(' ')[1]), headers, body: wire.slice(end + 4, end + 4 + length), closed };
}

/** Marker of the request whose bad chunk arrives after its head was forwarded. */
const STREAMED = 'streamed-bad-chunk';

/** The error code each refusal status stands for (apps/weir/docs/errors.md). */
const CODES: Readonly<Record<number, string>> = { 400: 'WEIR_ERR_BAD_REQUEST', 431: 'WEIR_ERR_HEADERS_TOO_LARGE' };

/** The corpus id a forwarded request carries: `/m/<id>` in the target, else `X-Case`. */
function markerOf(req: IncomingMessage): string {
  const m = /\/m\/([a-z0-9-]+)/.exec(req.url ?? '');
  if (m !== null) return m[1] as string;
  const header = req.headers['x-case'];
  return typeof header === 'string' ? header : `unmarked ${req.method ?? ''} ${req.url ?? ''}`;
}

describe('malformed requests are refused before any upstream (issue 9)', () => {
  let origin: TestUpstream | null = null;
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  /** Corpus id -> the body the upstream read in full, for every request it received. */
  const received = new Map<string, string>();
  /** Corpus ids of every request whose head reached the upstream, in arrival order. */
  const seen: string[] = [];
  const results = new Map<string, Exchange>();
  /** Called with the request when one with this marker reaches the upstream (streaming test). */
  const arrivals = new Map<string, (req: IncomingMessage) => void>();

  beforeAll(async () => {
    origin = await TestUpstream.start('origin', (req: IncomingMessage, res: ServerResponse) => {
      const id = markerOf(req);
      seen.push(id);
      arrivals.get(id)?.(req);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.set(id, Buffer.concat(chunks).toString('latin1'));
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 6 });
        res.end('origin');
      });
    });
    config = new ConfigFile(proxyConfig({ routes: [{ name: 'all', upstream: 'origin' }], upstreams: [upstream('origin', origin.address)] }));
    daemon = await Daemon.start({ configPath: config.path });
    const port = daemon.port;
    // All at once: each on its own connection, told apart by its marker, and a broken entry
    // costs the run one `EXCHANGE_TIMEOUT_MS`, not one each.
    const entries = [...refusedCorpus, ...acceptedCorpus];
    const answers = await Promise.all(entries.map((entry) => exchange(port, entry.bytes)));
    entries.forEach((entry, i) => results.set(entry.id, answers[i] as Exchange));
  }, 60_000);

  afterAll(async () => {
    if (daemon) await daemon.stop();
    await origin?.close();
    config?.remove();
  });

  const answerOf = (result: Exchange | undefined): Outcome | null => {
    if (result === undefined) return null;
    return result.status === null ? 'closed' : result.status;
  };

  test('the corpus is large enough and its ids are unique', () => {
    expect.assertions(2);
    expect(refusedCorpus.length).toBeGreaterThanOrEqual(60);
    const ids = [...refusedCorpus, ...acceptedCorpus].map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each(refusedCorpus.map((entry) => [entry.id, entry.name, entry.expect, entry.refusedBy, entry] as const))(
    '%s: %s -> %s (refused by %s)',
    (_id, _name, _expect, _by, entry) => {
      expect.assertions(4);
      const result = results.get(entry.id) as Exchange;
      expect(answerOf(result)).toBe(entry.expect);
      if (entry.expect === 'closed') {
        expect(result.body).toBe('');
        expect(result.headers.size).toBe(0);
      } else {
        const code = CODES[entry.expect];
        expect({ code: result.headers.get('x-weir-error'), type: result.headers.get('content-type') }).toEqual({
          code,
          type: 'application/json',
        });
        expect(JSON.parse(result.body)).toEqual({ error: { code, status: entry.expect, message: expect.any(String) } });
      }
      // The server closes the connection itself: the request did not ask for it.
      expect({ closed: result.closed, connection: entry.expect === 'closed' ? 'close' : result.headers.get('connection') }).toEqual({
        closed: entry.close,
        connection: 'close',
      });
    },
  );

  test.each(acceptedCorpus.map((entry) => [entry.id, entry.name, entry] as const))('%s: %s -> forwarded', (_id, _name, entry) => {
    expect.assertions(2);
    const result = results.get(entry.id) as Exchange;
    expect({ status: answerOf(result), body: result.body }).toEqual({ status: 200, body: 'origin' });
    expect(received.get(entry.id)).toBe(entry.body ?? '');
  });

  test('the upstream saw every accepted request once and nothing of any refused one', () => {
    expect.assertions(1);
    const accepted = acceptedCorpus.map((entry) => entry.id).sort();
    expect(seen.filter((id) => id !== STREAMED).sort()).toEqual(accepted);
  });

  /**
   * The corpus writes each request at once, so llhttp meets a bad chunk in the same read as the
   * head and nothing is forwarded. A body is streamed, though: when the bad chunk comes later,
   * the head has already gone upstream. The client still gets 400 and a closed connection, and
   * the upstream request is cut off before its body ends, so no upstream ever completes it.
   */
  test('a bad chunk after the head was forwarded: 400, and the upstream request is aborted', async () => {
    expect.assertions(4);
    const socket = net.connect((daemon as Daemon).port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise<void>((resolve) => {
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    const arrived = new Promise<IncomingMessage>((resolve) => arrivals.set(STREAMED, resolve));
    socket.write(`POST /m/${STREAMED} HTTP/1.1\r\nHost: weir.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n`);
    const upstreamRequest = await arrived;
    // How the upstream's copy ends: its body complete, or cut off (close before `end`).
    const upstreamEnd = new Promise<string>((resolve) => {
      upstreamRequest.on('end', () => resolve('complete'));
      upstreamRequest.on('close', () => resolve(upstreamRequest.complete ? 'complete' : 'aborted'));
    });
    socket.write('zz\r\nworld\r\n0\r\n\r\n');
    await closed;
    const result = parse(Buffer.concat(chunks).toString('latin1'), true);
    expect(result.status).toBe(400);
    expect(result.headers.get('x-weir-error')).toBe('WEIR_ERR_BAD_REQUEST');
    expect(result.headers.get('connection')).toBe('close');
    expect({ upstream: await upstreamEnd, body: received.get(STREAMED) }).toEqual({ upstream: 'aborted', body: undefined });
  });
});

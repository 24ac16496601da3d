import { rawExchange, startUpstream, type TestUpstream } from '../helpers/servers';
import { startPlane, type TestPlane } from '../helpers/plane';
import { directRoute, forwardRoute, makeSpec, match, upstream } from '../helpers/spec';

/**
 * A committed data plane with two routes, neither with hosts: `/direct...` answers 200 `direct`
 * itself, every other path forwards to a real loopback upstream that counts what it receives. A
 * request Weir must refuse shows up as `hits` going up, or as a `direct` answer.
 */
export interface CountingSetup {
  readonly plane: TestPlane;
  readonly upstream: TestUpstream;
  /** Requests the upstream received so far. */
  hits(): number;
  close(): Promise<void>;
}

export async function startCountingSetup(): Promise<CountingSetup> {
  let hits = 0;
  const up = await startUpstream((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.end('upstream'));
  });
  const plane = await startPlane(
    makeSpec({
      upstreams: [upstream('up', [up.port])],
      routes: [
        directRoute('direct', 200, 'direct', { match: match({ path: { kind: 'prefix', value: '/direct' } }) }),
        forwardRoute('all', 'up'),
      ],
    }),
  );
  return {
    plane,
    upstream: up,
    hits: () => hits,
    close: async () => {
      await plane.close();
      await up.close();
    },
  };
}

/** One response off the wire. */
export interface WireResponse {
  readonly status: number;
  /** Lower-case header names to values. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

/**
 * Splits everything a connection received into responses: interim (1xx) ones have no body, the
 * others are framed by `content-length`, which every response in these tests has (a response
 * without it takes the rest).
 */
export function parseResponses(wire: string): WireResponse[] {
  const responses: WireResponse[] = [];
  let offset = 0;
  while (offset < wire.length) {
    const end = wire.indexOf('\r\n\r\n', offset);
    if (end === -1) break;
    const lines = wire.slice(offset, end).split('\r\n');
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const status = Number((lines[0] as string).split(' ')[1]);
    const length =
      status < 200 ? 0 : headers.has('content-length') ? Number(headers.get('content-length')) : wire.length - end - 4;
    responses.push({ status, headers, body: wire.slice(end + 4, end + 4 + length) });
    offset = end + 4 + length;
  }
  return responses;
}

/** Sends `bytes` on a fresh connection and parses every response until the server closes it. */
export async function exchange(port: number, bytes: string): Promise<WireResponse[]> {
  return parseResponses(await rawExchange(port, bytes));
}

/** The `error.code` and `error.status` of a Weir error body, or null when the body is not one. */
export function errorOf(response: WireResponse | undefined): { code: string; status: number } | null {
  if (response === undefined) return null;
  try {
    const parsed = JSON.parse(response.body) as { error: { code: string; status: number } };
    return { code: parsed.error.code, status: parsed.error.status };
  } catch {
    return null;
  }
}

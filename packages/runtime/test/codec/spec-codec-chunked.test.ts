import { Packr } from 'msgpackr';
import type { WeirConfig } from '@weir/config';
import { ROUTES_PER_CHUNK, buildSpec, decodeSpec, decodeSpecAsync, encodeSpec } from '@weir/runtime';
import type { Spec } from '@weir/runtime';
import { minimalConfig, richConfig } from '../fixtures';

/**
 * Wire format 2 (issue 15): routes travel in chunks of ROUTES_PER_CHUNK so a worker decodes a
 * big spec in slices, yielding to its event loop in between.
 */
const other = new Packr({ useRecords: false, mapsAsObjects: true });

/** richConfig with its routes repeated until there are `n` (names made unique). */
function manyRoutes(n: number): WeirConfig {
  const base = richConfig();
  const routes = [];
  for (let i = 0; i < n; i++) {
    const r = base.routes[i % base.routes.length]!;
    routes.push({ ...r, name: `${r.name}-${i}` });
  }
  return { ...base, routes };
}

async function codeOfAsync(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

function countingYield(): { fn: () => Promise<void>; calls: number } {
  const counter = { calls: 0, fn: (): Promise<void> => Promise.resolve() };
  counter.fn = () => {
    counter.calls++;
    return Promise.resolve();
  };
  return counter;
}

/** The container's parts, decoded with an independent packer. */
function container(bytes: Uint8Array): { format: number; head: Uint8Array; routes: Uint8Array[] } {
  return other.unpack(bytes) as { format: number; head: Uint8Array; routes: Uint8Array[] };
}

describe('chunked spec codec (wire format 2)', () => {
  it.each([0, 1, ROUTES_PER_CHUNK, ROUTES_PER_CHUNK + 1, 1234])('round-trips %i routes, sync and async alike', async (n) => {
    expect.assertions(5);
    const spec = buildSpec(n === 0 ? { ...minimalConfig(), routes: [] } : manyRoutes(n));
    const bytes = encodeSpec(spec);
    const parts = container(bytes);
    expect(parts.format).toBe(2);
    expect(parts.routes).toHaveLength(Math.ceil(n / ROUTES_PER_CHUNK));
    const sync = decodeSpec(Uint8Array.from(bytes));
    const async = await decodeSpecAsync(Uint8Array.from(bytes), () => Promise.resolve());
    expect(sync).toEqual(spec);
    expect(async).toEqual(spec);
    // Same key order as buildSpec's (sorted), so later hashing keeps its fast path.
    expect(Object.keys(async)).toEqual(Object.keys(spec));
  });

  it('yields before each chunk, and no chunk holds more than ROUTES_PER_CHUNK routes', async () => {
    expect.assertions(3 + 3);
    const n = 3 * ROUTES_PER_CHUNK + 7;
    const bytes = encodeSpec(buildSpec(manyRoutes(n)));
    for (const chunk of container(bytes).routes) expect((other.unpack(chunk) as unknown[]).length).toBeLessThanOrEqual(ROUTES_PER_CHUNK);
    const counter = countingYield();
    const spec = await decodeSpecAsync(bytes, counter.fn);
    expect(spec.routes).toHaveLength(n);
    expect(counter.calls).toBe(4);
  });

  it('returns a deep-frozen spec', async () => {
    expect.assertions(4);
    const spec = await decodeSpecAsync(encodeSpec(buildSpec(manyRoutes(600))));
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.routes)).toBe(true);
    expect(Object.isFrozen(spec.routes[599]?.match.hosts)).toBe(true);
    expect(Object.isFrozen(spec.upstreams[0]?.endpoints[0])).toBe(true);
  });

  it('passes on a rejection of the yield function (a cancelled decode)', async () => {
    expect.assertions(1);
    const bytes = encodeSpec(buildSpec(manyRoutes(1200)));
    const stop = new Error('cancelled');
    await expect(decodeSpecAsync(bytes, () => Promise.reject(stop))).rejects.toBe(stop);
  });

  it('still decodes wire format 1 (a whole spec) in one slice', async () => {
    expect.assertions(2);
    const spec = buildSpec(richConfig());
    const counter = countingYield();
    expect(await decodeSpecAsync(other.pack(spec), counter.fn)).toEqual(spec);
    expect(counter.calls).toBe(0);
  });

  /** The spec's head (everything but routes) with `changes`, packed. */
  function headOf(spec: Spec, changes: Record<string, unknown>): Uint8Array {
    const { routes: _routes, ...head } = spec;
    return other.pack({ ...head, ...changes });
  }

  function corrupt(mutate: (parts: Record<string, unknown>, spec: Spec) => void): Uint8Array {
    const spec = buildSpec(manyRoutes(1100));
    const parts = container(encodeSpec(spec)) as unknown as Record<string, unknown>;
    mutate(parts, spec);
    return other.pack(parts);
  }

  it.each<[string, Uint8Array]>([
    ['an unknown wire format', corrupt((p) => (p['format'] = 3))],
    ['no head', corrupt((p) => delete p['head'])],
    ['no route chunks', corrupt((p) => delete p['routes'])],
    ['a head that is not an object', corrupt((p) => (p['head'] = other.pack([1])))],
    ['a head holding routes', corrupt((p, s) => (p['head'] = other.pack({ ...s, routes: [] })))],
    ['a head of another spec format', corrupt((p, s) => (p['head'] = headOf(s, { format: 2 })))],
    ['a chunk that is not bytes', corrupt((p) => ((p['routes'] as unknown[])[1] = 5))],
    ['a chunk that is not a list', corrupt((p) => ((p['routes'] as unknown[])[1] = other.pack({ a: 1 })))],
    ['a truncated chunk', corrupt((p) => ((p['routes'] as Uint8Array[])[2] = (p['routes'] as Uint8Array[])[2]!.subarray(0, 10)))],
    ['a missing chunk', corrupt((p) => (p['routes'] as unknown[]).pop())],
    ['chunks out of order', corrupt((p) => (p['routes'] as unknown[]).reverse())],
    ['an unhashable route', corrupt((p) => ((p['routes'] as unknown[])[0] = other.pack([{ big: 2n ** 60n }])))],
    ['a tampered hash', corrupt((p, s) => (p['head'] = headOf(s, { hash: '0'.repeat(64) })))],
  ])('rejects %s with WEIR_ERR_SPEC_CORRUPT, sync and async', async (_name, bytes) => {
    expect.assertions(2);
    let code: string | undefined;
    try {
      decodeSpec(bytes);
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).toBe('WEIR_ERR_SPEC_CORRUPT');
    expect(await codeOfAsync(decodeSpecAsync(bytes, () => Promise.resolve()))).toBe('WEIR_ERR_SPEC_CORRUPT');
  });

  it('rejects a flipped byte inside a route chunk', async () => {
    expect.assertions(1);
    const bytes = Uint8Array.from(encodeSpec(buildSpec(manyRoutes(800))));
    const at = Buffer.from(bytes).lastIndexOf('api-7');
    bytes[at + 4] = '8'.charCodeAt(0);
    expect(await codeOfAsync(decodeSpecAsync(bytes))).toBe('WEIR_ERR_SPEC_CORRUPT');
  });
});

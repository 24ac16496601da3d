import { WeirError } from '@weir/errors';
import { Packr } from 'msgpackr';
import { deepFreeze, hashSpecFields, SpecFieldsHasher } from '../spec/index';
import type { Spec } from '../spec/index';
import { runSteps, runStepsAsync, yieldToEventLoop, type YieldFn } from './steps';

/**
 * One msgpackr instance for the process, created once (its option handling and buffers are
 * reused by every call).
 *
 * `useRecords: true` (msgpackr's record extension) writes each object shape once per message and
 * then only the values. Without shared `structures` every message carries its own record
 * definitions, so bytes from one process decode in any other with no shared state (the tests
 * decode with a fresh Packr). Measured on a 20k-route spec: 3.9 MB instead of 9.5 MB, and decode
 * about twice as fast (~65-95 ms against ~130-240 ms) on our 2-core machine.
 * `mapsAsObjects: true` decodes maps as plain objects (the spec has no Map); `moreTypes: false`
 * keeps the wire format to plain MessagePack plus records.
 */
const packr = new Packr({ useRecords: true, mapsAsObjects: true, moreTypes: false });

/**
 * Wire format 1: the spec itself as one MessagePack value (its own `format` field is 1). Still
 * decoded, by `decodeSpec` and `decodeSpecAsync` alike, in one step.
 */
const WIRE_WHOLE = 1;

/**
 * Wire format 2, what `encodeSpec` writes (issue 15): a container
 *
 * ```
 *   { format: 2, head: bin(msgpack(spec without routes)), routes: [ bin(msgpack(routes 0..499)), bin(..500..999), .. ] }
 * ```
 *
 * so a worker can unpack, hash and freeze one chunk of routes at a time and yield to its event
 * loop in between. The spec inside keeps `format: 1` (the spec's own schema version, which the
 * content hash covers); the container's `format` is the wire's.
 */
const WIRE_CHUNKED = 2;

/**
 * Routes per chunk. Measured on this project's 2-core machine (100,000 routes, 8.6 MB of spec):
 * unpacking, hashing and freezing 500 routes takes 3.3-3.8 ms at the median and about 4 ms at
 * p90, under the ~5 ms a worker may hold its event loop while it prepares.
 */
export const ROUTES_PER_CHUNK = 500;

/**
 * Encode a spec for IPC (wire format 2, chunked routes). The spec is trusted (built by
 * buildSpec); nothing is checked here. The returned bytes may share an ArrayBuffer with earlier
 * results (msgpackr's pooled output buffer) but are never overwritten by later calls.
 */
export function encodeSpec(spec: Spec): Uint8Array {
  const head: Record<string, unknown> = {};
  const keys = Object.keys(spec);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== 'routes') head[key] = (spec as unknown as Record<string, unknown>)[key];
  }
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < spec.routes.length; i += ROUTES_PER_CHUNK) {
    chunks.push(packr.pack(spec.routes.slice(i, i + ROUTES_PER_CHUNK)));
  }
  return packr.pack({ format: WIRE_CHUNKED, head: packr.pack(head), routes: chunks });
}

/**
 * Decode spec bytes received over IPC, in one go (the primary and tests; workers use
 * `decodeSpecAsync`): check the wire format, recompute the content hash and compare it with the
 * `hash` field, then deep-freeze the result. Workers trust a spec that passes (STYLE.md rule 5:
 * the hash check is the boundary), so nothing downstream re-validates.
 *
 * @throws WeirError WEIR_ERR_SPEC_CORRUPT for bytes that do not decode, an unknown format, a
 *   missing or mismatching hash, or content that cannot be hashed.
 */
export function decodeSpec(bytes: Uint8Array): Spec {
  return runSteps(decodeSteps(bytes));
}

/**
 * `decodeSpec` in slices: one chunk of `ROUTES_PER_CHUNK` routes is unpacked, hashed and frozen
 * per slice, and `yieldFn` (default: `setImmediate`) is awaited between slices, so a worker
 * keeps serving requests while it decodes a 100,000-route spec (issue 15). Same result, same
 * errors; the content hash is computed incrementally (`SpecFieldsHasher`) and equals
 * `hashSpecFields` byte for byte. Wire format 1 bytes are decoded in one slice.
 *
 * @throws WeirError WEIR_ERR_SPEC_CORRUPT as `decodeSpec`; a rejection of `yieldFn` is passed on.
 */
export function decodeSpecAsync(bytes: Uint8Array, yieldFn: YieldFn = yieldToEventLoop): Promise<Spec> {
  return runStepsAsync(decodeSteps(bytes), yieldFn);
}

function* decodeSteps(bytes: Uint8Array): Generator<void, Spec, void> {
  const record = unpackRecord(bytes, 'spec bytes');
  if (record['format'] === WIRE_WHOLE) return checkWhole(record);
  if (record['format'] !== WIRE_CHUNKED) {
    throw new WeirError('WEIR_ERR_SPEC_CORRUPT', `unknown spec format ${String(record['format'])}`);
  }
  const headBytes = record['head'];
  const chunks = record['routes'];
  if (!(headBytes instanceof Uint8Array) || !Array.isArray(chunks)) {
    throw new WeirError('WEIR_ERR_SPEC_CORRUPT', 'spec container has no head or route chunks');
  }
  const head = unpackRecord(headBytes, 'spec head');
  const expected = checkHead(head);
  if (Object.prototype.hasOwnProperty.call(head, 'routes')) {
    throw new WeirError('WEIR_ERR_SPEC_CORRUPT', 'spec head holds routes');
  }
  const hasher = hashing(() => new SpecFieldsHasher(head, 'routes'));
  const routes: unknown[] = [];
  for (let c = 0; c < chunks.length; c++) {
    yield;
    const chunk = chunks[c] as unknown;
    if (!(chunk instanceof Uint8Array)) throw new WeirError('WEIR_ERR_SPEC_CORRUPT', `route chunk ${c} is not bytes`);
    const list = unpackValue(chunk, `route chunk ${c}`);
    if (!Array.isArray(list)) throw new WeirError('WEIR_ERR_SPEC_CORRUPT', `route chunk ${c} is not a list`);
    hashing(() => hasher.items(list));
    for (let i = 0; i < list.length; i++) routes.push(deepFreeze(list[i] as unknown));
  }
  compareHash(hashing(() => hasher.digest()), expected);
  // Fields in sorted order, as buildSpec creates them (canonicalJSON's fast path relies on it).
  const spec: Record<string, unknown> = {};
  const keys = Object.keys(head);
  keys.push('routes');
  keys.sort();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    spec[key] = key === 'routes' ? Object.freeze(routes) : deepFreeze(head[key]);
  }
  return Object.freeze(spec) as unknown as Spec;
}

/** Wire format 1: the whole spec in one value. */
function checkWhole(record: Readonly<Record<string, unknown>>): Spec {
  const expected = checkHead(record);
  compareHash(
    hashing(() => hashSpecFields(record)),
    expected,
  );
  return deepFreeze(record as unknown as Spec);
}

/** Checks the spec's own `format`, `hash` and `version`; returns the hash it claims. */
function checkHead(record: Readonly<Record<string, unknown>>): string {
  if (record['format'] !== 1) {
    throw new WeirError('WEIR_ERR_SPEC_CORRUPT', `unknown spec format ${String(record['format'])}`);
  }
  const expected = record['hash'];
  if (typeof expected !== 'string' || typeof record['version'] !== 'string') {
    throw new WeirError('WEIR_ERR_SPEC_CORRUPT', 'spec has no hash or version');
  }
  return expected;
}

function compareHash(actual: string, expected: string): void {
  if (actual !== expected) {
    throw new WeirError('WEIR_ERR_SPEC_CORRUPT', `spec hash mismatch: content hashes to ${actual}, spec says ${expected}`);
  }
}

/** Runs a hashing step; a value canonical JSON cannot write (bigint) makes the spec corrupt. */
function hashing<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new WeirError('WEIR_ERR_SPEC_CORRUPT', 'spec content cannot be hashed', { cause: err });
  }
}

function unpackValue(bytes: Uint8Array, what: string): unknown {
  try {
    return packr.unpack(bytes);
  } catch (err) {
    throw new WeirError('WEIR_ERR_SPEC_CORRUPT', `${what} are not valid MessagePack`, { cause: err });
  }
}

function unpackRecord(bytes: Uint8Array, what: string): Readonly<Record<string, unknown>> {
  const value = unpackValue(bytes, what);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new WeirError('WEIR_ERR_SPEC_CORRUPT', `${what} do not hold an object`);
  }
  return value as Readonly<Record<string, unknown>>;
}

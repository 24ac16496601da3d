import { createHash } from 'node:crypto';
import { canonicalJSON } from './canonical-json';
import type { Spec } from './types';

/** The fields the hash leaves out: the hash itself, and the version id derived from it. */
const unhashed: ReadonlySet<string> = new Set(['version', 'hash']);

/**
 * The content hash of a spec: sha256 (lower-case hex) over the canonical JSON (sorted keys, see
 * `canonicalJSON`) of every field except `version` and `hash`. Two specs with the same content
 * have the same hash whatever order their keys are in; renaming a version does not change it.
 * Pure: no I/O, no clock.
 */
export function specHash(spec: Spec): string {
  return hashSpecFields(spec);
}

/**
 * `specHash` over any decoded value, for the codec, which must hash what it received before it
 * may call it a Spec. Throws a TypeError for values canonicalJSON cannot write (bigint).
 */
export function hashSpecFields(fields: unknown): string {
  return createHash('sha256').update(canonicalJSON(fields, unhashed)).digest('hex');
}

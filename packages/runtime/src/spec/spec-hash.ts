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

/**
 * `hashSpecFields` computed piece by piece, for a decoder that receives one field (the routes)
 * in chunks and must not hold the event loop for the whole list (issue 15). It writes exactly
 * the canonical JSON `hashSpecFields` hashes, so `digest()` is byte-identical to it:
 *
 * ```
 *   {"controlDigest":..,"format":1,"listeners":[..],"logging":{..},"routes":[ r0,r1 , r2,.. ],"server":..}
 *    '------- head fields before the streamed key -------' '- items() -' '-- digest(): the rest --'
 * ```
 *
 * `canonicalJSON` of an object is its sorted fields, each `"key":` + the canonical JSON of its
 * value, and of an array its items' canonical JSON joined by commas; so the fields of `head`
 * (except `version` and `hash`) and the streamed array are written in that same order and shape.
 * Throws a TypeError, as `hashSpecFields` does, for values canonical JSON cannot write.
 */
export class SpecFieldsHasher {
  private readonly hash = createHash('sha256');
  private readonly head: Readonly<Record<string, unknown>>;
  /** The head's hashed fields and the streamed key, sorted as canonicalJSON sorts them. */
  private readonly keys: readonly string[];
  private readonly streamedKey: string;
  /** Index in `keys` of the next field to write. */
  private next = 0;
  private wroteField = false;
  private streamedItems = 0;

  /**
   * @param head every field of the spec except `streamedKey` (it must not hold that key)
   * @param streamedKey the field whose array items arrive through `items()`
   */
  constructor(head: Readonly<Record<string, unknown>>, streamedKey: string) {
    this.head = head;
    this.streamedKey = streamedKey;
    const keys = Object.keys(head).filter((key) => !unhashed.has(key));
    keys.push(streamedKey);
    this.keys = keys.sort();
    this.hash.update('{');
    this.writeFieldsUntil(streamedKey);
    this.hash.update(this.wroteField ? ',' : '');
    this.hash.update(JSON.stringify(streamedKey) + ':[');
    this.wroteField = true;
    this.next++;
  }

  /** Appends the next items of the streamed array, in order. */
  items(list: readonly unknown[]): void {
    if (list.length === 0) return;
    const text = canonicalJSON(list);
    this.hash.update(this.streamedItems === 0 ? text.slice(1, -1) : ',' + text.slice(1, -1));
    this.streamedItems += list.length;
  }

  /** Closes the streamed array, writes the remaining fields and returns the hex digest. */
  digest(): string {
    this.hash.update(']');
    this.writeFieldsUntil(null);
    this.hash.update('}');
    return this.hash.digest('hex');
  }

  /** Writes head fields from `next` up to (not including) `stop`, or to the end for null. */
  private writeFieldsUntil(stop: string | null): void {
    for (; this.next < this.keys.length; this.next++) {
      const key = this.keys[this.next] as string;
      if (key === stop) return;
      const value = this.head[key];
      // canonicalJSON leaves out keys whose value is undefined, as JSON.stringify does.
      if (value === undefined) continue;
      this.hash.update((this.wroteField ? ',' : '') + JSON.stringify(key) + ':' + canonicalJSON(value));
      this.wroteField = true;
    }
  }
}

import type { CacheEntry } from './cache-entry';
import { sameVariant } from './variant-key';

/** Variants kept per primary key; a new one beyond this evicts the least recently used of them. */
export const MAX_VARIANTS = 16;

/** Store limits: `CacheSettings.maxBytes` and `maxObjectBytes`. */
export interface CacheStoreLimits {
  readonly maxBytes: number;
  readonly maxObjectBytes: number;
}

const NO_VARIANTS: readonly CacheEntry[] = Object.freeze([]);

/**
 * A size-aware LRU over entries (variants), grouped by primary key.
 *
 *     index: Map<primaryKey, CacheEntry[]>      (variants of one URL)
 *     LRU:   head (most recent) <-> ... <-> tail (next evicted), links inside the entries
 *
 * Every entry costs `entry.cost` (see `entryCost`: body, header and key characters, and the
 * measured per-entry and per-field overheads of the objects that hold them). `put` evicts from
 * the tail until the new entry fits, so `bytes <= maxBytes` always holds; an entry whose body
 * exceeds `maxObjectBytes` or whose cost exceeds `maxBytes` is refused.
 */
export class CacheStore {
  private readonly index = new Map<string, CacheEntry[]>();
  private head: CacheEntry | null = null;
  private tail: CacheEntry | null = null;
  /** Bytes charged by stored entries. */
  bytes = 0;
  /** Stored entries (variants). */
  count = 0;
  /** Entries evicted to make room (not counting purges, deletes or replacements). */
  evictions = 0;
  /** Bytes evicted to make room. */
  evictedBytes = 0;

  constructor(readonly limits: CacheStoreLimits) {}

  /** The variants stored under a primary key (empty when none). Does not touch the LRU. */
  get(primary: string): readonly CacheEntry[] {
    return this.index.get(primary) ?? NO_VARIANTS;
  }

  /** Number of primary keys. */
  get keys(): number {
    return this.index.size;
  }

  /** Marks an entry as just used (moves it to the LRU head). */
  touch(entry: CacheEntry): void {
    if (!entry.stored || this.head === entry) return;
    this.unlink(entry);
    this.linkHead(entry);
  }

  /**
   * Stores an entry, replacing the variant with the same secondary key (or an entry passed as
   * `replaces`, e.g. the one a 304 updated). Returns `false` when the entry is too large.
   */
  put(entry: CacheEntry, replaces: CacheEntry | null = null): boolean {
    if (entry.body.length > this.limits.maxObjectBytes || entry.cost > this.limits.maxBytes) {
      if (replaces !== null) this.delete(replaces);
      return false;
    }
    if (replaces !== null) this.delete(replaces);
    let variants = this.index.get(entry.key);
    if (variants !== undefined) {
      for (let i = 0; i < variants.length; i++) {
        const v = variants[i] as CacheEntry;
        if (sameVariant(v, entry)) {
          this.delete(v);
          break;
        }
      }
      variants = this.index.get(entry.key);
      if (variants !== undefined && variants.length >= MAX_VARIANTS) {
        let oldest = variants[0] as CacheEntry;
        for (let p = this.tail; p !== null; p = p.prev) {
          if (p.key === entry.key) {
            oldest = p;
            break;
          }
        }
        this.delete(oldest);
      }
    }
    while (this.bytes + entry.cost > this.limits.maxBytes && this.tail !== null) {
      const victim = this.tail;
      this.evictions++;
      this.evictedBytes += victim.cost;
      this.delete(victim);
    }
    variants = this.index.get(entry.key);
    // `[entry]` has room for exactly one element; `[]` then `push` would reserve 17 (~130 bytes
    // more per key), and most keys only ever have one variant.
    if (variants === undefined) this.index.set(entry.key, [entry]);
    else variants.push(entry);
    entry.stored = true;
    this.linkHead(entry);
    this.bytes += entry.cost;
    this.count++;
    return true;
  }

  /** Removes one entry; `false` when it was not stored. */
  delete(entry: CacheEntry): boolean {
    if (!entry.stored) return false;
    const variants = this.index.get(entry.key);
    if (variants !== undefined) {
      const i = variants.indexOf(entry);
      if (i !== -1) variants.splice(i, 1);
      if (variants.length === 0) this.index.delete(entry.key);
    }
    this.unlink(entry);
    entry.stored = false;
    this.bytes -= entry.cost;
    this.count--;
    return true;
  }

  /** Removes every variant of one primary key (`scheme://host/path?query`); returns how many. */
  purge(key: string): number {
    const variants = this.index.get(key);
    if (variants === undefined) return 0;
    const copy = variants.slice();
    for (let i = 0; i < copy.length; i++) this.delete(copy[i] as CacheEntry);
    return copy.length;
  }

  /** Removes every variant of every primary key starting with `prefix`; returns how many. O(keys). */
  purgePrefix(prefix: string): number {
    const keys: string[] = [];
    for (const k of this.index.keys()) if (k.startsWith(prefix)) keys.push(k);
    let n = 0;
    for (let i = 0; i < keys.length; i++) n += this.purge(keys[i] as string);
    return n;
  }

  /** Removes everything. */
  clear(): void {
    this.index.clear();
    for (let p = this.head; p !== null; ) {
      const next: CacheEntry | null = p.next;
      p.prev = p.next = null;
      p.stored = false;
      p = next;
    }
    this.head = this.tail = null;
    this.bytes = 0;
    this.count = 0;
  }

  private linkHead(entry: CacheEntry): void {
    entry.prev = null;
    entry.next = this.head;
    if (this.head !== null) this.head.prev = entry;
    this.head = entry;
    if (this.tail === null) this.tail = entry;
  }

  private unlink(entry: CacheEntry): void {
    if (entry.prev !== null) entry.prev.next = entry.next;
    else if (this.head === entry) this.head = entry.next;
    if (entry.next !== null) entry.next.prev = entry.prev;
    else if (this.tail === entry) this.tail = entry.prev;
    entry.prev = entry.next = null;
  }
}

import type { WeirConfig } from '@weir/config';
import { canonicalJSON } from '@weir/runtime';

/** Named items of one section that were added, removed or changed (with the fields that differ). */
export interface SectionDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly { readonly name: string; readonly fields: readonly string[] }[];
}

/** What `POST /admin/config/validate` reports: the difference between two configs. */
export interface ConfigDiff {
  /** False when the configs are equivalent (same content, whatever the key order). */
  readonly changed: boolean;
  readonly listeners: SectionDiff;
  /** `reordered`: routes present in both configs are in a different order (first match wins). */
  readonly routes: SectionDiff & { readonly reordered: boolean };
  readonly upstreams: SectionDiff;
  /**
   * Other settings, as dotted paths one level deep (`logging.level`, `workers`, `admin.tokens`),
   * that were added, removed or changed. `$schema` and `x-` keys are ignored, as Weir ignores them.
   */
  readonly settings: SectionDiff;
  /** One line per difference, for people: `+ route "api"`, `~ upstream "web": endpoints`, `- setting workers`. */
  readonly summary: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;

const SECTIONS = ['listeners', 'routes', 'upstreams'] as const;

/**
 * Compare the running config (`before`, null when none runs) with a candidate (`after`). Pure.
 * Items of `listeners`, `routes` and `upstreams` are matched by name, so a renamed route is one
 * removal and one addition. Values compare by content (canonical JSON), so key order and
 * formatting never count as a change; an omitted field and the same field written with its
 * default value do count, since the configs differ as written.
 */
export function diffConfigs(before: WeirConfig | null, after: WeirConfig): ConfigDiff {
  const listeners = diffSection(before?.listeners ?? [], after.listeners);
  const routes = diffSection(before?.routes ?? [], after.routes);
  const upstreams = diffSection(before?.upstreams ?? [], after.upstreams ?? []);
  const reordered = isReordered(before?.routes ?? [], after.routes);
  const settings = diffSettings(before as Json | null, after as unknown as Json);
  const summary: string[] = [];
  describe(summary, 'listener', listeners);
  describe(summary, 'route', routes);
  if (reordered) summary.push('~ routes reordered');
  describe(summary, 'upstream', upstreams);
  for (const name of settings.added) summary.push(`+ setting ${name}`);
  for (const name of settings.removed) summary.push(`- setting ${name}`);
  for (const change of settings.changed) summary.push(`~ setting ${change.name}`);
  return { changed: summary.length > 0, listeners, routes: { ...routes, reordered }, upstreams, settings, summary };
}

function diffSection(before: readonly { readonly name: string }[], after: readonly { readonly name: string }[]): SectionDiff {
  const old = new Map<string, Json>();
  for (let i = 0; i < before.length; i++) old.set((before[i] as { name: string }).name, before[i] as unknown as Json);
  const added: string[] = [];
  const changed: { name: string; fields: string[] }[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < after.length; i++) {
    const item = after[i] as unknown as Json & { name: string };
    seen.add(item.name);
    const previous = old.get(item.name);
    if (previous === undefined) added.push(item.name);
    else if (!same(previous, item)) changed.push({ name: item.name, fields: changedKeys(previous, item) });
  }
  const removed: string[] = [];
  for (const name of old.keys()) if (!seen.has(name)) removed.push(name);
  return { added, removed, changed };
}

function isReordered(before: readonly { readonly name: string }[], after: readonly { readonly name: string }[]): boolean {
  const kept = new Set(after.map((r) => r.name));
  const oldOrder = before.map((r) => r.name).filter((name) => kept.has(name));
  const present = new Set(oldOrder);
  const newOrder = after.map((r) => r.name).filter((name) => present.has(name));
  for (let i = 0; i < oldOrder.length; i++) if (oldOrder[i] !== newOrder[i]) return true;
  return false;
}

function diffSettings(before: Json | null, after: Json): SectionDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: { name: string; fields: string[] }[] = [];
  const keys = settingKeys(before, after);
  for (const key of keys) {
    const a = before?.[key];
    const b = after[key];
    if (isObject(a) && isObject(b)) {
      for (const sub of unionKeys(a, b)) classify(`${key}.${sub}`, a[sub], b[sub], added, removed, changed);
    } else {
      classify(key, a, b, added, removed, changed);
    }
  }
  return { added, removed, changed };
}

function classify(name: string, a: unknown, b: unknown, added: string[], removed: string[], changed: { name: string; fields: string[] }[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) added.push(name);
  else if (b === undefined) removed.push(name);
  else if (!same(a, b)) changed.push({ name, fields: isObject(a) && isObject(b) ? changedKeys(a, b) : [] });
}

function settingKeys(before: Json | null, after: Json): string[] {
  const keys = unionKeys(before ?? {}, after);
  return keys.filter((key) => key !== '$schema' && !key.startsWith('x-') && !(SECTIONS as readonly string[]).includes(key));
}

function changedKeys(a: Json, b: Json): string[] {
  return unionKeys(a, b).filter((key) => !same(a[key], b[key]));
}

function unionKeys(a: Json, b: Json): string[] {
  const keys = Object.keys(a);
  for (const key of Object.keys(b)) if (!(key in a)) keys.push(key);
  return keys;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equal content: plain JSON text first (fast, and usually what differs), canonical on a mismatch. */
function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(a) === JSON.stringify(b) || canonicalJSON(a) === canonicalJSON(b);
}

function describe(out: string[], noun: string, diff: SectionDiff): void {
  for (const name of diff.added) out.push(`+ ${noun} "${name}"`);
  for (const name of diff.removed) out.push(`- ${noun} "${name}"`);
  for (const change of diff.changed) out.push(`~ ${noun} "${change.name}": ${change.fields.join(', ')}`);
}

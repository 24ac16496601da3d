import { addHeader, removeHeader, setHeader } from '../header-list';
import type { HeaderEditsSpec } from '../plugin-spec';

/**
 * Header edits compiled from a spec into flat arrays: applied in the order remove, set, add
 * (config types/policy.ts `HeaderEditsConfig`), with indexed loops and nothing allocated.
 */
export class HeaderEdits {
  private readonly remove: readonly string[];
  /** Flat `[name, value, ...]`, names lower-cased. */
  private readonly set: readonly string[];
  private readonly add: readonly string[];

  constructor(spec: HeaderEditsSpec) {
    this.remove = spec.remove.map((name) => name.toLowerCase());
    this.set = spec.set.flatMap((h) => [h.name.toLowerCase(), h.value]);
    this.add = spec.add.flatMap((h) => [h.name.toLowerCase(), h.value]);
  }

  /** Applies the edits to `list` in place. */
  apply(list: string[]): void {
    const remove = this.remove;
    for (let i = 0; i < remove.length; i++) removeHeader(list, remove[i] as string);
    const set = this.set;
    for (let i = 0; i < set.length; i += 2) setHeader(list, set[i] as string, set[i + 1] as string);
    const add = this.add;
    for (let i = 0; i < add.length; i += 2) addHeader(list, add[i] as string, add[i + 1] as string);
  }
}

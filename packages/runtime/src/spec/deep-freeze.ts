/**
 * Freeze a tree of plain data in place and return it, so nothing can mutate a spec once built
 * or decoded (STYLE.md rule 12). Expects acyclic data (what buildSpec and msgpackr produce).
 * ArrayBuffer views are skipped: their elements cannot be frozen.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let i = 0; i < keys.length; i++) deepFreeze(record[keys[i] as string]);
  }
  return Object.freeze(value);
}

import schemaJson from './weir.schema.json';

/** A JSON Schema document, as plain read-only JSON data. */
export type ConfigSchema = Readonly<Record<string, unknown>>;

/**
 * Freezes a JSON value in place, recursively. The schema object is shared by every caller (the
 * admin API may serve it, the validator is compiled from it), so nobody may edit it afterwards.
 */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The published JSON Schema of the Weir config (draft 2020-12), `src/schema/weir.schema.json`.
 * It mirrors `types/*.ts` field for field, with titles, descriptions and defaults for editors.
 * Frozen: the validator is compiled from this object once.
 */
export const configSchema: ConfigSchema = deepFreeze(schemaJson);

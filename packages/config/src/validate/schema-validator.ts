import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { configSchema } from '../schema/index';
import type { WeirConfig } from '../types/index';

let compiled: ValidateFunction<WeirConfig> | null = null;

/**
 * The ajv validator of the config schema, compiled on first use and then reused: compiling
 * costs milliseconds, validating microseconds, and a process that never validates (a worker
 * would not, but the CLI's `--help` neither) should not pay for it.
 *
 * Options: `allErrors` so an operator sees every problem at once; `strict` so a typo in the
 * schema itself (an unknown keyword, a missing `type`) fails at compile time, in tests;
 * `verbose` so errors carry their schema (to name allowed properties and `anyOf` branches).
 * No `useDefaults`: validation never mutates the config; `buildSpec` fills defaults.
 *
 * The returned function keeps its last `errors`; read them right after the call.
 */
export function schemaValidator(): ValidateFunction<WeirConfig> {
  if (compiled === null) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
    compiled = ajv.compile<WeirConfig>(configSchema);
  }
  return compiled;
}

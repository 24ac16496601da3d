/**
 * The piscina task that builds and encodes a spec off the primary's event loop (DESIGN.md
 * section 2: a config with tens of thousands of routes must not stall the admin API or a
 * metrics scrape). Loaded by file name from `dist/apply/build-task.js` inside a worker thread;
 * it imports only `@weir/runtime` and `@weir/errors`.
 */
import type { WeirConfig } from '@weir/config';
import { toErrorJSON, type ErrorJSON } from '@weir/errors';
import { buildSpec, encodeSpec, type Spec } from '@weir/runtime';

/** Input of {@link buildTask}. */
export interface BuildTaskInput {
  /** A config that passed `validateConfig`. */
  readonly config: WeirConfig;
  /** Version id override (see `BuildSpecOptions.version`). */
  readonly version?: string;
}

/**
 * Output of {@link buildTask}. Errors travel as JSON because worker threads clone an Error
 * without its `code`, `details` or `pointer`.
 */
export type BuildTaskResult =
  | { readonly ok: true; readonly spec: Spec; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: ErrorJSON };

/**
 * buildSpec + encodeSpec. The bytes are copied into an ArrayBuffer of their own: encodeSpec may
 * return a view into msgpackr's pooled buffer, and cloning a view clones its whole buffer.
 * They are cloned back to the main thread rather than transferred, because piscina only
 * transfers a `move()`d value returned at the top level; copying a few MB costs about 1 ms,
 * far less than building the spec.
 */
export function buildTask(input: BuildTaskInput): BuildTaskResult {
  try {
    const spec = buildSpec(input.config, input.version === undefined ? {} : { version: input.version });
    const bytes = encodeSpec(spec).slice();
    return { ok: true, spec, bytes };
  } catch (err) {
    return { ok: false, error: toErrorJSON(err) };
  }
}

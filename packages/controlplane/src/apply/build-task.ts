/**
 * The piscina task that builds and encodes a spec off the primary's event loop (DESIGN.md
 * section 2: a config with tens of thousands of routes must not stall the admin API or a
 * metrics scrape). Loaded by file name from `dist/apply/build-task.js` inside a worker thread;
 * it imports `@weir/config` (validation, certificate files), `@weir/runtime` and `@weir/errors`.
 */
import { toErrorJSON, type ErrorJSON } from '@weir/errors';
import { encodeSpec, type Spec } from '@weir/runtime';
import { configToSpec } from './config-to-spec';

/** Input of {@link buildTask}. */
export interface BuildTaskInput {
  /** The config: already validated, or validated here first when `validate` is set. */
  readonly config: unknown;
  /** Version id override (see `BuildSpecOptions.version`). */
  readonly version?: string;
  /**
   * Run `validateConfig` in the thread first: a 100,000-route config takes ~0.5 s of schema and
   * semantic checks, which would otherwise stall the primary's event loop (issue 13). The caller
   * has checked the shape limits, so the document was safe to clone into the thread.
   */
  readonly validate?: boolean;
}

/**
 * Output of {@link buildTask}. Errors travel as JSON because worker threads clone an Error
 * without its `code`, `details` or `pointer`.
 */
export type BuildTaskResult =
  | { readonly ok: true; readonly spec: Spec; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: ErrorJSON };

/**
 * validateConfig (when asked) + loadTlsMaterial + buildSpec (see `configToSpec`) + encodeSpec.
 * Certificate files are read here, in the thread, at every build. The bytes are copied into an ArrayBuffer of their own: encodeSpec may
 * return a view into msgpackr's pooled buffer, and cloning a view clones its whole buffer.
 * They are cloned back to the main thread rather than transferred, because piscina only
 * transfers a `move()`d value returned at the top level; copying a few MB costs about 1 ms,
 * far less than building the spec.
 */
export function buildTask(input: BuildTaskInput): BuildTaskResult {
  try {
    const { spec } = configToSpec(input.config, {
      ...(input.validate === true ? { validate: true } : {}),
      ...(input.version === undefined ? {} : { version: input.version }),
    });
    const bytes = encodeSpec(spec).slice();
    return { ok: true, spec, bytes };
  } catch (err) {
    return { ok: false, error: toErrorJSON(err) };
  }
}

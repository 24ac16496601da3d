import type { ErrorDetail, WeirError } from '@weir/errors';
import { invalidConfigError } from './invalid-config-error';
import { jsonPointer } from './json-pointer';

/**
 * Bounds on the shape of a config document, checked before anything recursive touches it: the
 * JSON Schema validator, deep equality, the structured clone that hands a config to the build
 * thread, and canonical JSON all recurse, and a document nested thousands deep (even inside an
 * ignored `x-` key) would overflow their stacks and surface as a 500 (issue 15).
 *
 * - `maxDepth` 64: Weir's own configs nest at most about 8 deep (`routes[].match.headers[]`);
 *   the rest is room for `x-` extensions and a rollout request's wrapper.
 * - `maxStringLength` 1 MiB characters, `maxArrayLength` 1,000,000 elements, `maxKeys` 100,000
 *   per object: far above any real config (100,000 routes fit), far below what exhausts memory.
 */
export const DOCUMENT_LIMITS = Object.freeze({
  maxDepth: 64,
  maxStringLength: 1_048_576,
  maxArrayLength: 1_000_000,
  maxKeys: 100_000,
});

/** Problems reported at most: the first ones in walk order are enough to find the cause. */
const MAX_PROBLEMS = 10;

/** One value to visit; the pointer is rebuilt from the parents only when a problem is found. */
interface Frame {
  readonly value: unknown;
  readonly parent: Frame | null;
  readonly key: string | number;
  readonly depth: number;
}

function pointerOf(frame: Frame): string {
  const tokens: (string | number)[] = [];
  for (let f: Frame | null = frame; f !== null && f.parent !== null; f = f.parent) tokens.push(f.key);
  return jsonPointer(...tokens.reverse());
}

/**
 * The values of `document` (parsed JSON) that exceed {@link DOCUMENT_LIMITS}, each with its JSON
 * pointer. The walk is iterative (an explicit stack), so it cannot overflow whatever the depth,
 * and it does not descend below the depth limit. Returns at most ten problems. Cost: one small
 * frame per value (about 35 ms for a 100,000-route config on our 2-core machine).
 */
export function documentLimitProblems(document: unknown): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const stack: Frame[] = [{ value: document, parent: null, key: '', depth: 0 }];
  while (stack.length !== 0 && problems.length < MAX_PROBLEMS) {
    const frame = stack.pop() as Frame;
    const value = frame.value;
    if (typeof value === 'string') {
      if (value.length > DOCUMENT_LIMITS.maxStringLength) {
        problems.push({ pointer: pointerOf(frame), message: `a string of ${value.length} characters is longer than the limit of ${DOCUMENT_LIMITS.maxStringLength}` });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (frame.depth >= DOCUMENT_LIMITS.maxDepth) {
      problems.push({ pointer: pointerOf(frame), message: `nested deeper than the limit of ${DOCUMENT_LIMITS.maxDepth} levels` });
      continue;
    }
    const depth = frame.depth + 1;
    if (Array.isArray(value)) {
      if (value.length > DOCUMENT_LIMITS.maxArrayLength) {
        problems.push({ pointer: pointerOf(frame), message: `an array of ${value.length} elements is longer than the limit of ${DOCUMENT_LIMITS.maxArrayLength}` });
        continue;
      }
      for (let i = value.length - 1; i >= 0; i--) {
        const item: unknown = value[i];
        // Scalars other than strings need no frame.
        if (typeof item === 'object' ? item !== null : typeof item === 'string') stack.push({ value: item, parent: frame, key: i, depth });
      }
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > DOCUMENT_LIMITS.maxKeys) {
      problems.push({ pointer: pointerOf(frame), message: `an object with ${keys.length} members is larger than the limit of ${DOCUMENT_LIMITS.maxKeys}` });
      continue;
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const item: unknown = (value as Record<string, unknown>)[key];
      if (typeof item === 'object' ? item !== null : typeof item === 'string') stack.push({ value: item, parent: frame, key, depth });
    }
  }
  return problems;
}

/**
 * The WEIR_ERR_CONFIG_INVALID error for a document over the shape limits, or null. For callers
 * that must know a document is safe to hand to something recursive (a structured clone into the
 * build thread) before the rest of validation runs there.
 */
export function documentShapeError(document: unknown): WeirError | null {
  const problems = documentLimitProblems(document);
  return problems.length === 0 ? null : invalidConfigError(problems);
}

import { documentLimitProblems } from './document-limits';
import { invalidConfigError } from './invalid-config-error';
import { schemaProblems } from './schema-problems';
import { schemaValidator } from './schema-validator';
import { semanticProblems } from './checks/semantic-problems';
import type { ConfigCheck } from './config-check';

/**
 * Validates a parsed config: the JSON Schema first, then the semantic checks (unique names,
 * references, addresses, one action per route, ...). Returns every problem, never throws for
 * a bad config.
 *
 * Two passes: semantic checks run only once the schema passes, because they rely on the shapes
 * the schema guarantees (a name is a string, a port an integer). An operator therefore sees all
 * schema problems first and, once those are fixed, all semantic problems. Each pass reports
 * everything it finds, in document order.
 *
 * The same function serves the admin API, the file provider, the bundle puller and the CLI.
 * A document over the shape limits (`DOCUMENT_LIMITS`: depth, string, array and object sizes)
 * is refused first, with those problems only.
 */
export function validateConfig(value: unknown): ConfigCheck {
  // Before anything recursive (ajv, the checks, the build thread's structured clone).
  const oversized = documentLimitProblems(value);
  if (oversized.length > 0) return { ok: false, error: invalidConfigError(oversized) };
  const validate = schemaValidator();
  if (!validate(value)) {
    return { ok: false, error: invalidConfigError(schemaProblems(validate.errors ?? [])) };
  }
  const problems = semanticProblems(value);
  if (problems.length > 0) return { ok: false, error: invalidConfigError(problems) };
  return { ok: true, config: value };
}

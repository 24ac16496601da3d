import type { ErrorObject } from 'ajv';
import type { ErrorDetail } from '@weir/errors';
import { closestName } from './closest-name';
import { escapePointerToken } from './json-pointer';
import { patternMessages } from './pattern-messages';

/**
 * Turns ajv's errors into `{ pointer, message }` problems an operator can act on:
 *
 * - `required` and `additionalProperties` point at the missing or unknown key itself
 *   (`/listeners/0/port: is required`, `/listeners/0/prot: unknown property "prot" (did you
 *   mean "port"?)`) rather than at its parent object;
 * - `propertyNames` problems point at the offending key (`/routes/0/directResponse/headers/a b`);
 * - an `anyOf` that fails is one problem ("must be an integer from 1 to 1024 or \"auto\""),
 *   not one per branch. Branches must therefore not use `$ref` (their errors are recognised by
 *   schema path);
 * - `pattern` uses the wording of `patternMessages`;
 * - the `if` error of a failed `if`/`then` is dropped: the `then` branch's own errors point at
 *   the field that is wrong (`/routes/0/plugins/1/location: is required`);
 * - duplicates (same pointer and message) are dropped.
 */
export function schemaProblems(errors: readonly ErrorObject[]): ErrorDetail[] {
  const branchPrefixes: string[] = [];
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') branchPrefixes.push(error.schemaPath + '/');
  }
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // The inner error of a propertyNames failure carries `propertyName`; the outer one adds nothing.
    if (error.keyword === 'propertyNames') continue;
    // A failed `if`/`then` (plugins and rate-limit keys are chosen by `type` / `kind` that way)
    // also reports `must match "then" schema` at the object; the `then` errors already say what.
    if (error.keyword === 'if') continue;
    if (branchPrefixes.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const problem = describe(error);
    const key = problem.pointer + '\n' + problem.message;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describe(error: ErrorObject): ErrorDetail {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath;
  if (error.propertyName !== undefined) {
    return { pointer: at + '/' + escapePointerToken(error.propertyName), message: `name "${error.propertyName}" ${keywordMessage(error, params)}` };
  }
  switch (error.keyword) {
    case 'required':
      return { pointer: at + '/' + escapePointerToken(String(params['missingProperty'])), message: 'is required' };
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      return { pointer: at + '/' + escapePointerToken(key), message: unknownPropertyMessage(key, at, error.parentSchema) };
    }
    case 'uniqueItems': {
      const i = Number(params['i']);
      const j = Number(params['j']);
      return { pointer: `${at}/${Math.max(i, j)}`, message: `duplicate of item ${Math.min(i, j)}` };
    }
    default:
      return { pointer: at, message: keywordMessage(error, params) };
  }
}

function keywordMessage(error: ErrorObject, params: Record<string, unknown>): string {
  switch (error.keyword) {
    case 'type':
      return `must be ${typeName(String(params['type']))}`;
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params['allowedValue'])}`;
    case 'anyOf':
    case 'oneOf':
      return `must be ${(error.schema as readonly Record<string, unknown>[]).map(branchName).join(' or ')}`;
    case 'pattern':
      return patternMessages.get(String(params['pattern'])) ?? `must match the pattern ${String(params['pattern'])}`;
    case 'minLength':
      return params['limit'] === 1 ? 'must not be empty' : `must be at least ${String(params['limit'])} characters long`;
    case 'maxLength':
      return `must be at most ${String(params['limit'])} characters long`;
    case 'minItems':
      return `must have at least ${plural(Number(params['limit']), 'item')}`;
    default:
      // minimum, maximum and the rest: ajv's own wording ("must be <= 65535") is already clear.
      return error.message ?? 'is invalid';
  }
}

function unknownPropertyMessage(key: string, at: string, parentSchema: unknown): string {
  const properties = (parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const suggestion = properties === undefined ? undefined : closestName(key, Object.keys(properties));
  let message = `unknown property "${key}"`;
  if (suggestion !== undefined) message += ` (did you mean "${suggestion}"?)`;
  else if (at === '') message += ' (top-level extension keys must start with "x-")';
  return message;
}

function typeName(type: string): string {
  switch (type) {
    case 'integer':
      return 'an integer';
    case 'object':
    case 'array':
      return `an ${type}`;
    default:
      return `a ${type}`;
  }
}

/** Names one branch of an `anyOf` the way an operator would say it. */
function branchName(branch: Record<string, unknown>): string {
  if ('const' in branch) return JSON.stringify(branch['const']);
  const type = typeName(String(branch['type']));
  const min = branch['minimum'];
  const max = branch['maximum'];
  if (typeof min === 'number' && typeof max === 'number') return `${type} from ${min} to ${max}`;
  return type;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

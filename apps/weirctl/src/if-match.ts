import { usageError } from './cli-error';

/**
 * The `If-Match` header for `--if-match VERSION`: a bare version (`v-3f2a9c01d4e5`, as `weirctl
 * get --etag` prints it) is quoted into the entity tag the API compares; a quoted tag, a list or
 * `*` is sent as given. Undefined when the flag is absent.
 */
export function ifMatchHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '' || /[\s\u0000-\u001f\u007f]/.test(text)) throw usageError(`--if-match must be a version such as v-3f2a9c01d4e5; got "${value}"`);
  if (text === '*' || text.includes('"')) return text;
  return `"${text}"`;
}

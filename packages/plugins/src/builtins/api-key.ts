import { createHash } from 'node:crypto';
import { getHeader, setHeader } from '../header-list';
import { CONTINUE, type Plugin, type PluginOutcome, type PluginReply, type PluginRequest } from '../plugin';
import type { ApiKeyPluginSpec } from '../plugin-spec';
import { errorReply } from '../reply';

/**
 * The value of query parameter `name` in the request target `path` (`/x?a=1&key=v`), decoded
 * as application/x-www-form-urlencoded (`+` is a space, `%XX` escapes); the first occurrence
 * wins. Null when absent or when its escapes are malformed. Allocates only the value.
 */
export function queryParameter(path: string, name: string): string | null {
  let start = path.indexOf('?');
  if (start === -1) return null;
  start++;
  while (start <= path.length) {
    let end = path.indexOf('&', start);
    if (end === -1) end = path.length;
    if (end - start > name.length && path.charCodeAt(start + name.length) === 0x3d /* = */ && path.startsWith(name, start)) {
      const raw = path.slice(start + name.length + 1, end);
      if (raw.indexOf('%') === -1 && raw.indexOf('+') === -1) return raw;
      try {
        return decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        return null;
      }
    }
    start = end + 1;
  }
  return null;
}

/**
 * `apiKey`: the request must carry one of the keys, stored as SHA-256 hex digests
 * (`weirctl hash-secret --sha256`), in `header` (default `x-api-key`) or, when `query` is set
 * and the header is absent, in that query parameter.
 *
 * - The presented key is hashed and its digest looked up in a Map of digest -> key name built
 *   once. Lookup time can only depend on the digest of what the client sent, which tells an
 *   attacker nothing about a stored key (no byte-by-byte comparison of secrets).
 * - Missing, empty or unknown key: 401 WEIR_ERR_UNAUTHORIZED with `WWW-Authenticate: ApiKey
 *   realm="weir"` (RFC 9110 section 11.6.1 requires a challenge with 401; there is no registered
 *   scheme for API keys, so Weir names its own). The key never appears in the body.
 * - On success `req.principal` is the key's name and, with `nameHeader`, that header is set to
 *   it (replacing any value the client sent).
 * - The key is forwarded unchanged (as Kong's key-auth with `hide_credentials: false`): removing
 *   it from the query would change the target the upstream sees. Add `requestHeaders`
 *   `remove: ["x-api-key"]` after this plugin to drop the header.
 */
export class ApiKeyPlugin implements Plugin {
  readonly type = 'apiKey';
  private readonly header: string;
  private readonly query: string | null;
  private readonly names: ReadonlyMap<string, string>;
  private readonly nameHeader: string | null;
  private readonly refusal: PluginReply = errorReply('WEIR_ERR_UNAUTHORIZED', ['www-authenticate', 'ApiKey realm="weir"']);

  constructor(spec: ApiKeyPluginSpec) {
    this.header = spec.header.toLowerCase();
    this.query = spec.query;
    this.names = new Map(spec.keys.map((k) => [k.sha256.toLowerCase(), k.name]));
    this.nameHeader = spec.nameHeader === null ? null : spec.nameHeader.toLowerCase();
  }

  onRequest(req: PluginRequest): PluginOutcome {
    let key = getHeader(req.headers, this.header);
    if (key === null && this.query !== null) key = queryParameter(req.path, this.query);
    if (key === null || key === '') return this.refusal;
    const name = this.names.get(createHash('sha256').update(key).digest('hex'));
    if (name === undefined) return this.refusal;
    req.principal = name;
    if (this.nameHeader !== null) setHeader(req.headers, this.nameHeader, name);
    return CONTINUE;
  }
}

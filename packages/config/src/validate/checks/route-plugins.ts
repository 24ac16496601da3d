import { jsonPointer } from '../json-pointer';
import type { CorsPluginConfig, HeaderEditsConfig, PluginConfig, RedirectPluginConfig, WeirConfig } from '../../types/index';
import { checkCidrList } from './client-address';
import type { Report } from './semantic-check';

type At = readonly (string | number)[];

/**
 * Headers no plugin may edit: the hop-by-hop ones (RFC 9110 section 7.6.1; Weir manages the
 * connection) and `content-length` (it frames the body Weir streams). Request edits may not
 * touch `host` either: routing already used it, and the upstream's own address decides it.
 */
const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Plugins that make sense once per route: a second `requestId` or `cors` would answer or label
 * twice, a second `redirect` never runs, and a second `jwt` would make a `claim` rate-limit key
 * ambiguous.
 */
const ONCE_PER_ROUTE: ReadonlySet<PluginConfig['type']> = new Set(['requestId', 'cors', 'redirect', 'jwt']);

/** `{path}` and `{host}`, the placeholders a redirect location may hold. */
const PLACEHOLDER = /\{[^}]*\}/g;

/**
 * What the schema cannot say about a route's plugins (rewrite and jwt have files of their own):
 *
 * - `requestId`, `cors`, `redirect` and `jwt` at most once per route;
 * - header edits name no hop-by-hop header nor `content-length` (nor `host` on requests), and
 *   each name once per `set` / `add` object, case-insensitively;
 * - a redirect location is an absolute `http(s)` URL or an absolute path (`/x`, not the
 *   protocol-relative `//x`, which leaves the site), with `{path}` and `{host}` its only
 *   placeholders;
 * - CORS: `"*"` stands alone, and not with `allowCredentials: true` (the Fetch standard
 *   forbids a credentialed response to a wildcard origin);
 * - ipFilter: at least one of `allow`, `deny`, every CIDR valid and listed once;
 * - basicAuth user names, apiKey names and apiKey digests unique.
 */
export function checkRoutePlugins(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const firstOfType = new Map<string, number>();
    for (const [j, plugin] of (route.plugins ?? []).entries()) {
      const at: At = ['routes', i, 'plugins', j];
      if (ONCE_PER_ROUTE.has(plugin.type)) {
        const first = firstOfType.get(plugin.type);
        if (first === undefined) firstOfType.set(plugin.type, j);
        else report(jsonPointer(...at, 'type'), `route "${route.name}" already has a "${plugin.type}" plugin at ${jsonPointer('routes', i, 'plugins', first)}`);
      }
      checkPlugin(plugin, at, report);
    }
  }
}

function checkPlugin(plugin: PluginConfig, at: At, report: Report): void {
  switch (plugin.type) {
    case 'requestHeaders':
      checkHeaderEdits(plugin, true, at, report);
      return;
    case 'responseHeaders':
      checkHeaderEdits(plugin, false, at, report);
      return;
    case 'redirect':
      checkRedirect(plugin, at, report);
      return;
    case 'cors':
      checkCors(plugin, at, report);
      return;
    case 'ipFilter':
      if (plugin.allow === undefined && plugin.deny === undefined) report(jsonPointer(...at), 'set "allow", "deny" or both');
      checkCidrList(plugin.allow, [...at, 'allow'], report);
      checkCidrList(plugin.deny, [...at, 'deny'], report);
      return;
    case 'basicAuth':
      checkUnique(plugin.users.map((user) => user.name), [...at, 'users'], 'name', 'user', report);
      return;
    case 'apiKey':
      checkUnique(plugin.keys.map((key) => key.name), [...at, 'keys'], 'name', 'key name', report);
      checkUnique(plugin.keys.map((key) => key.sha256), [...at, 'keys'], 'sha256', 'key digest', report);
      return;
    default:
      return;
  }
}

function checkHeaderEdits(edits: HeaderEditsConfig, request: boolean, at: At, report: Report): void {
  for (const field of ['set', 'add'] as const) {
    const seen = new Map<string, string>();
    for (const name of Object.keys(edits[field] ?? {})) {
      const lower = name.toLowerCase();
      if (forbidden(lower, request, [...at, field, name], report)) continue;
      const first = seen.get(lower);
      if (first === undefined) seen.set(lower, name);
      else report(jsonPointer(...at, field, name), `header "${name}" is already listed as "${first}" (header names are case-insensitive)`);
    }
  }
  for (const [k, name] of (edits.remove ?? []).entries()) forbidden(name.toLowerCase(), request, [...at, 'remove', k], report);
}

function forbidden(lower: string, request: boolean, at: At, report: Report): boolean {
  let why: string | undefined;
  if (HOP_BY_HOP.has(lower)) why = 'a hop-by-hop header, managed by Weir per connection';
  else if (lower === 'content-length') why = 'it frames the body, which Weir streams';
  else if (request && lower === 'host') why = 'routing already used it; the upstream address decides it';
  if (why !== undefined) report(jsonPointer(...at), `header "${lower}" cannot be edited (${why})`);
  return why !== undefined;
}

function checkRedirect(redirect: RedirectPluginConfig, at: At, report: Report): void {
  const where = jsonPointer(...at, 'location');
  const location = redirect.location;
  for (const placeholder of location.match(PLACEHOLDER) ?? []) {
    if (placeholder !== '{path}' && placeholder !== '{host}') {
      report(where, `unknown placeholder "${placeholder}": only "{path}" and "{host}" are replaced`);
      return;
    }
  }
  // What a request could make of it: a path always starts with "/", a host is a name.
  const sample = location.replaceAll('{path}', '/p').replaceAll('{host}', 'example.com');
  if (sample.startsWith('/')) {
    if (sample.startsWith('//')) report(where, 'must not start with "//" (a protocol-relative URL leaves the site): write "https://..." or a path');
    return;
  }
  let url: URL | undefined;
  try {
    url = new URL(sample);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '') {
    report(where, 'must be an absolute http:// or https:// URL, or an absolute path starting with "/"');
  }
}

function checkCors(cors: CorsPluginConfig, at: At, report: Report): void {
  const wildcard = cors.allowOrigins.indexOf('*');
  if (wildcard === -1) return;
  if (cors.allowOrigins.length > 1) {
    report(jsonPointer(...at, 'allowOrigins'), '"*" allows any origin: list it alone or list origins without it');
  }
  if (cors.allowCredentials === true) {
    report(jsonPointer(...at, 'allowCredentials'), 'credentials cannot be allowed for any origin ("*"): list the origins, or set "allowCredentials" to false');
  }
}

function checkUnique(values: readonly string[], at: At, field: string, noun: string, report: Report): void {
  const first = new Map<string, number>();
  for (let k = 0; k < values.length; k++) {
    const value = values[k] as string;
    const seen = first.get(value);
    if (seen === undefined) first.set(value, k);
    else report(jsonPointer(...at, k, field), `duplicate ${noun} (first used at ${jsonPointer(...at, seen)})`);
  }
}

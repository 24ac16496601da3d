import type {
  ApiKeyPluginConfig,
  BasicAuthPluginConfig,
  CorsPluginConfig,
  HeaderEditsConfig,
  JwtPluginConfig,
  PluginConfig,
  RewritePluginConfig,
} from '@weir/config';
import { configDefaults } from '../spec/index';
import type {
  ApiKeyPluginSpec,
  BasicAuthPluginSpec,
  CorsPluginSpec,
  HeaderEditsSpec,
  JwtPluginSpec,
  PluginSpec,
  RewritePluginSpec,
} from '../spec/index';
import { uniqueCidrs } from './build-policy';

const d = configDefaults;

/**
 * A route's plugins in config order, every default filled in (issue 9): header names
 * lower-cased, methods upper-cased, CIDRs canonical, secrets and JWKs copied (the spec shares
 * no object with the config). Objects list their keys sorted (see spec/canonical-json.ts).
 * Validation has checked what only makes sense together (one rewrite form, one key source).
 */
export function buildPlugins(plugins: readonly PluginConfig[] | undefined): PluginSpec[] {
  const out: PluginSpec[] = [];
  if (plugins === undefined) return out;
  for (let i = 0; i < plugins.length; i++) out.push(buildPlugin(plugins[i] as PluginConfig));
  return out;
}

function buildPlugin(plugin: PluginConfig): PluginSpec {
  switch (plugin.type) {
    case 'requestHeaders':
      return { ...buildHeaderEdits(plugin), type: 'requestHeaders' };
    case 'responseHeaders':
      return { ...buildHeaderEdits(plugin), type: 'responseHeaders' };
    case 'rewrite':
      return buildRewrite(plugin);
    case 'redirect':
      return { location: plugin.location, status: plugin.status ?? d.redirectPlugin.status, type: 'redirect' };
    case 'requestId':
      return {
        header: (plugin.header ?? d.requestIdPlugin.header).toLowerCase(),
        propagate: plugin.propagate ?? d.requestIdPlugin.propagate,
        type: 'requestId',
        useTraceId: plugin.useTraceId ?? d.requestIdPlugin.useTraceId,
      };
    case 'cors':
      return buildCors(plugin);
    case 'ipFilter':
      return { allow: uniqueCidrs(plugin.allow), deny: uniqueCidrs(plugin.deny), type: 'ipFilter' };
    case 'basicAuth':
      return buildBasicAuth(plugin);
    case 'apiKey':
      return buildApiKey(plugin);
    case 'jwt':
      return buildJwt(plugin);
  }
}

/**
 * `set` and `add` come from JSON objects, whose key order must not change the spec hash: the
 * pairs are sorted by name then value (as direct-response headers are). `remove` keeps its order.
 */
function buildHeaderEdits(edits: HeaderEditsConfig): HeaderEditsSpec {
  return {
    add: headerPairs(edits.add),
    remove: uniqueLowerCase(edits.remove ?? []),
    set: headerPairs(edits.set),
  };
}

function headerPairs(record: Readonly<Record<string, string>> | undefined): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  if (record === undefined) return out;
  const names = Object.keys(record);
  for (let i = 0; i < names.length; i++) {
    const raw = names[i] as string;
    out.push({ name: raw.toLowerCase(), value: record[raw] as string });
  }
  return out.sort(comparePairs);
}

function comparePairs(a: { name: string; value: string }, b: { name: string; value: string }): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value === b.value) return 0;
  return a.value < b.value ? -1 : 1;
}

function buildRewrite(rewrite: RewritePluginConfig): RewritePluginSpec {
  if (rewrite.stripPrefix !== undefined) return { from: rewrite.stripPrefix, kind: 'stripPrefix', to: '', type: 'rewrite' };
  if (rewrite.replacePrefix !== undefined) {
    return { from: rewrite.replacePrefix.from, kind: 'replacePrefix', to: rewrite.replacePrefix.to, type: 'rewrite' };
  }
  const regex = rewrite.regex as NonNullable<RewritePluginConfig['regex']>;
  return { kind: 'regex', pattern: regex.pattern, replacement: regex.replacement, type: 'rewrite' };
}

function buildCors(cors: CorsPluginConfig): CorsPluginSpec {
  const c = d.corsPlugin;
  return {
    allowCredentials: cors.allowCredentials ?? c.allowCredentials,
    allowHeaders: uniqueLowerCase(cors.allowHeaders ?? []),
    allowMethods: uniqueUpperCase(cors.allowMethods ?? c.allowMethods),
    // Origins compare as the Fetch standard serialises them: scheme and host lower-case.
    allowOrigins: uniqueLowerCase(cors.allowOrigins),
    exposeHeaders: uniqueLowerCase(cors.exposeHeaders ?? []),
    maxAgeSeconds: cors.maxAgeSeconds ?? c.maxAgeSeconds,
    type: 'cors',
  };
}

function buildBasicAuth(auth: BasicAuthPluginConfig): BasicAuthPluginSpec {
  return {
    realm: auth.realm ?? d.basicAuthPlugin.realm,
    type: 'basicAuth',
    userHeader: auth.userHeader === undefined ? null : auth.userHeader.toLowerCase(),
    users: auth.users.map((user) => ({ name: user.name, passwordHash: user.passwordHash })),
  };
}

function buildApiKey(apiKey: ApiKeyPluginConfig): ApiKeyPluginSpec {
  return {
    header: (apiKey.header ?? d.apiKeyPlugin.header).toLowerCase(),
    keys: apiKey.keys.map((key) => ({ name: key.name, sha256: key.sha256 })),
    nameHeader: apiKey.nameHeader === undefined ? null : apiKey.nameHeader.toLowerCase(),
    query: apiKey.query ?? null,
    type: 'apiKey',
  };
}

function buildJwt(jwt: JwtPluginConfig): JwtPluginSpec {
  const j = d.jwtPlugin;
  return {
    algorithms: (jwt.algorithms ?? j.algorithms).slice(),
    audiences: (jwt.audiences ?? []).slice(),
    clockSkewSeconds: jwt.clockSkewSeconds ?? j.clockSkewSeconds,
    forwardClaims: (jwt.forwardClaims ?? []).map((f) => ({ claim: f.claim, header: f.header.toLowerCase() })),
    header: (jwt.header ?? j.header).toLowerCase(),
    issuers: (jwt.issuers ?? []).slice(),
    jwks: jwt.jwks === undefined ? null : { keys: jwt.jwks.keys.map((key) => sortedCopy(key) as Readonly<Record<string, unknown>>) },
    jwksRefreshMs: jwt.jwksRefreshMs ?? j.jwksRefreshMs,
    jwksUrl: jwt.jwksUrl ?? null,
    stripToken: jwt.stripToken ?? j.stripToken,
    type: 'jwt',
  };
}

/** A deep copy of a JSON value with object keys sorted (JWKs are written in any order). */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  const record = value as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(record).sort();
  for (let i = 0; i < keys.length; i++) out[keys[i] as string] = sortedCopy(record[keys[i] as string]);
  return out;
}

function uniqueLowerCase(values: readonly string[]): string[] {
  return unique(values, (v) => v.toLowerCase());
}

function uniqueUpperCase(values: readonly string[]): string[] {
  return unique(values, (v) => v.toUpperCase());
}

/** Mapped values, each once, in first-seen order. */
function unique(values: readonly string[], map: (value: string) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = map(values[i] as string);
    if (!out.includes(value)) out.push(value);
  }
  return out;
}

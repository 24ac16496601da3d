import {
  ApiKeyPlugin,
  BasicAuthPlugin,
  compileCapturingRegex,
  CorsPlugin,
  IpFilterPlugin,
  JwtPlugin,
  RedirectPlugin,
  RequestHeadersPlugin,
  RequestIdPlugin,
  ResponseHeadersPlugin,
  RewritePrefixPlugin,
  RewriteRegexPlugin,
  type CompileCapturingRegex,
} from './builtins/index';
import type { Plugin, PluginDeps } from './plugin';
import type { PluginSpec } from './plugin-spec';

/** Every plugin `type`, in the order apps/weir/docs/plugins.md documents them. */
export const PLUGIN_TYPES = [
  'requestHeaders',
  'responseHeaders',
  'rewrite',
  'redirect',
  'requestId',
  'cors',
  'ipFilter',
  'basicAuth',
  'apiKey',
  'jwt',
] as const satisfies readonly PluginSpec['type'][];

/** Fails to compile when the spec gains a `type` PLUGIN_TYPES lacks. */
type MissingPluginTypes = Exclude<PluginSpec['type'], (typeof PLUGIN_TYPES)[number]>;
const everyTypeListed: [MissingPluginTypes] extends [never] ? true : never = true;
void everyTypeListed;

/**
 * Builds one plugin from its spec (defaults already filled in by `buildSpec`). Runs at assemble
 * time; throws WEIR_ERR_CONFIG_INVALID for a spec a plugin cannot be built from (a malformed
 * password hash, a regex rewrite this build cannot capture with).
 *
 * `compileRegex` makes the capturing regex of a `rewrite` with `regex`; tests inject one.
 */
export function buildPlugin(spec: PluginSpec, deps: PluginDeps, compileRegex: CompileCapturingRegex = compileCapturingRegex): Plugin {
  switch (spec.type) {
    case 'requestHeaders':
      return new RequestHeadersPlugin(spec);
    case 'responseHeaders':
      return new ResponseHeadersPlugin(spec);
    case 'rewrite':
      return spec.kind === 'regex' ? new RewriteRegexPlugin(compileRegex(spec.pattern), spec.replacement) : new RewritePrefixPlugin(spec.from, spec.to);
    case 'redirect':
      return new RedirectPlugin(spec);
    case 'requestId':
      return new RequestIdPlugin(spec);
    case 'cors':
      return new CorsPlugin(spec);
    case 'ipFilter':
      return new IpFilterPlugin(spec);
    case 'basicAuth':
      return new BasicAuthPlugin(spec);
    case 'apiKey':
      return new ApiKeyPlugin(spec);
    case 'jwt':
      return new JwtPlugin(spec, deps);
    default:
      return unknownPlugin(spec);
  }
}

/** Exhaustiveness: a new `type` in the spec union fails to compile here. */
function unknownPlugin(spec: never): never {
  throw new Error(`unknown plugin type ${JSON.stringify((spec as { type?: unknown }).type)}`);
}

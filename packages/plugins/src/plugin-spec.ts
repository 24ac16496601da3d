/**
 * The spec shapes plugins are built from (`@weir/runtime` spec/policy.ts), named here.
 *
 * `@weir/runtime`'s public index does not export the policy types yet, so they are derived from
 * `RouteSpec['plugins']`, which it does export; once it exports `PluginSpec` and friends these
 * aliases can become plain re-exports without any change to the plugins.
 */
import type { RouteSpec } from '@weir/runtime';

/** One plugin of a route, defaults filled in by the build. */
export type PluginSpec = RouteSpec['plugins'][number];

/** The spec of the plugin with config `type` T. */
export type PluginSpecOf<T extends PluginSpec['type']> = Extract<PluginSpec, { readonly type: T }>;

/** Header edits (names lower-cased): `remove`, then `set`, then `add`. */
export type HeaderEditsSpec = Pick<PluginSpecOf<'requestHeaders'>, 'set' | 'add' | 'remove'>;
export type RewritePluginSpec = PluginSpecOf<'rewrite'>;
export type RedirectPluginSpec = PluginSpecOf<'redirect'>;
export type RequestIdPluginSpec = PluginSpecOf<'requestId'>;
export type CorsPluginSpec = PluginSpecOf<'cors'>;
export type IpFilterPluginSpec = PluginSpecOf<'ipFilter'>;
export type BasicAuthPluginSpec = PluginSpecOf<'basicAuth'>;
export type ApiKeyPluginSpec = PluginSpecOf<'apiKey'>;
export type JwtPluginSpec = PluginSpecOf<'jwt'>;

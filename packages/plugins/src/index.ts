/** @weir/plugins: the plugin interface and the built-in plugins (issue 9). */
export { CONTINUE } from './plugin';
export type { Plugin, PluginDeps, PluginOutcome, PluginReply, PluginRequest, PluginResponse, JwksSource } from './plugin';
export { AddressSet } from './net/index';
export { PluginChain, buildPluginChain } from './plugin-chain';
export { buildPlugin, PLUGIN_TYPES } from './build-plugin';
export { getHeader, hasHeader, setHeader, addHeader, removeHeader, addResponseHeader, headerNameIs } from './header-list';
export type { PluginSpec } from './plugin-spec';
export type { CapturingRegex, CompileCapturingRegex } from './builtins/index';

/** @weir/plugins: the plugin interface and the built-in plugins (issue 9). */
export { CONTINUE } from './plugin';
export type { Plugin, PluginDeps, PluginOutcome, PluginReply, PluginRequest, PluginResponse, JwksSource } from './plugin';
export { AddressSet } from './net/address-set';

import { WeirError } from '@weir/errors';
import { buildPlugin } from './build-plugin';
import { CONTINUE, type Plugin, type PluginDeps, type PluginOutcome, type PluginRequest, type PluginResponse } from './plugin';
import type { PluginSpec } from './plugin-spec';

/** A request phase of one plugin. */
type RequestPhase = (req: PluginRequest) => PluginOutcome | Promise<PluginOutcome>;

/** True for a promise (or any thenable) rather than CONTINUE or a reply. */
function isThenable(value: PluginOutcome | Promise<PluginOutcome>): value is Promise<PluginOutcome> {
  return value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * A plugin's failure (a bug, or a misconfiguration only visible per request) as
 * WEIR_ERR_INTERNAL naming the plugin, so the exchange answers 500: a plugin that throws must
 * never look like an authentication failure. The original error is the `cause`; its message
 * is not repeated (it might quote request data).
 */
function pluginFailure(plugin: Plugin, phase: 'request' | 'response', cause: unknown): WeirError {
  return new WeirError('WEIR_ERR_INTERNAL', `plugin "${plugin.type}" failed in its ${phase} phase`, { cause });
}

/**
 * A route's plugins, built once per runtime (`buildPluginChain`) and shared by its requests.
 *
 * ```
 *   runRequest:  p1.onRequest -> p2.onRequest -> ... -> pn.onRequest   (CONTINUE moves on)
 *                  |                 |
 *                  reply: ends the chain, later plugins are not called
 *                                    promise: the rest runs after it settles (async from here on)
 *   runResponse: pn.onResponse -> ... -> p1.onResponse                  (reverse order)
 * ```
 *
 * The request phase stays synchronous (no promise, no closure) until a plugin returns a
 * promise, as JWT verification and a first basic-auth check do; from there the chain continues
 * in one async function. Plugins without a phase are left out of that phase's array when the
 * chain is built.
 *
 * The response phase runs for every response the exchange sends for the request: the
 * upstream's, a reply of any plugin of the chain, or an error answer; so a plugin's response
 * phase never assumes its own request phase ran (responseHeaders edits a JWT 401 too).
 *
 * A plugin that throws or rejects makes `runRequest` / `runResponse` throw or reject with
 * WEIR_ERR_INTERNAL (cause: the original error): the caller answers 500.
 */
export class PluginChain {
  /** The plugins with a request phase, in config order. */
  private readonly requestPlugins: readonly Plugin[];
  /** The plugins with a response phase, in reverse config order. */
  private readonly responsePlugins: readonly Plugin[];
  /** True when some plugin has a response phase: without one the exchange skips `runResponse`. */
  readonly hasResponsePhase: boolean;
  /** True when some plugin has a request phase. */
  readonly hasRequestPhase: boolean;
  /** The plugins in config order. */
  readonly plugins: readonly Plugin[];

  constructor(plugins: readonly Plugin[]) {
    this.plugins = plugins.slice();
    this.requestPlugins = plugins.filter((p) => typeof p.onRequest === 'function');
    this.responsePlugins = plugins.filter((p) => typeof p.onResponse === 'function').reverse();
    this.hasRequestPhase = this.requestPlugins.length !== 0;
    this.hasResponsePhase = this.responsePlugins.length !== 0;
  }

  /**
   * Runs the request phases in order. Returns CONTINUE (forward the request), the reply of the
   * plugin that answered, or a promise of either once a plugin went asynchronous.
   */
  runRequest(req: PluginRequest): PluginOutcome | Promise<PluginOutcome> {
    const plugins = this.requestPlugins;
    for (let i = 0; i < plugins.length; i++) {
      const plugin = plugins[i] as Plugin;
      let outcome: PluginOutcome | Promise<PluginOutcome>;
      try {
        outcome = (plugin.onRequest as RequestPhase).call(plugin, req);
      } catch (err) {
        throw pluginFailure(plugin, 'request', err);
      }
      if (outcome === CONTINUE) continue;
      if (isThenable(outcome)) return this.finishAsync(outcome, plugin, req, i + 1);
      return outcome;
    }
    return CONTINUE;
  }

  /** The rest of the request phase after plugin `next - 1` returned `pending`. */
  private async finishAsync(pending: Promise<PluginOutcome>, pendingPlugin: Plugin, req: PluginRequest, next: number): Promise<PluginOutcome> {
    let outcome: PluginOutcome;
    try {
      outcome = await pending;
    } catch (err) {
      throw pluginFailure(pendingPlugin, 'request', err);
    }
    if (outcome !== CONTINUE) return outcome;
    const plugins = this.requestPlugins;
    for (let i = next; i < plugins.length; i++) {
      const plugin = plugins[i] as Plugin;
      try {
        outcome = await (plugin.onRequest as RequestPhase).call(plugin, req);
      } catch (err) {
        throw pluginFailure(plugin, 'request', err);
      }
      if (outcome !== CONTINUE) return outcome;
    }
    return CONTINUE;
  }

  /** Runs the response phases in reverse order; they edit `res.headers` in place. */
  runResponse(req: PluginRequest, res: PluginResponse): void {
    const plugins = this.responsePlugins;
    for (let i = 0; i < plugins.length; i++) {
      const plugin = plugins[i] as Plugin;
      try {
        (plugin.onResponse as (req: PluginRequest, res: PluginResponse) => void).call(plugin, req, res);
      } catch (err) {
        throw pluginFailure(plugin, 'response', err);
      }
    }
  }
}

/**
 * Builds a route's chain from its spec (at assemble time); null for a route without plugins, so
 * the exchange pays one null check (STYLE.md rule 6, fastify route.js). Throws
 * WEIR_ERR_CONFIG_INVALID for a spec a plugin cannot be built from.
 */
export function buildPluginChain(specs: readonly PluginSpec[], deps: PluginDeps): PluginChain | null {
  if (specs.length === 0) return null;
  const plugins: Plugin[] = [];
  for (const spec of specs) plugins.push(buildPlugin(spec, deps));
  return new PluginChain(plugins);
}

import { jsonPointer } from '../json-pointer';
import type { FaultConfig, RouteConfig, WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * Headers a mirror copy may not be marked with: the hop-by-hop ones (RFC 9110 section 7.6.1),
 * `content-length` (it describes the copied body) and `host` (the copy's Host is the original's
 * with `-shadow` appended). Setting any of them to `1` would break the copy.
 */
const FORBIDDEN_MIRROR_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'host',
]);

/**
 * Percents are decimals: `33.3 + 66.7` must not fail on a rounding error. A millionth of a
 * percent is far below what one worker's random draws can tell apart.
 */
const PERCENT_EPSILON = 1e-9;

/**
 * A route's `traffic` plan (issue 19) holds together:
 *
 * - only forwarding routes have one: `traffic` on a route whose only action is `directResponse`
 *   is rejected, like `retry` and `upgrades` there (a route with several actions is already
 *   reported by the action check);
 * - an override has exactly one of `header` and `cookie`, and its `upstream` is an entry of the
 *   route's split (or the route's `upstream`): an override steers between the entries the split
 *   already has, whose pools, breakers and metrics exist, so the message names them;
 * - a `clientAddress` sticky key has no `name`, and a `claim` key needs a `jwt` plugin on the
 *   route (without one no claim is ever validated and every request would hash the same, empty
 *   key), as for rate-limit keys (route-limits.ts);
 * - the mirror's `header` is not one that would break the copy (hop-by-hop, `content-length`,
 *   `host`). That the mirror's upstream exists is checked with the other references
 *   (route-references.ts), with its "did you mean";
 * - a `fault` injects something: a `delay` or an `abort`, or `headerControlled` (then the
 *   request's `x-weir-fault` header may choose the fault itself); and `delay.percent` plus
 *   `abort.percent` is at most 100: a request gets at most one fault (an aborted request is
 *   answered at once, never also delayed), so the two shares split the requests between them.
 *
 * `traffic: {}` is valid and the same as no `traffic`.
 */
export function checkRouteTraffic(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const traffic = route.traffic;
    if (traffic === undefined) continue;
    const at = ['routes', i, 'traffic'] as const;
    if (route.directResponse !== undefined && route.upstream === undefined && route.split === undefined) {
      report(jsonPointer(...at), 'a direct-response route has no upstream to steer: remove "traffic"');
      continue;
    }
    checkOverrides(route, i, report);
    const sticky = traffic.sticky;
    if (sticky !== undefined) {
      if (sticky.kind === 'clientAddress' && (sticky as { readonly name?: string }).name !== undefined) {
        report(jsonPointer(...at, 'sticky', 'name'), 'a "clientAddress" key has no name: remove "name" or use kind "header", "cookie" or "claim"');
      }
      if (sticky.kind === 'claim' && !(route.plugins ?? []).some((plugin) => plugin.type === 'jwt')) {
        report(jsonPointer(...at, 'sticky'), `a "claim" key needs a "jwt" plugin on route "${route.name}" to validate the token it reads`);
      }
    }
    const header = traffic.mirror?.header;
    if (header !== undefined && FORBIDDEN_MIRROR_HEADERS.has(header.toLowerCase())) {
      report(jsonPointer(...at, 'mirror', 'header'), `"${header}" cannot mark mirror copies (Weir sets it on every request): choose another header, such as "x-weir-mirror"`);
    }
    if (traffic.fault !== undefined) checkFault(traffic.fault, [...at, 'fault'], report);
  }
}

function checkOverrides(route: RouteConfig, i: number, report: Report): void {
  const overrides = route.traffic?.overrides ?? [];
  if (overrides.length === 0) return;
  const entries = route.split !== undefined ? route.split.map((entry) => entry.upstream) : route.upstream !== undefined ? [route.upstream] : [];
  for (const [j, override] of overrides.entries()) {
    const at = ['routes', i, 'traffic', 'overrides', j] as const;
    if ((override.header === undefined) === (override.cookie === undefined)) {
      const found = override.header === undefined ? 'none' : '"header" and "cookie"';
      report(jsonPointer(...at), `set exactly one of "header" or "cookie" (found ${found})`);
    }
    // A route without any action is reported by the action check; there is nothing to name.
    if (entries.length === 0 || entries.includes(override.upstream)) continue;
    const names = entries.map((name) => `"${name}"`).join(', ');
    const where = route.split !== undefined ? `an entry of route "${route.name}"'s split (${names})` : `route "${route.name}"'s upstream (${names})`;
    report(jsonPointer(...at, 'upstream'), `upstream "${override.upstream}" is not ${where}: an override chooses among the split's entries`);
  }
}

function checkFault(fault: FaultConfig, at: readonly (string | number)[], report: Report): void {
  if (fault.delay === undefined && fault.abort === undefined) {
    if (fault.headerControlled !== true) {
      report(jsonPointer(...at), 'a fault injects nothing: set "delay", "abort" or both (or "headerControlled": true to let the x-weir-fault header choose)');
    }
    return;
  }
  const delay = fault.delay?.percent ?? 0;
  const abort = fault.abort?.percent ?? 0;
  if (delay + abort > 100 + PERCENT_EPSILON) {
    report(
      jsonPointer(...at),
      `delay.percent (${delay}) and abort.percent (${abort}) add up to ${delay + abort}: at most 100, a request gets at most one fault`,
    );
  }
}

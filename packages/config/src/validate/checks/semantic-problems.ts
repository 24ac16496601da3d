import type { ErrorDetail } from '@weir/errors';
import type { WeirConfig } from '../../types/index';
import { checkAdminSection } from './admin-section';
import { checkDirectResponse } from './direct-response';
import { checkHeaderMatch } from './header-match';
import { checkListenerAddresses } from './listener-addresses';
import { checkListenerLimits } from './listener-limits';
import { checkPathMatch } from './path-match';
import { checkRouteAction } from './route-action';
import { checkRouteHosts } from './route-hosts';
import { checkRouteReferences } from './route-references';
import { checkRouteRegexes } from './route-regexes';
import { checkUniqueNames } from './unique-names';
import { checkUpstreamEndpoints } from './upstream-endpoints';
import { checkBalancerHash } from './balancer-hash';
import { checkUpstreamResilience } from './upstream-resilience';
import { checkRouteRetry } from './route-retry';
import { checkListenerCertificates } from './listener-certificates';
import { checkListenerProtocol } from './listener-protocol';
import { checkUpstreamTls } from './upstream-tls';
import { checkRouteUpgrades } from './route-upgrades';
import { checkPullSection } from './pull-section';
import { checkClientAddress } from './client-address';
import { checkGlobalLimits } from './global-limits';
import { checkRouteLimits } from './route-limits';
import { checkRoutePlugins } from './route-plugins';
import { checkRewritePlugins } from './rewrite-plugin';
import { checkJwtPlugins } from './jwt-plugin';
import { checkRouteTraffic } from './route-traffic';
import { checkRouteCache } from './route-cache';
import { checkTracingSection } from './tracing-section';
import type { SemanticCheck } from './semantic-check';

/**
 * Every semantic check, in the order their problems are most useful to read: names and
 * addresses first, then what routes refer to, then the details of matches and responses.
 * (Problems are sorted by pointer afterwards; this order only breaks ties at one pointer.)
 */
const CHECKS: readonly SemanticCheck[] = [
  checkUniqueNames,
  checkListenerAddresses,
  checkListenerLimits,
  checkUpstreamEndpoints,
  checkRouteAction,
  checkRouteReferences,
  checkRouteHosts,
  checkPathMatch,
  checkHeaderMatch,
  checkRouteRegexes,
  checkDirectResponse,
  checkAdminSection,
  checkPullSection,
  checkBalancerHash,
  checkUpstreamResilience,
  checkRouteRetry,
  checkListenerCertificates,
  checkListenerProtocol,
  checkUpstreamTls,
  checkRouteUpgrades,
  checkClientAddress,
  checkGlobalLimits,
  checkRoutePlugins,
  checkRewritePlugins,
  checkJwtPlugins,
  checkRouteLimits,
  checkRouteTraffic,
  checkRouteCache,
  checkTracingSection,
];

/** Runs every semantic check on a schema-valid config; empty when the config is valid. */
export function semanticProblems(config: WeirConfig): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const report = (pointer: string, message: string): void => {
    problems.push({ pointer, message });
  };
  for (const check of CHECKS) check(config, report);
  return problems;
}

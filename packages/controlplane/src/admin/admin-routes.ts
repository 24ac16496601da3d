import type { AdminScope } from './admin-scope';

/** The operations of the admin API; each names one handler and one OpenAPI operation. */
export type AdminOperation =
  | 'getHealth'
  | 'getConfig'
  | 'applyConfig'
  | 'validateConfig'
  | 'listVersions'
  | 'getVersion'
  | 'rollback'
  | 'getStatus'
  | 'getUpstreams'
  | 'getStats'
  | 'getMetrics'
  | 'getOpenApi'
  | 'getToken'
  | 'startRollout'
  | 'listRollouts'
  | 'getRollout'
  | 'promoteRollout'
  | 'pauseRollout'
  | 'resumeRollout'
  | 'abortRollout'
  | 'purgeCache';

/** One endpoint: method, path template, the scope it needs and what its body is. */
export interface AdminRoute {
  readonly operation: AdminOperation;
  readonly method: 'GET' | 'POST';
  /** Path template; `{id}` is one path segment, percent-decoded. */
  readonly path: string;
  /**
   * Scope needed. `'any'`: any valid token, whatever its scopes (`GET /admin/token`, so a token
   * without `read` can still learn what it may do); null: no authentication (liveness only).
   */
  readonly scope: AdminScope | 'any' | null;
  /**
   * `config`: a Weir config (JSON); `json`: another JSON body; `optional-json`: a JSON body or
   * none at all (an action such as `abort` needs no body); null: no body read.
   */
  readonly body: 'config' | 'json' | 'optional-json' | null;
  /** One line, for the OpenAPI document and the docs. */
  readonly summary: string;
}

/**
 * Every endpoint, in the order of the docs. The router, the OpenAPI document and the tests all
 * read this table, so an endpoint cannot exist in one and not the others. GETs never mutate.
 */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { operation: 'getHealth', method: 'GET', path: '/admin/health', scope: null, body: null, summary: 'Liveness of the primary (no authentication).' },
  { operation: 'getConfig', method: 'GET', path: '/admin/config', scope: 'read', body: null, summary: 'The running config, with its version as ETag.' },
  { operation: 'applyConfig', method: 'POST', path: '/admin/config', scope: 'write', body: 'config', summary: 'Validate, build and apply a config to every worker (two-phase).' },
  { operation: 'validateConfig', method: 'POST', path: '/admin/config/validate', scope: 'read', body: 'config', summary: 'Validate and build a config without applying it; diff against the running one.' },
  { operation: 'listVersions', method: 'GET', path: '/admin/config/versions', scope: 'read', body: null, summary: 'The kept config versions, newest first.' },
  { operation: 'getVersion', method: 'GET', path: '/admin/config/versions/{id}', scope: 'read', body: null, summary: 'One kept config version, with its config.' },
  { operation: 'rollback', method: 'POST', path: '/admin/config/rollback', scope: 'write', body: 'json', summary: 'Apply a kept version again, through the same two-phase apply.' },
  { operation: 'getStatus', method: 'GET', path: '/admin/status', scope: 'read', body: null, summary: 'The primary, each worker and the last apply; ETag, and ?wait=SECONDS (1-60) with If-None-Match answers at its next change.' },
  { operation: 'getUpstreams', method: 'GET', path: '/admin/upstreams', scope: 'read', body: null, summary: 'The running upstreams: per endpoint active health, outlier ejections and in-flight requests over the workers.' },
  { operation: 'getStats', method: 'GET', path: '/admin/stats', scope: 'read', body: null, summary: 'Request rate, error share and p99 every 2 s, for ?seconds=N (10-900, default 300).' },
  { operation: 'getMetrics', method: 'GET', path: '/metrics', scope: 'read', body: null, summary: 'Prometheus exposition aggregated over every worker, plus the primary.' },
  { operation: 'getToken', method: 'GET', path: '/admin/token', scope: 'any', body: null, summary: 'The name and scopes of the token presented (any valid token; never its hash).' },
  { operation: 'getOpenApi', method: 'GET', path: '/admin/openapi.json', scope: 'read', body: null, summary: 'This API as an OpenAPI 3.1 document.' },
  { operation: 'startRollout', method: 'POST', path: '/admin/rollouts', scope: 'rollout', body: 'json', summary: 'Start a staged rollout of a candidate config.' },
  { operation: 'listRollouts', method: 'GET', path: '/admin/rollouts', scope: 'read', body: null, summary: 'The live rollout and the kept rollouts, newest first.' },
  { operation: 'getRollout', method: 'GET', path: '/admin/rollouts/{id}', scope: 'read', body: null, summary: 'One rollout; ?wait=SECONDS (1-60) answers at its next change.' },
  { operation: 'promoteRollout', method: 'POST', path: '/admin/rollouts/{id}/promote', scope: 'rollout', body: 'optional-json', summary: 'Advance past the current stage; {"full":true} promotes at once.' },
  { operation: 'pauseRollout', method: 'POST', path: '/admin/rollouts/{id}/pause', scope: 'rollout', body: 'optional-json', summary: 'Hold the current stage.' },
  { operation: 'resumeRollout', method: 'POST', path: '/admin/rollouts/{id}/resume', scope: 'rollout', body: 'optional-json', summary: 'Continue a paused rollout; the stage bakes again.' },
  { operation: 'abortRollout', method: 'POST', path: '/admin/rollouts/{id}/abort', scope: 'rollout', body: 'optional-json', summary: 'Drop the candidate; the stable version keeps serving.' },
  { operation: 'purgeCache', method: 'POST', path: '/admin/cache/purge', scope: 'write', body: 'json', summary: 'Remove a route\'s cached responses on every worker, by exact key or by prefix.' },
];

/** What {@link matchAdminRoute} found. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: AdminRoute; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

/**
 * Find the route of `method` and `path` (the request target without its query). Matching is
 * exact, segment by segment: no trailing-slash or case folding, so every resource has one URL.
 * A parameter segment that is not valid percent-encoding does not match.
 */
export function matchAdminRoute(method: string, path: string, routes: readonly AdminRoute[] = ADMIN_ROUTES): RouteMatch {
  const segments = path.split('/');
  const allow: string[] = [];
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i] as AdminRoute;
    const params = matchPath(route.path, segments);
    if (params === null) continue;
    if (route.method === method) return { kind: 'found', route, params };
    if (!allow.includes(route.method)) allow.push(route.method);
  }
  return allow.length === 0 ? { kind: 'not-found' } : { kind: 'method-not-allowed', allow };
}

function matchPath(template: string, segments: readonly string[]): Record<string, string> | null {
  const parts = template.split('/');
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith('{') && part.endsWith('}')) {
      if (segment === '') return null;
      try {
        params[part.slice(1, -1)] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

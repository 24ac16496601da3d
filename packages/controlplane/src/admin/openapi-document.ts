import { configSchema } from '@weir/config';
import { ADMIN_ROUTES, type AdminOperation, type AdminRoute } from './admin-routes';
import { ADMIN_SCHEMAS } from './admin-schemas';

type Json = Readonly<Record<string, unknown>>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ 'application/json': { schema } });

/** A response with a JSON body of the named component schema. */
function ok(description: string, schema: string, headers?: Json): Json {
  return headers === undefined ? { description, content: json(ref(schema)) } : { description, content: json(ref(schema)), headers };
}

const ETAG_HEADER: Json = { ETag: { description: 'The config version, quoted: `"v-3f2a9c01d4e5"`.', schema: { type: 'string' } } };
const IF_MATCH: Json = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'Apply only if the running version is this ETag (or `*`: any); otherwise 412. Checked in the apply queue, so of two writers holding the same ETag exactly one wins.',
  schema: { type: 'string' },
};
const IF_NONE_MATCH: Json = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: '304 when the running version is this ETag.',
  schema: { type: 'string' },
};

const STATUS_ETAG: Json = {
  ETag: { description: 'A weak tag over what a viewer must not miss (versions, workers\' states, rollout, puller), not uptimes or in-flight counts: `W/"s-0123456789abcdef"`.', schema: { type: 'string' } },
};

const ROLLOUT_ID: Json = { name: 'id', in: 'path', required: true, description: 'The rollout id.', schema: { type: 'string' } };

/** A rollout action: an optional JSON body, the rollout in answer, 404 and 409. */
function rolloutAction(description: string, body: Json = { type: 'object', maxProperties: 0 }): Json {
  return {
    parameters: [ROLLOUT_ID],
    requestBody: { required: false, content: json(body) },
    responses: {
      '200': ok(description, 'Rollout'),
      '404': ok('No rollout has this id (WEIR_ERR_ROLLOUT_NOT_FOUND).', 'Error'),
      '409': ok('The rollout is not in a state that allows this (WEIR_ERR_ROLLOUT_STATE).', 'Error'),
    },
  };
}

/** The operation-specific parts of the document; the compiler makes every operation appear. */
const OPERATIONS: Readonly<Record<AdminOperation, Json>> = {
  getHealth: { responses: { '200': ok('The primary is alive.', 'Health') } },
  getConfig: {
    parameters: [IF_NONE_MATCH],
    responses: {
      '200': ok('The running config, exactly as applied.', 'WeirConfig', ETAG_HEADER),
      '304': { description: 'The running version is the one `If-None-Match` names.', headers: ETAG_HEADER },
      '503': ok('No config has been applied yet.', 'Error'),
    },
  },
  applyConfig: {
    parameters: [IF_MATCH],
    requestBody: { required: true, content: json(ref('WeirConfig')) },
    responses: {
      '200': ok('Every worker serves the new version (`changed: true`), or the config equals the running one (`changed: false`).', 'ApplyResult', ETAG_HEADER),
      '400': ok('Not JSON (WEIR_ERR_CONFIG_PARSE) or an invalid config (WEIR_ERR_CONFIG_INVALID, every problem in `details` with its JSON pointer).', 'Error'),
      '412': ok('The running version is not the one `If-Match` names.', 'Error'),
      '422': ok('A worker refused the config (WEIR_ERR_APPLY_REJECTED, with its reason); no worker changed.', 'Error'),
      '503': ok('No worker is running, or Weir is shutting down.', 'Error'),
      '504': ok('Not every worker acknowledged in time (WEIR_ERR_APPLY_TIMEOUT); no worker changed.', 'Error'),
    },
  },
  validateConfig: {
    requestBody: { required: true, content: json(ref('WeirConfig')) },
    responses: {
      '200': ok('The config is valid; what applying it would change.', 'ValidateResult'),
      '400': ok('Not JSON, or an invalid config, as for apply.', 'Error'),
    },
  },
  listVersions: { responses: { '200': ok('Kept versions, newest (running) first.', 'VersionList') } },
  getVersion: {
    parameters: [{ name: 'id', in: 'path', required: true, description: 'History id (the `id` of a versions row).', schema: { type: 'string' } }],
    responses: {
      '200': ok('The kept version and its config.', 'StoredVersion'),
      '404': ok('No kept version has this id (WEIR_ERR_ADMIN_VERSION_NOT_FOUND).', 'Error'),
    },
  },
  rollback: {
    parameters: [IF_MATCH],
    requestBody: { required: true, content: json(ref('RollbackRequest')) },
    responses: {
      '200': ok('The kept config is running again (or already was: `changed: false`).', 'ApplyResult', ETAG_HEADER),
      '400': ok('The body is not `{"id"}` or `{"version"}`.', 'Error'),
      '404': ok('No kept version matches (WEIR_ERR_ADMIN_VERSION_NOT_FOUND).', 'Error'),
      '412': ok('The running version is not the one `If-Match` names.', 'Error'),
      '422': ok('A worker refused the config; no worker changed.', 'Error'),
      '504': ok('Not every worker acknowledged in time; no worker changed.', 'Error'),
    },
  },
  getStatus: {
    parameters: [
      {
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: 'The ETag of a status already held: 304 when nothing a viewer must see has changed (with `wait`: once the wait ends unchanged).',
        schema: { type: 'string' },
      },
      {
        name: 'wait',
        in: 'query',
        required: false,
        description: 'With a matching If-None-Match: hold the request until the status changes (answer 200) or this many seconds (1-60) pass (answer 304). At most 100 requests are held; beyond, 304 at once with Retry-After: 1.',
        schema: { type: 'integer', minimum: 1, maximum: 60 },
      },
    ],
    responses: {
      '200': ok('The primary, the running config, the last apply, the bundle puller and every worker.', 'Status', STATUS_ETAG),
      '304': { description: 'Nothing a viewer must see changed (at once, or when `wait` ended).', headers: STATUS_ETAG },
      '400': ok('`wait` is not 1-60 (WEIR_ERR_BAD_REQUEST).', 'Error'),
    },
  },
  getUpstreams: {
    responses: {
      '200': ok('The running version\'s upstreams; per endpoint active health, outlier ejections and in-flight requests over the workers that answered within 1 s.', 'UpstreamList'),
      '503': ok('No config has been applied yet (WEIR_ERR_NO_WORKERS).', 'Error'),
    },
  },
  getStats: {
    parameters: [
      { name: 'seconds', in: 'query', required: false, description: 'How far back (10-900, default 300).', schema: { type: 'integer', minimum: 10, maximum: 900, default: 300 } },
    ],
    responses: {
      '200': ok('Samples every 2 s: request rate, error share and p99, all arms and per rollout arm. Reading starts the sampling; it stops 60 s after the last read.', 'StatsSeries'),
      '400': ok('`seconds` is not 10-900 (WEIR_ERR_BAD_REQUEST).', 'Error'),
      '404': ok('This process serves no metrics (WEIR_ERR_ADMIN_NOT_FOUND).', 'Error'),
    },
  },
  getMetrics: {
    responses: {
      '200': { description: 'Prometheus text exposition (format 0.0.4).', content: { 'text/plain': { schema: { type: 'string' } } } },
      '404': ok('This process serves no metrics (WEIR_ERR_ADMIN_NOT_FOUND).', 'Error'),
    },
  },
  getToken: {
    responses: { '200': ok('The presented token\'s `name` (the principal of the audit log and the version history) and its `scopes` as configured (`admin` implies every other). Never the hash.', 'TokenInfo') },
  },
  getOpenApi: { responses: { '200': { description: 'This document.', content: json({ type: 'object' }) } } },
  startRollout: {
    requestBody: { required: true, content: json(ref('RolloutRequest')) },
    responses: {
      '201': ok('The candidate is prepared on every worker and serves the first stage.', 'Rollout', {
        Location: { description: 'The rollout: `/admin/rollouts/{id}`.', schema: { type: 'string' } },
      }),
      '400': ok('A bad body (WEIR_ERR_BAD_REQUEST), an invalid candidate (WEIR_ERR_CONFIG_INVALID) or one that cannot be rolled out (WEIR_ERR_ROLLOUT_UNSUPPORTED).', 'Error'),
      '409': ok('A rollout is already running (WEIR_ERR_ROLLOUT_CONFLICT).', 'Error'),
      '422': ok('A worker refused the candidate; no worker holds it.', 'Error'),
      '503': ok('No worker is running, or Weir is shutting down.', 'Error'),
      '504': ok('Not every worker acknowledged in time; no worker holds the candidate.', 'Error'),
    },
  },
  listRollouts: { responses: { '200': ok('The live rollout (or null) and the kept rollouts, newest first.', 'RolloutList') } },
  getRollout: {
    parameters: [
      ROLLOUT_ID,
      { name: 'wait', in: 'query', required: false, description: 'Answer at the rollout\'s next change (a transition or an analysis), or after this many seconds (1-60).', schema: { type: 'integer', minimum: 1, maximum: 60 } },
    ],
    responses: {
      '200': ok('The rollout.', 'Rollout'),
      '400': ok('`wait` is not 1-60 (WEIR_ERR_BAD_REQUEST).', 'Error'),
      '404': ok('No rollout has this id (WEIR_ERR_ROLLOUT_NOT_FOUND).', 'Error'),
    },
  },
  promoteRollout: rolloutAction('The rollout after advancing past its stage, or promoted (`{"full":true}`, or at the last stage).', { type: 'object', additionalProperties: false, properties: { full: { type: 'boolean' } } }),
  pauseRollout: rolloutAction('The rollout, paused.'),
  resumeRollout: rolloutAction('The rollout, running; its stage bakes again.'),
  abortRollout: rolloutAction('The rollout, aborted; every worker dropped the candidate.'),
  purgeCache: {
    requestBody: { required: true, content: json(ref('CachePurgeRequest')) },
    responses: {
      '200': ok('Every worker acknowledged; what each removed.', 'CachePurgeResult'),
      '400': ok('The body is not `{"route", "key"}` or `{"route", "prefix"}` with an http(s) URL (WEIR_ERR_BAD_REQUEST).', 'Error'),
      '404': ok('The running config has no route of this name, or the route has no cache (WEIR_ERR_ADMIN_CACHE_ROUTE_NOT_FOUND).', 'Error'),
      '503': ok('No config is applied yet (WEIR_ERR_NO_WORKERS), or Weir is shutting down (WEIR_ERR_DRAINING).', 'Error'),
      '504': ok('Some workers did not acknowledge in time; the message names them. The others purged, so the purge may be partial; repeating it is safe (WEIR_ERR_CACHE_PURGE_TIMEOUT).', 'Error'),
    },
  },
};

/** Errors every authenticated operation may answer, besides its own. */
function commonErrors(route: AdminRoute): Json {
  const errors: Record<string, Json> = {
    '421': ok('The Host header names a host the API does not answer for (WEIR_ERR_ADMIN_BAD_HOST).', 'Error'),
  };
  if (route.scope !== null) {
    errors['401'] = ok('No or an unknown bearer token (WEIR_ERR_ADMIN_UNAUTHORIZED); `WWW-Authenticate: Bearer`.', 'Error');
    if (route.scope !== 'any') errors['403'] = ok(`The token lacks the \`${route.scope}\` scope (WEIR_ERR_ADMIN_FORBIDDEN).`, 'Error');
    errors['429'] = ok('Too many failed authentications from this address (WEIR_ERR_ADMIN_RATE_LIMITED); see `Retry-After`.', 'Error');
  }
  if (route.body !== null) {
    errors['413'] = ok('The body is larger than `admin.maxBodyBytes` (WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE).', 'Error');
    errors['415'] = ok('The body is not `application/json` (WEIR_ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE).', 'Error');
  }
  return errors;
}

/**
 * The OpenAPI 3.1 document of the admin API, built from the route table (`ADMIN_ROUTES`), the
 * response schemas (`ADMIN_SCHEMAS`) and the published config schema, which is the request body
 * of apply and validate as is (its `$id` keeps its internal `$ref`s resolving inside it). A
 * test checks that every route is in the document and nothing else is.
 *
 * @param version Weir's version, as `info.version`
 */
export function adminOpenApiDocument(version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of ADMIN_ROUTES) {
    const own = OPERATIONS[route.operation];
    const operation: Record<string, unknown> = {
      operationId: route.operation,
      summary: route.summary,
      ...own,
      responses: { ...(own['responses'] as Json), ...commonErrors(route) },
      'x-weir-scope': route.scope,
    };
    if (route.scope === null) operation['security'] = [];
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Weir admin API',
      version,
      description:
        'Manage a running Weir: read and apply its config (two-phase across every worker), validate and diff, history and rollback, staged rollouts, response-cache purges, status and metrics. JSON in and out; every error is `{"error":{code,status,message,...}}` with a stable WEIR_ERR_* code. See apps/weir/docs/admin-api.md.',
    },
    servers: [{ url: 'http://127.0.0.1:9901', description: 'The default listen address.' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A token from `weir token` (or the generated one). Scopes: read, write, rollout, admin (implies all); `x-weir-scope` names the one each operation needs (`any`: any valid token). `GET /admin/token` tells a token its own scopes.',
        },
      },
      schemas: { WeirConfig: configSchema, ...ADMIN_SCHEMAS },
    },
  };
}

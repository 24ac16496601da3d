import { ADMIN_SCOPES } from './admin-scope';
import { CONSOLE_SCHEMAS } from './console-schemas';

type Json = Readonly<Record<string, unknown>>;

const str: Json = { type: 'string' };
const nullableStr: Json = { type: ['string', 'null'] };
const int: Json = { type: 'integer' };
const names: Json = { type: 'array', items: str };

const sectionDiff: Json = {
  type: 'object',
  additionalProperties: false,
  required: ['added', 'removed', 'changed'],
  properties: {
    added: names,
    removed: names,
    changed: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['name', 'fields'], properties: { name: str, fields: names } },
    },
  },
};

const num: Json = { type: 'number' };
const nullableNum: Json = { type: ['number', 'null'] };
const time: Json = { type: 'string', format: 'date-time' };

const stage: Json = {
  type: 'object',
  additionalProperties: false,
  required: ['percent'],
  properties: {
    percent: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
    bakeSeconds: { type: 'integer', minimum: 1, maximum: 86400, default: 60 },
    pause: { type: 'boolean', default: false, description: 'A manual gate: once baked, wait for promote.' },
  },
};
const sticky: Json = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['header'], properties: { header: str } },
    { type: 'object', additionalProperties: false, required: ['cookie'], properties: { cookie: str } },
    { type: 'object', additionalProperties: false, required: ['clientAddress'], properties: { clientAddress: { const: true } } },
  ],
};
const analysis: Json = {
  type: 'object',
  additionalProperties: false,
  properties: {
    minRequests: { type: 'integer', minimum: 1, default: 20 },
    maxErrorRateIncrease: { type: 'number', minimum: 0, maximum: 1, default: 0.01 },
    maxP99Ratio: { type: 'number', minimum: 1, default: 1.5 },
    p99ToleranceMs: { type: 'number', minimum: 0, default: 10 },
    maxErrorRate: { ...nullableNum, minimum: 0, maximum: 1 },
    maxP99Ms: { ...nullableNum, minimum: 0 },
  },
};
const armFigures: Json = {
  type: 'object',
  additionalProperties: false,
  required: ['requests', 'errors', 'errorRate', 'p99Ms'],
  properties: { requests: num, errors: num, errorRate: num, p99Ms: nullableNum },
};

/** The rollout bodies (admin-api.md, "Rollouts"). */
const ROLLOUT_SCHEMAS: Readonly<Record<string, Json>> = {
  RolloutRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['config'],
    properties: {
      config: { $ref: '#/components/schemas/WeirConfig' },
      stages: { type: 'array', minItems: 1, maxItems: 20, items: stage, description: 'Default: 1, 10, 50, 100 percent, 60 s each.' },
      sticky,
      analysis,
    },
  },
  Rollout: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'state', 'stage', 'stableVersion', 'candidateVersion', 'stages', 'sticky', 'analysis', 'stageStartedAt', 'startedAt', 'endedAt', 'principal', 'pausedBy', 'lastAnalysis', 'outcome', 'events'],
    properties: {
      id: str,
      state: { enum: ['running', 'paused', 'promoted', 'aborted'] },
      stage: int,
      stableVersion: str,
      candidateVersion: str,
      stages: { type: 'array', items: stage },
      sticky: { oneOf: [{ type: 'null' }, sticky] },
      analysis,
      stageStartedAt: time,
      startedAt: time,
      endedAt: { oneOf: [{ type: 'null' }, time] },
      principal: str,
      pausedBy: { enum: ['gate', 'operator', null] },
      lastAnalysis: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['at', 'verdict', 'stable', 'candidate', 'reasons'],
            properties: { at: time, verdict: { enum: ['breach', 'healthy', 'insufficient'] }, stable: armFigures, candidate: armFigures, reasons: names },
          },
        ],
      },
      outcome: {
        oneOf: [
          { type: 'null' },
          { type: 'object', additionalProperties: false, required: ['result', 'version'], properties: { result: { const: 'promoted' }, version: str } },
          {
            type: 'object',
            additionalProperties: false,
            required: ['result', 'by', 'reason'],
            properties: { result: { const: 'aborted' }, by: { enum: ['analysis', 'operator', 'restart', 'apply-failed'] }, reason: str },
          },
        ],
      },
      events: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['at', 'event', 'stage', 'principal', 'reason'],
          properties: {
            at: time,
            event: { enum: ['started', 'advanced', 'paused', 'resumed', 'promoted', 'aborted'] },
            stage: int,
            principal: str,
            reason: nullableStr,
          },
        },
      },
    },
  },
  RolloutList: {
    type: 'object',
    additionalProperties: false,
    required: ['current', 'rollouts'],
    properties: {
      current: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/Rollout' }] },
      rollouts: { type: 'array', items: { $ref: '#/components/schemas/Rollout' } },
    },
  },
};

const workerRef: Json = { type: 'object', additionalProperties: false, required: ['index', 'pid'], properties: { index: int, pid: int } };
const purgeUrl = (description: string): Json => ({ type: 'string', pattern: '^https?://', description });
const routeName: Json = { type: 'string', minLength: 1, description: 'A route of the running config that has a `cache`.' };
const purgeKey = purgeUrl('Every entry stored for exactly this URL (all its Vary and keyHeaders variants): `http://host/path?query`.');
const purgePrefix = purgeUrl('Every entry whose key (`http://host/path?query`) starts with this.');

/** The response-cache bodies (admin-api.md, "Response cache"). */
const CACHE_SCHEMAS: Readonly<Record<string, Json>> = {
  CachePurgeRequest: {
    oneOf: [
      { type: 'object', additionalProperties: false, required: ['route', 'key'], properties: { route: routeName, key: purgeKey } },
      { type: 'object', additionalProperties: false, required: ['route', 'prefix'], properties: { route: routeName, prefix: purgePrefix } },
    ],
  },
  CachePurgeResult: {
    type: 'object',
    additionalProperties: false,
    required: ['route', 'purged', 'workers', 'exited'],
    oneOf: [{ required: ['key'] }, { required: ['prefix'] }],
    properties: {
      route: str,
      key: str,
      prefix: str,
      purged: { type: 'integer', minimum: 0, description: 'Entries removed, summed over the workers.' },
      workers: {
        type: 'array',
        description: 'Every worker that acknowledged, by slot, with the entries it removed.',
        items: { type: 'object', additionalProperties: false, required: ['index', 'pid', 'purged'], properties: { index: int, pid: int, purged: { type: 'integer', minimum: 0 } } },
      },
      exited: { type: 'array', items: workerRef, description: 'Workers that exited before answering; their caches went with them.' },
    },
  },
};

/**
 * JSON Schemas (2020-12) of the admin API's bodies other than the config, for the OpenAPI
 * document's `components.schemas`. Unit tests validate the handlers' answers against them, so
 * the document cannot drift from what the API sends.
 */
export const ADMIN_SCHEMAS: Readonly<Record<string, Json>> = {
  Error: {
    type: 'object',
    additionalProperties: false,
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'status', 'message'],
        properties: {
          code: { type: 'string', pattern: '^WEIR_ERR_[A-Z0-9_]+$' },
          status: int,
          message: str,
          pointer: str,
          details: {
            type: 'array',
            items: { type: 'object', additionalProperties: false, required: ['pointer', 'message'], properties: { pointer: str, message: str } },
          },
        },
      },
    },
  },
  Health: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { const: 'ok' } } },
  TokenInfo: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'scopes'],
    description: 'The token presented to `GET /admin/token`: its name and scopes, never its hash.',
    properties: {
      name: { type: 'string', description: 'The token\'s `name` in `admin.tokens`: the principal of the audit log and the version history.' },
      scopes: { type: 'array', items: { enum: ADMIN_SCOPES }, description: 'As configured; `admin` implies every other scope.' },
    },
  },
  ApplyResult: {
    type: 'object',
    additionalProperties: false,
    required: ['changed', 'version', 'hash', 'previousVersion'],
    properties: {
      changed: { type: 'boolean', description: 'false: the config equals the running one; nothing was sent to the workers.' },
      version: { type: 'string', description: 'The version now running.' },
      hash: str,
      previousVersion: nullableStr,
      rolledBackTo: { type: 'string', description: 'Rollback only: the history id that was applied again.' },
      durationMs: { type: 'integer', description: 'Validation to commit on every worker (changed only).' },
      listeners: {
        type: 'array',
        description: 'Listeners as bound by the workers (changed only).',
        items: { type: 'object', additionalProperties: false, required: ['name', 'address', 'port'], properties: { name: str, address: str, port: int } },
      },
    },
  },
  ValidateResult: {
    type: 'object',
    additionalProperties: false,
    required: ['valid', 'version', 'hash', 'runningVersion', 'changed', 'requiredScope', 'diff'],
    properties: {
      valid: { const: true },
      version: { type: 'string', description: 'The version id applying it would give.' },
      hash: str,
      runningVersion: nullableStr,
      changed: { type: 'boolean', description: 'false: applying it would be a no-op.' },
      requiredScope: { enum: ['write', 'admin'], description: 'admin when the config changes the admin section.' },
      diff: { $ref: '#/components/schemas/ConfigDiff' },
    },
  },
  ConfigDiff: {
    type: 'object',
    additionalProperties: false,
    required: ['changed', 'listeners', 'routes', 'upstreams', 'settings', 'summary'],
    properties: {
      changed: { type: 'boolean' },
      listeners: sectionDiff,
      routes: {
        type: 'object',
        additionalProperties: false,
        required: ['added', 'removed', 'changed', 'reordered'],
        properties: { ...(sectionDiff['properties'] as Json), reordered: { type: 'boolean' } },
      },
      upstreams: sectionDiff,
      settings: sectionDiff,
      summary: { type: 'array', items: str, description: 'One line per difference: `+ route "a"`, `- upstream "b"`, `~ route "c": match`.' },
    },
  },
  VersionSummary: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'version', 'hash', 'source', 'principal', 'committedAt', 'current'],
    properties: {
      id: { type: 'string', description: 'History id: a sequence number, never reused.' },
      version: str,
      hash: str,
      source: { enum: ['default', 'file', 'admin', 'rollback', 'bundle', 'state', 'rollout'] },
      principal: nullableStr,
      committedAt: { type: 'string', format: 'date-time' },
      current: { type: 'boolean' },
    },
  },
  VersionList: {
    type: 'object',
    additionalProperties: false,
    required: ['versions'],
    properties: { versions: { type: 'array', items: { $ref: '#/components/schemas/VersionSummary' } } },
  },
  StoredVersion: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'version', 'hash', 'source', 'principal', 'committedAt', 'current', 'config'],
    properties: {
      id: str,
      version: str,
      hash: str,
      source: str,
      principal: nullableStr,
      committedAt: { type: 'string', format: 'date-time' },
      current: { type: 'boolean' },
      config: { $ref: '#/components/schemas/WeirConfig' },
    },
  },
  RollbackRequest: {
    oneOf: [
      { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1 } } },
      { type: 'object', additionalProperties: false, required: ['version'], properties: { version: { type: 'string', minLength: 1 } } },
    ],
  },
  Status: {
    type: 'object',
    additionalProperties: false,
    required: ['primary', 'config', 'lastApply', 'workers'],
    properties: {
      primary: {
        type: 'object',
        additionalProperties: false,
        required: ['pid', 'version', 'node', 'startedAt', 'uptimeMs'],
        properties: { pid: int, version: str, node: str, startedAt: { type: 'string', format: 'date-time' }, uptimeMs: int },
      },
      config: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['version', 'hash', 'source', 'principal'],
            properties: { version: str, hash: str, source: str, principal: nullableStr },
          },
        ],
      },
      rollout: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/Rollout' }], description: 'The live rollout, if any.' },
      certificates: {
        description: "The running config's TLS certificates with their expiry, soonest first (empty without TLS listeners).",
        type: 'array',
        items: { $ref: '#/components/schemas/CertificateStatus' },
      },
      jwks: {
        description: 'The JWKS URLs the running config\'s jwt plugins name, as the primary fetches them: keys in the last good set (null before the first), when it was fetched, the last failure (the last good set stays), failures in a row.',
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['url', 'keys', 'fetchedAt', 'lastError', 'consecutiveFailures'],
          properties: {
            url: str,
            keys: { oneOf: [{ type: 'null' }, int] },
            fetchedAt: { oneOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] },
            lastError: {
              oneOf: [
                { type: 'null' },
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['reason', 'message', 'at'],
                  properties: { reason: str, message: str, at: { type: 'string', format: 'date-time' } },
                },
              ],
            },
            consecutiveFailures: int,
          },
        },
      },
      pull: {
        description: 'The bundle puller (null without a pull section): its source, mode, the revision applied, the last successful and last poll, the last failure or rejection, and failures in a row.',
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['source', 'mode', 'revision', 'lastSuccessAt', 'lastPollAt', 'lastError', 'consecutiveFailures'],
            properties: {
              source: str,
              mode: { enum: ['apply', 'rollout'] },
              revision: { oneOf: [{ type: 'null' }, int] },
              lastSuccessAt: { oneOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] },
              lastPollAt: { oneOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] },
              lastError: {
                oneOf: [
                  { type: 'null' },
                  { type: 'object', additionalProperties: false, required: ['code', 'message', 'at'], properties: { code: str, message: str, at: { type: 'string', format: 'date-time' } } },
                ],
              },
              consecutiveFailures: int,
            },
          },
        ],
      },
      lastApply: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['version', 'source', 'principal', 'outcome', 'at', 'durationMs'],
            properties: {
              version: nullableStr,
              source: str,
              principal: nullableStr,
              outcome: { enum: ['applied', 'unchanged', 'rejected'] },
              at: { type: 'string', format: 'date-time' },
              durationMs: int,
              error: {
                type: 'object',
                description: 'Why it was rejected (rejected only).',
                required: ['code', 'message'],
                properties: { code: str, message: str, pointer: str, details: { type: 'array' } },
              },
            },
          },
        ],
      },
      workers: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['index', 'pid', 'state', 'version', 'restarts', 'uptimeMs', 'inFlight'],
          properties: {
            index: int,
            pid: int,
            state: { enum: ['starting', 'syncing', 'ready', 'backoff', 'stopped'] },
            version: nullableStr,
            restarts: int,
            uptimeMs: int,
            inFlight: { type: ['integer', 'null'], description: 'null when the worker did not answer within 500 ms.' },
            candidateVersion: { type: ['string', 'null'], description: 'The rollout candidate the worker holds (null: none, or no answer).' },
            candidatePercent: { type: ['number', 'null'], description: 'The candidate\'s share in percent (null: no answer).' },
          },
        },
      },
    },
  },
  ...ROLLOUT_SCHEMAS,
  ...CACHE_SCHEMAS,
  ...CONSOLE_SCHEMAS,
};

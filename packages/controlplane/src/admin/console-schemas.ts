/**
 * JSON Schemas of the admin API bodies the operator console added (issue 17): part of
 * `ADMIN_SCHEMAS` (admin-schemas.ts), the OpenAPI document's `components.schemas`.
 */
type Json = Readonly<Record<string, unknown>>;

const str: Json = { type: 'string' };
const num: Json = { type: 'number' };

const statsFigures: Json = {
  type: 'object',
  additionalProperties: false,
  required: ['requestsPerSecond', 'errorRatio', 'p99Seconds'],
  properties: {
    requestsPerSecond: { type: 'number', minimum: 0, description: 'Requests completed per second in the interval (rounded to 1/1000).' },
    errorRatio: { type: ['number', 'null'], minimum: 0, maximum: 1, description: 'Share of responses with status >= 500; null with no requests.' },
    p99Seconds: {
      type: ['number', 'null'],
      minimum: 0,
      description: 'Upper bound of the weir_request_duration_seconds bucket holding the 99th percentile (the largest finite bound when beyond it); null with no requests.',
    },
  },
};

/** The operator console's bodies (issue 17; admin-api.md, "Upstreams" and "Stats"). */
export const CONSOLE_SCHEMAS: Readonly<Record<string, Json>> = {
  CertificateStatus: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'serverNames', 'notAfter', 'expiresInSeconds', 'listeners'],
    properties: {
      name: str,
      serverNames: { type: 'array', items: str, description: 'The names it answers for: config serverNames, else the leaf certificate\'s SANs.' },
      notAfter: { type: 'string', format: 'date-time', description: "The leaf certificate's notAfter." },
      expiresInSeconds: { type: 'integer', description: 'Whole seconds until notAfter when the status was answered; negative once expired.' },
      listeners: { type: 'array', items: str, description: 'The TLS listeners that serve it.' },
    },
  },
  UpstreamList: {
    type: 'object',
    additionalProperties: false,
    required: ['version', 'upstreams'],
    properties: {
      version: { type: 'string', description: 'The running config version the upstreams belong to.' },
      upstreams: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'balancer', 'breaker', 'endpoints'],
          properties: {
            name: str,
            balancer: { enum: ['round_robin', 'least_request', 'random', 'ring_hash', 'maglev'] },
            breaker: {
              enum: ['closed', 'open', 'half-open', null],
              description: 'The worst failure-ratio breaker state over the answering workers (closed when none answered); null: the upstream has no circuitBreaker.failureRatio.',
            },
            endpoints: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['address', 'weight', 'health', 'ejectedWorkers', 'workers', 'inFlight'],
                properties: {
                  address: str,
                  weight: num,
                  health: { enum: ['healthy', 'unhealthy', 'unchecked'], description: 'The primary\'s active checks; unchecked when the upstream has no healthCheck.' },
                  ejectedWorkers: { type: 'integer', minimum: 0, description: 'Answering workers whose outlier detection has it ejected now.' },
                  workers: { type: 'integer', minimum: 0, description: 'Workers that answered within 1 s (and hold this endpoint).' },
                  inFlight: { type: 'integer', minimum: 0, description: 'Requests in flight to it, summed over the answering workers.' },
                },
              },
            },
          },
        },
      },
    },
  },
  StatsSeries: {
    type: 'object',
    additionalProperties: false,
    required: ['intervalMs', 'samples'],
    properties: {
      intervalMs: { type: 'integer', description: 'The sampling period (2000).' },
      samples: {
        type: 'array',
        description: 'Oldest first; one per interval while someone reads the series (a gap while nobody did for 60 s).',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['at', 'requestsPerSecond', 'errorRatio', 'p99Seconds', 'arms'],
          properties: {
            at: { type: 'string', format: 'date-time', description: 'When the interval ended.' },
            ...(statsFigures['properties'] as Json),
            arms: {
              type: 'object',
              additionalProperties: false,
              required: ['stable', 'candidate'],
              properties: {
                stable: statsFigures,
                candidate: { oneOf: [{ type: 'null' }, statsFigures], description: 'null unless a rollout was live or the candidate served requests in the interval.' },
              },
            },
          },
        },
      },
    },
  },
};

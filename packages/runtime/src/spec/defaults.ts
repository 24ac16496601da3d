import { deepFreeze } from './deep-freeze';

/**
 * Every default of the config, in one table (STYLE.md rule 4). `buildSpec` reads its defaults
 * from here and nowhere else, and `test/spec/config-defaults.test.ts` checks the table against
 * the "Default `…`" doc comments of `@weir/config`'s `types/config.ts`, in both directions, so a
 * default cannot change in one place only.
 *
 * Keys are the config interfaces in camelCase without the `Config` suffix (`listenerLimits` is
 * `ListenerLimitsConfig`, `weir` is `WeirConfig`); each value holds that interface's defaulted
 * fields under the same field names. The one entry that is not a field value is
 * `directResponse.contentType`: the content-type added when a direct response has a body and no
 * content-type header of its own.
 *
 * The table is deep-frozen: it is shared by every build.
 */
export const configDefaults = deepFreeze({
  weir: {
    /** One worker per core; the spec stores it as `0` and the primary resolves it. */
    workers: 'auto',
  },
  logging: {
    level: 'info',
  },
  accessLog: {
    enabled: false,
    path: 'stdout',
  },
  server: {
    drainTimeoutMs: 30_000,
  },
  listener: {
    address: '127.0.0.1',
  },
  listenerLimits: {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 0,
    keepAliveTimeoutMs: 5_000,
    maxHeaderBytes: 16_384,
    maxRequestsPerConnection: 0,
  },
  headerMatch: {
    absent: false,
  },
  split: {
    weight: 1,
  },
  directResponse: {
    body: '',
    contentType: 'text/plain; charset=utf-8',
  },
  endpoint: {
    weight: 1,
  },
  upstreamTimeouts: {
    connectMs: 5_000,
    requestMs: 30_000,
    idleMs: 60_000,
  },
  pool: {
    connections: 256,
    keepAliveMs: 4_000,
  },
} as const);

/** The type of {@link configDefaults}. */
export type ConfigDefaults = typeof configDefaults;

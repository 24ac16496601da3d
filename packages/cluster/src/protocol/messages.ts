import type { ErrorJSON } from '@weir/errors';
import type { HashOnSpec } from '@weir/runtime';
import type { LeaseGrant, LeaseRequest, LeaseReturn } from '@weir/limits';

/**
 * The IPC protocol between the primary and its workers (DESIGN.md section 2, two-phase apply).
 *
 *     primary                              worker
 *        |  <------------ hello {pid} --------  |  agent attached; no listener open yet
 *        |  --- prepare {id, spec bytes} ---->  |  decode + assemble, open listeners, do not serve
 *        |  <------ ack {id, version, listeners} or nack {id, error}
 *        |  --- commit {id} | abort {id} ---->  |  swap atomically | discard the prepared runtime
 *        |  <------ committed {id, version} --  |
 *        |  --- drain {timeoutMs} ----------->  |  stop accepting, finish in-flight, exit 0
 *        |  --- stats {id} ------------------>  |
 *        |  <------ stats-result {id, ...} ---  |
 *        |  --- metrics {id} ---------------->  |
 *        |  <------ metrics-result {id, metrics: getMetricsAsJSON()}
 *        |  --- health {updates} ------------>  |  active health-check results (after a sync: all)
 *
 *        |  <------ lease {id, request} -------  |  rate-limit tokens for one bucket (issue 9)
 *        |  --- lease-grant {id, grant} ----->  |  granted tokens, or 0 and when to ask again
 *        |  <------ lease-return {ret} --------  |  unspent tokens of an expired lease
 *        |  --- jwks {url, jwks} ------------>  |  a JWT plugin's key set, fetched by the primary
 *
 *        |  --- cache-purge {id, route, ----->  |  response cache (issue 10): remove one key's
 *        |        key | prefix}                |  entries or a prefix's, answered at once
 *        |  <------ cache-purged {id, purged}   |  how many entries this worker removed
 *
 *        |  --- upstreams {id} --------------->  |  admin GET /admin/upstreams (issue 17): per
 *        |  <------ upstreams-result {id,       |  endpoint ejection and in-flight, per upstream
 *        |          version, upstreams}         |  breaker state of the committed runtime
 *
 *        |  --- ping {id} ------------------->  |  watchdog heartbeat, answered at once
 *        |  <------ pong {id} -----------------  |  (a worker whose event loop is blocked cannot)
 *
 *   rollouts (DESIGN.md section 7: two runtimes in one worker):
 *        |  --- prepare {id, spec, target: candidate} -> ack | nack   build the candidate beside
 *        |  --- commit {id} ------------------>  |  publish it, with no share yet
 *        |  --- split {percent, sticky} ------>  |  send that share of requests to the candidate
 *        |  --- drop-candidate --------------->  |  stop; the candidate retires after its requests
 *        |  (a later stable commit also ends the split: a promotion is a normal apply)
 *
 * Every message is a plain object with a `type` starting with `weir:`, so Weir's messages never
 * collide with other users of the channel (node:cluster's internal `NODE_CLUSTER` messages and
 * prom-client's aggregator requests share it). The channel uses node's `advanced` serialization,
 * so the spec crosses as a Uint8Array without base64. `id` names one apply round; a reply whose
 * id is not the current round's is stale and ignored.
 */

/** A listener as a worker opened it (port is the bound port, useful when the config says 0). */
export interface ListenerInfo {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

/** Phase one: decode and assemble this spec, open its listeners, but keep serving the old one. */
export interface PrepareMessage {
  readonly type: 'weir:prepare';
  readonly id: number;
  /** msgpackr bytes from `encodeSpec`. */
  readonly spec: Uint8Array;
  /** `candidate`: build a rollout's candidate beside the committed runtime. Default: stable. */
  readonly target?: 'candidate';
}

/** A rollout's split: the share of requests (percent) the candidate gets, and the sticky key. */
export interface ArmSplit {
  readonly percent: number;
  readonly sticky: HashOnSpec | null;
}

/** Set the rollout split (after the candidate's commit, and at every stage). */
export interface SplitMessage extends ArmSplit {
  readonly type: 'weir:split';
}

/** Watchdog heartbeat: answer `pong` with the same id at once (not behind queued work). */
export interface PingMessage {
  readonly type: 'weir:ping';
  readonly id: number;
}

/** End the rollout's split: every request goes to the committed runtime again. */
export interface DropCandidateMessage {
  readonly type: 'weir:drop-candidate';
}

/** Phase two: serve the runtime prepared in round `id`. */
export interface CommitMessage {
  readonly type: 'weir:commit';
  readonly id: number;
}

/** Discard the runtime prepared in round `id` (another worker refused or timed out). */
export interface AbortMessage {
  readonly type: 'weir:abort';
  readonly id: number;
}

/** Stop accepting connections, let in-flight requests finish for up to `timeoutMs`, exit 0. */
export interface DrainMessage {
  readonly type: 'weir:drain';
  readonly timeoutMs: number;
}

/** Ask for the worker's current version and in-flight request count. */
export interface StatsRequestMessage {
  readonly type: 'weir:stats';
  readonly id: number;
}

/** Every message the primary sends. */
/** Ask for the worker's metrics (a scrape of the primary's aggregated `/metrics`). */
export interface MetricsRequestMessage {
  readonly type: 'weir:metrics';
  readonly id: number;
}

/**
 * One endpoint's active health, as the primary's checker judged it (issue 4: checks run once per
 * host, in the primary, and workers only receive results). `upstream` and `address` name the
 * endpoint as in the spec.
 */
export interface EndpointHealth {
  readonly upstream: string;
  readonly address: string;
  readonly healthy: boolean;
}

/**
 * Health results for the worker's balancers: changes as they happen, or the whole table (after a
 * worker's snapshot sync and after each apply). A worker applies each entry to the endpoint it
 * names and ignores endpoints it does not have.
 */
export interface HealthMessage {
  readonly type: 'weir:health';
  readonly updates: readonly EndpointHealth[];
}

/** The answer to a worker's `weir:lease` with the same id. */
export interface LeaseGrantMessage {
  readonly type: 'weir:lease-grant';
  readonly id: number;
  readonly grant: LeaseGrant;
}

/** The key set of a JWKS URL (after each fetch that changed it, and after a worker's sync). */
export interface JwksMessage {
  readonly type: 'weir:jwks';
  readonly url: string;
  readonly jwks: { readonly keys: readonly Readonly<Record<string, unknown>>[] };
}

/**
 * What a cache purge removes from a route's response cache: every entry stored under exactly
 * this key (`http://host/path?query`, all its variants), or every entry whose key starts with
 * this prefix.
 */
export type CachePurgeTarget = { readonly key: string } | { readonly prefix: string };

/**
 * Remove entries of route `route`'s response cache (admin `POST /admin/cache/purge`, issue 10).
 * Exactly one of `key` and `prefix` is set. Answered at once (not behind a prepare) with
 * `weir:cache-purged` of the same id.
 */
export type CachePurgeMessage = {
  readonly type: 'weir:cache-purge';
  readonly id: number;
  readonly route: string;
} & ({ readonly key: string; readonly prefix?: undefined } | { readonly key?: undefined; readonly prefix: string });

/**
 * Ask for the committed runtime's upstream state (admin `GET /admin/upstreams`, issue 17).
 * Answered at once (not behind a prepare) with `weir:upstreams-result` of the same id.
 */
export interface UpstreamStateRequestMessage {
  readonly type: 'weir:upstreams';
  readonly id: number;
}

export type PrimaryMessage =
  | PrepareMessage
  | CommitMessage
  | AbortMessage
  | DrainMessage
  | StatsRequestMessage
  | MetricsRequestMessage
  | HealthMessage
  | SplitMessage
  | DropCandidateMessage
  | PingMessage
  | LeaseGrantMessage
  | JwksMessage
  | CachePurgeMessage
  | UpstreamStateRequestMessage;

/** The worker's agent is attached and waits for a snapshot; it has opened no listener yet. */
export interface HelloMessage {
  readonly type: 'weir:hello';
  readonly pid: number;
}

/** Prepare of round `id` succeeded. */
export interface AckMessage {
  readonly type: 'weir:ack';
  readonly id: number;
  readonly version: string;
  readonly listeners: readonly ListenerInfo[];
}

/** Prepare of round `id` failed; `error` says why (its code and, for config problems, pointer). */
export interface NackMessage {
  readonly type: 'weir:nack';
  readonly id: number;
  readonly error: ErrorJSON;
}

/** Commit of round `id` done: the worker now serves `version`. */
export interface CommittedMessage {
  readonly type: 'weir:committed';
  readonly id: number;
  readonly version: string;
}

/** Answer to a stats request. */
export interface StatsResultMessage {
  readonly type: 'weir:stats-result';
  readonly id: number;
  /** Version served, null before the first commit. */
  readonly version: string | null;
  /** Requests being served right now. */
  readonly inFlight: number;
  /** The rollout candidate the worker holds, or null (absent from older workers: null). */
  readonly candidateVersion?: string | null;
  /** The candidate's share in percent (0 without a rollout). */
  readonly candidatePercent?: number;
}

/** Every message a worker sends. */
/**
 * Answer to a metrics request: the worker registry's `getMetricsAsJSON()`. Checked family by
 * family by the primary before aggregation (obs `checkMetricFamilies`); empty when the worker
 * has no metrics provider or collecting failed.
 */
export interface MetricsResultMessage {
  readonly type: 'weir:metrics-result';
  readonly id: number;
  /** Metric families (obs `MetricFamilyJSON`), unchecked until the primary checks them. */
  readonly metrics: readonly unknown[];
}

/** Answer to a watchdog ping: the worker's event loop ran. */
export interface PongMessage {
  readonly type: 'weir:pong';
  readonly id: number;
}

/** Tokens of one rate-limit bucket; the primary answers `weir:lease-grant` with the same id. */
export interface LeaseMessage {
  readonly type: 'weir:lease';
  readonly id: number;
  readonly request: LeaseRequest;
}

/** Unspent tokens of an expired lease, given back (no answer). */
export interface LeaseReturnMessage {
  readonly type: 'weir:lease-return';
  readonly ret: LeaseReturn;
}

/** Answer to `weir:cache-purge`: the entries this worker removed (0 without a cache or on failure). */
export interface CachePurgedMessage {
  readonly type: 'weir:cache-purged';
  readonly id: number;
  readonly purged: number;
}

/** A failure-ratio breaker's state as reported; null when the upstream has none. */
export type BreakerStateName = 'closed' | 'open' | 'half-open';

/** One endpoint of an upstream, as one worker sees it right now. */
export interface EndpointStateReport {
  /** `host:port` as in the spec. */
  readonly address: string;
  /** Outlier detection has it ejected at this moment. */
  readonly ejected: boolean;
  /** Requests this worker has in flight to it (`EndpointState.active`). */
  readonly inFlight: number;
}

/** One upstream of a worker's committed runtime. */
export interface UpstreamStateReport {
  readonly name: string;
  /** The failure-ratio breaker's state; null without one (no `failureRatio`). */
  readonly breaker: BreakerStateName | null;
  readonly endpoints: readonly EndpointStateReport[];
}

/** Answer to `weir:upstreams`: the committed runtime's upstreams (empty before the first commit). */
export interface UpstreamStateResultMessage {
  readonly type: 'weir:upstreams-result';
  readonly id: number;
  /** The committed version the state belongs to, null before the first commit. */
  readonly version: string | null;
  readonly upstreams: readonly UpstreamStateReport[];
}

export type WorkerMessage =
  | HelloMessage
  | AckMessage
  | NackMessage
  | CommittedMessage
  | StatsResultMessage
  | MetricsResultMessage
  | PongMessage
  | LeaseMessage
  | LeaseReturnMessage
  | CachePurgedMessage
  | UpstreamStateResultMessage;

type Fields = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isListenerInfo(value: unknown): value is ListenerInfo {
  return isRecord(value) && typeof value['name'] === 'string' && typeof value['address'] === 'string' && isCount(value['port']);
}

function isEndpointHealth(value: unknown): value is EndpointHealth {
  return isRecord(value) && typeof value['upstream'] === 'string' && typeof value['address'] === 'string' && typeof value['healthy'] === 'boolean';
}

function isErrorJSON(value: unknown): value is ErrorJSON {
  return isRecord(value) && typeof value['code'] === 'string' && typeof value['message'] === 'string';
}

function isPercent(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 100;
}

function isHashOn(value: unknown): value is HashOnSpec {
  if (!isRecord(value)) return false;
  const kind = value['kind'];
  if (kind === 'clientAddress') return true;
  return (kind === 'header' || kind === 'cookie') && typeof value['name'] === 'string' && value['name'] !== '';
}

function isScope(value: unknown): value is 'host' | 'global' {
  return value === 'host' || value === 'global';
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function isLeaseRequest(value: unknown): value is LeaseRequest {
  return (
    isRecord(value) &&
    typeof value['limitId'] === 'string' &&
    typeof value['key'] === 'string' &&
    isCount(value['want']) &&
    // Optional, but checked: the bank compares the bucket against it, and NaN refuses forever.
    (value['atLeast'] === undefined || (isCount(value['atLeast']) && value['atLeast'] >= 1)) &&
    isPositive(value['ratePerSecond']) &&
    isPositive(value['burst']) &&
    isScope(value['scope'])
  );
}

function isLeaseGrant(value: unknown): value is LeaseGrant {
  return isRecord(value) && isCount(value['granted']) && isCount(value['retryAfterMs']) && isCount(value['remaining']);
}

function isLeaseReturn(value: unknown): value is LeaseReturn {
  return isRecord(value) && typeof value['limitId'] === 'string' && typeof value['key'] === 'string' && isScope(value['scope']) && isCount(value['tokens']);
}

function isJwks(value: unknown): value is JwksMessage['jwks'] {
  return isRecord(value) && Array.isArray(value['keys']) && value['keys'].every(isRecord);
}

function isEndpointReport(value: unknown): value is EndpointStateReport {
  return isRecord(value) && typeof value['address'] === 'string' && typeof value['ejected'] === 'boolean' && isCount(value['inFlight']);
}

function isUpstreamReport(value: unknown): value is UpstreamStateReport {
  if (!isRecord(value) || typeof value['name'] !== 'string') return false;
  const breaker = value['breaker'];
  const endpoints = value['endpoints'];
  return (breaker === null || breaker === 'closed' || breaker === 'open' || breaker === 'half-open') && Array.isArray(endpoints) && endpoints.every(isEndpointReport);
}

/** Exactly one of a purge's `key` and `prefix` is a non-empty string; the other is absent. */
function isPurgeTarget(key: unknown, prefix: unknown): boolean {
  if (key === undefined) return typeof prefix === 'string' && prefix !== '';
  return prefix === undefined && typeof key === 'string' && key !== '';
}

/**
 * True when `value` is a well-formed message from the primary. The channel is a process
 * boundary, so shapes are checked here once and trusted after (STYLE.md rule 5).
 */
export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  if (!isRecord(value)) return false;
  switch (value['type']) {
    case 'weir:prepare':
      return isCount(value['id']) && value['spec'] instanceof Uint8Array && (value['target'] === undefined || value['target'] === 'candidate');
    case 'weir:split':
      return isPercent(value['percent']) && (value['sticky'] === null || isHashOn(value['sticky']));
    case 'weir:drop-candidate':
      return true;
    case 'weir:commit':
    case 'weir:abort':
    case 'weir:stats':
    case 'weir:metrics':
    case 'weir:ping':
    case 'weir:upstreams':
      return isCount(value['id']);
    case 'weir:drain':
      return isCount(value['timeoutMs']);
    case 'weir:health': {
      const updates = value['updates'];
      return Array.isArray(updates) && updates.every(isEndpointHealth);
    }
    case 'weir:lease-grant':
      return isCount(value['id']) && isLeaseGrant(value['grant']);
    case 'weir:jwks':
      return typeof value['url'] === 'string' && isJwks(value['jwks']);
    case 'weir:cache-purge':
      return isCount(value['id']) && typeof value['route'] === 'string' && value['route'] !== '' && isPurgeTarget(value['key'], value['prefix']);
    default:
      return false;
  }
}

/** True when `value` is a well-formed message from a worker. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (!isRecord(value)) return false;
  switch (value['type']) {
    case 'weir:hello':
      return isCount(value['pid']);
    case 'weir:ack': {
      const listeners = value['listeners'];
      return isCount(value['id']) && typeof value['version'] === 'string' && Array.isArray(listeners) && listeners.every(isListenerInfo);
    }
    case 'weir:nack':
      return isCount(value['id']) && isErrorJSON(value['error']);
    case 'weir:committed':
      return isCount(value['id']) && typeof value['version'] === 'string';
    case 'weir:pong':
      return isCount(value['id']);
    case 'weir:lease':
      return isCount(value['id']) && isLeaseRequest(value['request']);
    case 'weir:lease-return':
      return isLeaseReturn(value['ret']);
    case 'weir:metrics-result':
      return isCount(value['id']) && Array.isArray(value['metrics']);
    case 'weir:cache-purged':
      return isCount(value['id']) && isCount(value['purged']);
    case 'weir:upstreams-result': {
      const upstreams = value['upstreams'];
      return isCount(value['id']) && (value['version'] === null || typeof value['version'] === 'string') && Array.isArray(upstreams) && upstreams.every(isUpstreamReport);
    }
    case 'weir:stats-result':
      return (
        isCount(value['id']) &&
        (value['version'] === null || typeof value['version'] === 'string') &&
        isCount(value['inFlight']) &&
        (value['candidateVersion'] === undefined || value['candidateVersion'] === null || typeof value['candidateVersion'] === 'string') &&
        (value['candidatePercent'] === undefined || isPercent(value['candidatePercent']))
      );
    default:
      return false;
  }
}

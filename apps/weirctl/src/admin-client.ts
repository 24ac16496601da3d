import { Agent, request } from 'undici';
import { AdminCallError, httpError, transportError } from './admin-call-error';
import type {
  ApplyResult,
  CachePurgeResult,
  Rollout,
  RolloutList,
  RolloutRequest,
  RunningConfig,
  StatusResult,
  ValidateResult,
  VersionList,
} from './admin-types';
import { formatDuration } from './duration';

/** Options of {@link AdminClient}. */
export interface AdminClientOptions {
  /** Base URL of the admin API, such as `http://127.0.0.1:9901` (a path prefix is kept). */
  readonly url: string;
  /** Bearer token; null sends no `Authorization` header (only `health` works then). */
  readonly token: string | null;
  /** How long one request may take, answer body included. Default 60000 ms. */
  readonly requestTimeoutMs?: number;
  /** `User-Agent`. Default `weirctl`. */
  readonly userAgent?: string;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborting it fails the call with kind `timeout` (a wait's deadline). */
  readonly signal?: AbortSignal;
}

/** A config body: the file's text as is (the daemon reports parse errors with line and column), or a value. */
export type ConfigBody = string | object;

function unexpected(what: string, status: number): AdminCallError {
  return new AdminCallError({ kind: 'http', status, code: 'WEIRCTL_ERR_UNEXPECTED_ANSWER', message: `unexpected answer to ${what}` });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` looks like the rollout resource (the fields weirctl branches on). */
export function isRollout(value: unknown): value is Rollout {
  return isRecord(value) && typeof value['id'] === 'string' && typeof value['state'] === 'string' && Array.isArray(value['stages']) && typeof value['stage'] === 'number';
}

/** An answer of the API: status, headers, body text and (for JSON) the parsed body. */
interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly json: unknown;
}

/**
 * The one client of the admin API (apps/weir/docs/admin-api.md), one method per endpoint. Each
 * request has its own timeout; every failure is an {@link AdminCallError} (transport, timeout
 * or HTTP status), and every 2xx answer is checked for the documented shape before it is typed.
 * Call {@link close} when done: it closes the client's keep-alive connections.
 */
export class AdminClient {
  private readonly base: string;
  private readonly token: string | null;
  private readonly requestTimeoutMs: number;
  private readonly userAgent: string;
  private readonly agent = new Agent({ keepAliveTimeout: 5_000, connections: 4 });

  constructor(options: AdminClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.userAgent = options.userAgent ?? 'weirctl';
  }

  /** The base URL (for messages). */
  get url(): string {
    return this.base;
  }

  /** `GET /admin/health`. */
  async health(): Promise<{ status: string }> {
    const answer = await this.call('GET', '/admin/health');
    if (!isRecord(answer.json) || typeof answer.json['status'] !== 'string') throw unexpected('GET /admin/health', answer.status);
    return answer.json as { status: string };
  }

  /** `GET /admin/config`: the running config and the version its ETag names. */
  async getConfig(): Promise<RunningConfig> {
    const answer = await this.call('GET', '/admin/config');
    if (!isRecord(answer.json)) throw unexpected('GET /admin/config', answer.status);
    const etag = answer.headers['etag'];
    const version = typeof etag === 'string' ? etag.replace(/^W\//, '').replace(/^"|"$/g, '') : null;
    return { config: answer.json, version };
  }

  /** `POST /admin/config`, with `If-Match` when `ifMatch` is given. */
  async applyConfig(config: ConfigBody, ifMatch?: string): Promise<ApplyResult> {
    const answer = await this.call('POST', '/admin/config', { body: config, ifMatch });
    return this.applyResult(answer, 'POST /admin/config');
  }

  /** `POST /admin/config/validate`. */
  async validateConfig(config: ConfigBody): Promise<ValidateResult> {
    const answer = await this.call('POST', '/admin/config/validate', { body: config });
    const json = answer.json;
    if (!isRecord(json) || json['valid'] !== true || !isRecord(json['diff']) || !Array.isArray(json['diff']['summary'])) {
      throw unexpected('POST /admin/config/validate', answer.status);
    }
    return json as unknown as ValidateResult;
  }

  /** `GET /admin/config/versions`. */
  async listVersions(): Promise<VersionList> {
    const answer = await this.call('GET', '/admin/config/versions');
    if (!isRecord(answer.json) || !Array.isArray(answer.json['versions'])) throw unexpected('GET /admin/config/versions', answer.status);
    return answer.json as unknown as VersionList;
  }

  /** `POST /admin/config/rollback` to a history id or a version. */
  async rollback(target: { readonly id: string } | { readonly version: string }, ifMatch?: string): Promise<ApplyResult> {
    const answer = await this.call('POST', '/admin/config/rollback', { body: target, ifMatch });
    return this.applyResult(answer, 'POST /admin/config/rollback');
  }

  /** `GET /admin/status`. */
  async getStatus(): Promise<StatusResult> {
    const answer = await this.call('GET', '/admin/status');
    if (!isRecord(answer.json) || !Array.isArray(answer.json['workers'])) throw unexpected('GET /admin/status', answer.status);
    return answer.json as unknown as StatusResult;
  }

  /**
   * `POST /admin/cache/purge`: remove a cached route's entries of one key, or under a prefix, on
   * every worker. A worker that does not acknowledge in time is a 504 (the purge may be partial).
   */
  async purgeCache(route: string, target: { readonly key: string } | { readonly prefix: string }): Promise<CachePurgeResult> {
    const answer = await this.call('POST', '/admin/cache/purge', { body: { route, ...target } });
    const json = answer.json;
    if (!isRecord(json) || typeof json['purged'] !== 'number' || !Array.isArray(json['workers'])) throw unexpected('POST /admin/cache/purge', answer.status);
    return json as unknown as CachePurgeResult;
  }

  /** `POST /admin/rollouts` (201). */
  async startRollout(body: RolloutRequest): Promise<Rollout> {
    return this.rollout(await this.call('POST', '/admin/rollouts', { body }), 'POST /admin/rollouts');
  }

  /** `GET /admin/rollouts`: the current rollout (or null) and the history, newest first. */
  async listRollouts(): Promise<RolloutList> {
    const answer = await this.call('GET', '/admin/rollouts');
    const json = answer.json;
    if (!isRecord(json) || !Array.isArray(json['rollouts']) || !(json['rollouts'] as unknown[]).every(isRollout)) {
      throw unexpected('GET /admin/rollouts', answer.status);
    }
    const current = json['current'] ?? null;
    if (current !== null && !isRollout(current)) throw unexpected('GET /admin/rollouts', answer.status);
    return { current, rollouts: json['rollouts'] as Rollout[] };
  }

  /**
   * `GET /admin/rollouts/{id}`; with `waitSeconds` (1-300) the daemon answers at the rollout's
   * next transition or after that long, so the request timeout grows by as much.
   */
  async getRollout(id: string, waitSeconds?: number, options: CallOptions = {}): Promise<Rollout> {
    const query = waitSeconds === undefined ? '' : `?wait=${waitSeconds}`;
    const path = `/admin/rollouts/${encodeURIComponent(id)}${query}`;
    const timeoutMs = this.requestTimeoutMs + (waitSeconds ?? 0) * 1000;
    return this.rollout(await this.call('GET', path, { timeoutMs, signal: options.signal }), `GET ${path}`);
  }

  /** `POST /admin/rollouts/{id}/promote`; `full` promotes to 100% at once. */
  async promoteRollout(id: string, full = false): Promise<Rollout> {
    return this.action(id, 'promote', full ? { full: true } : {});
  }

  /** `POST /admin/rollouts/{id}/pause`. */
  async pauseRollout(id: string): Promise<Rollout> {
    return this.action(id, 'pause', {});
  }

  /** `POST /admin/rollouts/{id}/resume`. */
  async resumeRollout(id: string): Promise<Rollout> {
    return this.action(id, 'resume', {});
  }

  /** `POST /admin/rollouts/{id}/abort`. */
  async abortRollout(id: string): Promise<Rollout> {
    return this.action(id, 'abort', {});
  }

  /** Close the keep-alive connections. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private async action(id: string, verb: string, body: object): Promise<Rollout> {
    const path = `/admin/rollouts/${encodeURIComponent(id)}/${verb}`;
    return this.rollout(await this.call('POST', path, { body }), `POST ${path}`);
  }

  private rollout(answer: Answer, what: string): Rollout {
    if (!isRollout(answer.json)) throw unexpected(what, answer.status);
    return answer.json;
  }

  private applyResult(answer: Answer, what: string): ApplyResult {
    const json = answer.json;
    if (!isRecord(json) || typeof json['changed'] !== 'boolean' || typeof json['version'] !== 'string') throw unexpected(what, answer.status);
    return json as unknown as ApplyResult;
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: ConfigBody; ifMatch?: string | undefined; timeoutMs?: number; signal?: AbortSignal | undefined } = {},
  ): Promise<Answer> {
    const target = `${this.base}${path}`;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    if (this.token !== null) headers['authorization'] = `Bearer ${this.token}`;
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body.replace(/^\uFEFF/, '') : JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const outer = options.signal;
    const onAbort = (): void => controller.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    if (outer?.aborted === true) controller.abort();
    try {
      const res = await request(target, {
        method,
        headers,
        body,
        dispatcher: this.agent,
        signal: controller.signal,
        headersTimeout: timeoutMs + 1000,
        bodyTimeout: timeoutMs + 1000,
      });
      const text = await res.body.text();
      if (res.statusCode < 200 || res.statusCode >= 300) {
        const retryAfter = res.headers['retry-after'];
        throw httpError(res.statusCode, text, typeof retryAfter === 'string' ? retryAfter : undefined);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw unexpected(`${method} ${path} (not JSON)`, res.statusCode);
      }
      return { status: res.statusCode, headers: res.headers, json };
    } catch (err) {
      if (err instanceof AdminCallError) throw err;
      if (timedOut) {
        throw new AdminCallError({ kind: 'timeout', code: 'WEIRCTL_ERR_TIMEOUT', message: `${method} ${target}: no answer within ${formatDuration(timeoutMs)}`, cause: err });
      }
      if (outer?.aborted === true) {
        throw new AdminCallError({ kind: 'timeout', code: 'WEIRCTL_ERR_TIMEOUT', message: `${method} ${target}: abandoned (deadline)`, cause: err });
      }
      throw transportError(err, target);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }
}

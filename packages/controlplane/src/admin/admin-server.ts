import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdminConfig, AdminTokenConfig } from '@weir/config';
import { WeirError } from '@weir/errors';
import type { Logger } from '@weir/obs';
import { configDefaults } from '@weir/runtime';
import type { CachePurger, ConfigApplier, FleetView, MetricsSource, RolloutService, VersionHistory } from './admin-deps';
import { errorReply, sendReply, type AdminReply } from './admin-reply';
import { matchAdminRoute, type AdminRoute } from './admin-routes';
import { hasScope } from './admin-scope';
import { AuditLog } from './audit-log';
import type { AuthRateLimiterOptions } from './auth-rate-limiter';
import { CacheApi } from './cache-api';
import { ConfigApi } from './config-api';
import { ConnectionGuard, type ConnectionGuardOptions } from './connection-guard';
import { ConsoleAssets } from './console-assets';
import { HostGuard } from './host-guard';
import { adminOpenApiDocument } from './openapi-document';
import { isJsonContentType, parseJsonBody, readBodyText } from './request-body';
import { RequestAuthenticator } from './request-authenticator';
import { RolloutApi } from './rollout-api';
import { StatsApi } from './stats-api';
import { StatsSampler } from './stats-sampler';
import { StatusApi } from './status-api';
import { UpstreamsApi } from './upstreams-api';
import { TokenVerifier, type AdminPrincipal } from './token-verifier';

/** Options of {@link AdminServer}. */
export interface AdminServerOptions {
  readonly applier: ConfigApplier;
  readonly history: VersionHistory;
  readonly fleet: FleetView;
  /** Source of `GET /metrics`; without one that endpoint answers 404. */
  readonly metrics?: MetricsSource | null;
  /** Logs `admin api listening`, `admin audit`, `admin auth failed` and `admin connections shed`. */
  readonly logger: Logger;
  /** Where to listen (the config's `admin.listen`, or `WEIR_ADMIN_LISTEN`). */
  readonly listen: { readonly address: string; readonly port: number };
  /** Weir's version, for the status page and the OpenAPI document. */
  readonly weirVersion: string;
  /** The token accepted while the config has no `admin.tokens` (`BootstrapToken.ensure`). Default: none. */
  readonly fallbackToken?: () => Promise<AdminTokenConfig>;
  /** Failed-authentication throttle (bursts, window, table size, clock). Defaults: 10 a minute per address, 100 in all. */
  readonly rateLimit?: AuthRateLimiterOptions;
  /**
   * Connection limits. Defaults: 1024 connections (a new one at the cap sheds the oldest
   * unauthenticated one), 10 s for a request's headers, 120 s for a whole request, 5 s idle.
   */
  readonly connections?: ConnectionGuardOptions;
  /** The rollout manager; without one the rollout endpoints answer 404. */
  readonly rollouts?: RolloutService | null;
  /** The bundle puller's status for `GET /admin/status` (`pull`). Default: none (null). */
  readonly pull?: () => object | null;
  /** The JWKS fetch state for `GET /admin/status` (`jwks`). Default: none ([]). */
  readonly jwks?: () => readonly object[];
  /** Purges response caches on the workers (`Fleet`); without one `POST /admin/cache/purge` answers 404. */
  readonly cache?: CachePurger | null;
}

/** True when the request announces a body (a length above 0, or chunked). */
function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Aborted when the response closes (answered, or the client went away): ends a held long-poll. */
function closedSignal(res: http.ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

/** What the server derives from the config's `admin` section; rebuilt when the section changes. */
interface Settings {
  readonly verifier: TokenVerifier;
  readonly hosts: HostGuard;
  readonly maxBodyBytes: number;
}

/**
 * The admin REST API: a node:http server in the primary (JSON in and out), after Caddy's admin
 * API and Envoy's ACK/NACK, plus authentication. Each request goes through, in order:
 *
 *     Host check (421) -> route (404, 405 + Allow) -> bearer token (valid: on; else 429 or 401)
 *     -> scope (403) -> content-type (415) -> body cap (413) -> JSON (400) -> handler
 *
 * Only `GET /admin/health` skips authentication; `GET /admin/token` takes any valid token. A valid token is always served: the throttle
 * refuses failures only (RequestAuthenticator). Connections are capped and timed out by a
 * ConnectionGuard, which sheds unauthenticated connections before authenticated ones (issue 15).
 * Settings from the config's `admin` section (tokens, `maxBodyBytes`, `allowedHosts`) are
 * re-read whenever the running config's section changes; the listen address is fixed for the
 * server's life. apps/weir/docs/admin-api.md is the operator's reference.
 */
export class AdminServer {
  private readonly server: http.Server;
  private readonly options: AdminServerOptions;
  private readonly logger: Logger;
  private readonly auth: RequestAuthenticator;
  private readonly guard: ConnectionGuard;
  private readonly configApi: ConfigApi;
  private readonly statusApi: StatusApi;
  private readonly rolloutApi: RolloutApi;
  private readonly cacheApi: CacheApi;
  private readonly upstreamsApi: UpstreamsApi;
  private readonly statsApi: StatsApi;
  private readonly openApi: string;
  /** The operator console under `/ui/` (issue 17), read once from apps/console/dist. */
  private readonly consoleAssets = new ConsoleAssets();
  private settingsCache: Promise<Settings> | null = null;
  private settingsKey = '';
  private bound: { address: string; port: number } | null = null;
  /** `admin.enabled` and `admin.listen` as first read: a later change is only logged. */
  private startupListen: string | null = null;

  constructor(options: AdminServerOptions) {
    this.options = options;
    this.logger = options.logger;
    this.auth = new RequestAuthenticator(options.logger, options.rateLimit);
    const audit = new AuditLog(options.logger);
    this.configApi = new ConfigApi(options.applier, options.history, audit);
    this.cacheApi = new CacheApi(options.applier, options.cache ?? null, audit);
    this.statusApi = new StatusApi({ applier: options.applier, fleet: options.fleet, weirVersion: options.weirVersion, rollouts: options.rollouts ?? null, ...(options.pull === undefined ? {} : { pull: options.pull }), ...(options.jwks === undefined ? {} : { jwks: options.jwks }) });
    this.rolloutApi = new RolloutApi(options.rollouts ?? null);
    this.upstreamsApi = new UpstreamsApi(options.applier, options.fleet);
    const metrics = options.metrics ?? null;
    const rollouts = options.rollouts ?? null;
    this.statsApi = new StatsApi(
      metrics === null || metrics.families === undefined
        ? null
        : new StatsSampler({ families: () => metrics.families!(), candidateLive: () => rollouts !== null && rollouts.current !== null }),
    );
    this.openApi = JSON.stringify(adminOpenApiDocument(options.weirVersion));
    this.guard = new ConnectionGuard(options.logger, options.connections);
    this.server = http.createServer(this.guard.serverOptions, (req, res) => {
      this.serve(req, res).then(
        (reply) => this.reply(req, res, reply),
        (err: unknown) => this.reply(req, res, this.failure(err, req)),
      );
    });
    this.guard.attach(this.server);
  }

  /** The bound address, null before `listen()`. */
  get address(): { readonly address: string; readonly port: number } | null {
    return this.bound;
  }

  /**
   * Bind and start answering.
   *
   * @throws WeirError WEIR_ERR_LISTEN when the address cannot be bound (in use, not local).
   */
  async listen(): Promise<{ readonly address: string; readonly port: number }> {
    const { address, port } = this.options.listen;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(new WeirError('WEIR_ERR_LISTEN', `cannot listen on the admin address ${address}:${port}: ${(err as NodeJS.ErrnoException).code ?? err.message}`, { cause: err }));
      this.server.once('error', onError);
      this.server.listen({ host: address, port, exclusive: true }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.guard.start();
    const info = this.server.address() as AddressInfo;
    this.bound = { address: info.address, port: info.port };
    this.logger.info({ address: info.address, port: info.port }, 'admin api listening');
    await this.settings().catch(() => undefined);
    return this.bound;
  }

  /** Stop accepting, close every connection (idle and never-spoken ones included) and resolve once closed. */
  close(): Promise<void> {
    // Held long-polls answer now, and sampling stops, so nothing keeps the primary waiting.
    this.statusApi.close();
    this.statsApi.close();
    this.guard.stop();
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<AdminReply> {
    const settings = await this.settings();
    if (!settings.hosts.allows(req.headers.host, req.socket.localAddress)) {
      throw new WeirError('WEIR_ERR_ADMIN_BAD_HOST', 'the Host header names a host this admin API does not answer for (see admin.allowedHosts)');
    }
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const pathname = query === -1 ? target : target.slice(0, query);
    if (ConsoleAssets.owns(pathname)) return this.consoleAssets.serve(req.method ?? '', pathname, this.options.applier.current?.config.admin?.console !== false);
    const match = matchAdminRoute(req.method ?? '', query === -1 ? target : target.slice(0, query));
    if (match.kind === 'not-found') throw new WeirError('WEIR_ERR_ADMIN_NOT_FOUND', 'no admin endpoint has this path');
    if (match.kind === 'method-not-allowed') {
      const allow = match.allow.join(', ');
      return errorReply(new WeirError('WEIR_ERR_ADMIN_METHOD_NOT_ALLOWED', `this endpoint accepts ${allow}`), { allow });
    }
    const route = match.route;
    let principal: AdminPrincipal | null = null;
    if (route.scope !== null) {
      const auth = this.auth.authenticate(req, settings.verifier);
      if ('status' in auth) return auth;
      principal = auth;
      this.guard.trust(req.socket);
      if (route.scope !== 'any' && !hasScope(principal.scopes, route.scope)) {
        throw new WeirError('WEIR_ERR_ADMIN_FORBIDDEN', `this call needs a token with the "${route.scope}" scope`);
      }
    }
    let body: unknown = undefined;
    if (route.body !== null && !(route.body === 'optional-json' && !hasBody(req))) {
      if (!isJsonContentType(req.headers['content-type'])) {
        throw new WeirError('WEIR_ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE', 'send the body as content-type: application/json');
      }
      try {
        body = parseJsonBody(await readBodyText(req, settings.maxBodyBytes), route.body === 'config' ? 'config' : 'request');
      } catch (err) {
        // The rest of an oversized body is not read: close the connection after answering.
        if (err instanceof WeirError && err.code === 'WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE') res.shouldKeepAlive = false;
        throw err;
      }
    }
    return this.dispatch(route, match.params, body, principal, req, query === -1 ? '' : target.slice(query + 1), res);
  }

  private dispatch(
    route: AdminRoute,
    params: Readonly<Record<string, string>>,
    body: unknown,
    principal: AdminPrincipal | null,
    req: http.IncomingMessage,
    query: string,
    res: http.ServerResponse,
  ): AdminReply | Promise<AdminReply> {
    const context = () => ({
      principal: principal as AdminPrincipal,
      remoteAddress: req.socket.remoteAddress ?? 'unknown',
      ifMatch: req.headers['if-match'],
    });
    switch (route.operation) {
      case 'getHealth':
        return { status: 200, body: { status: 'ok' } };
      case 'getConfig':
        return this.configApi.getConfig(req.headers['if-none-match']);
      case 'applyConfig':
        return this.configApi.applyConfig(body, context());
      case 'validateConfig':
        return this.configApi.validateConfig(body);
      case 'listVersions':
        return this.configApi.listVersions();
      case 'getVersion':
        return this.configApi.getVersion(params['id'] ?? '');
      case 'rollback':
        return this.configApi.rollback(body, context());
      case 'getStatus':
        return this.statusApi.getStatus(query, req.headers['if-none-match'], closedSignal(res));
      case 'getUpstreams':
        return this.upstreamsApi.getUpstreams();
      case 'getStats':
        return this.statsApi.getStats(query);
      case 'getMetrics':
        return this.metrics(req.headers['accept']);
      case 'getToken':
        return { status: 200, body: { name: (principal as AdminPrincipal).name, scopes: (principal as AdminPrincipal).scopes } };
      case 'getOpenApi':
        return { status: 200, raw: { contentType: 'application/json; charset=utf-8', text: this.openApi } };
      case 'startRollout':
        return this.rolloutApi.start(body, principal as AdminPrincipal);
      case 'listRollouts':
        return this.rolloutApi.list();
      case 'getRollout':
        return this.rolloutApi.get(params['id'] ?? '', query);
      case 'promoteRollout':
        return this.rolloutApi.act(params['id'] ?? '', 'promote', body, principal as AdminPrincipal);
      case 'pauseRollout':
        return this.rolloutApi.act(params['id'] ?? '', 'pause', body, principal as AdminPrincipal);
      case 'resumeRollout':
        return this.rolloutApi.act(params['id'] ?? '', 'resume', body, principal as AdminPrincipal);
      case 'abortRollout':
        return this.rolloutApi.act(params['id'] ?? '', 'abort', body, principal as AdminPrincipal);
      case 'purgeCache':
        return this.cacheApi.purge(body, context());
    }
  }

  /**
   * Prometheus text by default; OpenMetrics (with exemplars) when the scraper asks for
   * `application/openmetrics-text`, as Prometheus does when exemplar storage is on.
   */
  private async metrics(accept: string | undefined): Promise<AdminReply> {
    const source = this.options.metrics;
    if (source === null || source === undefined) throw new WeirError('WEIR_ERR_ADMIN_NOT_FOUND', 'this process serves no metrics');
    const openMetrics = accept !== undefined && accept.includes('application/openmetrics-text') && source.openMetrics !== undefined;
    const { contentType, body } = openMetrics ? await source.openMetrics!() : await source.metrics();
    return { status: 200, raw: { contentType, text: body } };
  }

  private failure(err: unknown, req: http.IncomingMessage): AdminReply {
    if (!(err instanceof WeirError) || err.code === 'WEIR_ERR_INTERNAL') {
      this.logger.error({ err, method: req.method, path: req.url }, 'admin request failed');
    }
    return errorReply(err);
  }

  /** Send `reply`; a request whose body was left unread (refused before reading) closes its connection. */
  private reply(req: http.IncomingMessage, res: http.ServerResponse, reply: AdminReply): void {
    if (!req.complete) res.shouldKeepAlive = false;
    sendReply(res, reply);
  }

  /** Settings of the running config's `admin` section, rebuilt when it changes. */
  private settings(): Promise<Settings> {
    const current = this.options.applier.current;
    const key = current?.spec.controlDigest ?? '';
    if (this.settingsCache === null || key !== this.settingsKey) {
      this.settingsKey = key;
      this.settingsCache = this.buildSettings(current?.config.admin ?? {});
      this.settingsCache.catch(() => {
        if (this.settingsKey === key) this.settingsCache = null;
      });
    }
    return this.settingsCache;
  }

  private async buildSettings(admin: AdminConfig): Promise<Settings> {
    const d = configDefaults.admin;
    let tokens: readonly AdminTokenConfig[] = admin.tokens ?? d.tokens;
    if (tokens.length === 0 && this.options.fallbackToken !== undefined) {
      try {
        tokens = [await this.options.fallbackToken()];
      } catch (err) {
        // Fail closed: no token means every call is 401, never an open API.
        this.logger.error({ err, hint: 'every call is refused until admin.tokens is configured or the state directory is writable' }, 'admin token unavailable');
      }
    }
    const startup = JSON.stringify([admin.enabled ?? d.enabled, admin.listen?.address ?? configDefaults.adminListen.address, admin.listen?.port ?? configDefaults.adminListen.port]);
    this.startupListen ??= startup;
    if (startup !== this.startupListen) {
      this.logger.warn({ listening: this.bound, admin: { enabled: admin.enabled, listen: admin.listen } }, 'admin.listen and admin.enabled take effect at the next start');
    }
    return {
      verifier: new TokenVerifier(tokens),
      hosts: new HostGuard(this.options.listen.address, admin.allowedHosts ?? d.allowedHosts),
      maxBodyBytes: admin.maxBodyBytes ?? d.maxBodyBytes,
    };
  }
}

/** The admin API section of the Weir config (control plane only; workers never see it). */

/**
 * The admin REST API (JSON over HTTP, on the primary). Every endpoint but `GET /admin/health`
 * needs a bearer token with a scope. `listen` and `enabled` are read at start-up only (a change
 * is logged and takes effect at the next start); `tokens`, `maxBodyBytes` and `allowedHosts`
 * take effect as soon as the config that carries them is committed. Changing this section
 * through the API needs the `admin` scope.
 */
export interface AdminConfig {
  /** `false`: no admin listener at all (the config then changes only by file). Default `true`. */
  readonly enabled?: boolean;
  /** Where the admin API listens. Keep it on loopback unless a firewall guards it. */
  readonly listen?: AdminListenConfig;
  /**
   * Bearer tokens accepted by the API, each stored as a salted hash (`weir token` prints a new
   * token and its entry). Default `[]`: Weir then generates one admin token on first start, keeps
   * its hash in the state directory and prints the token once (see admin-api.md).
   */
  readonly tokens?: readonly AdminTokenConfig[];
  /** Largest request body in bytes, 1024-1073741824; larger gets 413. Default `10485760`. */
  readonly maxBodyBytes?: number;
  /**
   * Host names accepted in the `Host` header besides the listen address, `localhost` and the
   * loopback literals (a guard against DNS rebinding): add the name a reverse proxy or a scraper
   * uses to reach the API. Default `[]`.
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Serve the operator console (static pages under `/ui/` on the admin listener; they call this
   * API with the token typed in). `false`: `/ui/` answers 404. Default `true`.
   */
  readonly console?: boolean;
}

export interface AdminListenConfig {
  /** IP address to bind (IPv6 without brackets). Default `"127.0.0.1"`. */
  readonly address?: string;
  /** TCP port, 0-65535 (0 picks a free port: tests only). Default `9901`. */
  readonly port?: number;
}

/** One bearer token of the admin API. The token itself is never in the config. */
export interface AdminTokenConfig {
  /** Unique name: the principal in the audit log and in the version history. */
  readonly name: string;
  /**
   * `sha256$<salt>$<hex digest>`: the salt (16-64 base64url characters) and the sha256 of salt
   * followed by the token, as printed by `weir token`.
   */
  readonly hash: string;
  /**
   * What the token may do: `"read"` (GET endpoints, validate, metrics), `"write"` (apply,
   * rollback), `"rollout"` (staged rollouts), `"admin"` (everything, including changes to this
   * `admin` section). At least one.
   */
  readonly scopes: readonly AdminScopeConfig[];
}

/** A scope of an admin token; see AdminTokenConfig.scopes. */
export type AdminScopeConfig = 'read' | 'write' | 'rollout' | 'admin';

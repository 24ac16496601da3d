import type { WeirConfig } from '@weir/config';
import { WeirError, isWeirError } from '@weir/errors';
import { controlDigest } from '@weir/runtime';
import type { ApplyOutcome, AppliedConfig, ConfigSource } from '../apply/index';
import type { StoredVersion } from '../state/index';
import type { ConfigApplier, VersionHistory } from './admin-deps';
import type { AdminReply } from './admin-reply';
import { hasScope } from './admin-scope';
import type { AuditLog } from './audit-log';
import { diffConfigs } from './config-diff';
import { EntityTagCondition, versionTag } from './entity-tag';
import type { AdminPrincipal } from './token-verifier';

/** Who is calling and with which conditions: what a changing handler needs besides the body. */
export interface ChangeContext {
  readonly principal: AdminPrincipal;
  readonly remoteAddress: string;
  /** The `If-Match` header. */
  readonly ifMatch: string | undefined;
}

/**
 * The config endpoints: read, apply, validate (with a diff), versions and rollback. Transport
 * (authentication, Host, bodies) is the server's job; these methods get parsed values and
 * return replies or throw WeirErrors.
 */
export class ConfigApi {
  constructor(
    private readonly applier: ConfigApplier,
    private readonly history: VersionHistory,
    private readonly audit: AuditLog,
  ) {}

  /** `GET /admin/config`: the running config as applied, `ETag` = its version; 304 on `If-None-Match`. */
  getConfig(ifNoneMatch: string | undefined): AdminReply {
    const running = this.running();
    const etag = versionTag(running.spec.version);
    if (EntityTagCondition.parse(ifNoneMatch)?.matchesWeak(running.spec.version) === true) return { status: 304, headers: { etag } };
    return { status: 200, body: running.config, headers: { etag } };
  }

  /** `POST /admin/config`. */
  applyConfig(config: unknown, context: ChangeContext): Promise<AdminReply> {
    return this.change('apply', 'admin', config, undefined, null, context);
  }

  /** `POST /admin/config/validate`: every check `apply` makes, the would-be version, and a diff. */
  async validateConfig(config: unknown): Promise<AdminReply> {
    const checked = await this.applier.check(config);
    const running = this.applier.current;
    const diff = diffConfigs(running?.config ?? null, checked.config);
    return {
      status: 200,
      body: {
        valid: true,
        version: checked.spec.version,
        hash: checked.spec.hash,
        runningVersion: running?.spec.version ?? null,
        changed: running === null || running.spec.hash !== checked.spec.hash,
        requiredScope: running !== null && running.spec.controlDigest !== checked.spec.controlDigest ? 'admin' : 'write',
        diff,
      },
    };
  }

  /** `GET /admin/config/versions`. */
  listVersions(): AdminReply {
    return { status: 200, body: { versions: this.history.list() } };
  }

  /** `GET /admin/config/versions/{id}`. */
  async getVersion(id: string): Promise<AdminReply> {
    const stored = await this.history.get(id);
    if (stored === null) throw new WeirError('WEIR_ERR_ADMIN_VERSION_NOT_FOUND', `no kept config version has id "${id}"`);
    const current = this.history.list()[0]?.id === stored.id;
    return { status: 200, body: versionBody(stored, current) };
  }

  /**
   * `POST /admin/config/rollback` with `{"id": "<history id>"}` or `{"version": "<version id>"}`
   * (the newest kept entry of that version). The kept config goes through the same apply as a
   * new one, with source `rollback` and its original version id.
   */
  async rollback(body: unknown, context: ChangeContext): Promise<AdminReply> {
    const target = rollbackTarget(body);
    const id = target.id ?? this.history.list().find((v) => v.version === target.version)?.id;
    const stored = id === undefined ? null : await this.history.get(id);
    if (stored === null) {
      const what = target.id !== undefined ? `id "${target.id}"` : `version "${String(target.version)}"`;
      throw new WeirError('WEIR_ERR_ADMIN_VERSION_NOT_FOUND', `no kept config version has ${what}`);
    }
    return this.change('rollback', 'rollback', stored.config, stored.version, stored.id, context);
  }

  private running(): AppliedConfig {
    const running = this.applier.current;
    if (running === null) throw new WeirError('WEIR_ERR_NO_WORKERS', 'no config has been applied yet');
    return running;
  }

  /**
   * The one path of every change. Inside the apply queue (`precondition`), against the version
   * running at that moment: `If-Match` (412 when it moved), then the `admin` scope for a change
   * to the `admin` section (so a `write` token cannot grant itself more) or to the `pull` section
   * (the keys that decide which bundles this host trusts): both are in the controlDigest.
   */
  private async change(
    action: 'apply' | 'rollback',
    source: ConfigSource,
    config: unknown,
    version: string | undefined,
    historyId: string | null,
    context: ChangeContext,
  ): Promise<AdminReply> {
    const condition = EntityTagCondition.parse(context.ifMatch);
    let oldVersion: string | null = null;
    const precondition = (running: AppliedConfig | null): void => {
      oldVersion = running?.spec.version ?? null;
      if (condition !== null && !condition.matchesStrong(oldVersion)) {
        throw new WeirError(
          'WEIR_ERR_ADMIN_PRECONDITION_FAILED',
          `If-Match does not name the running version ${oldVersion === null ? '(none)' : versionTag(oldVersion)}`,
        );
      }
      if (!hasScope(context.principal.scopes, 'admin') && running !== null && adminSectionChanges(config, running)) {
        throw new WeirError(
          'WEIR_ERR_ADMIN_FORBIDDEN',
          'the config\'s "admin" or "pull" section differs from the running one (an omitted admin section counts as {}); changing them needs a token with the admin scope, so send the running sections unchanged (GET /admin/config)',
        );
      }
    };
    const base = { action, principal: context.principal.name, source, remoteAddress: context.remoteAddress };
    let outcome: ApplyOutcome;
    try {
      outcome = await this.applier.apply(config, source, {
        principal: context.principal.name,
        precondition,
        ...(version === undefined ? {} : { version }),
      });
    } catch (err) {
      const code = isWeirError(err) ? err.code : 'WEIR_ERR_INTERNAL';
      this.audit.record({ ...base, oldVersion, newVersion: version ?? null, outcome: 'rejected', code });
      throw err;
    }
    this.audit.record({ ...base, oldVersion, newVersion: outcome.version, outcome: outcome.changed ? 'applied' : 'unchanged' });
    const body: Record<string, unknown> = { changed: outcome.changed, version: outcome.version, hash: outcome.hash, previousVersion: oldVersion };
    if (historyId !== null) body['rolledBackTo'] = historyId;
    if (outcome.changed) {
      body['durationMs'] = outcome.durationMs;
      body['listeners'] = outcome.listeners;
    }
    return { status: 200, body, headers: { etag: versionTag(outcome.version) } };
  }
}

/** True when `config`'s `admin` or `pull` section differs in content from the running one's (controlDigest). */
function adminSectionChanges(config: unknown, running: AppliedConfig): boolean {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return false;
  return controlDigest(config as WeirConfig) !== running.spec.controlDigest;
}

function rollbackTarget(body: unknown): { readonly id?: string; readonly version?: string } {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const record = body as Readonly<Record<string, unknown>>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === 'id' && typeof record['id'] === 'string' && record['id'] !== '') return { id: record['id'] };
    if (keys.length === 1 && keys[0] === 'version' && typeof record['version'] === 'string' && record['version'] !== '') {
      return { version: record['version'] };
    }
  }
  throw new WeirError('WEIR_ERR_BAD_REQUEST', 'the rollback body must be {"id": "<history id>"} or {"version": "<version id>"}');
}

function versionBody(stored: StoredVersion, current: boolean): Record<string, unknown> {
  return {
    id: stored.id,
    version: stored.version,
    hash: stored.hash,
    source: stored.source,
    principal: stored.principal,
    committedAt: stored.committedAt,
    current,
    config: stored.config,
  };
}

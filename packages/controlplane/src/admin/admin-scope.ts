import type { AdminScopeConfig } from '@weir/config';

/**
 * A scope of an admin token (the config's `admin.tokens[].scopes`):
 *
 * - `read`: every GET, `POST /admin/config/validate` (a dry run changes nothing) and `/metrics`;
 * - `write`: apply a config and roll back;
 * - `rollout`: staged rollouts (a later issue);
 * - `admin`: everything, and the only scope that may change the config's `admin` section, so a
 *   `write` token cannot mint itself an `admin` token.
 */
export type AdminScope = AdminScopeConfig;

/** Every scope, in the order the docs list them. */
export const ADMIN_SCOPES: readonly AdminScope[] = ['read', 'write', 'rollout', 'admin'];

/** True when `granted` allows `needed`: it holds `needed` itself, or `admin` (which implies all). */
export function hasScope(granted: readonly AdminScope[], needed: AdminScope): boolean {
  for (let i = 0; i < granted.length; i++) {
    const scope = granted[i];
    if (scope === needed || scope === 'admin') return true;
  }
  return false;
}

/** Parse `read,write` (the `weir token --scopes` syntax); null when a name is not a scope or the list is empty. */
export function parseScopes(text: string): AdminScope[] | null {
  const out: AdminScope[] = [];
  for (const part of text.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    if (!(ADMIN_SCOPES as readonly string[]).includes(name)) return null;
    if (!out.includes(name as AdminScope)) out.push(name as AdminScope);
  }
  return out.length === 0 ? null : out;
}

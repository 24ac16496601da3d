import type { Api } from './api';
import type { Capabilities } from './types';

/** `GET /admin/token`: the presented token's name and scopes (never its hash). */
interface TokenInfo {
  readonly name: string;
  readonly scopes: readonly string[];
}

/** True when `scopes` allow `needed`: the scope itself, or `admin`, which implies every other. */
function allows(scopes: readonly string[], needed: string): boolean {
  return scopes.includes(needed) || scopes.includes('admin');
}

/**
 * What the token may do beyond reading, from `GET /admin/token` (any valid token may ask; it
 * answers with the scopes as configured). Buttons appear only for `write` (rollback) and
 * `rollout` (promote, pause, resume, abort); the API still decides every real action. An
 * answer that is not the token's description (a failure, or a 404 from a primary without the
 * endpoint) leaves the console read-only: it never shows a button it cannot justify.
 */
export async function readCapabilities(api: Api): Promise<Capabilities> {
  try {
    const answer = await api.get<TokenInfo>('/admin/token', { accept: [404] });
    const scopes = answer.status === 200 && Array.isArray(answer.body?.scopes) ? answer.body.scopes : [];
    return { name: answer.status === 200 ? (answer.body?.name ?? null) : null, write: allows(scopes, 'write'), rollout: allows(scopes, 'rollout') };
  } catch {
    return { name: null, write: false, rollout: false };
  }
}

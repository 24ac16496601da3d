import type { Api } from './api';
import type { Capabilities } from './types';

/**
 * What the token may do beyond reading. The admin API has no endpoint that lists a token's
 * scopes, so the console asks the API itself with calls that cannot change anything: a POST
 * with a `text/plain` body to `/admin/config/rollback` (needs `write`) and `/admin/rollouts`
 * (needs `rollout`). The API checks the scope before the content type, so a token with the
 * scope gets 415 (nothing is read, nothing applied, nothing audited) and one without gets 403.
 * Buttons appear only for a 415; the API still decides every real action.
 */
async function allows(api: Api, path: string): Promise<boolean> {
  try {
    const answer = await api.call('POST', path, { raw: { contentType: 'text/plain', text: '' }, accept: [403, 415] });
    return answer.status === 415;
  } catch {
    return false;
  }
}

export async function probeCapabilities(api: Api): Promise<Capabilities> {
  const [write, rollout] = await Promise.all([allows(api, '/admin/config/rollback'), allows(api, '/admin/rollouts')]);
  return { write, rollout };
}

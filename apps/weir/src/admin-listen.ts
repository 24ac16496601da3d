import { isIP } from 'node:net';
import type { AdminConfig } from '@weir/config';
import { configDefaults } from '@weir/runtime';

/** Where the admin API listens, or `null`: not at all. */
export type AdminListen = { readonly address: string; readonly port: number } | null;

/** Result of {@link resolveAdminListen}: the address, or a one-line error about `WEIR_ADMIN_LISTEN`. */
export type AdminListenResult = { readonly ok: true; readonly listen: AdminListen } | { readonly ok: false; readonly error: string };

/**
 * The admin API's listen address at start-up. `WEIR_ADMIN_LISTEN` wins over the config: `off`
 * (no admin API), `ADDRESS:PORT` or `[IPV6]:PORT` (port 0-65535, 0 = any free port). Meant for
 * a systemd drop-in or a container, and for tests, which run many daemons side by side.
 * Otherwise the config's `admin.enabled` and `admin.listen`, with their defaults
 * (`127.0.0.1:9901`).
 */
export function resolveAdminListen(admin: AdminConfig | undefined, env: NodeJS.ProcessEnv): AdminListenResult {
  const forced = env['WEIR_ADMIN_LISTEN'];
  if (forced !== undefined && forced !== '') {
    if (forced === 'off') return { ok: true, listen: null };
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(forced);
    const address = match === null ? '' : (match[1] ?? match[2] ?? '');
    const port = match === null ? Number.NaN : Number(match[3]);
    if (isIP(address) === 0 || !(port >= 0 && port <= 65535)) {
      return { ok: false, error: `WEIR_ADMIN_LISTEN must be "off", ADDRESS:PORT or [IPV6]:PORT, got "${forced}"` };
    }
    return { ok: true, listen: { address, port } };
  }
  if ((admin?.enabled ?? configDefaults.admin.enabled) === false) return { ok: true, listen: null };
  return {
    ok: true,
    listen: { address: admin?.listen?.address ?? configDefaults.adminListen.address, port: admin?.listen?.port ?? configDefaults.adminListen.port },
  };
}

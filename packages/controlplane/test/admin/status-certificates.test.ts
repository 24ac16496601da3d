import type { Spec } from '@weir/runtime';
import { certificateRows } from '../../src/admin/status-certificates';

/** certificateRows: the running spec's certificates with their expiry, soonest first, and the listeners serving each. */

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const DAY = 86_400_000;

function spec(): Spec {
  const cert = (name: string, serverNames: string[], notAfter: number) => ({ name, certPem: '', keyPem: '', serverNames, notAfter });
  const listener = (name: string, certificates: string[] | null) => ({ name, tls: certificates === null ? null : { certificates } });
  return {
    certificates: [cert('www', ['www.example.com'], NOW + 80 * DAY), cert('old', ['old.example.com'], NOW - 1500), cert('api', ['api.example.com', '*.api.example.com'], NOW + 9 * DAY + 500)],
    listeners: [listener('plain', null), listener('https', ['www', 'api']), listener('admin-tls', ['api'])],
  } as unknown as Spec;
}

describe('certificateRows', () => {
  it('lists every certificate soonest first, with notAfter, whole seconds left and its listeners', () => {
    expect(certificateRows(spec(), NOW)).toEqual([
      { name: 'old', serverNames: ['old.example.com'], notAfter: new Date(NOW - 1500).toISOString(), expiresInSeconds: -2, listeners: [] },
      { name: 'api', serverNames: ['api.example.com', '*.api.example.com'], notAfter: new Date(NOW + 9 * DAY + 500).toISOString(), expiresInSeconds: 9 * 86_400, listeners: ['https', 'admin-tls'] },
      { name: 'www', serverNames: ['www.example.com'], notAfter: new Date(NOW + 80 * DAY).toISOString(), expiresInSeconds: 80 * 86_400, listeners: ['https'] },
    ]);
  });

  it('is empty without certificates', () => {
    expect(certificateRows({ certificates: [], listeners: [] } as unknown as Spec, NOW)).toEqual([]);
  });
});

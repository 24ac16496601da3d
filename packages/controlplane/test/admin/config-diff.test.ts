import type { WeirConfig } from '@weir/config';
import { diffConfigs } from '../../src/admin/index';

function base(): WeirConfig {
  return {
    workers: 2,
    logging: { level: 'info' },
    listeners: [{ name: 'main', port: 8080 }],
    routes: [
      { name: 'a', match: { path: { prefix: '/a' } }, upstream: 'up' },
      { name: 'b', upstream: 'up' },
    ],
    upstreams: [{ name: 'up', endpoints: [{ address: '127.0.0.1:9000' }] }],
  };
}

describe('diffConfigs', () => {
  it('finds no change between equivalent configs, whatever the key order', () => {
    const reordered = JSON.parse('{"upstreams":[{"endpoints":[{"address":"127.0.0.1:9000"}],"name":"up"}],"routes":[{"upstream":"up","name":"a","match":{"path":{"prefix":"/a"}}},{"name":"b","upstream":"up"}],"listeners":[{"port":8080,"name":"main"}],"logging":{"level":"info"},"workers":2,"x-note":"ignored"}') as WeirConfig;
    const diff = diffConfigs(base(), reordered);
    expect(diff.changed).toBe(false);
    expect(diff.summary).toEqual([]);
  });

  it('reports added, removed and changed items with the fields that differ, and settings', () => {
    const next: WeirConfig = {
      ...base(),
      workers: 4,
      logging: { level: 'debug', accessLog: { enabled: true } },
      server: { drainTimeoutMs: 1000 },
      listeners: [{ name: 'main', port: 8081 }, { name: 'admin', port: 8082 }],
      routes: [{ name: 'a', match: { path: { prefix: '/x' } }, upstream: 'new' }],
      upstreams: [{ name: 'new', endpoints: [{ address: '127.0.0.1:9001' }] }],
    };
    const diff = diffConfigs(base(), next);
    expect(diff.listeners).toEqual({ added: ['admin'], removed: [], changed: [{ name: 'main', fields: ['port'] }] });
    expect(diff.routes).toEqual({ added: [], removed: ['b'], changed: [{ name: 'a', fields: ['match', 'upstream'] }], reordered: false });
    expect(diff.upstreams).toEqual({ added: ['new'], removed: ['up'], changed: [] });
    expect(diff.settings).toEqual({
      added: ['logging.accessLog', 'server'],
      removed: [],
      changed: [
        { name: 'workers', fields: [] },
        { name: 'logging.level', fields: [] },
      ],
    });
    expect(diff.summary).toEqual([
      '+ listener "admin"',
      '~ listener "main": port',
      '- route "b"',
      '~ route "a": match, upstream',
      '+ upstream "new"',
      '- upstream "up"',
      '+ setting logging.accessLog',
      '+ setting server',
      '~ setting workers',
      '~ setting logging.level',
    ]);
  });

  it('notices a change of route order (first match wins)', () => {
    const swapped = { ...base(), routes: [...base().routes].reverse() };
    const diff = diffConfigs(base(), swapped);
    expect(diff.routes.reordered).toBe(true);
    expect(diff.summary).toEqual(['~ routes reordered']);
    const appended = { ...base(), routes: [{ name: 'first', upstream: 'up' }, ...base().routes] };
    expect(diffConfigs(base(), appended).routes.reordered).toBe(false);
  });

  it('treats everything as added when nothing runs, and shows admin changes by key', () => {
    expect(diffConfigs(null, base()).summary).toEqual(['+ listener "main"', '+ route "a"', '+ route "b"', '+ upstream "up"', '+ setting workers', '+ setting logging']);
    const withAdmin = { ...base(), admin: { maxBodyBytes: 2048 } };
    expect(diffConfigs(base(), withAdmin).settings.added).toEqual(['admin']);
    expect(diffConfigs(withAdmin, { ...base(), admin: { maxBodyBytes: 4096, allowedHosts: ['x'] } }).settings).toEqual({
      added: ['admin.allowedHosts'],
      removed: [],
      changed: [{ name: 'admin.maxBodyBytes', fields: [] }],
    });
  });
});

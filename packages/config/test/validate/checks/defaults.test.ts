import { configDefaults } from '../../../src/validate/checks/defaults';
import { schemaFields } from '../../fixtures/schema-walk';

describe('configDefaults', () => {
  it('agrees with the schema defaults', () => {
    const defaults = new Map(schemaFields().map((field) => [field.path, field.schema['default']]));
    expect(configDefaults.listenerAddress).toBe(defaults.get('listeners[].address'));
    expect(configDefaults.headersTimeoutMs).toBe(defaults.get('listeners[].limits.headersTimeoutMs'));
    expect(configDefaults.adminAddress).toBe(defaults.get('admin.listen.address'));
    expect(configDefaults.adminPort).toBe(defaults.get('admin.listen.port'));
    expect(configDefaults.pullIntervalMs).toBe(defaults.get('pull.intervalMs'));
    expect(configDefaults.pullMaxBackoffMs).toBe(defaults.get('pull.maxBackoffMs'));
    expect(configDefaults.regexMaxProgramSize).toBe(defaults.get('server.regexMaxProgramSize'));
    expect(configDefaults.tlsMinVersion).toBe(defaults.get('listeners[].tls.minVersion'));
    expect(configDefaults.tlsMaxVersion).toBe(defaults.get('listeners[].tls.maxVersion'));
    expect(configDefaults.tlsAlpn).toEqual(defaults.get('listeners[].tls.alpn'));
    expect(configDefaults.listenerProtocol).toBe(defaults.get('listeners[].protocol'));
    expect(configDefaults.cacheMaxBytes).toBe(defaults.get('routes[].cache.maxBytes'));
    expect(configDefaults.cacheMaxObjectBytes).toBe(defaults.get('routes[].cache.maxObjectBytes'));
  });
});

import { CONTINUE } from '../../src/index';
import { IpFilterPlugin } from '../../src/builtins/index';
import { TestRequest } from '../support/test-request';

const outcome = (plugin: IpFilterPlugin, clientAddress: string): unknown => plugin.onRequest(new TestRequest({ clientAddress }));
const FORBIDDEN = { status: 403, headers: [], body: '', code: 'WEIR_ERR_FORBIDDEN' };

describe('ipFilter', () => {
  it('with allow, admits only listed ranges (IPv4, IPv6, IPv4-mapped)', () => {
    const plugin = new IpFilterPlugin({ type: 'ipFilter', allow: ['10.0.0.0/8', '2001:db8::/32'], deny: [] });
    expect(outcome(plugin, '10.1.2.3')).toBe(CONTINUE);
    expect(outcome(plugin, '::ffff:10.1.2.3')).toBe(CONTINUE);
    expect(outcome(plugin, '2001:db8::1')).toBe(CONTINUE);
    expect(outcome(plugin, '192.0.2.1')).toEqual(FORBIDDEN);
    expect(outcome(plugin, '2001:db9::1')).toEqual(FORBIDDEN);
    expect(outcome(plugin, '')).toEqual(FORBIDDEN);
  });

  it('with deny only, refuses listed ranges and admits the rest', () => {
    const plugin = new IpFilterPlugin({ type: 'ipFilter', allow: [], deny: ['192.0.2.0/24', '::1'] });
    expect(outcome(plugin, '192.0.2.9')).toEqual(FORBIDDEN);
    expect(outcome(plugin, '::1')).toEqual(FORBIDDEN);
    expect(outcome(plugin, '198.51.100.1')).toBe(CONTINUE);
  });

  it('deny wins over allow', () => {
    const plugin = new IpFilterPlugin({ type: 'ipFilter', allow: ['10.0.0.0/8'], deny: ['10.9.0.0/16'] });
    expect(outcome(plugin, '10.1.0.1')).toBe(CONTINUE);
    expect(outcome(plugin, '10.9.0.1')).toEqual(FORBIDDEN);
  });

  it('shares one frozen reply between refusals', () => {
    const plugin = new IpFilterPlugin({ type: 'ipFilter', allow: [], deny: ['0.0.0.0/0'] });
    const a = outcome(plugin, '1.2.3.4');
    expect(outcome(plugin, '5.6.7.8')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});

import { HostGuard } from '../../src/admin/index';

describe('HostGuard', () => {
  it('accepts loopback names and the listen address whatever the port, and nothing else', () => {
    const guard = new HostGuard('127.0.0.1', []);
    for (const host of ['127.0.0.1:9901', 'localhost', 'LOCALHOST:1', '[::1]:9901', '[0:0::1]', 'localhost.']) expect(guard.allows(host, '127.0.0.1')).toBe(true);
    for (const host of ['evil.example', 'evil.example:9901', '127.0.0.2', 'localhost.evil.example', '', '[::2]']) expect(guard.allows(host, '127.0.0.1')).toBe(false);
    expect(guard.allows(undefined, '127.0.0.1')).toBe(false);
  });

  it('accepts allowedHosts case-insensitively, and IPv6 listen addresses in brackets', () => {
    const guard = new HostGuard('fd00::0:1', ['Admin.Example.com', '[FD00::2]']);
    expect(guard.allows('admin.example.com:443', undefined)).toBe(true);
    expect(guard.allows('[fd00::1]:9901', undefined)).toBe(true);
    expect(guard.allows('[fd00::2]', undefined)).toBe(true);
    expect(guard.allows('fd00::1', undefined)).toBe(false);
  });

  it('on a wildcard listen address, accepts the address the connection arrived on', () => {
    const guard = new HostGuard('0.0.0.0', []);
    expect(guard.allows('10.1.2.3:9901', '10.1.2.3')).toBe(true);
    expect(guard.allows('10.1.2.3:9901', '::ffff:10.1.2.3')).toBe(true);
    expect(guard.allows('10.1.2.4', '10.1.2.3')).toBe(false);
    expect(new HostGuard('::', []).allows('[fd00::5]', 'fd00::5')).toBe(true);
    expect(new HostGuard('127.0.0.1', []).allows('10.1.2.3', '10.1.2.3')).toBe(false);
  });
});

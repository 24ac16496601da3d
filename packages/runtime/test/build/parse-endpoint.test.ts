import { parseEndpoint } from '@weir/runtime';

describe('parseEndpoint', () => {
  it.each([
    ['127.0.0.1:80', '127.0.0.1', 80],
    ['localhost:65535', 'localhost', 65535],
    ['Example.COM:8080', 'example.com', 8080],
    ['[::1]:9000', '::1', 9000],
    ['[FE80::1%Eth0]:1', 'fe80::1%Eth0', 1],
  ])('parses %s', (address, host, port) => {
    expect(parseEndpoint(address)).toEqual({ host, port });
  });

  it.each(['127.0.0.1', '::1:80', '[::1]80', '[::1', ':80', 'host:', 'host:0', 'host:65536', 'host:8o', 'host:123456', '[]:80'])(
    'rejects %s',
    (address) => {
      expect(parseEndpoint(address)).toBeNull();
    },
  );
});

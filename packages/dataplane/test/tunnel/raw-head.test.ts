import { asksForWebSocket, findUpgrade, rawResponseHead } from '../../src/tunnel/index';

describe('tunnel request and response heads', () => {
  it('finds the Upgrade value in a raw header list, whatever its case', () => {
    expect.assertions(2);
    expect(findUpgrade(['Host', 'a', 'UPGRADE', 'WebSocket'])).toBe('WebSocket');
    expect(findUpgrade(['Host', 'a', 'Connection', 'upgrade'])).toBeNull();
  });

  it('recognises websocket among the offered protocols, case-insensitively', () => {
    expect.assertions(5);
    expect(asksForWebSocket('websocket')).toBe(true);
    expect(asksForWebSocket('WebSocket')).toBe(true);
    expect(asksForWebSocket('h2c, websocket')).toBe(true);
    expect(asksForWebSocket('h2c')).toBe(false);
    expect(asksForWebSocket('websockets')).toBe(false);
  });

  it('writes a status line, both header lists and the blank line', () => {
    expect.assertions(1);
    const head = rawResponseHead(101, ['sec-websocket-accept', 'abc', 'via', '1.1 weir'], ['connection', 'upgrade']);
    expect(head.toString('latin1')).toBe(
      'HTTP/1.1 101 Switching Protocols\r\nsec-websocket-accept: abc\r\nvia: 1.1 weir\r\nconnection: upgrade\r\n\r\n',
    );
  });
});

import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { parseJsonBody, readBodyText } from '../../src/admin/index';

/** Just enough of an IncomingMessage: a stream with headers and `complete`. */
function fakeRequest(headers: Record<string, string> = {}): PassThrough & { headers: Record<string, string>; complete: boolean } {
  return Object.assign(new PassThrough(), { headers, complete: false });
}

describe('request bodies', () => {
  it('reads a body up to the cap', async () => {
    expect.assertions(1);
    const req = fakeRequest();
    const text = readBodyText(req as unknown as IncomingMessage, 5);
    req.end('héllo'.slice(0, 4));
    await expect(text).resolves.toBe('héll');
  });

  it('refuses past the cap while streaming, and a declared length over it at once', async () => {
    expect.assertions(2);
    const req = fakeRequest();
    const text = readBodyText(req as unknown as IncomingMessage, 4);
    req.write('abc');
    req.write('de');
    await expect(text).rejects.toMatchObject({ code: 'WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE' });
    await expect(readBodyText(fakeRequest({ 'content-length': '5' }) as unknown as IncomingMessage, 4)).rejects.toMatchObject({ code: 'WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE' });
  });

  it('reports a client that goes away mid-body', async () => {
    expect.assertions(2);
    const broken = fakeRequest();
    const a = readBodyText(broken as unknown as IncomingMessage, 100);
    broken.destroy(new Error('reset'));
    await expect(a).rejects.toMatchObject({ code: 'WEIR_ERR_CLIENT_ABORTED' });
    const closed = fakeRequest();
    const b = readBodyText(closed as unknown as IncomingMessage, 100);
    closed.emit('close');
    await expect(b).rejects.toMatchObject({ code: 'WEIR_ERR_CLIENT_ABORTED' });
  });

  it('parses JSON, config parse errors as WEIR_ERR_CONFIG_PARSE, others as bad requests', () => {
    expect(parseJsonBody('\ufeff{"a":1}', 'request')).toEqual({ a: 1 });
    expect(() => parseJsonBody('{"a":', 'request')).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BAD_REQUEST' }));
    expect(() => parseJsonBody('{\n "a": x}', 'config')).toThrow(expect.objectContaining({ code: 'WEIR_ERR_CONFIG_PARSE' }));
  });
});

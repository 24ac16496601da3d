import { Readable } from 'node:stream';
import { BodyLimit } from '../../src/limits/index';
import { declaredBodyLength } from '../../src/proxy/route-guard';

async function drain(stream: Readable): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += (chunk as Buffer).length;
  return n;
}

describe('BodyLimit', () => {
  it('passes a body up to the limit through unchanged', async () => {
    const body = Readable.from([Buffer.alloc(60), Buffer.alloc(40)]);
    expect(await drain(body.pipe(new BodyLimit(100)))).toBe(100);
  });

  it('fails the stream with WEIR_ERR_BODY_TOO_LARGE once the body passes the limit', async () => {
    const body = Readable.from([Buffer.alloc(60), Buffer.alloc(41)]);
    await expect(drain(body.pipe(new BodyLimit(100)))).rejects.toMatchObject({ code: 'WEIR_ERR_BODY_TOO_LARGE' });
  });
});

describe('declaredBodyLength', () => {
  it('is the Content-Length when it is the only framing, else -1', () => {
    expect(declaredBodyLength(['Host', 'a', 'Content-Length', '12'])).toBe(12);
    expect(declaredBodyLength(['content-length', '0'])).toBe(0);
    expect(declaredBodyLength(['Transfer-Encoding', 'chunked'])).toBe(-1);
    expect(declaredBodyLength(['Host', 'a'])).toBe(-1);
    expect(declaredBodyLength(['Content-Length', 'x'])).toBe(-1);
  });
});

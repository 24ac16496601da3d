import { createHash } from 'node:crypto';
import { decodeVersionFile, encodeVersionFile, type VersionMeta } from '../../src/state/index';

const meta: VersionMeta = {
  id: '17',
  version: 'v-0123456789ab',
  hash: 'ab'.repeat(32),
  source: 'admin',
  principal: 'ci',
  committedAt: '2025-01-02T03:04:05.000Z',
  file: { path: '/etc/weir/config.json', hash: 'cd'.repeat(32) },
};
const configText = JSON.stringify({ listeners: [{ name: 'main', port: 8080 }], routes: [], 'x-note': 'line\nbreak é' });

describe('version files', () => {
  it('round-trips meta and config, as three lines', () => {
    const text = encodeVersionFile(meta, configText);
    expect(text.split('\n')).toHaveLength(4);
    expect(decodeVersionFile(Buffer.from(text))).toEqual({ ok: true, meta, configText });
  });

  it('reports every truncation as truncated or a checksum mismatch, never as intact', () => {
    const bytes = Buffer.from(encodeVersionFile(meta, configText));
    const faults = new Set<string>();
    for (let length = 0; length < bytes.length; length++) {
      const decoded = decodeVersionFile(bytes.subarray(0, length));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) faults.add(decoded.fault);
    }
    expect([...faults]).toEqual(['truncated']);
  });

  it('detects any changed byte', () => {
    const bytes = Buffer.from(encodeVersionFile(meta, configText));
    for (let i = 0; i < bytes.length; i += 7) {
      const copy = Buffer.from(bytes);
      copy[i] = (copy[i] as number) ^ 0x01;
      expect(decodeVersionFile(copy).ok).toBe(false);
    }
  });

  it('rejects an intact file with a meta line it does not understand', () => {
    const reseal = (metaLine: string): Buffer => {
      const head = `${metaLine}\n${configText}\n`;
      return Buffer.from(head + createHash('sha256').update(head).digest('hex') + '\n');
    };
    const good = JSON.stringify({ format: 'weir-state-version/1', ...meta });
    expect(decodeVersionFile(reseal(good))).toMatchObject({ ok: true });
    expect(decodeVersionFile(reseal(good.replace('/1"', '/9"')))).toMatchObject({ ok: false, fault: 'malformed' });
    expect(decodeVersionFile(reseal(good.replace('"admin"', '"carrier-pigeon"')))).toMatchObject({ ok: false, fault: 'malformed' });
    expect(decodeVersionFile(reseal(good.replace('"17"', '"017"')))).toMatchObject({ ok: false, fault: 'malformed' });
    expect(decodeVersionFile(reseal('[1,2]'))).toMatchObject({ ok: false, fault: 'malformed' });
  });
});

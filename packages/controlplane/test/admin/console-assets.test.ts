import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONSOLE_CSP, ConsoleAssets } from '../../src/admin/console-assets';

/** The console's static files (issue 17): a fixed map, strict headers on every answer, 503 when not built. */
describe('ConsoleAssets', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-console-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
    fs.writeFileSync(path.join(dir, 'console.js'), 'void 0;');
    fs.writeFileSync(path.join(dir, 'console.css'), 'body{}');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'no');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const strict = { 'content-security-policy': CONSOLE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-cache' };

  it('serves the page and its two assets with their content types and the strict headers', () => {
    const assets = new ConsoleAssets(dir);
    expect(assets.missing).toBeNull();
    const cases: [string, string, string][] = [
      ['/ui/', 'text/html; charset=utf-8', '<!doctype html><title>x</title>'],
      ['/ui/console.js', 'text/javascript; charset=utf-8', 'void 0;'],
      ['/ui/console.css', 'text/css; charset=utf-8', 'body{}'],
    ];
    for (const [p, type, text] of cases) {
      const reply = assets.serve('GET', p, true);
      expect(reply).toMatchObject({ status: 200, raw: { contentType: type, text }, headers: strict });
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
  });

  it('serves nothing outside its fixed map, whatever the path says', () => {
    const assets = new ConsoleAssets(dir);
    for (const p of ['/ui/secret.txt', '/ui/../package.json', '/ui/%2e%2e/x', '/ui/index.html/', '/ui/console.js/..', '/ui/__proto__', '/ui/constructor', '/ui//console.js']) {
      const reply = assets.serve('GET', p, true);
      expect([p, reply.status]).toEqual([p, 404]);
      expect(reply.headers).toMatchObject(strict);
    }
  });

  it('redirects /ui to /ui/, refuses other methods, and answers 404 when turned off', () => {
    const assets = new ConsoleAssets(dir);
    expect(assets.serve('GET', '/ui', true)).toMatchObject({ status: 308, headers: { ...strict, location: '/ui/' } });
    expect(assets.serve('POST', '/ui/', true)).toMatchObject({ status: 405, headers: { ...strict, allow: 'GET' } });
    expect(assets.serve('GET', '/ui/', false)).toMatchObject({ status: 404, headers: strict, body: { error: { code: 'WEIR_ERR_ADMIN_NOT_FOUND' } } });
  });

  it('answers 503 with a clear message when the bundle is missing', () => {
    const assets = new ConsoleAssets(path.join(dir, 'nowhere'));
    expect(assets.missing).toMatch(/not built/);
    const reply = assets.serve('GET', '/ui/', true);
    expect(reply).toMatchObject({ status: 503, headers: strict });
    expect(reply.raw?.text).toMatch(/console unavailable: the console is not built .*npm run build/);
  });

  it('owns /ui and paths below /ui/ only', () => {
    expect(['/ui', '/ui/', '/ui/x'].map(ConsoleAssets.owns)).toEqual([true, true, true]);
    expect(['/uix', '/admin/ui', '/', '/UI/'].map(ConsoleAssets.owns)).toEqual([false, false, false, false]);
  });

  it('finds the built console through the installed package by default', () => {
    const assets = new ConsoleAssets();
    // Built by `npm run build` (apps/console/dist); either way the answer is 200 or a clear 503.
    expect([200, 503]).toContain(assets.serve('GET', '/ui/', true).status);
  });
});

import * as http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { randomBytes, scryptSync } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import type { WeirConfig } from '@weir/config';
import { send, parseErrorBody } from './harness/client';
import { adminCall, testToken } from './harness/admin-client';
import { headerValues, rawRequest } from './harness/raw-http';
import { proxyConfig, upstream } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { TestUpstream, type SeenRequest } from './harness/upstreams';

/**
 * Request plugins through the built daemon (issue 9): basic auth with a scrypt hash, JWT with
 * keys the primary fetches from a JWKS URL, CORS preflights answered by Weir, IP filtering on
 * the client address resolved behind trusted proxies, path rewriting, request ids.
 */
const daemons = daemonPerTest();
const reader = testToken('reader', ['read']);

/** A PHC scrypt string for `password` (cheap parameters: tests only). */
function scryptHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');
  return `$scrypt$ln=10,r=8,p=1$${b64(salt)}$${b64(hash)}`;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function lastSeen(origin: TestUpstream): SeenRequest {
  return origin.requests[origin.requests.length - 1] as SeenRequest;
}

describe('plugins through the daemon', () => {
  let origin: TestUpstream;

  beforeAll(async () => {
    origin = await TestUpstream.start('origin');
  });
  afterAll(async () => {
    await origin.close();
  });

  const config = (routes: WeirConfig['routes'], extra: Partial<WeirConfig> = {}): WeirConfig => ({
    ...proxyConfig({ workers: 1, routes, upstreams: [upstream('origin', origin.address)] }),
    ...extra,
  });

  test('basic auth: 401 with WWW-Authenticate without or with wrong credentials, 200 with the right ones', async () => {
    const daemon = await daemons.start(
      config([
        {
          name: 'private',
          upstream: 'origin',
          plugins: [
            { type: 'requestId' },
            { type: 'basicAuth', realm: 'staff', users: [{ name: 'demo', passwordHash: scryptHash('demo') }], userHeader: 'x-user' },
          ],
        },
      ]),
    );
    const before = origin.hits;
    const none = await send(daemon.port, { path: '/private/x' });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic realm="staff"/);
    expect(parseErrorBody(none).error.code).toBe('WEIR_ERR_UNAUTHORIZED');
    expect(none.headers['x-request-id']).toBeDefined();
    const wrong = await send(daemon.port, { path: '/private/x', headers: { authorization: basic('demo', 'nope') } });
    expect(wrong.status).toBe(401);
    expect(origin.hits).toBe(before);
    const right = await send(daemon.port, { path: '/private/x', headers: { authorization: basic('demo', 'demo'), 'x-request-id': 'abc-123' } });
    expect(right.status).toBe(200);
    expect(right.headers['x-request-id']).toBe('abc-123');
    const seen = lastSeen(origin);
    expect(seen.headers['x-user']).toBe('demo');
    expect(seen.headers['x-request-id']).toBe('abc-123');
    // Asking for a WebSocket does not skip the plugins.
    const upgrade = await rawRequest(daemon.port, [
      'GET /private/ws HTTP/1.1',
      'Host: test',
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ]);
    expect(upgrade.status).toBe(401);
    expect(headerValues(upgrade, 'www-authenticate')[0]).toMatch(/^Basic realm="staff"/);
    expect(origin.hits).toBe(before + 1);
  });

  test('JWT: keys fetched by the primary from a JWKS URL; missing, forged and expired tokens get 401', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwksServer = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    jwksServer.listen(0, '127.0.0.1');
    await once(jwksServer, 'listening');
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
    try {
      const daemon = await daemons.start(
        config([
          {
            name: 'api',
            upstream: 'origin',
            plugins: [{ type: 'jwt', jwksUrl, issuers: ['https://issuer.test'], audiences: ['weir'], forwardClaims: [{ claim: 'sub', header: 'x-sub' }] }],
          },
        ], { admin: { tokens: [reader.entry] } }),
      );
      const token = (key: KeyLike, exp: string | number = '5m'): Promise<string> =>
        new SignJWT({ scope: 'read' })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer('https://issuer.test')
          .setAudience('weir')
          .setSubject('user-7')
          .setIssuedAt()
          .setExpirationTime(exp)
          .sign(key);
      const good = await token(privateKey);
      // The primary fetches the key set after the commit: wait for it to reach the worker.
      let answer = await send(daemon.port, { path: '/api', headers: { authorization: `Bearer ${good}` } });
      for (let i = 0; i < 200 && answer.status === 401; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        answer = await send(daemon.port, { path: '/api', headers: { authorization: `Bearer ${good}` } });
      }
      expect(answer.status).toBe(200);
      expect(lastSeen(origin).headers['x-sub']).toBe('user-7');
      // The primary's fetch state is on the status page.
      const status = await adminCall(daemon, 'GET', '/admin/status', { token: reader.token });
      expect((status.json as { jwks: unknown[] }).jwks).toEqual([
        { url: jwksUrl, keys: 1, fetchedAt: expect.any(String), lastError: null, consecutiveFailures: 0 },
      ]);

      const missing = await send(daemon.port, { path: '/api' });
      expect(missing.status).toBe(401);
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
      const other = await generateKeyPair('RS256');
      const forged = await send(daemon.port, { path: '/api', headers: { authorization: `Bearer ${await token(other.privateKey)}` } });
      expect(forged.status).toBe(401);
      expect(forged.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      const expired = await send(daemon.port, { path: '/api', headers: { authorization: `Bearer ${await token(privateKey, Math.floor(Date.now() / 1000) - 3600)}` } });
      expect(expired.status).toBe(401);
    } finally {
      jwksServer.close();
    }
  }, 60_000);

  test('CORS: Weir answers the preflight; an allowed origin gets the headers on the real response', async () => {
    const daemon = await daemons.start(
      config([{ name: 'api', upstream: 'origin', plugins: [{ type: 'cors', allowOrigins: ['https://app.test'], allowMethods: ['GET', 'PUT'], allowHeaders: ['x-token'] }] }]),
    );
    const before = origin.hits;
    const preflight = await send(daemon.port, {
      method: 'OPTIONS',
      path: '/things',
      headers: { origin: 'https://app.test', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-token' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.test');
    expect(preflight.headers['access-control-allow-methods']).toContain('PUT');
    expect(origin.hits).toBe(before);
    const actual = await send(daemon.port, { path: '/things', headers: { origin: 'https://app.test' } });
    expect(actual.status).toBe(200);
    expect(actual.headers['access-control-allow-origin']).toBe('https://app.test');
    expect(String(actual.headers['vary'])).toMatch(/origin/i);
  });

  test('ipFilter keys on the client address resolved behind trusted proxies; rewrite changes the forwarded path', async () => {
    const daemon = await daemons.start(
      config(
        [
          {
            name: 'internal',
            match: { path: { prefix: '/internal/' } },
            upstream: 'origin',
            plugins: [{ type: 'ipFilter', deny: ['203.0.113.0/24'] }, { type: 'rewrite', stripPrefix: '/internal' }],
          },
        ],
        { clientAddress: { trustedProxies: ['127.0.0.1/32'] } },
      ),
    );
    const denied = await send(daemon.port, { path: '/internal/a', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(denied.status).toBe(403);
    expect(denied.headers['x-weir-error']).toBe('WEIR_ERR_FORBIDDEN');
    const allowed = await send(daemon.port, { path: '/internal/a?q=1', headers: { 'x-forwarded-for': '198.51.100.4' } });
    expect(allowed.status).toBe(200);
    expect(lastSeen(origin).url).toBe('/a?q=1');
  });
});

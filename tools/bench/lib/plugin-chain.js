'use strict';

const crypto = require('node:crypto');

/**
 * The plugin chain of the `weir-plugins` target (`--plugins`, issue 9's overhead figure) and
 * the request headers that satisfy it. Five plugins on the catch-all route, in this order:
 * `requestHeaders` (set one header), `requestId`, `cors` (one allowed origin), `ipFilter`
 * (allow 127.0.0.0/8: wrk connects from 127.0.0.1) and `jwt` with one inline RS256 public key.
 *
 * The key pair is made per run and ONE token is signed with node:crypto (test tooling: the
 * bench never depends on a JOSE library). With `--plugins` every target gets the same
 * `Authorization` and `Origin` headers, so the cells stay comparable; nginx and the upstream
 * ignore them.
 */

const ORIGIN = 'https://app.bench.test';
const ISSUER = 'https://issuer.bench.test';
const AUDIENCE = 'weir-bench';
const KID = 'bench-1';

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * @typedef {object} PluginChain
 * @property {object[]} plugins               the route's `plugins` config
 * @property {Record<string, string>} headers  request headers every wrk/h2load request sends
 *                                             (lower-case names)
 * @property {string} token                   the signed JWT
 */

/**
 * A fresh RSA 2048 key pair, its public half as a JWK, and one RS256 token that expires in a
 * year, with `iss` and `aud` that the jwt plugin is configured to require.
 * @returns {PluginChain}
 */
function makePluginChain() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: KID };
  const payload = { iss: ISSUER, aud: AUDIENCE, sub: 'bench', iat: now, exp: now + 365 * 24 * 3600 };
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  const signature = crypto.sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url');
  const token = `${signingInput}.${signature}`;
  const plugins = [
    { type: 'requestHeaders', set: { 'x-bench': 'plugins' } },
    { type: 'requestId' },
    { type: 'cors', allowOrigins: [ORIGIN] },
    { type: 'ipFilter', allow: ['127.0.0.0/8'] },
    { type: 'jwt', jwks: { keys: [jwk] }, algorithms: ['RS256'], issuers: [ISSUER], audiences: [AUDIENCE] },
  ];
  return { plugins, headers: { authorization: `Bearer ${token}`, origin: ORIGIN }, token };
}

/**
 * Checks that the chain really runs on a target (a fast answer from a route whose plugins did
 * nothing would look like zero overhead): an answer with the headers carries the CORS and
 * request-id headers, and the same request without `Authorization` gets 401. Returns null when
 * both hold, else what is wrong.
 * @param {{ status: number, headers: import('node:http').IncomingHttpHeaders }} withToken
 * @param {{ status: number }} withoutToken
 * @returns {string|null}
 */
function checkPluginAnswers(withToken, withoutToken) {
  if (withToken.headers['access-control-allow-origin'] !== ORIGIN) {
    return `no access-control-allow-origin: ${ORIGIN} in the answer (cors plugin not applied)`;
  }
  if (typeof withToken.headers['x-request-id'] !== 'string') return 'no x-request-id in the answer (requestId plugin not applied)';
  if (withoutToken.status !== 401) return `a request without a token got ${withoutToken.status}, expected 401 (jwt plugin not applied)`;
  return null;
}

module.exports = { makePluginChain, checkPluginAnswers, ORIGIN };

import type * as http from 'node:http';
import { RequestAuthenticator, TokenVerifier, type AdminReply } from '../../src/admin/index';
import { CapturedLog } from '../support/captured-log';
import { ManualClock, TOKENS, TOKEN_ENTRIES } from './support/admin-harness';

/** The fields of a request the authenticator reads. */
function request(authorization: string | undefined, remoteAddress = '127.0.0.1'): http.IncomingMessage {
  const headers: http.IncomingHttpHeaders = authorization === undefined ? {} : { authorization };
  return { headers, method: 'GET', url: '/admin/status', socket: { remoteAddress } } as unknown as http.IncomingMessage;
}

function status(result: unknown): number | string {
  return typeof result === 'object' && result !== null && 'status' in result ? (result as AdminReply).status : (result as { name: string }).name;
}

describe('RequestAuthenticator', () => {
  const verifier = new TokenVerifier(TOKEN_ENTRIES);

  it('serves a valid token from a throttled address, and verifies every token, throttled or not', () => {
    const log = new CapturedLog();
    const clock = new ManualClock();
    const auth = new RequestAuthenticator(log.logger, { burst: 2, windowMs: 2_000, clock });
    const verify = jest.spyOn(verifier, 'verify');
    const answers = [
      auth.authenticate(request('Bearer weir_bad-1'), verifier),
      auth.authenticate(request('Bearer weir_bad-2'), verifier),
      auth.authenticate(request('Bearer weir_bad-3'), verifier),
      auth.authenticate(request(`Bearer ${TOKENS.reader}`), verifier),
      auth.authenticate(request(undefined), verifier),
      auth.authenticate(request('Bearer weir_bad-4', '127.0.0.2'), verifier),
    ];
    expect(answers.map(status)).toEqual([401, 401, 429, 'reader', 429, 401]);
    expect(verify.mock.calls.map((c) => c[0])).toEqual(['weir_bad-1', 'weir_bad-2', 'weir_bad-3', TOKENS.reader, 'weir_bad-4']);
    verify.mockRestore();
    const limited = answers[2] as AdminReply;
    expect([(limited.body as { error: { code: string } }).error.code, limited.headers?.['retry-after']]).toEqual(['WEIR_ERR_ADMIN_RATE_LIMITED', '1']);
    // Only answered failures are logged: the two 429s are not.
    expect(log.withMsg('admin auth failed').map((l) => [l['remoteAddress'], l['reason']])).toEqual([
      ['127.0.0.1', 'unknown token'],
      ['127.0.0.1', 'unknown token'],
      ['127.0.0.2', 'unknown token'],
    ]);
  });

  it('tells a missing token from a malformed header, with the matching WWW-Authenticate', () => {
    const log = new CapturedLog();
    const auth = new RequestAuthenticator(log.logger, { clock: new ManualClock() });
    const missing = auth.authenticate(request(undefined), verifier) as AdminReply;
    const malformed = auth.authenticate(request('Basic abc'), verifier) as AdminReply;
    const unknown = auth.authenticate(request('Bearer weir_nope'), verifier) as AdminReply;
    expect([missing.headers?.['www-authenticate'], unknown.headers?.['www-authenticate']]).toEqual([
      'Bearer realm="weir-admin"',
      'Bearer realm="weir-admin", error="invalid_token"',
    ]);
    expect([missing, malformed, unknown].map((r) => (r.body as { error: { code: string } }).error.code)).toEqual(Array(3).fill('WEIR_ERR_ADMIN_UNAUTHORIZED'));
    expect(log.withMsg('admin auth failed').map((l) => l['reason'])).toEqual(['missing', 'malformed', 'unknown token']);
  });
});

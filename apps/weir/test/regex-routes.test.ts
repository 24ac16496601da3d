import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { send } from './harness/client';
import { proxyConfig } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';

/**
 * Issue 14: a regex from the config is a denial-of-service lever when a backtracking engine runs
 * it. Before the RE2 engine, applying `^/(a+)+$` and sending `/aaaa…ab` (40 `a`s) pinned a worker
 * for longer than any test timeout. Now the pattern is accepted and matched in linear time, so
 * every hostile request is answered and the workers keep serving; what RE2 cannot run in linear
 * time (backreferences, lookaround, oversized programs) is rejected with its JSON pointer while
 * the running version keeps serving.
 */
const writer = testToken('ci', ['read', 'write']);

function config(routes: WeirConfig['routes']): WeirConfig {
  return { ...proxyConfig({ routes }), admin: { tokens: [writer.entry] } };
}

const rest = { name: 'rest', directResponse: { status: 200, body: 'rest' } };

describe('config regexes against hostile input (built daemon, 2 workers)', () => {
  const weir = daemonPerTest();

  test('a catastrophic-for-backtracking pattern is accepted and answers hostile paths at once', async () => {
    expect.assertions(5);
    const d = await weir.start(config([rest]));
    const hostile = config([
      { name: 'nested', match: { path: { regex: '^/(a+)+$' } }, directResponse: { status: 200, body: 'nested' } },
      { name: 'alternation', match: { path: { regex: '/x/(a|aa)+' } }, directResponse: { status: 200, body: 'alternation' } },
      {
        name: 'header',
        match: { path: { exact: '/h' }, headers: [{ name: 'x-probe', regex: '((a|b)+)*c' }] },
        directResponse: { status: 200, body: 'header' },
      },
      rest,
    ]);
    const applied = await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: hostile });
    expect(applied.status).toBe(200);

    // Each of these needs about 2^40 steps from a backtracking engine: a worker would never answer.
    const as = 'a'.repeat(40);
    const probes = [];
    for (let i = 0; i < 8; i++) {
      probes.push(send(d.port, { path: `/${as}b` }));
      probes.push(send(d.port, { path: `/x/${as}b` }));
      probes.push(send(d.port, { path: '/h', headers: { 'x-probe': `${as}!` } }));
    }
    const answers = await Promise.all(probes);
    expect(new Set(answers.map((a) => `${a.status} ${a.body}`))).toEqual(new Set(['200 rest']));

    expect((await send(d.port, { path: `/${as}` })).body).toBe('nested');
    expect((await send(d.port, { path: `/x/${as}` })).body).toBe('alternation');
    expect((await send(d.port, { path: '/h', headers: { 'x-probe': `${as}c` } })).body).toBe('header');
  }, 60_000);

  test('backreferences, lookaround and oversized programs are rejected with their pointers; the old version serves', async () => {
    expect.assertions(5);
    const d = await weir.start(config([rest]));
    const bad = config([
      { name: 'backref', match: { path: { regex: '/(a+)/\\1' } }, directResponse: { status: 200, body: 'x' } },
      { name: 'lookahead', match: { headers: [{ name: 'x-v', regex: 'v(?=1)' }] }, directResponse: { status: 200, body: 'x' } },
      { name: 'large', match: { path: { regex: '(.*a){20}' } }, directResponse: { status: 200, body: 'x' } },
      rest,
    ]);
    const answer = await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: bad });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('WEIR_ERR_CONFIG_INVALID');
    const details = answer.json.error.details as { pointer: string; message: string }[];
    expect(details.map((p) => p.pointer)).toEqual([
      '/routes/0/match/path/regex',
      '/routes/1/match/headers/0/regex',
      '/routes/2/match/path/regex',
    ]);
    expect(details.map((p) => p.message)).toEqual([
      expect.stringMatching(/backreferences/),
      expect.stringMatching(/lookaround/),
      expect.stringMatching(/more than the limit of 100 \(server\.regexMaxProgramSize\)/),
    ]);
    expect((await send(d.port, { path: '/aa/aa' })).body).toBe('rest');
  }, 60_000);

  test('a path longer than the header limit never reaches a regex: 431', async () => {
    expect.assertions(2);
    const d = await weir.start(config([{ name: 'any', match: { path: { regex: '/.*' } }, directResponse: { status: 200, body: 'any' } }]));
    // The default maxHeaderBytes is 16 KiB and covers the request line.
    expect((await send(d.port, { path: `/${'a'.repeat(17_000)}` })).status).toBe(431);
    expect((await send(d.port, { path: `/${'a'.repeat(8_000)}` })).body).toBe('any');
  }, 60_000);
});

import { AdminHarness, TOKENS, configWith } from './support/admin-harness';

/** `GET /metrics` passes the aggregator's exposition through; an unexpected failure is a 500 that leaks nothing. */
describe('admin API metrics and unexpected failures', () => {
  let h: AdminHarness;
  let fail = false;

  beforeEach(async () => {
    fail = false;
    h = await AdminHarness.start(configWith('one'), {
      metrics: {
        metrics: async () => {
          if (fail) throw new Error('secret internal detail');
          return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'weir_requests_total 3\n' };
        },
      },
    });
  });

  afterEach(async () => {
    await h.close();
  });

  it('serves the exposition with its content type', async () => {
    expect.assertions(2);
    const answer = await h.call('GET', '/metrics', { token: TOKENS.reader });
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(answer.text).toBe('weir_requests_total 3\n');
  });

  it('answers 500 WEIR_ERR_INTERNAL with the catalogue wording, and logs the cause', async () => {
    expect.assertions(3);
    fail = true;
    const answer = await h.call('GET', '/metrics', { token: TOKENS.reader });
    expect(answer.json).toEqual({ error: { code: 'WEIR_ERR_INTERNAL', status: 500, message: 'An unexpected internal error.' } });
    expect(answer.text).not.toContain('secret');
    expect(h.log.withMsg('admin request failed')).toHaveLength(1);
  });
});

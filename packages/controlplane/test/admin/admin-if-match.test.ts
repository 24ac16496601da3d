import { AdminHarness, TOKENS, configWith } from './support/admin-harness';

/** Optimistic concurrency: `If-Match` is checked in the apply queue, so two writers never both win. */
describe('admin API If-Match', () => {
  let h: AdminHarness;

  beforeEach(async () => {
    h = await AdminHarness.start();
  });

  afterEach(async () => {
    await h.close();
  });

  it('of two concurrent writers holding the same ETag, exactly one wins and the other gets 412', async () => {
    expect.assertions(5);
    const etag = (await h.call('GET', '/admin/config', { token: TOKENS.reader })).headers.etag as string;
    // Park the first apply inside the fleet so the second is certainly queued behind it.
    const arrived = h.fleet.hold();
    const first = h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('a'), headers: { 'if-match': etag } });
    await arrived;
    const second = h.call('POST', '/admin/config', { token: TOKENS.admin, body: configWith('b'), headers: { 'if-match': etag } });
    // The second request is read and queued in the apply manager before the first is released.
    await h.appliesStarted(3);
    h.fleet.release();
    const answers = await Promise.all([first, second]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const loser = answers.find((a) => a.status === 412);
    expect(loser?.json.error.code).toBe('WEIR_ERR_ADMIN_PRECONDITION_FAILED');
    expect(h.fleet.calls).toHaveLength(2);
    expect(h.version).toBe(answers.find((a) => a.status === 200)?.json.version);
    // A 412 is the caller's conflict: not counted as a rejected config.
    expect(h.manager.lastApply).toMatchObject({ outcome: 'applied' });
  });

  it('applies with a matching ETag or *, and refuses a stale, weak or garbled one', async () => {
    expect.assertions(5);
    const etag = `"${h.version}"`;
    expect((await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('a'), headers: { 'if-match': `"v-other", ${etag}` } })).status).toBe(200);
    expect((await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('b'), headers: { 'if-match': etag } })).status).toBe(412);
    expect((await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('b'), headers: { 'if-match': `W/"${h.version}"` } })).status).toBe(412);
    expect((await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('b'), headers: { 'if-match': h.version } })).status).toBe(412);
    expect((await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('b'), headers: { 'if-match': '*' } })).status).toBe(200);
  });

  it('guards rollbacks the same way', async () => {
    expect.assertions(2);
    const stale = `"${h.version}"`;
    await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('a') });
    const answer = await h.call('POST', '/admin/config/rollback', { token: TOKENS.writer, body: { id: '1' }, headers: { 'if-match': stale } });
    expect(answer.status).toBe(412);
    expect(h.history.list()[0]).toMatchObject({ source: 'admin' });
  });
});

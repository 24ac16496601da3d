import { isWeirError } from '@weir/errors';
import { buildPluginChain, CONTINUE, PluginChain, type Plugin, type PluginOutcome, type PluginReply, type PluginRequest, type PluginResponse } from '../src/index';
import { isPromise, TestRequest, testDeps, testResponse } from './support/test-request';

const reply = (status: number): PluginReply => ({ status, headers: [], body: '', code: null });

/** A plugin that records its calls in `log` and answers `outcome`. */
function recording(name: string, log: string[], outcome: () => PluginOutcome | Promise<PluginOutcome> = () => CONTINUE, response = true): Plugin {
  const plugin: Plugin = {
    type: name,
    onRequest(_req: PluginRequest) {
      log.push(`req:${name}`);
      return outcome();
    },
  };
  if (response) {
    (plugin as { onResponse?: Plugin['onResponse'] }).onResponse = (_req: PluginRequest, res: PluginResponse) => {
      log.push(`res:${name}`);
      res.headers.push('x-seen', name);
    };
  }
  return plugin;
}

describe('PluginChain', () => {
  it('runs request phases in order and stays synchronous when every plugin is', () => {
    const log: string[] = [];
    const chain = new PluginChain([recording('a', log), recording('b', log), recording('c', log)]);
    const outcome = chain.runRequest(new TestRequest());
    expect(outcome).toBe(CONTINUE);
    expect(log).toEqual(['req:a', 'req:b', 'req:c']);
  });

  it('ends the chain at the first reply', () => {
    const log: string[] = [];
    const r = reply(302);
    const chain = new PluginChain([recording('a', log), recording('b', log, () => r), recording('c', log)]);
    expect(chain.runRequest(new TestRequest())).toBe(r);
    expect(log).toEqual(['req:a', 'req:b']);
  });

  it('continues asynchronously after a plugin returns a promise, in order', async () => {
    expect.assertions(3);
    const log: string[] = [];
    const chain = new PluginChain([
      recording('a', log),
      recording('b', log, () => Promise.resolve(CONTINUE)),
      recording('c', log),
      recording('d', log, () => Promise.resolve(CONTINUE)),
    ]);
    const outcome = chain.runRequest(new TestRequest());
    expect(isPromise(outcome)).toBe(true);
    expect(await outcome).toBe(CONTINUE);
    expect(log).toEqual(['req:a', 'req:b', 'req:c', 'req:d']);
  });

  it('ends the chain at an asynchronous reply and at a synchronous reply after an asynchronous plugin', async () => {
    expect.assertions(4);
    const log: string[] = [];
    const r1 = reply(401);
    const chain1 = new PluginChain([recording('a', log, () => Promise.resolve(r1)), recording('b', log)]);
    expect(await chain1.runRequest(new TestRequest())).toBe(r1);
    expect(log).toEqual(['req:a']);
    log.length = 0;
    const r2 = reply(403);
    const chain2 = new PluginChain([recording('a', log, () => Promise.resolve(CONTINUE)), recording('b', log, () => r2), recording('c', log)]);
    expect(await chain2.runRequest(new TestRequest())).toBe(r2);
    expect(log).toEqual(['req:a', 'req:b']);
  });

  it('runs response phases in reverse order, skipping plugins without one', () => {
    const log: string[] = [];
    const chain = new PluginChain([recording('a', log), recording('b', log, undefined, false), recording('c', log)]);
    expect(chain.hasResponsePhase).toBe(true);
    const res = testResponse();
    chain.runResponse(new TestRequest(), res);
    expect(log).toEqual(['res:c', 'res:a']);
    expect(res.headers).toEqual(['x-seen', 'c', 'x-seen', 'a']);
  });

  it('has no response phase when no plugin has one, and no request phase for response-only plugins', () => {
    const log: string[] = [];
    const noResponse = new PluginChain([recording('a', log, undefined, false)]);
    expect(noResponse.hasResponsePhase).toBe(false);
    noResponse.runResponse(new TestRequest(), testResponse());
    expect(log).toEqual([]);
    const responseOnly = new PluginChain([{ type: 'x', onResponse: () => undefined }]);
    expect(responseOnly.hasRequestPhase).toBe(false);
    expect(responseOnly.runRequest(new TestRequest())).toBe(CONTINUE);
  });

  it('turns a synchronous throw into WEIR_ERR_INTERNAL (500), never an auth reply', () => {
    const bug = new TypeError('boom');
    const chain = new PluginChain([{ type: 'broken', onRequest: () => { throw bug; } }]);
    expect.assertions(3);
    try {
      chain.runRequest(new TestRequest());
    } catch (err) {
      expect(isWeirError(err) && err.code).toBe('WEIR_ERR_INTERNAL');
      expect((err as Error).cause).toBe(bug);
      expect((err as Error).message).toContain('"broken"');
    }
  });

  it('turns a rejection, and a throw after an asynchronous plugin, into a rejection with WEIR_ERR_INTERNAL', async () => {
    expect.assertions(4);
    const rejecting = new PluginChain([{ type: 'jwt', onRequest: () => Promise.reject(new Error('x')) }]);
    await expect(rejecting.runRequest(new TestRequest())).rejects.toMatchObject({ code: 'WEIR_ERR_INTERNAL' });
    const log: string[] = [];
    const later = new PluginChain([
      recording('a', log, () => Promise.resolve(CONTINUE)),
      { type: 'broken', onRequest: () => { throw new Error('y'); } },
      recording('c', log),
    ]);
    await expect(later.runRequest(new TestRequest())).rejects.toMatchObject({ code: 'WEIR_ERR_INTERNAL', message: expect.stringContaining('"broken"') });
    expect(log).toEqual(['req:a']);
    const laterRejecting = new PluginChain([recording('a', log, () => Promise.resolve(CONTINUE)), { type: 'b', onRequest: () => Promise.reject(new Error('z')) }]);
    await expect(laterRejecting.runRequest(new TestRequest())).rejects.toMatchObject({ code: 'WEIR_ERR_INTERNAL' });
  });

  it('turns a throw in a response phase into WEIR_ERR_INTERNAL', () => {
    const chain = new PluginChain([{ type: 'r', onResponse: () => { throw new Error('x'); } }]);
    expect(() => chain.runResponse(new TestRequest(), testResponse())).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });
});

describe('buildPluginChain', () => {
  it('is null for a route without plugins', () => {
    expect(buildPluginChain([], testDeps())).toBeNull();
  });

  it('builds the plugins of the spec in order', () => {
    const chain = buildPluginChain(
      [
        { type: 'requestHeaders', set: [{ name: 'x-a', value: '1' }], add: [], remove: [] },
        { type: 'responseHeaders', set: [], add: [{ name: 'x-b', value: '2' }], remove: [] },
      ],
      testDeps(),
    );
    expect(chain?.plugins.map((p) => p.type)).toEqual(['requestHeaders', 'responseHeaders']);
    expect(chain?.hasResponsePhase).toBe(true);
    const req = new TestRequest();
    expect(chain?.runRequest(req)).toBe(CONTINUE);
    expect(req.headers).toEqual(['x-a', '1']);
  });
});

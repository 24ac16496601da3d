import { WeirError, catalogue, fromErrorJSON, isWeirError, toErrorJSON } from '@weir/errors';
import type { ErrorJSON } from '@weir/errors';

describe('WeirError', () => {
  it('takes status, source and retry decision from the catalogue', () => {
    const err = new WeirError('WEIR_ERR_UPSTREAM_CONNECT');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('WeirError');
    expect(err.code).toBe('WEIR_ERR_UPSTREAM_CONNECT');
    expect(err.status).toBe(502);
    expect(err.source).toBe('upstream');
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(catalogue.WEIR_ERR_UPSTREAM_CONNECT.description);
    expect(err.pointer).toBeUndefined();
    expect(err.details).toBeUndefined();
    expect(err.cause).toBeUndefined();
  });

  it('keeps a custom message, pointer, details and cause', () => {
    const cause = new Error('ECONNREFUSED');
    const details = [{ pointer: '/routes/0/upstream', message: 'unknown upstream' }];
    const err = new WeirError('WEIR_ERR_CONFIG_INVALID', 'bad config', { cause, pointer: '/routes/0', details });
    expect(err.message).toBe('bad config');
    expect(err.cause).toBe(cause);
    expect(err.pointer).toBe('/routes/0');
    expect(err.details).toBe(details);
  });

  it('serialises to its JSON form with toJSON and JSON.stringify', () => {
    const err = new WeirError('WEIR_ERR_CONFIG_INVALID', 'bad', { pointer: '/x', details: [{ pointer: '/x', message: 'm' }] });
    expect(err.toJSON()).toEqual({ code: 'WEIR_ERR_CONFIG_INVALID', message: 'bad', pointer: '/x', details: [{ pointer: '/x', message: 'm' }] });
    expect(JSON.parse(JSON.stringify(err))).toEqual(err.toJSON());
  });
});

describe('isWeirError', () => {
  it('recognises WeirErrors, including look-alikes from another copy of the package', () => {
    expect(isWeirError(new WeirError('WEIR_ERR_INTERNAL'))).toBe(true);
    const lookalike = Object.assign(new Error('x'), { code: 'WEIR_ERR_NO_ROUTE', status: 404, source: 'downstream' });
    expect(isWeirError(lookalike)).toBe(true);
  });

  it('rejects other values', () => {
    expect(isWeirError(new Error('plain'))).toBe(false);
    expect(isWeirError(Object.assign(new Error('x'), { code: 'ECONNRESET', status: 1, source: 'x' }))).toBe(false);
    expect(isWeirError(Object.assign(new Error('x'), { code: 'WEIR_ERR_NO_ROUTE' }))).toBe(false);
    expect(isWeirError({ code: 'WEIR_ERR_NO_ROUTE', status: 404, source: 'downstream' })).toBe(false);
    expect(isWeirError(null)).toBe(false);
  });
});

describe('toErrorJSON / fromErrorJSON', () => {
  it('leaves out absent pointer and details', () => {
    expect(toErrorJSON(new WeirError('WEIR_ERR_NO_ROUTE'))).toEqual({ code: 'WEIR_ERR_NO_ROUTE', message: 'No route matches the request.' });
  });

  it('turns unknown errors into WEIR_ERR_INTERNAL', () => {
    expect(toErrorJSON(new TypeError('boom'))).toEqual({ code: 'WEIR_ERR_INTERNAL', message: 'boom' });
    expect(toErrorJSON('text')).toEqual({ code: 'WEIR_ERR_INTERNAL', message: 'text' });
  });

  it('round-trips through JSON, as across IPC', () => {
    const original = new WeirError('WEIR_ERR_APPLY_REJECTED', 'worker 2 said no', { pointer: '/upstreams/1', details: [{ pointer: '/a', message: 'b' }] });
    const wire = JSON.parse(JSON.stringify(toErrorJSON(original))) as ErrorJSON;
    const rebuilt = fromErrorJSON(wire);
    expect(rebuilt).toBeInstanceOf(WeirError);
    expect(rebuilt.code).toBe('WEIR_ERR_APPLY_REJECTED');
    expect(rebuilt.status).toBe(422);
    expect(rebuilt.message).toBe('worker 2 said no');
    expect(rebuilt.pointer).toBe('/upstreams/1');
    expect(rebuilt.details).toEqual([{ pointer: '/a', message: 'b' }]);
    expect(toErrorJSON(fromErrorJSON({ code: 'WEIR_ERR_DRAINING', message: 'm' }))).toEqual({ code: 'WEIR_ERR_DRAINING', message: 'm' });
  });

  it('maps a code it does not know (a newer peer) to WEIR_ERR_INTERNAL, keeping the message', () => {
    const rebuilt = fromErrorJSON({ code: 'WEIR_ERR_FROM_THE_FUTURE', message: 'new' } as unknown as ErrorJSON);
    expect(rebuilt.code).toBe('WEIR_ERR_INTERNAL');
    expect(rebuilt.message).toBe('new');
  });
});

import { catalogue, errorBodyBuffer, errorCodes } from '@weir/errors';

describe('errorBodyBuffer', () => {
  it('is the documented JSON body with the catalogue status and description, newline-terminated', () => {
    for (const code of errorCodes) {
      const text = errorBodyBuffer(code).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(JSON.parse(text)).toEqual({ error: { code, status: catalogue[code].status, message: catalogue[code].description } });
    }
  });

  it('builds each body once and reuses it', () => {
    expect(errorBodyBuffer('WEIR_ERR_NO_ROUTE')).toBe(errorBodyBuffer('WEIR_ERR_NO_ROUTE'));
  });
});

import { tlsTicketSecret } from '../../src/protocol/index';

describe('tlsTicketSecret', () => {
  it('decodes the hex secret the primary hands every worker', () => {
    const hex = 'ab'.repeat(32);
    expect(tlsTicketSecret({ WEIR_TLS_TICKET_SECRET: hex })).toEqual(Buffer.from(hex, 'hex'));
  });

  it('is null without a secret or with one that is not at least 32 hex digits', () => {
    expect(tlsTicketSecret({})).toBeNull();
    expect(tlsTicketSecret({ WEIR_TLS_TICKET_SECRET: 'abc' })).toBeNull();
    expect(tlsTicketSecret({ WEIR_TLS_TICKET_SECRET: 'z'.repeat(64) })).toBeNull();
  });
});

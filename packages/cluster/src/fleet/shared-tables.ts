import type { EndpointHealth, JwksMessage, PrimaryMessage } from '../protocol/index';

/**
 * What the primary publishes to every worker besides snapshots, remembered so a worker that
 * (re)starts gets it too: the active health-check table (one entry per checked endpoint) and
 * the key sets of JWKS URLs. `Fleet` sends updates to attached workers and `syncTo` the whole
 * of it to a worker being synced, between its prepare and its commit.
 */
export class SharedTables {
  private readonly health = new Map<string, EndpointHealth>();
  private readonly jwks = new Map<string, JwksMessage['jwks']>();

  /** Merge `updates` in (or, with `replace`, make them the whole table); the message to send, or null. */
  setHealth(updates: readonly EndpointHealth[], replace: boolean): PrimaryMessage | null {
    if (replace) this.health.clear();
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i] as EndpointHealth;
      this.health.set(`${u.upstream}|${u.address}`, u);
    }
    return updates.length === 0 ? null : { type: 'weir:health', updates: updates.slice() };
  }

  /** Remember `url`'s key set (null forgets it); the message to send, or null. */
  setJwks(url: string, jwks: JwksMessage['jwks'] | null): PrimaryMessage | null {
    if (jwks === null) {
      this.jwks.delete(url);
      return null;
    }
    this.jwks.set(url, jwks);
    return { type: 'weir:jwks', url, jwks };
  }

  /** The health table as last published. */
  healthTable(): EndpointHealth[] {
    return [...this.health.values()];
  }

  /** Everything remembered, for a worker being synced. */
  syncTo(send: (message: PrimaryMessage) => void): void {
    if (this.health.size !== 0) send({ type: 'weir:health', updates: this.healthTable() });
    for (const [url, jwks] of this.jwks) send({ type: 'weir:jwks', url, jwks });
  }
}

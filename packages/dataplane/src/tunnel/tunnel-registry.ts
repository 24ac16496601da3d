import type { Tunnel } from './tunnel';

/**
 * The open tunnels of a data plane, so a drain can close them. Tunnels add themselves when the
 * upstream's 101 has been relayed and leave when both their connections have closed.
 */
export class TunnelRegistry {
  private readonly open = new Set<Tunnel>();
  private waiters: (() => void)[] = [];
  private closingAll = false;

  /**
   * True once `closeAll` ran: a handshake still under way then (its upstream answers after the
   * drain deadline) must not open a tunnel nobody would close.
   */
  get closing(): boolean {
    return this.closingAll;
  }

  /** Tunnels open now. */
  get size(): number {
    return this.open.size;
  }

  add(tunnel: Tunnel): void {
    this.open.add(tunnel);
  }

  delete(tunnel: Tunnel): void {
    if (!this.open.delete(tunnel) || this.open.size !== 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (let i = 0; i < waiters.length; i++) (waiters[i] as () => void)();
  }

  /** Resolves when no tunnel is open (at once when none is). */
  whenEmpty(): Promise<void> {
    if (this.open.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Closes every open tunnel (outcome `drain`): both connections are destroyed, and each tunnel
   * releases its runtime once its sockets report closed. Resolves when all have ended.
   */
  closeAll(): Promise<void> {
    this.closingAll = true;
    for (const tunnel of [...this.open]) tunnel.close('drain');
    return this.whenEmpty();
  }
}

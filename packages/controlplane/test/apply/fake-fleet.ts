import type { ListenerInfo } from '@weir/cluster';
import type { SnapshotTarget } from '../../src/apply/index';

export const LISTENERS: readonly ListenerInfo[] = [{ name: 'main', address: '127.0.0.1', port: 40001 }];

/** Records every apply; fails with `failWith` when set; `hold()` parks applies until `release()`. */
export class FakeFleet implements SnapshotTarget {
  readonly calls: { bytes: Uint8Array; version: string; timeoutMs: number | undefined }[] = [];
  readonly events: string[] = [];
  failWith: Error | null = null;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  private arrived: (() => void) | null = null;

  hold(): Promise<void> {
    this.gate = new Promise((resolve) => (this.open = resolve));
    return new Promise((resolve) => (this.arrived = resolve));
  }

  release(): void {
    this.gate = null;
    this.open?.();
  }

  async apply(bytes: Uint8Array, version: string, options: { timeoutMs?: number } = {}): Promise<{ version: string; listeners: readonly ListenerInfo[] }> {
    this.calls.push({ bytes, version, timeoutMs: options.timeoutMs });
    this.events.push(`start ${version}`);
    this.arrived?.();
    this.arrived = null;
    if (this.gate !== null) await this.gate;
    this.events.push(`end ${version}`);
    if (this.failWith !== null) throw this.failWith;
    return { version, listeners: LISTENERS };
  }

  /** Rollouts: the candidate two-phase apply, recorded like `apply` (`candidate <version>`). */
  async applyCandidate(bytes: Uint8Array, version: string): Promise<{ version: string; listeners: readonly ListenerInfo[] }> {
    this.events.push(`candidate ${version}`);
    if (this.failWith !== null) throw this.failWith;
    return { version, listeners: LISTENERS };
  }

  async split(split: { percent: number; sticky: unknown }): Promise<void> {
    this.events.push(`split ${split.percent}`);
  }

  async dropCandidate(): Promise<void> {
    this.events.push('drop');
  }
}

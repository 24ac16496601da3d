/**
 * Micro-benchmark: RuntimeStore acquire + release of the current runtime (one per request),
 * against the alternative design of a Map from runtime to refcount. One scenario per file
 * (STYLE.md rule 15); both variants run in the same process, interleaved, to be comparable.
 *
 *     npx ts-node --transpile-only packages/runtime/bench/runtime-store.bench.ts
 */
import { RuntimeStore } from '../src/store/index';

class Runtime {
  retire(): void {}
}

/** The rejected design: refcounts in a Map keyed by runtime. */
class MapStore<T> {
  private cur: T | null = null;
  private readonly refs = new Map<T, number>();
  publish(next: T): void {
    this.cur = next;
    this.refs.set(next, 0);
  }
  acquire(): T {
    const rt = this.cur as T;
    this.refs.set(rt, (this.refs.get(rt) ?? 0) + 1);
    return rt;
  }
  release(rt: T): void {
    this.refs.set(rt, (this.refs.get(rt) as number) - 1);
  }
}

const iterations = 20_000_000;

function run(name: string, acquire: () => Runtime, release: (rt: Runtime) => void): void {
  for (let i = 0; i < 1_000_000; i++) release(acquire());
  const heap = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) release(acquire());
  const ns = Number(process.hrtime.bigint() - start);
  const heapDelta = process.memoryUsage().heapUsed - heap;
  process.stdout.write(`${name.padEnd(22)} ${((iterations / ns) * 1e9 / 1e6).toFixed(1)} M ops/s  ${(ns / iterations).toFixed(2)} ns/op  heap Δ ${heapDelta} B\n`);
}

const store = new RuntimeStore<Runtime>();
store.publish(new Runtime());
const mapStore = new MapStore<Runtime>();
mapStore.publish(new Runtime());

for (let round = 0; round < 3; round++) {
  run('RuntimeStore (slot)', () => store.acquire(), (rt) => store.release(rt));
  run('Map<runtime, refs>', () => mapStore.acquire(), (rt) => mapStore.release(rt));
}

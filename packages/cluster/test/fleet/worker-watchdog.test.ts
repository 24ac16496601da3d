import { WorkerWatchdog } from '../../src/fleet/worker-watchdog';
import { WorkerSlot } from '../../src/fleet/worker-slot';
import { RestartBackoff } from '../../src/backoff/index';
import type { WorkerChannel } from '../../src/fleet/index';
import type { PrimaryMessage } from '../../src/protocol/index';

class Channel implements WorkerChannel {
  readonly sent: PrimaryMessage[] = [];
  constructor(readonly pid: number) {}
  send(message: PrimaryMessage): void {
    this.sent.push(message);
  }
  kill(): void {
    // Not used by the watchdog itself.
  }
}

describe('WorkerWatchdog', () => {
  let now: number;
  const clock = { now: () => now };
  let slots: WorkerSlot[];
  let busy: boolean;
  let replaced: [number, number][];
  let dog: WorkerWatchdog;

  function slot(index: number): WorkerSlot {
    const s = new WorkerSlot(index, new RestartBackoff(clock));
    s.channel = new Channel(100 + index);
    s.state = 'ready';
    return s;
  }

  beforeEach(() => {
    now = 0;
    busy = false;
    replaced = [];
    slots = [slot(0), slot(1)];
    dog = new WorkerWatchdog(clock, {
      readySlots: () => slots.filter((s) => s.state === 'ready' && s.channel !== null),
      busy: () => busy,
      replace: (s, silent) => replaced.push([s.index, silent]),
    });
    dog.configure(3000);
    for (const s of slots) dog.seen(s.channel as WorkerChannel);
  });

  it('pings every ready worker each round and replaces one silent past the timeout', () => {
    now = 1000;
    dog.tick();
    expect(slots.map((s) => (s.channel as Channel).sent.map((m) => m.type))).toEqual([['weir:ping'], ['weir:ping']]);
    now = 2500;
    dog.seen(slots[0]!.channel as WorkerChannel); // worker 0 answered; worker 1 did not
    now = 3001;
    dog.tick();
    expect(replaced).toEqual([[1, 3001]]);
    now = 5000;
    dog.tick();
    expect(replaced).toEqual([[1, 3001]]); // forgotten once replaced; worker 0 is within 3 s
  });

  it('judges nobody during an apply, and restarts every clock after it', () => {
    busy = true;
    now = 10_000;
    dog.tick();
    expect(replaced).toEqual([]);
    busy = false;
    now = 12_000;
    dog.tick();
    expect(replaced).toEqual([]);
    now = 13_001;
    dog.tick();
    expect(replaced.map(([i]) => i)).toEqual([0, 1]);
  });

  it('does nothing when off, and pings at most every second', () => {
    expect(dog.intervalMs).toBe(1000);
    dog.configure(0);
    now = 60_000;
    dog.tick();
    expect(replaced).toEqual([]);
    dog.configure(1000);
    expect(dog.intervalMs).toBe(500);
  });
});

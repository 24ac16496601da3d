import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileProvider, FileWatcher, type FileChange, type WatchDirectory, type WatchTimers } from '../../src/provider/index';

/** Timers stepped by hand: `fire()` runs what is due, whatever the delay. */
class ManualTimers implements WatchTimers {
  private readonly pending = new Map<number, { callback: () => void; ms: number }>();
  private next = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { callback, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Delays of the armed timers. */
  get armed(): number[] {
    return [...this.pending.values()].map((t) => t.ms);
  }

  fire(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const timer of due) timer.callback();
  }
}

/** A directory watch driven by the test. */
class ManualWatch {
  readonly dirs: string[] = [];
  closed = 0;
  private readonly events: (() => void)[] = [];
  private readonly errors: ((err: Error) => void)[] = [];
  readonly watch: WatchDirectory = (dir, onEvent, onError) => {
    this.dirs.push(dir);
    this.events.push(onEvent);
    this.errors.push(onError);
    return { close: () => void this.closed++ };
  };

  emit(): void {
    for (const onEvent of this.events) onEvent();
  }

  fail(err: Error): void {
    this.errors[0]?.(err);
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('FileWatcher (injected timers and events)', () => {
  let dir: string;
  let file: string;
  let timers: ManualTimers;
  let watch: ManualWatch;
  let changes: FileChange[];
  let watcher: FileWatcher;

  const start = (initial: string | null, onChange?: (change: FileChange) => Promise<void>): void => {
    watcher = new FileWatcher({
      provider: new FileProvider(file),
      initialHash: initial === null ? null : sha256(initial),
      debounceMs: 200,
      timers,
      watchDirectory: watch.watch,
      onChange: onChange ?? ((change) => void changes.push(change)),
    });
    watcher.start();
  };

  /** Fire the debounce timer and wait for the check it starts. */
  const step = async (): Promise<void> => {
    timers.fire();
    await watcher.settled();
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-watch-unit-'));
    file = path.join(dir, 'weir.json');
    fs.writeFileSync(file, '{"v":1}');
    timers = new ManualTimers();
    watch = new ManualWatch();
    changes = [];
  });

  afterEach(() => {
    watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('watches the directory and reads once, 200 ms after the last event of a burst', async () => {
    expect.assertions(4);
    start('{"v":1}');
    expect(watch.dirs).toEqual([dir]);
    fs.writeFileSync(file, '{"v":2}');
    watch.emit();
    watch.emit();
    watch.emit();
    // Each event re-arms the one timer: a burst is one read.
    expect(timers.armed).toEqual([200]);
    await step();
    expect(changes).toEqual([{ ok: true, config: { v: 2 }, hash: sha256('{"v":2}') }]);
    expect(timers.armed).toEqual([]);
  });

  it('ignores events that leave the content as it was (touch, unrelated files)', async () => {
    expect.assertions(2);
    start('{"v":1}');
    fs.writeFileSync(path.join(dir, 'other.txt'), 'x');
    watch.emit();
    await step();
    expect(changes).toEqual([]);
    fs.writeFileSync(file, '{"v":1}');
    watch.emit();
    await step();
    expect(changes).toEqual([]);
  });

  it('reports content that is not JSON once, then a fixed file', async () => {
    expect.assertions(3);
    start('{"v":1}');
    fs.writeFileSync(file, '{"v":');
    watch.emit();
    await step();
    watch.emit();
    await step();
    expect(changes).toEqual([{ ok: false, error: expect.objectContaining({ code: 'WEIR_ERR_CONFIG_PARSE' }), hash: sha256('{"v":') }]);
    fs.writeFileSync(file, '{"v":3}');
    watch.emit();
    await step();
    expect(changes).toHaveLength(2);
    expect(changes[1]).toEqual({ ok: true, config: { v: 3 }, hash: sha256('{"v":3}') });
  });

  it('reports a missing file once, and the same content again once it is back', async () => {
    expect.assertions(2);
    start('{"v":1}');
    fs.rmSync(file);
    watch.emit();
    await step();
    watch.emit();
    await step();
    expect(changes).toEqual([{ ok: false, error: expect.objectContaining({ code: 'WEIR_ERR_CONFIG_READ' }), hash: null }]);
    fs.writeFileSync(file, '{"v":1}');
    watch.emit();
    await step();
    expect(changes[1]).toEqual({ ok: true, config: { v: 1 }, hash: sha256('{"v":1}') });
  });

  it('does not report content already seen elsewhere (a SIGHUP read), and rechecks on demand', async () => {
    expect.assertions(2);
    start('{"v":1}');
    fs.writeFileSync(file, '{"v":5}');
    watcher.seen(sha256('{"v":5}'));
    watch.emit();
    await step();
    expect(changes).toEqual([]);
    fs.writeFileSync(file, '{"v":6}');
    watcher.recheck();
    await step();
    expect(changes).toEqual([{ ok: true, config: { v: 6 }, hash: sha256('{"v":6}') }]);
  });

  it('runs one check at a time: events during a check arm one more after it', async () => {
    expect.assertions(4);
    const gates: (() => void)[] = [];
    let arrived: (() => void) | null = null;
    const arrival = (): Promise<void> => new Promise((resolve) => (arrived = resolve));
    const seen: unknown[] = [];
    start('{"v":1}', async (change) => {
      seen.push(change.ok ? change.config : null);
      arrived?.();
      await new Promise<void>((resolve) => gates.push(resolve));
    });
    let inside = arrival();
    fs.writeFileSync(file, '{"v":2}');
    watch.emit();
    timers.fire();
    await inside; // the first check is applying {"v":2}
    fs.writeFileSync(file, '{"v":3}');
    watch.emit();
    timers.fire(); // due while the first check runs: deferred, not run alongside
    expect(timers.armed).toEqual([]);
    gates.shift()?.();
    await watcher.settled();
    expect(timers.armed).toEqual([200]);
    inside = arrival();
    timers.fire();
    await inside;
    gates.shift()?.();
    await watcher.settled();
    expect(seen).toEqual([{ v: 2 }, { v: 3 }]);
    expect(timers.armed).toEqual([]);
  });

  it('stops on close, and reports a broken watch', async () => {
    expect.assertions(4);
    const errors: Error[] = [];
    watcher = new FileWatcher({ provider: new FileProvider(file), timers, watchDirectory: watch.watch, onChange: () => undefined, onError: (e) => void errors.push(e) });
    watcher.start();
    watch.fail(new Error('gone'));
    expect(errors.map((e) => e.message)).toEqual(['gone']);
    expect(watch.closed).toBe(1);
    watcher.close();
    watch.emit();
    expect(timers.armed).toEqual([]);
    const failing = new FileWatcher({
      provider: new FileProvider(file),
      onChange: () => undefined,
      watchDirectory: () => {
        throw Object.assign(new Error('no inotify'), { code: 'ENOSPC' });
      },
    });
    expect(() => failing.start()).toThrow(expect.objectContaining({ code: 'WEIR_ERR_CONFIG_READ' }));
  });

  it('also watches the directory a symlinked config file points into', () => {
    const real = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-watch-target-'));
    try {
      fs.writeFileSync(path.join(real, 'actual.json'), '{}');
      fs.rmSync(file);
      fs.symlinkSync(path.join(real, 'actual.json'), file);
      start(null);
      expect(watch.dirs).toEqual([dir, fs.realpathSync(real)]);
    } finally {
      fs.rmSync(real, { recursive: true, force: true });
    }
  });
});

describe('FileWatcher (real fs.watch)', () => {
  let dir: string;
  let file: string;
  let watcher: FileWatcher | null = null;
  let waiting: ((change: FileChange) => void) | null = null;

  const nextChange = (): Promise<FileChange> => new Promise((resolve) => (waiting = resolve));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-watch-real-'));
    file = path.join(dir, 'weir.json');
    fs.writeFileSync(file, '{"v":1}');
    watcher = new FileWatcher({
      provider: new FileProvider(file),
      initialHash: sha256('{"v":1}'),
      debounceMs: 20,
      onChange: (change) => {
        const resolve = waiting;
        waiting = null;
        resolve?.(change);
      },
    });
    watcher.start();
  });

  afterEach(() => {
    watcher?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sees a file replaced by rename (how editors save) and one written in place', async () => {
    expect.assertions(2);
    let change = nextChange();
    fs.writeFileSync(path.join(dir, '.weir.json.swp'), '{"v":2}');
    fs.renameSync(path.join(dir, '.weir.json.swp'), file);
    expect(await change).toMatchObject({ ok: true, config: { v: 2 } });
    change = nextChange();
    fs.writeFileSync(file, '{"v":3}');
    expect(await change).toMatchObject({ ok: true, config: { v: 3 } });
  });
});

import { UploadWatch, type WatchedUpload } from '../../src/proxy/upload-watch';

/** A fake upload: progress and the idle answer are set by the test. */
class FakeUpload implements WatchedUpload {
  uploadIdleMs = 1_000;
  bytes = 0;
  answer = true;
  idleCalls = 0;
  watchBytes = 0;
  watchSince = 0;
  uploadProgress(): number {
    return this.bytes;
  }
  onClientIdle(): boolean {
    this.idleCalls++;
    return this.answer;
  }
}

describe('UploadWatch', () => {
  let now = 0;
  let watch: UploadWatch;
  beforeEach(() => {
    now = 0;
    watch = new UploadWatch(() => now, 250);
  });
  afterEach(() => watch.close());

  it('reports an upload silent for its idle time, once, and forgets it', () => {
    const u = new FakeUpload();
    watch.add(u);
    now = 999;
    watch.sweep();
    expect(u.idleCalls).toBe(0);
    now = 1_000;
    watch.sweep();
    expect(u.idleCalls).toBe(1);
    expect(watch.size).toBe(0);
  });

  it('counts any progress of the connection as activity', () => {
    const u = new FakeUpload();
    watch.add(u);
    now = 900;
    u.bytes = 10;
    watch.sweep();
    now = 1_800;
    watch.sweep();
    expect(u.idleCalls).toBe(0);
    now = 1_900;
    watch.sweep();
    expect(u.idleCalls).toBe(1);
  });

  it('keeps watching, from now, when the exchange says the silence is not the client', () => {
    const u = new FakeUpload();
    u.answer = false;
    watch.add(u);
    now = 1_000;
    watch.sweep();
    expect(u.idleCalls).toBe(1);
    expect(watch.size).toBe(1);
    now = 1_500;
    watch.sweep();
    expect(u.idleCalls).toBe(1);
    now = 2_000;
    watch.sweep();
    expect(u.idleCalls).toBe(2);
  });

  it('does not report an upload deleted before its time', () => {
    const u = new FakeUpload();
    watch.add(u);
    watch.delete(u);
    now = 5_000;
    watch.sweep();
    expect(u.idleCalls).toBe(0);
  });
});

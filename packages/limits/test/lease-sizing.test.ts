import { globalBatchSize, globalErrorBound, leaseBatchSize, leaseErrorBound } from '@weir/limits';

describe('leaseBatchSize', () => {
  it('gives each worker 2% of a second of the rate, split across workers', () => {
    expect(leaseBatchSize(10_000, 10_000, 4, 1)).toBe(50);
    expect(leaseBatchSize(10_000, 10_000, 1, 1)).toBe(200);
  });

  it('is at least one token', () => {
    expect(leaseBatchSize(1, 1, 8, 1)).toBe(1);
    expect(leaseBatchSize(0.01, 1, 1, 1)).toBe(1);
  });

  it('caps a batch at burst / workers so one worker cannot drain a small burst', () => {
    expect(leaseBatchSize(100_000, 40, 4, 1)).toBe(10);
    expect(leaseBatchSize(100_000, 3, 4, 1)).toBe(1);
  });

  it('grows to the requests already waiting, up to burst', () => {
    expect(leaseBatchSize(100, 100, 4, 30)).toBe(30);
    expect(leaseBatchSize(100, 20, 4, 30)).toBe(20);
  });

  it('treats zero or negative workers as one', () => {
    expect(leaseBatchSize(1000, 1000, 0, 1)).toBe(20);
  });

  it('keeps the held-token error to about 2% of the rate plus one token per worker', () => {
    for (const [rate, workers] of [
      [100, 4],
      [1000, 8],
      [50_000, 16],
    ] as const) {
      expect(leaseErrorBound(rate, rate, workers)).toBeLessThanOrEqual(rate * 0.02 + workers);
    }
    expect(leaseErrorBound(1000, 1000, 8)).toBe(24);
  });
});

describe('globalBatchSize', () => {
  it('takes 50 ms of the rate from the global source, within 1..burst', () => {
    expect(globalBatchSize(1000, 1000)).toBe(50);
    expect(globalBatchSize(1000, 10)).toBe(10);
    expect(globalBatchSize(1, 1)).toBe(1);
  });

  it('bounds a host error as its pool batch plus its workers leases', () => {
    expect(globalErrorBound(1000, 1000, 4)).toBe(50 + 20);
  });
});

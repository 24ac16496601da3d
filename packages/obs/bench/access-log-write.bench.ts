/**
 * Micro-benchmark: event-loop time of AccessLog.write for a typical record to /dev/null (format
 * and append; the once-per-turn hand-over to sonic-boom and the write syscalls are not counted),
 * against a pino logger at info with no base fields logging the same record. One scenario per
 * file (STYLE.md rule 15).
 *
 *     npx ts-node --transpile-only packages/obs/bench/access-log-write.bench.ts
 */
import pino from 'pino';
import { AccessLog } from '../src/index';
import type { AccessRecord } from '../src/index';

const iterations = 200_000;

const record: AccessRecord = {
  time: 1_700_000_000_000,
  method: 'GET',
  path: '/api/items?id=42',
  host: 'api.example.com',
  status: 200,
  route: 'api',
  upstream: 'backend',
  endpoint: '10.0.0.12:8080',
  durationMs: 1.234567,
  bytesSent: 5120,
  remoteAddress: '10.1.2.3',
};

/**
 * Writes in bursts of 100 lines with a turn of the event loop between bursts, as a proxy under
 * load would, so the destination drains as it goes; only the time spent inside `write` counts.
 */
async function run(name: string, write: (r: AccessRecord) => void, settle: () => Promise<void>): Promise<void> {
  let ns = 0;
  for (let burst = 0; burst < iterations / 100; burst++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) write(record);
    ns += Number(process.hrtime.bigint() - start);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await settle();
  process.stdout.write(`${name.padEnd(20)} ${((iterations / ns) * 1e3).toFixed(2)} M lines/s  ${(ns / iterations).toFixed(0)} ns/line (event loop)\n`);
}

async function main(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const log = new AccessLog({ path: '/dev/null', maxBufferedBytes: 1 << 30 });
    await log.ready();
    await run('AccessLog.write', (r) => log.write(r), () => log.close());
    const dest = pino.destination({ dest: '/dev/null', sync: false, minLength: 0 });
    const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, dest);
    await run('pino info(record)', (r) => logger.info(r), () => new Promise((resolve) => dest.once('drain', resolve)));
    dest.end();
  }
}

void main();

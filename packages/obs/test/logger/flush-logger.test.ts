import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, flushLogger } from '@weir/obs';

describe('flushLogger', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-log-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resolves once every queued line is in the file', async () => {
    expect.assertions(2);
    const file = path.join(dir, 'process.log');
    const destination = pino.destination({ dest: file, sync: false, minLength: 0 });
    const logger = createLogger({ name: 'test', destination });
    for (let i = 0; i < 2000; i++) logger.info({ i }, 'line');
    await flushLogger(logger);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2000);
    expect(JSON.parse(lines[1999] as string)).toMatchObject({ level: 'info', name: 'test', i: 1999, msg: 'line' });
    destination.end();
  });

  it('resolves when nothing was logged, and for a destroyed destination', async () => {
    expect.assertions(2);
    const destination = pino.destination({ dest: path.join(dir, 'idle.log'), sync: false, minLength: 0 });
    const logger = createLogger({ destination });
    await expect(flushLogger(logger)).resolves.toBeUndefined();
    await new Promise<void>((resolve) => {
      destination.once('close', () => resolve());
      destination.end();
    });
    await expect(flushLogger(logger)).resolves.toBeUndefined();
  });

  it('falls back to logger.flush for other destinations', async () => {
    expect.assertions(1);
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger({ destination: stream });
    logger.warn('hello');
    await flushLogger(logger);
    expect(chunks.join('')).toContain('"msg":"hello"');
  });
});

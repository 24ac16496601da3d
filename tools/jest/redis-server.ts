/**
 * A real `redis-server` for integration tests: a child process on 127.0.0.1 and a free port,
 * no persistence (`--save ''`, `--appendonly no`), ready when it answers PING.
 *
 * Without `redis-server` on PATH, `startRedisServer` returns null and writes one loud line to
 * stderr (console output fails tests, tools/jest/console-fail.ts, so it goes to the stream
 * directly); the test file then skips its Redis cases with `describeWithRedis`. With
 * WEIR_REQUIRE_REDIS=1 (CI) a missing binary throws instead, so CI cannot skip them silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, connect } from 'node:net';
import { delimiter, join } from 'node:path';

export interface RedisServerHandle {
  readonly port: number;
  /** Stops the server (SIGTERM, SIGKILL after 2 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/** The `redis-server` binary on PATH, or null. */
export function findRedisServer(): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * `describe` when `redis-server` is available, `describe.skip` (with a stderr line) when not;
 * throws under WEIR_REQUIRE_REDIS=1 when it is missing.
 */
export function describeWithRedis(): jest.Describe {
  if (findRedisServer() !== null) return describe;
  missing();
  return describe.skip;
}

function missing(): void {
  if (process.env['WEIR_REQUIRE_REDIS'] === '1') {
    throw new Error('redis-server is not on PATH and WEIR_REQUIRE_REDIS=1: install Redis to run the Redis tests');
  }
  process.stderr.write('\n*** redis-server not on PATH: SKIPPING the Redis integration tests (set WEIR_REQUIRE_REDIS=1 to fail instead) ***\n\n');
}

/** A port that was free a moment ago (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a redis-server and waits until it answers PING (polled every 25 ms, at most 10 s).
 * `port` reuses a known port (to bring a stopped server back at the same address); without it,
 * a free port is found, retried up to three times if another process takes it first.
 */
export async function startRedisServer(port?: number): Promise<RedisServerHandle | null> {
  const binary = findRedisServer();
  if (binary === null) {
    missing();
    return null;
  }
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const chosen = port ?? (await freePort());
    const child = spawn(
      binary,
      ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitForPing(chosen, child);
      return { port: chosen, stop: () => stopChild(child, exited) };
    } catch (error) {
      lastError = new Error(`redis-server on port ${chosen} did not start: ${String(error)}\n${output}`);
      await stopChild(child, exited);
      if (port !== undefined) break;
    }
  }
  throw lastError;
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('exited');
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no PONG within 10 s');
}

/** One PING over a fresh connection; true on `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

import * as path from 'node:path';
import type { LoadTlsMaterialOptions } from '@weir/config';
import { WeirError, fromErrorJSON } from '@weir/errors';
import { deepFreeze, encodeSpec, type Spec } from '@weir/runtime';
import { Piscina } from 'piscina';
import type { BuildTaskInput, BuildTaskResult } from './build-task';
import { configToSpec } from './config-to-spec';

/** A built snapshot: the spec (frozen) and its encoded bytes, ready for the fleet. */
export interface BuiltSpec {
  readonly spec: Spec;
  readonly bytes: Uint8Array;
}

/** What `SpecBuilder.build` takes besides the config. */
export interface BuildOptions {
  /** Version id override (see `BuildSpecOptions.version`). */
  readonly version?: string;
  /**
   * Validate the config first (in the build thread for {@link ThreadSpecBuilder}); an invalid
   * one rejects with WEIR_ERR_CONFIG_INVALID and every problem. The caller must have checked the
   * shape limits (`documentShapeError`). Default false: the config was validated already.
   */
  readonly validate?: boolean;
}

/**
 * Turns a config into a spec and its bytes. Every build reads the certificate files the config
 * names (`loadTlsMaterial`), validated or not: their PEM text is part of the spec.
 */
export interface SpecBuilder {
  build(config: unknown, options?: BuildOptions): Promise<BuiltSpec>;
  /** Release threads; later builds fail with WEIR_ERR_DRAINING. */
  close(): Promise<void>;
}

/**
 * The compiled task file. The same relative path works from `dist/apply/` (the daemon) and from
 * `src/apply/` (unit tests through ts-jest): both are two levels below the package root, and
 * piscina needs compiled JavaScript either way.
 */
export const BUILD_TASK_FILE = path.resolve(__dirname, '../../dist/apply/build-task.js');

/**
 * Spec size (encoded bytes) above which the build thread is replaced after the build. V8 keeps
 * a thread's heap at its high-water mark: after a 100,000-route build (8.6 MB) the thread held
 * about 250 MB for the primary's life (issue 15). A fresh thread costs ~30 ms at the next build.
 */
export const RECYCLE_THREAD_ABOVE_BYTES = 4 * 1024 * 1024;

/**
 * How long the build thread may sit idle before it exits. A thread holds its own V8 isolate with
 * the validator and the builder loaded: about 33 MiB of the primary's RSS (issue 13: an idle
 * primary measured 107 MiB with it, 74 MiB without). Applies come in bursts (a rollout, a CI
 * run), which keep the thread warm; the first build after a quiet spell pays the ~30 ms start.
 */
export const BUILD_THREAD_IDLE_MS = 30_000;

/**
 * Builds in one piscina worker thread, started on demand and kept while builds keep coming
 * (thread start-up costs ~30 ms and applies are serialised, so one warm thread is enough); it
 * exits after {@link BUILD_THREAD_IDLE_MS} without a build, and a build larger than
 * {@link RECYCLE_THREAD_ABOVE_BYTES} retires it at once, so its heap is returned.
 */
export class ThreadSpecBuilder implements SpecBuilder {
  private readonly filename: string;
  private readonly recycleAboveBytes: number;
  private readonly idleMs: number;
  private pool: Piscina<BuildTaskInput, BuildTaskResult> | null = null;
  private closed = false;
  private started = 0;

  /**
   * @param filename task file; default {@link BUILD_TASK_FILE}.
   * @param recycleAboveBytes default {@link RECYCLE_THREAD_ABOVE_BYTES}.
   * @param idleMs default {@link BUILD_THREAD_IDLE_MS}.
   */
  constructor(filename: string = BUILD_TASK_FILE, recycleAboveBytes: number = RECYCLE_THREAD_ABOVE_BYTES, idleMs: number = BUILD_THREAD_IDLE_MS) {
    this.filename = filename;
    this.recycleAboveBytes = recycleAboveBytes;
    this.idleMs = idleMs;
  }

  /** Build pools started so far (a recycled thread's pool is replaced at the next build). */
  get threadsStarted(): number {
    return this.started;
  }

  /** Build threads alive now: 0 before the first build and after the thread sat idle for `idleMs`. */
  get threadsAlive(): number {
    return this.pool === null ? 0 : this.pool.threads.length;
  }

  /** Resolves once no build thread is alive (at once when none is). */
  threadExited(): Promise<void> {
    const pool = this.pool;
    if (pool === null || pool.threads.length === 0) return Promise.resolve();
    return new Promise((resolve) => pool.once('workerDestroy', () => resolve()));
  }

  async build(config: unknown, options: BuildOptions = {}): Promise<BuiltSpec> {
    if (this.closed) throw new WeirError('WEIR_ERR_DRAINING', 'the spec builder is closed');
    if (this.pool === null) this.started += 1;
    this.pool ??= new Piscina<BuildTaskInput, BuildTaskResult>({
      filename: this.filename,
      name: 'buildTask',
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: this.idleMs,
    });
    const input: BuildTaskInput = {
      config,
      ...(options.version === undefined ? {} : { version: options.version }),
      ...(options.validate === true ? { validate: true } : {}),
    };
    const pool = this.pool;
    const result = await pool.run(input);
    if (result.ok && result.bytes.length > this.recycleAboveBytes && this.pool === pool) {
      this.pool = null;
      void pool.destroy();
    }
    if (!result.ok) throw fromErrorJSON(result.error);
    // The spec was cloned out of the thread: freeze the copy (published snapshots are immutable).
    return { spec: deepFreeze(result.spec), bytes: result.bytes };
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    if (pool !== null) await pool.destroy();
  }
}

/**
 * Builds on the calling thread. For tools and tests where blocking the event loop does not
 * matter (the CLI, unit tests); the daemon uses {@link ThreadSpecBuilder}.
 */
export class InlineSpecBuilder implements SpecBuilder {
  private closed = false;
  private readonly files: LoadTlsMaterialOptions | undefined;

  /** @param files how certificate files are read (tests); default the real files and clock. */
  constructor(files?: LoadTlsMaterialOptions) {
    this.files = files;
  }

  async build(config: unknown, options: BuildOptions = {}): Promise<BuiltSpec> {
    if (this.closed) throw new WeirError('WEIR_ERR_DRAINING', 'the spec builder is closed');
    const { spec } = configToSpec(config, {
      ...(options.validate === true ? { validate: true } : {}),
      ...(options.version === undefined ? {} : { version: options.version }),
      ...(this.files === undefined ? {} : { files: this.files }),
    });
    return { spec, bytes: encodeSpec(spec).slice() };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

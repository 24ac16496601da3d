import { run } from '../../src/main';
import type { TextSink } from '../../src/output';

/** A stream that keeps what is written, optionally pretending to be a terminal. */
export class CaptureSink implements TextSink {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
  ) {}

  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** What one weirctl run printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (for `--json` runs), undefined when it is not JSON. */
  readonly json: any;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** The environment weirctl sees. Default `{}`: a developer's own WEIR_TOKEN never leaks in. */
  readonly env?: Readonly<Record<string, string>>;
  /** Pretend stdout is a terminal (live rollout view). Default false. */
  readonly tty?: boolean;
  readonly columns?: number;
  readonly now?: () => number;
}

/** Run weirctl in this process (from source) with captured streams. */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const stdout = new CaptureSink(options.tty === true, options.columns ?? 100);
  const stderr = new CaptureSink();
  const code = await run(argv, { stdout, stderr, env: options.env ?? {}, ...(options.now === undefined ? {} : { now: options.now }) });
  let json: unknown;
  try {
    json = JSON.parse(stdout.text);
  } catch {
    json = undefined;
  }
  return { code, stdout: stdout.text, stderr: stderr.text, json };
}

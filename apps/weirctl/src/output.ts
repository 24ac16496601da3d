/** A stream weirctl writes to: process.stdout/stderr, or a capture in tests. */
export interface TextSink {
  write(chunk: string): unknown;
  /** True on a terminal: rollouts are then followed with a redrawn live view. */
  readonly isTTY?: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/** One error as weirctl reports it (human: on stderr; `--json`: `{"error":{...}}` on stdout). */
export interface ReportedError {
  readonly code: string;
  readonly message: string;
  readonly status?: number;
  readonly details?: readonly { readonly pointer: string; readonly message: string }[];
  /** A human hint (how to fix it); left out of the JSON form. */
  readonly hint?: string;
}

/**
 * Where every command writes. Human mode: results on stdout, notes and errors on stderr.
 * `--json` mode: exactly one JSON document on stdout (the API's answer, or `{"error":{...}}`);
 * human text is dropped, notes still go to stderr. The CLI's only writes to the process streams.
 */
export class Output {
  private documentWritten = false;

  constructor(
    /** `--json`. */
    readonly json: boolean,
    readonly stdout: TextSink,
    readonly stderr: TextSink,
  ) {}

  /** True when stdout is a terminal (and not `--json`): follow rollouts with a live view. */
  get live(): boolean {
    return !this.json && this.stdout.isTTY === true;
  }

  /** Width of the terminal on stdout, 80 when unknown. */
  get columns(): number {
    const columns = this.stdout.columns;
    return typeof columns === 'number' && columns > 20 ? columns : 80;
  }

  /** Human result lines on stdout; nothing in `--json` mode. */
  print(...lines: string[]): void {
    if (this.json) return;
    for (const line of lines) this.stdout.write(`${line}\n`);
  }

  /** A note on stderr, in both modes (it never mixes with the JSON document). */
  note(...lines: string[]): void {
    for (const line of lines) this.stderr.write(`${line}\n`);
  }

  /** The one JSON document of `--json` mode (pretty, 2 spaces); ignored in human mode and after the first. */
  document(value: unknown): void {
    if (!this.json || this.documentWritten) return;
    this.documentWritten = true;
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Report an error in the current mode. */
  error(err: ReportedError): void {
    if (this.json) {
      const error: Record<string, unknown> = { code: err.code, message: err.message };
      if (err.status !== undefined) error['status'] = err.status;
      if (err.details !== undefined) error['details'] = err.details;
      this.document({ error });
      return;
    }
    this.stderr.write(`weirctl: ${err.code}: ${err.message}\n`);
    for (const detail of err.details ?? []) this.stderr.write(`  ${detail.pointer || '/'}: ${detail.message}\n`);
    if (err.hint !== undefined) this.stderr.write(`  (${err.hint})\n`);
  }
}

import { createLogger, type Logger } from '@weir/obs';

/** One parsed log line. */
export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A real pino logger whose JSON lines are parsed into `lines`, synchronously. */
export class CapturedLog {
  readonly lines: LogLine[] = [];
  readonly logger: Logger;
  private waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];

  constructor() {
    this.logger = createLogger({
      level: 'debug',
      name: 'test',
      destination: { write: (chunk: string): void => this.push(JSON.parse(chunk) as LogLine) },
    });
  }

  /** Lines with this `msg`. */
  withMsg(msg: string): LogLine[] {
    return this.lines.filter((l) => l.msg === msg);
  }

  /** Resolves with the first line (already logged or to come) that satisfies `predicate`. */
  until(predicate: (line: LogLine) => boolean): Promise<LogLine> {
    const found = this.lines.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Resolves once `count` lines with `msg` have been logged. */
  untilCount(msg: string, count: number): Promise<LogLine> {
    let seen = 0;
    return this.until((l) => l.msg === msg && ++seen >= count);
  }

  private push(line: LogLine): void {
    this.lines.push(line);
    const still = [];
    for (const waiter of this.waiters) {
      if (waiter.predicate(line)) waiter.resolve(line);
      else still.push(waiter);
    }
    this.waiters = still;
  }
}

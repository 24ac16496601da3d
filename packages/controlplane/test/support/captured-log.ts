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
  readonly logger: Logger = createLogger({
    level: 'debug',
    name: 'test',
    destination: { write: (chunk: string): void => void this.lines.push(JSON.parse(chunk) as LogLine) },
  });

  withMsg(msg: string): LogLine[] {
    return this.lines.filter((l) => l.msg === msg);
  }
}

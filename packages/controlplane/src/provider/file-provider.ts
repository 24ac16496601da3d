import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseConfig } from '@weir/config';
import { WeirError } from '@weir/errors';

/**
 * Reads the config file. `load()` returns the parsed JSON, unvalidated: validation belongs to
 * the apply manager, the one gate every source goes through.
 *
 * The daemon calls `load()` at start-up and on SIGHUP (the nginx / HAProxy convention). A file
 * that cannot be read or parsed is reported and never replaces the running config.
 */
export class FileProvider {
  /** Absolute path of the config file. */
  readonly path: string;

  /** @param file config file path, resolved against the current directory. */
  constructor(file: string) {
    this.path = path.resolve(file);
  }

  /**
   * Read and parse the file.
   *
   * @throws WeirError WEIR_ERR_CONFIG_READ (missing, unreadable, a directory; `cause` holds the
   *   system error) or WEIR_ERR_CONFIG_PARSE (not JSON; the message gives line and column).
   */
  async load(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new WeirError('WEIR_ERR_CONFIG_READ', `cannot read config file ${this.path}: ${reason}`, { cause: err });
    }
    // Editors sometimes write a byte order mark; JSON.parse rejects it.
    const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    try {
      return JSON.parse(source) as unknown;
    } catch (err) {
      // parseConfig words JSON errors with line and column; reuse it rather than a second copy.
      const check = parseConfig(source);
      const reason = check.ok ? (err instanceof Error ? err.message : String(err)) : check.error.message;
      throw new WeirError('WEIR_ERR_CONFIG_PARSE', `${this.path}: ${reason}`, { cause: err });
    }
  }
}

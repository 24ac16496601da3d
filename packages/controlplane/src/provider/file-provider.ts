import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseConfig } from '@weir/config';
import { WeirError } from '@weir/errors';

/** A read of the config file: its parsed JSON and the sha256 (hex) of its exact bytes. */
export interface FileRead {
  readonly config: unknown;
  readonly hash: string;
}

/** sha256 (lower-case hex) of a file's bytes: the "content hash" compared by the watcher and the start-up rule. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads the config file. `load()` returns the parsed JSON, unvalidated: validation belongs to
 * the apply manager, the one gate every source goes through.
 *
 * The daemon reads it at start-up and on SIGHUP (the nginx / HAProxy convention), and
 * `FileWatcher` reads it when the file's directory changes. `read()` also gives the content hash
 * (sha256 of the exact bytes) that the watcher compares and the state directory records, so a
 * restart can tell whether the file changed since it was last applied. A file that cannot be
 * read or parsed is reported and never replaces the running config.
 *
 * Only the config file is read here. The certificate files a config names are read by every
 * build (`loadTlsMaterial`, in the build thread), and the apply manager compares spec hashes,
 * which cover their PEM text, not this file's hash: so a SIGHUP after a certificate renewal
 * applies the renewed certificate even though this file did not change.
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
    return this.parse(await this.readBytes());
  }

  /** Read and parse the file, with its content hash. Throws like {@link load}. */
  async read(): Promise<FileRead> {
    const bytes = await this.readBytes();
    return { config: this.parse(bytes), hash: contentHash(bytes) };
  }

  /**
   * The file's bytes.
   *
   * @throws WeirError WEIR_ERR_CONFIG_READ (missing, unreadable, a directory).
   */
  async readBytes(): Promise<Buffer> {
    try {
      return await readFile(this.path);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new WeirError('WEIR_ERR_CONFIG_READ', `cannot read config file ${this.path}: ${reason}`, { cause: err });
    }
  }

  /**
   * Parse bytes read from the file.
   *
   * @throws WeirError WEIR_ERR_CONFIG_PARSE (not JSON; the message gives line and column).
   */
  parse(bytes: Uint8Array): unknown {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
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

import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { AdminTokenConfig } from '@weir/config';
import type { Logger } from '@weir/obs';
import { writeFileAtomic } from '../state/index';
import { TOKEN_HASH_PATTERN, generateToken, hashToken } from './token-hash';

/** File name of the generated token's hash entry, in the state directory. */
export const BOOTSTRAP_HASH_FILE = 'admin-token.json';
/** File name of the generated token itself, in the state directory (mode 0600). */
export const BOOTSTRAP_TOKEN_FILE = 'admin-token';
/** Principal name of the generated token (audit log, history). */
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap';

/** Options of {@link BootstrapToken}. */
export interface BootstrapTokenOptions {
  /** The state directory (created if missing, mode 0700). */
  readonly stateDir: string;
  /** Where `admin token generated` is logged, with the token, once. */
  readonly logger: Logger;
}

/**
 * The admin token Weir makes for itself so the API is never open and never unusable: when the
 * config lists no `admin.tokens`, the first start generates one with the `admin` scope, keeps
 * its hash in `<stateDir>/admin-token.json`, writes the token to `<stateDir>/admin-token`
 * (mode 0600, readable only by the service user) and prints it once, at warn level, as
 * `admin token generated`. Later starts read the hash back and print nothing.
 *
 * It is accepted only while the config has no tokens: configuring tokens retires it (the files
 * stay, harmless, until deleted). Deleting both files makes the next start generate a new one.
 */
export class BootstrapToken {
  private readonly stateDir: string;
  private readonly logger: Logger;
  private loading: Promise<AdminTokenConfig> | null = null;

  constructor(options: BootstrapTokenOptions) {
    this.stateDir = options.stateDir;
    this.logger = options.logger;
  }

  /** Path of the token file. */
  get tokenFile(): string {
    return path.join(this.stateDir, BOOTSTRAP_TOKEN_FILE);
  }

  /**
   * The token's config entry: read from the state directory, or generated and stored. Memoised;
   * a failure (unwritable directory) is not, so a later call retries.
   *
   * @throws the file system error when the entry can be neither read nor stored.
   */
  ensure(): Promise<AdminTokenConfig> {
    if (this.loading === null) {
      this.loading = this.loadOrCreate();
      this.loading.catch(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  private async loadOrCreate(): Promise<AdminTokenConfig> {
    const hashFile = path.join(this.stateDir, BOOTSTRAP_HASH_FILE);
    const existing = await readEntry(hashFile);
    if (existing === 'corrupt') this.logger.warn({ file: hashFile }, 'admin token file is damaged; generating a new token');
    else if (existing !== null) {
      this.logger.info({ file: hashFile, tokenFile: this.tokenFile }, 'admin token from the state directory');
      return existing;
    }
    const token = generateToken();
    const entry: AdminTokenConfig = { name: BOOTSTRAP_TOKEN_NAME, hash: hashToken(token), scopes: ['admin'] };
    await mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.tokenFile, token + '\n', { mode: 0o600 });
    await writeFileAtomic(hashFile, JSON.stringify({ ...entry, createdAt: new Date().toISOString() }) + '\n', { mode: 0o600 });
    this.logger.warn(
      { token, tokenFile: this.tokenFile, scopes: entry.scopes, hint: 'no admin.tokens configured: use this bearer token (shown once; also in tokenFile)' },
      'admin token generated',
    );
    return entry;
  }
}

async function readEntry(file: string): Promise<AdminTokenConfig | 'corrupt' | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const value = JSON.parse(text) as Partial<AdminTokenConfig>;
    if (typeof value.hash === 'string' && TOKEN_HASH_PATTERN.test(value.hash)) {
      return { name: BOOTSTRAP_TOKEN_NAME, hash: value.hash, scopes: ['admin'] };
    }
  } catch {
    // Falls through: damaged.
  }
  return 'corrupt';
}

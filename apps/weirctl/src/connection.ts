import * as fs from 'node:fs';
import { CliError, usageError } from './cli-error';
import type { CommandLine } from './cli-options';
import { ExitCode } from './exit-codes';

/** Where the admin API is and how to authenticate: what an {@link AdminClient} needs. */
export interface ConnectionSettings {
  readonly url: string;
  readonly token: string;
  readonly requestTimeoutMs: number;
}

/** The default admin API address (admin-api.md). */
export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:9901';

/** The default timeout of one request (`--request-timeout`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** Environment variables weirctl reads. */
export interface ConnectionEnvironment {
  readonly WEIR_ADMIN_URL?: string | undefined;
  readonly WEIR_TOKEN?: string | undefined;
  readonly WEIR_TOKEN_FILE?: string | undefined;
}

function readTokenFile(file: string, origin: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError('WEIRCTL_ERR_FILE', ExitCode.USAGE, `${origin} ${file}: cannot read: ${(err as Error).message}`);
  }
  const token = text.trim();
  if (token === '') throw new CliError('WEIRCTL_ERR_FILE', ExitCode.USAGE, `${origin} ${file} is empty`);
  return token;
}

/**
 * The connection settings, first match wins: URL from `--url`, `WEIR_ADMIN_URL`, then
 * http://127.0.0.1:9901; token from `--token`, `--token-file`, `WEIR_TOKEN`, then
 * `WEIR_TOKEN_FILE` (files are trimmed). No token at all is a usage error (exit 2): every
 * endpoint weirctl calls needs one.
 */
export function resolveConnection(line: CommandLine, env: ConnectionEnvironment): ConnectionSettings {
  const url = line.string('url') ?? (env.WEIR_ADMIN_URL !== undefined && env.WEIR_ADMIN_URL !== '' ? env.WEIR_ADMIN_URL : DEFAULT_ADMIN_URL);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`the admin URL must be an http:// or https:// URL; got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw usageError(`the admin URL must be an http:// or https:// URL; got "${url}"`);
  if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') {
    throw usageError('the admin URL must not carry credentials, a query or a fragment');
  }
  const flagToken = line.string('token');
  const flagFile = line.string('token-file');
  if (flagToken !== undefined && flagFile !== undefined) throw usageError('pass either --token or --token-file, not both');
  let token: string | undefined;
  if (flagToken !== undefined) token = flagToken.trim();
  else if (flagFile !== undefined) token = readTokenFile(flagFile, '--token-file');
  else if (env.WEIR_TOKEN !== undefined && env.WEIR_TOKEN.trim() !== '') token = env.WEIR_TOKEN.trim();
  else if (env.WEIR_TOKEN_FILE !== undefined && env.WEIR_TOKEN_FILE !== '') token = readTokenFile(env.WEIR_TOKEN_FILE, 'WEIR_TOKEN_FILE');
  if (token === undefined || token === '') {
    throw usageError('no admin token: pass --token or --token-file, or set WEIR_TOKEN or WEIR_TOKEN_FILE');
  }
  const requestTimeoutMs = line.duration('request-timeout') ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return { url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`, token, requestTimeoutMs };
}

import * as fs from 'node:fs';
import { parseConfig } from '@weir/config';
import { toErrorJSON } from '@weir/errors';
import { CliError } from './cli-error';
import { ExitCode } from './exit-codes';

/** The text of a config file named on the command line; unreadable is exit 2. */
export function readConfigText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError('WEIRCTL_ERR_FILE', ExitCode.USAGE, `${file}: cannot read: ${(err as Error).message}`);
  }
}

/**
 * The JSON value of a config file's text, for requests that wrap the config (a rollout). Only
 * the JSON syntax is checked here (exit 1 with WEIR_ERR_CONFIG_PARSE and the line and column,
 * worded as `weirctl validate` and the daemon word it); the daemon checks everything else.
 */
export function parseConfigJson(file: string, text: string): unknown {
  const source = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(source) as unknown;
  } catch {
    const result = parseConfig(source);
    const message = result.ok ? 'config is not valid JSON' : toErrorJSON(result.error).message;
    throw new CliError('WEIR_ERR_CONFIG_PARSE', ExitCode.INVALID_CONFIG, `${file}: ${message}`);
  }
}

#!/usr/bin/env node
import * as fs from 'node:fs';
import { parseConfig } from '@weir/config';
import { toErrorJSON } from '@weir/errors';

/**
 * weirctl: the operator's command-line client. This first version validates config files offline
 * with exactly the checks the daemon runs; admin API commands (apply, diff, versions, rollback,
 * rollouts) arrive with the admin API.
 *
 * Exit codes: 0 valid, 1 invalid config, 2 usage error or unreadable file.
 */
const usage = `Usage: weirctl <command> [options]

Commands:
  validate FILE   Check a config file against the schema and semantic checks.
                  Prints "FILE: ok" or one line per problem: "<json-pointer>: <message>".
  help            Show this help.

Exit codes: 0 ok, 1 invalid config, 2 usage error or unreadable file.
`;

function validate(file: string): number {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`${file}: cannot read: ${(err as Error).message}\n`);
    return 2;
  }
  const result = parseConfig(text);
  if (result.ok) {
    process.stdout.write(`${file}: ok\n`);
    return 0;
  }
  const json = toErrorJSON(result.error);
  process.stderr.write(`${file}: ${json.code}: ${json.message}\n`);
  for (const detail of json.details ?? []) process.stderr.write(`  ${detail.pointer || '/'}: ${detail.message}\n`);
  return 1;
}

export function run(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  if (command === 'validate' && rest.length === 1 && rest[0] !== undefined) return validate(rest[0]);
  process.stderr.write(usage);
  return 2;
}

if (require.main === module) process.exitCode = run(process.argv.slice(2));

#!/usr/bin/env node
import * as path from 'node:path';
import { checkRepository } from './check';

/** `node tools/archcheck/dist/cli.js [root]`: print violations, exit 1 when there are any. */
const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', '..'));
const violations = checkRepository(root);
for (const v of violations) process.stderr.write(`${v.file}:${v.line} [${v.rule}] ${v.message}\n`);
process.stdout.write(violations.length === 0 ? 'archcheck: no violations\n' : `archcheck: ${violations.length} violation(s)\n`);
process.exitCode = violations.length === 0 ? 0 : 1;

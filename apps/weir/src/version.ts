import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The daemon's version, from apps/weir/package.json (read at run time: it is outside rootDir). */
export function readVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

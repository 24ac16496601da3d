import * as fs from 'node:fs';
import * as path from 'node:path';
import { WeirError } from '@weir/errors';
import { errorReply, type AdminReply } from './admin-reply';

/**
 * The operator console's static files (apps/console, issue 17), served by the admin server under
 * `/ui/`. Only the files named in {@link CONSOLE_FILES} are ever served, read once when the
 * server is made: a request path is looked up in that fixed map and never joined to a directory,
 * so no request can reach another file (no traversal, no symlink games, no directory listing).
 *
 * Every answer under `/ui` (the page, its assets, and the 404/405/503 answers) carries
 * {@link CONSOLE_HEADERS}: a CSP without inline script or style, no framing, no sniffing, no
 * referrer. The page needs no token; the API calls it makes carry the one typed in.
 */

/** URL path prefix of the console on the admin listener. */
export const CONSOLE_PREFIX = '/ui';

/** Request path (below `/ui/`) -> file in the built directory and its content type. */
export const CONSOLE_FILES: Readonly<Record<string, { readonly file: string; readonly contentType: string }>> = {
  '': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  'console.js': { file: 'console.js', contentType: 'text/javascript; charset=utf-8' },
  'console.css': { file: 'console.css', contentType: 'text/css; charset=utf-8' },
};

/** The Content-Security-Policy of every console response. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers on every console response (they override the API's `cache-control: no-store`). */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

/** The built console (`apps/console/dist`), found through the installed `@weir/console` package. */
export function defaultConsoleDir(): string {
  try {
    return path.join(path.dirname(require.resolve('@weir/console/package.json')), 'dist');
  } catch {
    // Not installed as a package (a copied tree): the monorepo layout, from src/ or dist/.
    return path.resolve(__dirname, '../../../../apps/console/dist');
  }
}

/** The console's files, read once; `serve` answers a `/ui` request from memory. */
export class ConsoleAssets {
  private readonly files: ReadonlyMap<string, { readonly contentType: string; readonly text: string }>;
  /** Why the console cannot be served (the bundle is missing), or null. */
  readonly missing: string | null;

  constructor(dir: string = defaultConsoleDir()) {
    const files = new Map<string, { contentType: string; text: string }>();
    let missing: string | null = null;
    for (const [name, entry] of Object.entries(CONSOLE_FILES)) {
      try {
        files.set(name, { contentType: entry.contentType, text: fs.readFileSync(path.join(dir, entry.file), 'utf8') });
      } catch {
        missing ??= `the console is not built (${entry.file} is missing in ${dir}): run npm run build`;
      }
    }
    this.files = missing === null ? files : new Map();
    this.missing = missing;
  }

  /** True when `pathname` (no query) belongs to the console: `/ui` or below `/ui/`. */
  static owns(pathname: string): boolean {
    return pathname === CONSOLE_PREFIX || pathname.startsWith(`${CONSOLE_PREFIX}/`);
  }

  /**
   * The answer to `method pathname` (a path {@link owns} accepted). `enabled` is the config's
   * `admin.console`: false answers 404 as if there were no console.
   */
  serve(method: string, pathname: string, enabled: boolean): AdminReply {
    if (!enabled) return errorReply(new WeirError('WEIR_ERR_ADMIN_NOT_FOUND', 'the console is turned off (admin.console)'), CONSOLE_HEADERS);
    if (pathname === CONSOLE_PREFIX) return { status: 308, headers: { ...CONSOLE_HEADERS, location: `${CONSOLE_PREFIX}/` } };
    const name = pathname.slice(CONSOLE_PREFIX.length + 1);
    if (!Object.prototype.hasOwnProperty.call(CONSOLE_FILES, name)) {
      return errorReply(new WeirError('WEIR_ERR_ADMIN_NOT_FOUND', 'the console has no file at this path'), CONSOLE_HEADERS);
    }
    if (method !== 'GET') {
      return errorReply(new WeirError('WEIR_ERR_ADMIN_METHOD_NOT_ALLOWED', 'the console accepts GET'), { ...CONSOLE_HEADERS, allow: 'GET' });
    }
    const file = this.files.get(name);
    if (file === undefined) {
      const text = `Weir console unavailable: ${this.missing ?? 'not built'}.\nThe admin API itself works; see apps/console/README.md.\n`;
      return { status: 503, raw: { contentType: 'text/plain; charset=utf-8', text }, headers: CONSOLE_HEADERS };
    }
    return { status: 200, raw: { contentType: file.contentType, text: file.text }, headers: CONSOLE_HEADERS };
  }
}

import { scryptSync, randomBytes } from 'node:crypto';
import type { JwksSource, PluginDeps, PluginRequest, PluginResponse } from '../../src/index';

/** A PluginRequest as the exchange would hand it, with every field assigned. */
export class TestRequest implements PluginRequest {
  method: string;
  host: string;
  clientAddress: string;
  secure: boolean;
  path: string;
  headers: string[];
  responseHeaders: string[] | null = null;
  requestId: string | null = null;
  traceId: string | null;
  claims: Readonly<Record<string, unknown>> | null = null;
  principal: string | null = null;

  constructor(init: { method?: string; host?: string; clientAddress?: string; secure?: boolean; path?: string; headers?: string[]; traceId?: string | null } = {}) {
    this.method = init.method ?? 'GET';
    this.host = init.host ?? 'example.com';
    this.clientAddress = init.clientAddress ?? '192.0.2.1';
    this.secure = init.secure ?? false;
    this.path = init.path ?? '/';
    this.headers = init.headers ?? [];
    this.traceId = init.traceId ?? null;
  }
}

/** A response whose headers the response phase edits. */
export function testResponse(status = 200, headers: string[] = []): PluginResponse {
  return { status, headers };
}

/** A JWKS source tests switch by hand. */
export class TestJwksSource implements JwksSource {
  readonly sets = new Map<string, { readonly keys: readonly Readonly<Record<string, unknown>>[] }>();
  get(url: string): { readonly keys: readonly Readonly<Record<string, unknown>>[] } | null {
    return this.sets.get(url) ?? null;
  }
}

/** Deps with an empty JWKS source and a fixed clock. */
export function testDeps(now = () => Date.UTC(2026, 0, 1), jwks: JwksSource = new TestJwksSource()): PluginDeps {
  return { jwks, now };
}

/** A PHC scrypt string as `weirctl hash-secret` writes it, at a low cost for tests (ln=4). */
export function scryptPhc(password: string, ln = 4, r = 8, p = 1): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 2 ** ln, r, p });
  const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');
  return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(hash)}`;
}

/** `Authorization: Basic` value for user:password. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** True for a promise. */
export function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

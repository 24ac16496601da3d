import { createHash } from 'node:crypto';
import { getHeader, setHeader } from '../header-list';
import { CONTINUE, type Plugin, type PluginOutcome, type PluginReply, type PluginRequest } from '../plugin';
import type { BasicAuthPluginSpec } from '../plugin-spec';
import { errorReply, quotedString } from '../reply';
import { BoundedCache } from './bounded-cache';
import { decoyScryptHash, parseScryptHash, verifyScrypt, type ScryptHash } from './scrypt-hash';

/** Successful checks remembered per plugin instance (i.e. per config version). */
export const BASIC_AUTH_CACHE_SIZE = 1024;

/** Credentials decoded from `Authorization: Basic <base64(user:password)>`. */
interface Credentials {
  readonly user: string;
  readonly password: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes an `Authorization` value of the Basic scheme (RFC 7617 section 2: scheme
 * case-insensitive, the user-id ends at the first colon, UTF-8). Null for any other value.
 */
export function parseBasicCredentials(value: string): Credentials | null {
  if (value.length < 7 || value.slice(0, 6).toLowerCase() !== 'basic ') return null;
  const token = value.slice(6).trim();
  if (!BASE64.test(token)) return null;
  const decoded = Buffer.from(token, 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon === -1) return null;
  return { user: decoded.subarray(0, colon).toString('utf8'), password: decoded.subarray(colon + 1) };
}

/**
 * `basicAuth`: HTTP Basic authentication (RFC 7617) against scrypt PHC hashes.
 *
 * - No `Authorization`, another scheme, malformed credentials, an unknown user or a wrong
 *   password: 401 WEIR_ERR_UNAUTHORIZED with `WWW-Authenticate: Basic realm="<realm>",
 *   charset="UTF-8"`. The body is the catalogue's; neither user nor password is ever echoed.
 * - scrypt runs on the thread pool (`crypto.scrypt`, about 50 ms at ln=14), and an unknown
 *   user is checked against a decoy hash of the same cost, so timing does not reveal which
 *   users exist.
 * - A successful check is remembered in a bounded LRU map (BASIC_AUTH_CACHE_SIZE entries) keyed
 *   by sha256 of the whole `Authorization` value, never the value itself: a valid client pays
 *   scrypt once per config version, later requests are answered synchronously. Concurrent
 *   requests with the same value share one scrypt computation. Failures are not remembered.
 * - On success `req.principal` is the user name and, with `userHeader`, that header is set to
 *   it (replacing any value the client sent). `Authorization` is forwarded unchanged (as
 *   Kong's `hide_credentials: false`); add `requestHeaders` `remove: ["authorization"]` after
 *   this plugin to drop it.
 */
export class BasicAuthPlugin implements Plugin {
  readonly type = 'basicAuth';
  private readonly users: ReadonlyMap<string, ScryptHash>;
  private readonly decoy: ScryptHash | null;
  private readonly userHeader: string | null;
  private readonly refusal: PluginReply;
  private readonly verified = new BoundedCache<string>(BASIC_AUTH_CACHE_SIZE);
  /** Checks in flight by cache key. */
  private readonly pending = new Map<string, Promise<string | null>>();

  constructor(spec: BasicAuthPluginSpec) {
    const users = new Map<string, ScryptHash>();
    let costliest: ScryptHash | null = null;
    for (const user of spec.users) {
      const hash = parseScryptHash(user.passwordHash);
      users.set(user.name, hash);
      if (costliest === null || hash.ln * hash.r * hash.p > costliest.ln * costliest.r * costliest.p) costliest = hash;
    }
    this.users = users;
    this.decoy = costliest === null ? null : decoyScryptHash(costliest);
    this.userHeader = spec.userHeader === null ? null : spec.userHeader.toLowerCase();
    this.refusal = errorReply('WEIR_ERR_UNAUTHORIZED', ['www-authenticate', `Basic realm=${quotedString(spec.realm)}, charset="UTF-8"`]);
  }

  onRequest(req: PluginRequest): PluginOutcome | Promise<PluginOutcome> {
    const value = getHeader(req.headers, 'authorization');
    if (value === null || this.decoy === null) return this.refusal;
    const key = createHash('sha256').update(value).digest('base64');
    const known = this.verified.get(key);
    if (known !== undefined) return this.accept(req, known);
    let pending = this.pending.get(key);
    if (pending === undefined) {
      const credentials = parseBasicCredentials(value);
      if (credentials === null) return this.refusal;
      pending = this.check(credentials, key);
      this.pending.set(key, pending);
    }
    return this.settle(req, pending);
  }

  private accept(req: PluginRequest, user: string): PluginOutcome {
    req.principal = user;
    if (this.userHeader !== null) setHeader(req.headers, this.userHeader, user);
    return CONTINUE;
  }

  private async settle(req: PluginRequest, pending: Promise<string | null>): Promise<PluginOutcome> {
    const user = await pending;
    return user === null ? this.refusal : this.accept(req, user);
  }

  /** The user name when the credentials are valid, else null; remembers a success under `key`. */
  private async check(credentials: Credentials, key: string): Promise<string | null> {
    try {
      const hash = this.users.get(credentials.user);
      // Always awaits before `finally`, so the entry is deleted after onRequest stored it.
      const ok = await verifyScrypt(credentials.password, hash ?? (this.decoy as ScryptHash));
      if (!ok || hash === undefined) return null;
      this.verified.set(key, credentials.user);
      return credentials.user;
    } finally {
      this.pending.delete(key);
    }
  }
}

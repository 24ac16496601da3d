import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { WeirError } from '@weir/errors';

/**
 * A password hash in the PHC string format for scrypt, as `weirctl hash-secret` writes it:
 *
 * ```
 *   $scrypt$ln=14,r=8,p=1$<salt>$<hash>
 *            |     |   |   base64 without padding (PHC "B64"), salt >= 8 bytes, hash 16-64 bytes
 *            |     |   parallelism
 *            |     block size
 *            log2 of the cost N (N = 16384 for ln=14, about 16 MiB and 50 ms per check)
 * ```
 */
export interface ScryptHash {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Limits that keep one check under about 1 GiB and a few seconds; weirctl writes ln=14,r=8,p=1. */
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;

/**
 * Parses a PHC scrypt string; throws WEIR_ERR_CONFIG_INVALID (naming the problem, never the
 * hash) for anything else or for parameters outside the limits.
 */
export function parseScryptHash(phc: string): ScryptHash {
  const m = PHC.exec(phc);
  const invalid = (why: string): WeirError => new WeirError('WEIR_ERR_CONFIG_INVALID', `passwordHash: ${why}; expected $scrypt$ln=14,r=8,p=1$<salt>$<hash> (weirctl hash-secret)`);
  if (m === null) throw invalid('not a PHC scrypt string');
  const ln = Number(m[1]);
  const r = Number(m[2]);
  const p = Number(m[3]);
  if (ln < 1 || ln > MAX_LN || r < 1 || r > MAX_R || p < 1 || p > MAX_P) throw invalid(`parameters out of range (ln 1-${MAX_LN}, r 1-${MAX_R}, p 1-${MAX_P})`);
  const salt = Buffer.from(m[4] as string, 'base64');
  const hash = Buffer.from(m[5] as string, 'base64');
  if (salt.length < 8) throw invalid('salt shorter than 8 bytes');
  if (hash.length < 16 || hash.length > 64) throw invalid('hash not 16-64 bytes');
  return { ln, r, p, salt, hash };
}

/** A hash no password matches, with the cost of `like`: checked for unknown users so their timing matches known ones. */
export function decoyScryptHash(like: ScryptHash): ScryptHash {
  return { ln: like.ln, r: like.r, p: like.p, salt: randomBytes(16), hash: randomBytes(like.hash.length) };
}

/**
 * True when `password` (its bytes, as sent) hashes to `expected`. Runs `crypto.scrypt` on the
 * libuv thread pool, so the event loop is not blocked; compares in constant time.
 */
export function verifyScrypt(password: Buffer, expected: ScryptHash): Promise<boolean> {
  const N = 2 ** expected.ln;
  // Node refuses a computation needing more than maxmem (128 * N * r bytes, plus a little).
  const maxmem = 128 * N * expected.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, expected.salt, expected.hash.length, { N, r: expected.r, p: expected.p, maxmem }, (err, derived) => {
      if (err !== null) reject(err);
      else resolve(timingSafeEqual(derived, expected.hash));
    });
  });
}

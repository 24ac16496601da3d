/**
 * Syntax of a `Host` value and of an absolute-form target's authority (RFC 9110 section 7.2:
 * `Host = uri-host [ ":" port ]`, with `uri-host` and `port` from RFC 3986 section 3.2.2-3.2.3).
 * Node's parser only checks that a field value has no control bytes, so `Host: a/b`, `Host: u@a`,
 * `Host: a b` or `Host: ::1` reach the router and, forwarded as sent, an upstream that may split
 * them differently (the classic Host confusion behind cache poisoning and routing bypasses).
 *
 * Accepted, byte by byte (no structure of an IP address is checked, only its characters):
 * - a reg-name: unreserved (`A-Z a-z 0-9 - . _ ~`), `%HH`, and the sub-delims
 *   `! $ & ' ( ) * + ; =`, but not `,`: `Host` is a singleton field, and a comma is what two
 *   `Host` lines look like after an intermediary joined them (RFC 9110 section 5.3);
 * - an IP-literal: `[`, then hex digits, `:`, `.`, `%` (a zone, RFC 6874) or the characters
 *   above (IPvFuture), then `]`;
 * - then optionally `:` and digits (an empty port is allowed, RFC 3986 section 3.2.3).
 *
 * Refused: everything else, in particular `/ ? # @ [ ] \` outside a literal, spaces and tabs,
 * `"`, `<`, `>`, and bytes above 0x7e (non-ASCII names must arrive as IDNA A-labels).
 */

/** Bit of `CLASS`: may appear in a reg-name (except `%`, checked apart). */
const REG_NAME = 1;
/** Bit of `CLASS`: may appear between the brackets of an IP-literal. */
const LITERAL = 2;
/** Bit of `CLASS`: an ASCII hexadecimal digit. */
const HEX = 4;

/** Character classes of the 128 ASCII bytes; bytes above 0x7f are in no class. */
const CLASS = buildClasses();

function buildClasses(): Uint8Array {
  const table = new Uint8Array(128);
  const mark = (chars: string, bits: number): void => {
    for (let i = 0; i < chars.length; i++) {
      const c = chars.charCodeAt(i);
      table[c] = (table[c] as number) | bits;
    }
  };
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const digits = '0123456789';
  mark(alpha + digits + "-._~!$&'()*+;=", REG_NAME | LITERAL);
  mark(':%', LITERAL);
  mark(digits + 'ABCDEFabcdef', HEX);
  return table;
}

const COLON = 0x3a;
const PERCENT = 0x25;
const OPEN = 0x5b;
const CLOSE = 0x5d;

/**
 * Whether `value` is a syntactically valid `Host` value (see the module comment). The empty
 * value is valid: a client sends it when the target URI has no authority (RFC 9110 section
 * 7.2). One pass with a table lookup per byte, no allocation.
 */
export function isValidHost(value: string): boolean {
  const n = value.length;
  let i = 0;
  if (n !== 0 && value.charCodeAt(0) === OPEN) {
    for (i = 1; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c === CLOSE) break;
      if (c > 0x7f || ((CLASS[c] as number) & LITERAL) === 0) return false;
    }
    // No `]`, or `[]`.
    if (i === n || i === 1) return false;
    i++;
  } else {
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c === COLON) break;
      if (c > 0x7f) return false;
      if (((CLASS[c] as number) & REG_NAME) !== 0) continue;
      if (c !== PERCENT || i + 2 >= n || !isHex(value.charCodeAt(i + 1)) || !isHex(value.charCodeAt(i + 2))) return false;
      i += 2;
    }
  }
  if (i === n) return true;
  if (value.charCodeAt(i) !== COLON) return false;
  for (i++; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function isHex(c: number): boolean {
  return c <= 0x7f && ((CLASS[c] as number) & HEX) !== 0;
}

/**
 * Whether an absolute-form target's authority and the `Host` value name the same host and port:
 * equal ignoring ASCII case, once a port equal to the scheme's default (`defaultPort`, `80` or
 * `443`) or an empty port is dropped from either (RFC 3986 section 6.2.3: `http://a:80/` and
 * `http://a/` are the same URI). Both are already known to be valid (`isValidHost`). Only asked
 * for absolute-form targets, which only forward-proxy clients send: it may allocate.
 */
export function sameAuthority(authority: string, host: string, defaultPort: string): boolean {
  if (equalsIgnoringCase(authority, host)) return true;
  return equalsIgnoringCase(withoutDefaultPort(authority, defaultPort), withoutDefaultPort(host, defaultPort));
}

function withoutDefaultPort(value: string, defaultPort: string): string {
  const colon = value.lastIndexOf(':');
  // A colon inside an IP-literal is not a port separator.
  if (colon === -1 || colon < value.lastIndexOf(']')) return value;
  const port = value.slice(colon + 1);
  return port.length === 0 || port === defaultPort ? value.slice(0, colon) : value;
}

function equalsIgnoringCase(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

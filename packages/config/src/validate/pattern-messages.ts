/**
 * Operator-readable wording for every `pattern` in the schema, keyed by the pattern's exact
 * source. Without it ajv says `must match pattern "^/[^?#\s]*$"`, which tells an operator
 * nothing. A test checks that every pattern in the schema has an entry here.
 */
export const patternMessages: ReadonlyMap<string, string> = new Map([
  ['^[A-Za-z0-9][A-Za-z0-9._-]*$', 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"'],
  ['^(?:stdout|/.+)$', 'must be "stdout" or an absolute file path'],
  ['^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$', 'must be an HTTP token (letters, digits and !#$%&\'*+-.^_`|~, no spaces)'],
  [
    '^(?:(?:\\*\\.)?[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*|\\[[0-9A-Fa-f:.]+\\])$',
    'must be a host name ("example.com"), a wildcard with "*" as its whole first label ("*.example.com") or a bracketed IPv6 address',
  ],
  ['^/[^?#\\s]*$', 'must start with "/" and contain no "?", "#" or whitespace'],
  ['^[^\\r\\n\\u0000]*$', 'must not contain CR, LF or NUL characters'],
  ['^sha256\\$[A-Za-z0-9_-]{16,64}\\$[0-9a-f]{64}$', 'must be "sha256$<salt>$<64 hex digits>" as printed by "weir token" (never the token itself)'],
  [
    '^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*|\\[[0-9A-Fa-f:.]+\\])$',
    'must be a host name ("admin.example.com"), an IPv4 address or a bracketed IPv6 address, without a port',
  ],
  ['^/[^#\\s]*$', 'must start with "/" and contain no "#" or whitespace'],
  [
    '^(?:\\*\\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$',
    'must be a DNS name ("example.com") or a wildcard with "*" as its whole first label ("*.example.com"), not an IP address',
  ],
  [
    '^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$',
    'must be a DNS name ("backend.internal"), not an IP address or a wildcard',
  ],
  ['^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$', 'must be an http:// or https:// URL without whitespace'],
  ['^[Hh][Tt][Tt][Pp][Ss]?://[^\\s@]+$', 'must be an http:// or https:// URL without whitespace or credentials'],
  ['^[!-~]+$', 'must be visible ASCII characters, without spaces'],
  ['^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'must be 1-64 letters, digits, ".", "_" and "-", starting with a letter or digit'],
  ['^[A-Za-z0-9+/]{43}=$', 'must be a 32-byte ed25519 public key in base64 (44 characters ending in "=", as in the publicKey field of ID.pub)'],
  ['^(?:\\*|[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+)$', 'must be "*" or an origin: http:// or https://, a host and an optional port, without a path ("https://app.example.com")'],
  ['^(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):[0-9]{1,5}$', 'must be host:port: an IPv4 address, a bracketed IPv6 address or a DNS name, then ":" and the port ("127.0.0.1:6379")'],
  ['^[!-~]*$', 'must contain only visible ASCII characters (no spaces)'],
  ['^[0-9A-Fa-f:.]+(?:/[0-9]{1,3})?$', 'must be an IPv4 or IPv6 address, optionally with a prefix length ("10.0.0.0/8", "2001:db8::/32")'],
  ['^[0-9a-f]{64}$', 'must be 64 lower-case hex digits: the SHA-256 of the key as printed by "weirctl hash-secret --sha256" (never the key itself)'],
  ['^[A-Za-z0-9._~-]+$', 'must contain only letters, digits, ".", "_", "~" and "-"'],
  ['^[^"\\\\\\u0000-\\u001f\\u007f]+$', 'must not contain a double quote, a backslash or control characters'],
  ['^[^:\\u0000-\\u001f\\u007f]+$', 'must not contain ":" or control characters (RFC 7617)'],
  ['^[^\\s?#]+$', 'must not contain whitespace, "?" or "#"'],
  ['^[^\\s]+$', 'must not contain whitespace'],
  ['^\\$scrypt\\$ln=[1-9][0-9]?,r=[1-9][0-9]{0,2},p=[1-9][0-9]{0,2}\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+$', 'must be "$scrypt$ln=<n>,r=<n>,p=<n>$<salt>$<hash>" (base64 without padding) as printed by "weirctl hash-secret" (never the password itself)'],
  [
    '^[\\u0021\\u0023-\\u002b\\u002d-\\u003a\\u003c-\\u005b\\u005d-\\u007e]*$',
    'must contain only RFC 6265 cookie-octets: visible ASCII except double quote, comma, semicolon and backslash (no spaces)',
  ],
]);

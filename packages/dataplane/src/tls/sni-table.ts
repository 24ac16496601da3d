/**
 * Which certificate answers a TLS ClientHello's server name (SNI): pure selection, apart from
 * the node:tls wiring (`listener-tls.ts`), so it is tested without a handshake.
 *
 * Order, as nginx, Caddy and Envoy's filter-chain `server_names` do it:
 * 1. an exact name (`a.example`);
 * 2. a wildcard one label deep (`*.b.example` matches `x.b.example`, not `b.example` nor
 *    `y.x.b.example`, RFC 6125 section 6.4.3);
 * 3. the default entry: for a client that sent no SNI (the caller never asks then) or a name
 *    nothing matches.
 *
 * Names are compared in lower case without a trailing dot. When two entries claim the same name,
 * the first one added wins (config order), which validation reports when it can see it.
 */
export class SniTable<T> {
  private readonly exact = new Map<string, T>();
  private readonly wildcard = new Map<string, T>();
  readonly defaultEntry: T;

  constructor(defaultEntry: T) {
    this.defaultEntry = defaultEntry;
  }

  /** Adds `value` for each of `names` (exact names and `*.` wildcards). */
  add(names: readonly string[], value: T): this {
    for (let i = 0; i < names.length; i++) {
      const name = normaliseServerName(names[i] as string);
      if (name.startsWith('*.')) {
        const suffix = name.slice(2);
        if (!this.wildcard.has(suffix)) this.wildcard.set(suffix, value);
      } else if (!this.exact.has(name)) {
        this.exact.set(name, value);
      }
    }
    return this;
  }

  /** The entry for a server name sent by a client. */
  lookup(serverName: string): T {
    const name = normaliseServerName(serverName);
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    const dot = name.indexOf('.');
    if (dot > 0) {
      const wild = this.wildcard.get(name.slice(dot + 1));
      if (wild !== undefined) return wild;
    }
    return this.defaultEntry;
  }
}

/** Lower case, no trailing dot (`A.Example.` -> `a.example`). */
export function normaliseServerName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

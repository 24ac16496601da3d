import type { JwksSource } from '@weir/plugins';

type Jwks = { readonly keys: readonly Readonly<Record<string, unknown>>[] };

/**
 * The key sets of JWKS URLs in this worker, as the primary last sent them (`weir:jwks`). Shared
 * by every runtime: a JWT plugin reads its URL's set per verification, so a key rotation
 * reaches requests without a new config version. Each update replaces the object, which is how
 * plugins notice a change (they rebuild their key lookup only then).
 */
export class JwksStore implements JwksSource {
  private readonly sets = new Map<string, Jwks>();

  get(url: string): Jwks | null {
    return this.sets.get(url) ?? null;
  }

  set(url: string, jwks: Jwks): void {
    this.sets.set(url, jwks);
  }

  get size(): number {
    return this.sets.size;
  }
}

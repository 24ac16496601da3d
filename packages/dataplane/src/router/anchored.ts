/** Builds an anchored regex once: config regexes match the whole string. No `g` flag, so `test` is stateless. */
export function anchored(source: string): RegExp {
  return new RegExp(`^(?:${source})$`);
}

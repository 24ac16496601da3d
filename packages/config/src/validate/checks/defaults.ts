/**
 * The schema defaults that semantic checks need to reason about an omitted field. They mirror
 * `weir.schema.json` (`default` keywords); a test fails when the two disagree.
 */
export const configDefaults = {
  /** `listeners[].address` */
  listenerAddress: '127.0.0.1',
  /** `listeners[].limits.headersTimeoutMs` */
  headersTimeoutMs: 10000,
} as const;

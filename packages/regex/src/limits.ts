/**
 * Default cap on a pattern's compiled program size, in RE2 instructions (the number
 * `programSize()` reports). Envoy's `re2.max_program_size.error_level` defaults to the same 100.
 *
 * Matching costs at most `input length x program size` steps, so this bound, together with the
 * listener's `maxHeaderBytes` (which bounds the path and every header value a pattern sees), caps
 * the worst case of one match. Measured here (re2js 2.10, Node 20): a program of 102
 * instructions against 4,000 adversarial characters took 0.6 ms on average and 8 ms at worst
 * with a cold DFA. A config can raise the cap with `server.regexMaxProgramSize`.
 */
export const DEFAULT_MAX_PROGRAM_SIZE = 100;

/** The largest cap a config may set: beyond it one match can cost tens of milliseconds. */
export const MAX_PROGRAM_SIZE_CEILING = 10_000;

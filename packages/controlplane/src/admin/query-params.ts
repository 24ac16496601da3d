import { WeirError } from '@weir/errors';

/**
 * A whole-number query parameter within `[min, max]`: `fallback` when absent.
 *
 * @throws WeirError WEIR_ERR_BAD_REQUEST when it is present but not a whole number in range.
 */
export function wholeNumberParam(query: string, name: string, min: number, max: number, fallback: number): number {
  const raw = new URLSearchParams(query).get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new WeirError('WEIR_ERR_BAD_REQUEST', `${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

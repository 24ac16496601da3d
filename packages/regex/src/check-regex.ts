import { LinearRegex } from './linear-regex';

/**
 * The validation form of `LinearRegex.compile`: null when `source` compiles within
 * `maxProgramSize`, otherwise the problem as a message for an operator. Never throws.
 */
export function checkRegex(source: string, maxProgramSize: number): string | null {
  try {
    LinearRegex.compile(source, maxProgramSize);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

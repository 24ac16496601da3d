/**
 * Console output fails a test (STYLE.md rule 14, after typescript-eslint's console-fail-test).
 * Library code logs through @weir/obs; a stray console call is a bug or a debugging leftover.
 */
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;

for (const method of methods) {
  // eslint-disable-next-line no-console
  console[method] = (...args: unknown[]): void => {
    throw new Error(`console.${method} called in a test: ${args.map(String).join(' ')}`);
  };
}

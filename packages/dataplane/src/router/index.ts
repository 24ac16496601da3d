/**
 * Router module: the compiled host/path/method/header route table (DESIGN.md section 3, step 2).
 */
export { Router, RouterBuilder } from './router';
export type { RouterEntry } from './router';
export { normaliseHost } from './normalise-host';

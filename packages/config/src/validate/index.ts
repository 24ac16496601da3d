export { validateConfig } from './validate-config';
export { parseConfig } from './parse-config';
export type { ConfigCheck } from './config-check';
export { DOCUMENT_LIMITS, documentLimitProblems, documentShapeError } from './document-limits';

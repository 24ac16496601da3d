export { validateConfig } from './validate-config';
export { parseConfig } from './parse-config';
export type { ConfigCheck } from './config-check';
export { DOCUMENT_LIMITS, documentLimitProblems, documentShapeError } from './document-limits';
export { invalidConfigError } from './invalid-config-error';
export { jsonPointer } from './json-pointer';
export { serverNameClashes, serverNameClashMessage } from './checks/server-name-clashes';
export type { ClaimedNames, ServerNameClash } from './checks/server-name-clashes';

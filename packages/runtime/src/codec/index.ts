export { encodeSpec, decodeSpec, decodeSpecAsync, ROUTES_PER_CHUNK } from './spec-codec';
export { yieldToEventLoop, runSteps, runStepsAsync } from './steps';
export type { YieldFn } from './steps';

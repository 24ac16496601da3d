export { shouldSample } from './should-sample';
export type { SamplingPolicy } from './should-sample';

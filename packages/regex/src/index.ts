export { LinearRegex } from './linear-regex';
export { LinearRegexSet } from './linear-regex-set';
export { checkRegex } from './check-regex';
export { DEFAULT_MAX_PROGRAM_SIZE, MAX_PROGRAM_SIZE_CEILING } from './limits';

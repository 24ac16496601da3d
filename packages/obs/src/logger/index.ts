export { createLogger } from './create-logger';
export type { Logger, LogLevel, LoggerOptions } from './create-logger';
export { flushLogger } from './flush-logger';

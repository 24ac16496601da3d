export { AccessLog, createAccessLog } from './access-log';
export type { AccessLogOptions, CreateAccessLogOptions } from './access-log';
export type { AccessRecord } from './access-record';

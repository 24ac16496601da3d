export type * from './config';

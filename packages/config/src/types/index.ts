export type * from './config';
export type * from './route';
export type * from './upstream';
export type * from './admin';
export type * from './edge';
export type * from './pull';
export type * from './policy';
export type * from './traffic';

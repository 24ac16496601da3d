export { catalogue, errorCodes } from './catalogue';
export type { CatalogueEntry, ErrorCode, ErrorSource } from './catalogue';
export { WeirError, isWeirError, toErrorJSON, fromErrorJSON } from './weir-error';
export type { ErrorJSON, ErrorDetail, WeirErrorOptions } from './weir-error';
export { errorBodyBuffer } from './http-body';
export type { ErrorBody } from './http-body';

import { catalogue, type ErrorCode, type ErrorSource } from './catalogue';

/**
 * The JSON form of an error: what crosses IPC and what an HTTP error body holds.
 * `pointer` is a JSON pointer into a config when the error concerns one value.
 */
export interface ErrorJSON {
  readonly code: ErrorCode;
  readonly message: string;
  readonly pointer?: string;
  /** Further problems of the same kind (a config with several invalid values). */
  readonly details?: readonly ErrorDetail[];
}

/** One problem inside a larger error, such as one invalid value of a config. */
export interface ErrorDetail {
  readonly pointer: string;
  readonly message: string;
}

export interface WeirErrorOptions {
  readonly cause?: unknown;
  readonly pointer?: string;
  readonly details?: readonly ErrorDetail[];
}

/**
 * The base class of every error Weir raises. Tests assert on `code`, never on the message.
 */
export class WeirError extends Error {
  override readonly name = 'WeirError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly source: ErrorSource;
  readonly retryable: boolean;
  readonly pointer: string | undefined;
  readonly details: readonly ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message?: string, options?: WeirErrorOptions) {
    const entry = catalogue[code];
    super(message ?? entry.description, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = entry.status;
    this.source = entry.source;
    this.retryable = entry.retryable;
    this.pointer = options?.pointer;
    this.details = options?.details;
  }

  toJSON(): ErrorJSON {
    return toErrorJSON(this);
  }
}

/** True for a WeirError, including one from another copy of this package. */
export function isWeirError(value: unknown): value is WeirError {
  if (value instanceof WeirError) return true;
  if (!(value instanceof Error)) return false;
  const code = (value as Error & { code?: unknown }).code;
  return typeof code === 'string' && code in catalogue && 'status' in value && 'source' in value;
}

/** The JSON form of any thrown value; unknown errors become WEIR_ERR_INTERNAL. */
export function toErrorJSON(err: unknown): ErrorJSON {
  if (isWeirError(err)) {
    const out: { code: ErrorCode; message: string; pointer?: string; details?: readonly ErrorDetail[] } = {
      code: err.code,
      message: err.message,
    };
    if (err.pointer !== undefined) out.pointer = err.pointer;
    if (err.details !== undefined) out.details = err.details;
    return out;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'WEIR_ERR_INTERNAL', message };
}

/** Rebuild an error received as JSON (over IPC) into a WeirError. */
export function fromErrorJSON(json: ErrorJSON): WeirError {
  const code: ErrorCode = json.code in catalogue ? json.code : 'WEIR_ERR_INTERNAL';
  return new WeirError(code, json.message, {
    ...(json.pointer !== undefined ? { pointer: json.pointer } : {}),
    ...(json.details !== undefined ? { details: json.details } : {}),
  });
}

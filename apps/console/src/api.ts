/**
 * The console's only way to the primary: `fetch` to the admin API on the same origin, with the
 * bearer token in the Authorization header. Every answer updates the connection state the
 * banner shows (reachable, unreachable, token refused).
 */

export type Connection = 'ok' | 'unreachable' | 'unauthorized' | 'throttled';

/** An answer of the API: status, ETag and body parsed as JSON (null when none). */
export interface Answer<T = unknown> {
  readonly status: number;
  readonly etag: string | null;
  readonly body: T | null;
}

/** A failed call, with the API's error code and message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

export interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Statuses answered without throwing (304, 404 of an endpoint an older primary lacks...). */
  readonly accept?: readonly number[];
}

function errorOf(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  return new ApiError(status, error?.code ?? null, error?.message ?? `the admin API answered ${status}`);
}

export class Api {
  constructor(
    private readonly token: string,
    private readonly onConnection: (state: Connection, detail?: string) => void,
  ) {}

  async call<T>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(options.headers ?? {}) };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body, signal: options.signal, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
    } catch (err) {
      if (options.signal?.aborted === true) throw err;
      this.onConnection('unreachable');
      throw new ApiError(0, null, 'the primary is unreachable (no answer from the admin API)');
    }
    const text = res.status === 304 ? '' : await res.text();
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (res.status === 401) {
      this.onConnection('unauthorized');
      throw errorOf(401, parsed);
    }
    if (res.status === 429) {
      this.onConnection('throttled', res.headers.get('retry-after') ?? undefined);
      throw errorOf(429, parsed);
    }
    this.onConnection('ok');
    if (res.status >= 400 && !(options.accept ?? []).includes(res.status)) throw errorOf(res.status, parsed);
    return { status: res.status, etag: res.headers.get('etag'), body: parsed as T | null };
  }

  get<T>(path: string, options?: CallOptions): Promise<Answer<T>> {
    return this.call<T>('GET', path, options);
  }

  post<T>(path: string, body: unknown, options: CallOptions = {}): Promise<Answer<T>> {
    return this.call<T>('POST', path, { ...options, body });
  }
}

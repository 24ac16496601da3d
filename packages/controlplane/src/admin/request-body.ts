import type { IncomingMessage } from 'node:http';
import { documentLimitProblems, parseConfig } from '@weir/config';
import { WeirError, type ErrorDetail } from '@weir/errors';

/**
 * True when a `content-type` is JSON: `application/json`, with no parameter other than
 * `charset=utf-8` (JSON is UTF-8, RFC 8259 section 8.1). Case-insensitive.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const parts = header.split(';');
  if ((parts[0] as string).trim().toLowerCase() !== 'application/json') return false;
  for (let i = 1; i < parts.length; i++) {
    const parameter = (parts[i] as string).trim().toLowerCase().replace(/\s+/g, '');
    if (parameter !== '' && parameter !== 'charset=utf-8' && parameter !== 'charset="utf-8"') return false;
  }
  return true;
}

/**
 * Read a request body of at most `maxBytes` as UTF-8 text.
 *
 * The cap holds while streaming: a declared `content-length` above it is refused before a byte
 * is read, and a chunked body is refused as soon as it crosses the cap, keeping nothing past it.
 * After a refusal the server answers with `connection: close` and Node discards the rest.
 *
 * @throws WeirError WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE, or WEIR_ERR_CLIENT_ABORTED if the client
 *   goes away mid-body.
 */
export function readBodyText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new WeirError('WEIR_ERR_CLIENT_ABORTED', 'the client aborted the request body', { cause: err }));
    };
    const onClose = (): void => {
      if (req.complete) return;
      cleanup();
      reject(new WeirError('WEIR_ERR_CLIENT_ABORTED', 'the client closed the connection mid-body'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function tooLarge(maxBytes: number): WeirError {
  return new WeirError('WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE', `the request body is larger than admin.maxBodyBytes (${maxBytes} bytes)`);
}

/**
 * Parse a JSON body. A config body that is not JSON gets WEIR_ERR_CONFIG_PARSE with the line and
 * column (`parseConfig`'s wording, as for config files); any other body WEIR_ERR_BAD_REQUEST.
 */
export function parseJsonBody(text: string, kind: 'config' | 'request'): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source) as unknown;
  } catch (err) {
    if (kind === 'request') throw new WeirError('WEIR_ERR_BAD_REQUEST', 'the request body is not valid JSON', { cause: err });
    const check = parseConfig(source);
    if (!check.ok) throw check.error;
    throw new WeirError('WEIR_ERR_CONFIG_PARSE', 'the config is not valid JSON', { cause: err });
  }
  // Before any handler walks the body recursively (the admin-section comparison runs before
  // validation): a document nested thousands deep must be a 400, never a stack overflow.
  const oversized = documentLimitProblems(value);
  if (oversized.length !== 0) {
    const first = oversized[0] as ErrorDetail;
    if (kind === 'config') throw new WeirError('WEIR_ERR_CONFIG_INVALID', `invalid config: ${first.pointer}: ${first.message}`, { pointer: first.pointer, details: oversized });
    throw new WeirError('WEIR_ERR_BAD_REQUEST', `${first.pointer}: ${first.message}`, { pointer: first.pointer, details: oversized });
  }
  return value;
}

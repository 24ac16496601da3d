/**
 * Whether `method` is idempotent (RFC 9110 section 9.2.2): GET, HEAD, OPTIONS, TRACE, PUT and
 * DELETE. Repeating such a request has the same effect on the server as sending it once, which
 * is what makes it safe to send again after a failure that may have happened after the upstream
 * received it. Methods are compared as Node delivers them (upper case, case-sensitive per RFC
 * 9110 section 9.1), so `get` is a different, non-idempotent method.
 */
export function isIdempotent(method: string): boolean {
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
    case 'TRACE':
    case 'PUT':
    case 'DELETE':
      return true;
    default:
      return false;
  }
}

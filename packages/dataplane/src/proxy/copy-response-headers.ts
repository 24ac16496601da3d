import type { IncomingHttpHeaders } from 'node:http';
import { CONNECTION, DROP, VIA, connectionOptions, removeNamed, responseHeaderKind } from './hop-by-hop';
import { VIA_ENTRY } from './copy-request-headers';

/**
 * Builds the client response's header list (flat `[name, value, ...]`, which
 * `res.writeHead(status, list)` writes without going through `setHeader`) from the headers
 * undici parsed: hop-by-hop fields and those named by `Connection` removed, `Via: 1.1 weir`
 * appended to the upstream's `Via`.
 *
 * This reads undici's parsed object rather than `controller.rawHeaders`: undici's
 * `onResponseStart` always decodes the raw buffers into that object (lower-cased names, latin1
 * values, repeated fields as arrays), so decoding the raw list again would double the work. A
 * `for...in` over it allocates nothing; repeated fields such as `Set-Cookie` stay separate lines.
 */
export function copyResponseHeaders(headers: IncomingHttpHeaders): string[] {
  const out: string[] = [];
  let via: string | null = null;
  let named: string[] | null = null;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const kind = responseHeaderKind(name);
    if (kind === DROP) continue;
    if (kind === CONNECTION) {
      named = connectionOptions(typeof value === 'string' ? value : value.join(','), named);
    } else if (kind === VIA) {
      via = typeof value === 'string' ? value : value.join(', ');
    } else if (typeof value === 'string') {
      out.push(name, value);
    } else {
      for (let i = 0; i < value.length; i++) out.push(name, value[i] as string);
    }
  }
  if (named !== null) {
    removeNamed(out, named);
    if (named.includes('via')) via = null;
  }
  out.push('via', via === null ? VIA_ENTRY : `${via}, ${VIA_ENTRY}`);
  return out;
}

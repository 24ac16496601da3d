/**
 * Helpers on flat header lists `[name, value, name, value, ...]`, the form node's `rawHeaders`
 * and undici take and the form `PluginRequest.headers` and `PluginResponse.headers` have.
 *
 * Names are compared ASCII case-insensitively with a char-code loop, so a lookup allocates
 * nothing (no `toLowerCase()` per entry). The `name` argument of every helper must already be
 * lower-case (spec header names are); names in the list may be in any case, as received.
 * Edits happen in place: `set` and `remove` compact the list in one pass.
 */
import type { PluginRequest } from './plugin';

/** True when `received` equals `lower` ignoring ASCII case; `lower` must be lower-case. */
export function headerNameIs(received: string, lower: string): boolean {
  const length = lower.length;
  if (received.length !== length) return false;
  if (received === lower) return true;
  for (let i = 0; i < length; i++) {
    let c = received.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The value of the first line of header `name`, or null when there is none. */
export function getHeader(list: readonly string[], name: string): string | null {
  for (let i = 0; i < list.length - 1; i += 2) {
    if (headerNameIs(list[i] as string, name)) return list[i + 1] as string;
  }
  return null;
}

/** True when the list has at least one line of header `name`. */
export function hasHeader(list: readonly string[], name: string): boolean {
  return getHeader(list, name) !== null;
}

/** Appends one line `name: value` (other lines of the header stay). */
export function addHeader(list: string[], name: string, value: string): void {
  list.push(name, value);
}

/**
 * Removes every line of header `name`, keeping the order of the others. Returns how many lines
 * were removed.
 */
export function removeHeader(list: string[], name: string): number {
  let write = 0;
  const length = list.length;
  for (let read = 0; read < length - 1; read += 2) {
    const key = list[read] as string;
    if (headerNameIs(key, name)) continue;
    if (write !== read) {
      list[write] = key;
      list[write + 1] = list[read + 1] as string;
    }
    write += 2;
  }
  const removed = (length - write) >> 1;
  if (write !== length) list.length = write;
  return removed;
}

/**
 * Replaces every line of header `name` with one line `name: value`: the first line keeps its
 * position (its name becomes `name`), later lines are removed; appended when absent.
 */
export function setHeader(list: string[], name: string, value: string): void {
  const length = list.length;
  let i = 0;
  for (; i < length - 1; i += 2) {
    if (headerNameIs(list[i] as string, name)) break;
  }
  if (i >= length - 1) {
    list.push(name, value);
    return;
  }
  list[i] = name;
  list[i + 1] = value;
  let write = i + 2;
  for (let read = i + 2; read < length - 1; read += 2) {
    const key = list[read] as string;
    if (headerNameIs(key, name)) continue;
    if (write !== read) {
      list[write] = key;
      list[write + 1] = list[read + 1] as string;
    }
    write += 2;
  }
  if (write !== length) list.length = write;
}

/**
 * Adds `name: value` to the headers every response to `req` gets (upstream responses and
 * plugin replies), creating `req.responseHeaders` on first use.
 */
export function addResponseHeader(req: PluginRequest, name: string, value: string): void {
  const list = req.responseHeaders;
  if (list === null) req.responseHeaders = [name, value];
  else list.push(name, value);
}

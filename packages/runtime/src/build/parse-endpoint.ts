/** An endpoint address split into its parts. */
export interface ParsedEndpoint {
  /** Host without brackets, lower-cased (DNS names and IPv6 hex digits are case-insensitive). */
  readonly host: string;
  readonly port: number;
}

/**
 * Split `host:port` (IPv6 as `[::1]:port`) into host and port. Returns `null` when the address
 * has no valid port (1-65535) or is an unbracketed IPv6 address; buildSpec turns that into a
 * WEIR_ERR_CONFIG_INVALID. An IPv6 zone id (`%eth0`) keeps its case: interface names are
 * case-sensitive.
 */
export function parseEndpoint(address: string): ParsedEndpoint | null {
  let host: string;
  let portText: string;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0 || address.charCodeAt(close + 1) !== 0x3a /* : */) return null;
    host = address.slice(1, close);
    portText = address.slice(close + 2);
  } else {
    const colon = address.lastIndexOf(':');
    if (colon < 0) return null;
    host = address.slice(0, colon);
    portText = address.slice(colon + 1);
    if (host.includes(':')) return null;
  }
  if (host === '' || !/^[0-9]{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port < 1 || port > 65535) return null;
  return { host: lowerHost(host), port };
}

function lowerHost(host: string): string {
  const zone = host.indexOf('%');
  return zone < 0 ? host.toLowerCase() : host.slice(0, zone).toLowerCase() + host.slice(zone);
}

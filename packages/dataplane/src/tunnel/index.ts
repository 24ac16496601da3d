/**
 * Tunnel module: `Upgrade` requests (WebSocket) proxied as byte tunnels (issue 8). A route that
 * allows WebSocket (`upgrades.websocket`, the default) sends the upgrade through the endpoint's
 * undici pool; on 101 the two sockets are joined until one side closes, the idle timeout or the
 * maximum lifetime ends them, or a drain closes them at its timeout.
 */
export { TunnelHandler } from './tunnel-handler';
export type { TunnelHandlerOptions } from './tunnel-handler';
export { TunnelExchange } from './tunnel-exchange';
export { Tunnel } from './tunnel';
export type { TunnelOwner } from './tunnel';
export { TunnelRegistry } from './tunnel-registry';
export { servePlainUpgrade } from './plain-upgrade';
export type { PlainRequestHandler } from './plain-upgrade';
export { asksForWebSocket, findUpgrade, rawResponseHead } from './raw-head';

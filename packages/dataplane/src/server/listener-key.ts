import type { ListenerSpec } from '@weir/runtime';

/**
 * The identity of a listener's socket: what decides whether a reload can keep its server.
 *
 * It is the bind address, not the whole listener spec. A worker cannot listen twice on one
 * address and port (the second bind fails with EADDRINUSE, under node:cluster as well), so a
 * listener whose name or limits change keeps its server and gets the new name and limits on
 * commit (`applyListenerLimits`); only a new address or port opens a new server. Port 0 asks for
 * any free port, so there the name is part of the identity: an unchanged port-0 listener keeps
 * its server (and the port it got) across reloads.
 */
export function listenerKey(spec: ListenerSpec): string {
  return spec.port === 0 ? `${spec.address}|0|${spec.name}` : `${spec.address}|${spec.port}`;
}

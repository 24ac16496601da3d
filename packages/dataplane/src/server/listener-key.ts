import type { ListenerSpec } from '@weir/runtime';

/**
 * The identity of a listener's socket: what decides whether a reload can keep its server.
 *
 * It is the protocol and the bind address, not the whole listener spec. A worker cannot listen
 * twice on one address and port (the second bind fails with EADDRINUSE, under node:cluster as
 * well), so a listener whose name, limits or certificates change keeps its server and gets the
 * new ones on commit (`configure`); only a new address, port or protocol opens a new server.
 * A protocol change on the same address and port therefore cannot be applied in one step (the
 * data plane refuses it with a message saying so). Port 0 asks for any free port, so there the
 * name is part of the identity: an unchanged port-0 listener keeps its server (and the port it
 * got) across reloads.
 */
export function listenerKey(spec: ListenerSpec): string {
  const at = spec.port === 0 ? `${spec.address}|0|${spec.name}` : `${spec.address}|${spec.port}`;
  return `${spec.protocol}|${at}`;
}

/** The bind address alone (`address|port`), to find a listener whose protocol changed. */
export function bindKey(spec: ListenerSpec): string {
  return spec.port === 0 ? `${spec.address}|0|${spec.name}` : `${spec.address}|${spec.port}`;
}

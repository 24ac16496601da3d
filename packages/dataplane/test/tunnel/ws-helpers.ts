import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { DataplaneMetrics } from '@weir/obs';
import { WebSocket, WebSocketServer } from 'ws';

/** A WebSocket echo upstream on 127.0.0.1, port 0, built on `ws`. */
export interface EchoUpstream {
  readonly port: number;
  readonly server: Server;
  readonly wss: WebSocketServer;
  /** The upgrade requests it accepted, in order (headers as received). */
  readonly requests: IncomingMessage[];
  /** Resolves when the n-th accepted connection (0-based) has closed on the upstream side. */
  closed(n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an echo server: every message comes back as sent (text stays text, binary stays
 * binary). It accepts the subprotocol `chat` when offered. Plain HTTP requests get 426.
 */
export async function startEchoUpstream(): Promise<EchoUpstream> {
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('upgrade required');
  });
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false) });
  const requests: IncomingMessage[] = [];
  const closes: Promise<void>[] = [];
  wss.on('connection', (ws, req) => {
    requests.push(req);
    closes.push(new Promise((resolve) => ws.on('close', () => resolve())));
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    server,
    wss,
    requests,
    closed: async (n) => {
      while (closes.length <= n) await once(wss, 'connection');
      await closes[n];
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Opens a `ws` client through `port` and resolves once the handshake completed. */
export async function openClient(port: number, path = '/chat', protocols: string[] = []): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols);
  ws.on('error', () => undefined);
  await once(ws, 'open');
  return ws;
}

/** Sends `data` and resolves with the next message (the echo). */
export async function roundTrip(ws: WebSocket, data: string | Buffer): Promise<Buffer> {
  const reply = once(ws, 'message');
  ws.send(data);
  const [message] = (await reply) as [Buffer];
  return message;
}

/** Resolves with the close code once the client's connection has closed. */
export async function clientClosed(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return 1006;
  const [code] = (await once(ws, 'close')) as [number];
  return code;
}

/** A raw HTTP answer read to the end of the connection. */
export interface RawAnswer {
  readonly status: number;
  /** Header lines, names lower-cased (the last of repeated names wins). */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Sends `request` (a complete request head, CRLF line ends) on a fresh connection and reads
 * everything until the server closes it.
 */
export async function rawExchange(port: number, request: string): Promise<RawAnswer> {
  const socket: Socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.write(request);
  await once(socket, 'close');
  const text = Buffer.concat(chunks).toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const lines = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number((lines[0] ?? '').split(' ')[1]), headers, body: split === -1 ? '' : text.slice(split + 4) };
}

/** A WebSocket upgrade request head for `path`. */
export function upgradeRequest(path = '/chat', upgrade = 'websocket', extra = ''): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\nUpgrade: ${upgrade}\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`
  );
}

/**
 * Polls `check` on each turn of the event loop's timer phase until it holds. Used only where
 * the event (the proxy releasing a tunnel after both sockets closed) has no observable signal
 * outside the data plane; it never sleeps a fixed time.
 */
export async function waitFor(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setImmediate(resolve));
}

/** A metric's sample value from the registry's text output, or 0 when the series is absent. */
export async function sample(metrics: DataplaneMetrics, series: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/**
 * Loaded into each bot process the benchmark starts (`node --import <this> …`), and nowhere else:
 * it counts the process's HTTP requests to the storage endpoint and the bytes on their sockets,
 * and answers the benchmark's `sample` messages over the IPC channel with those counts, the
 * process's CPU time and its memory. It adds no route, no timer and no work to a request beyond
 * a counter; the bot's own code is not changed.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

export interface ProbeSample {
  /** User + system CPU time of the process since it started, in milliseconds. */
  readonly cpuMs: number;
  readonly rssBytes: number;
  /** The largest resident set the process has had. */
  readonly maxRssBytes: number;
  readonly heapUsedBytes: number;
  /** HTTP requests sent to the storage endpoint (retries and batches count one each). */
  readonly storageRequests: number;
  /** Bytes received from and sent to the storage endpoint, HTTP headers included. */
  readonly storageBytesRead: number;
  readonly storageBytesWritten: number;
  /** Connections opened to the storage endpoint (a pool that keeps them alive opens few). */
  readonly storageConnections: number;
  /** HTTP requests to anywhere else (the connector), and the connections they opened. */
  readonly connectorRequests: number;
  readonly connectorConnections: number;
  /** The process's monotonic clock (the one V8's CPU profiles use), in microseconds. */
  readonly monotonicUs: number;
}

export interface SampleRequest {
  readonly type: 'sample';
  readonly id: number;
}

export type SampleAnswer = ProbeSample & { readonly type: 'sample'; readonly id: number };

/** `host:port` of the table endpoint in the connection string the bot was given. */
function storageHost(connectionString: string | undefined): string | undefined {
  const endpoint = /TableEndpoint=([^;]+)/i.exec(connectionString ?? '')?.[1];
  if (!endpoint) return undefined;
  try {
    return new URL(endpoint).host;
  } catch {
    return undefined;
  }
}

const storage = storageHost(process.env.STORAGE_CONNECTION_STRING);
let requests = 0;
let connections = 0;
let closedRead = 0;
let closedWritten = 0;
const open = new Set<Socket>();

function track(socket: Socket): void {
  if (open.has(socket)) return;
  open.add(socket);
  connections++;
  socket.once('close', () => {
    open.delete(socket);
    closedRead += socket.bytesRead;
    closedWritten += socket.bytesWritten;
  });
}

/** Sockets to anywhere else: here, only the connector the bot sends its replies to. */
const others = new WeakSet<Socket>();
let otherRequests = 0;
let otherConnections = 0;

function trackOther(socket: Socket): void {
  if (others.has(socket)) return;
  others.add(socket);
  otherConnections++;
}

subscribe('http.client.request.start', (message) => {
  const { request } = message as { request: ClientRequest };
  if (storage === undefined || request.getHeader('host') !== storage) {
    otherRequests++;
    if (request.socket) trackOther(request.socket);
    else request.once('socket', trackOther);
    return;
  }
  requests++;
  if (request.socket) track(request.socket);
  else request.once('socket', track);
});

export function sample(): ProbeSample {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  let read = closedRead;
  let written = closedWritten;
  for (const socket of open) {
    read += socket.bytesRead;
    written += socket.bytesWritten;
  }
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBytes: memory.rss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedBytes: memory.heapUsed,
    storageRequests: requests,
    storageBytesRead: read,
    storageBytesWritten: written,
    storageConnections: connections,
    connectorRequests: otherRequests,
    connectorConnections: otherConnections,
    monotonicUs: Number(process.hrtime.bigint() / 1000n),
  };
}

if (process.send) {
  process.on('message', (message: unknown) => {
    const asked = message as Partial<SampleRequest> | null;
    if (asked?.type !== 'sample' || typeof asked.id !== 'number') return;
    const answer: SampleAnswer = { type: 'sample', id: asked.id, ...sample() };
    process.send?.(answer);
  });
  // The channel must not keep a stopping bot alive.
  process.channel?.unref();
}

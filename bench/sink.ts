import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A minimal Bot Connector on loopback for the benchmark: it answers 201 `{ id }` to
 * POST /v3/conversations/:id/activities[/:replyTo] and hands the activity to whoever waits for a
 * reply in that conversation. Anything else gets 404. It keeps nothing but the waiters.
 */

export interface ReceivedReply {
  /** performance.now() when the whole request body had arrived. */
  readonly at: number;
  /** The activity the bot sent. */
  readonly activity: Record<string, unknown>;
  /** Size of the HTTP body the bot sent (the whole activity, as JSON). */
  readonly bodyBytes: number;
}

export interface ConnectorSink {
  /** The serviceUrl to put on activities (ends with `/`). */
  readonly url: string;
  /** Register before posting: resolves with the next activity sent to `conversationId`, rejects after `timeoutMs`. */
  expectReply(conversationId: string, timeoutMs: number): Promise<ReceivedReply>;
  /** Activities that arrived with nobody waiting for them (should stay 0). */
  readonly unexpected: () => number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

export async function startConnectorSink(): Promise<ConnectorSink> {
  const waiters = new Map<
    string,
    { resolve: (r: ReceivedReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  let unexpected = 0;
  let nextId = 1;

  const answer = (res: ServerResponse, status: number, body: unknown): void => {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
    });
    res.end(json);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = req.method === 'POST' ? ROUTE.exec(path) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      const at = performance.now();
      if (!match) {
        answer(res, 404, { error: { code: 'NotFound', message: `No route for ${req.method} ${path}` } });
        return;
      }
      if (size > MAX_BODY) {
        answer(res, 413, { error: { code: 'MessageSizeTooBig', message: 'too big' } });
        return;
      }
      let activity: Record<string, unknown>;
      try {
        activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        answer(res, 400, { error: { code: 'BadArgument', message: 'not JSON' } });
        return;
      }
      const conversationId = decodeURIComponent(match[1]!);
      answer(res, 201, { id: `sink-${nextId++}` });
      const waiter = waiters.get(conversationId);
      if (!waiter) {
        unexpected++;
        return;
      }
      waiters.delete(conversationId);
      clearTimeout(waiter.timer);
      waiter.resolve({ at, activity, bodyBytes: size });
    });
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 2000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    expectReply(conversationId, timeoutMs) {
      if (waiters.has(conversationId))
        return Promise.reject(new Error(`already waiting for a reply in ${conversationId}`));
      return new Promise<ReceivedReply>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(conversationId);
          reject(new Error(`no reply in ${conversationId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(conversationId, { resolve, reject, timer });
      });
    },
    unexpected: () => unexpected,
    close() {
      for (const [id, waiter] of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`connector sink closed while waiting for ${id}`));
      }
      waiters.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

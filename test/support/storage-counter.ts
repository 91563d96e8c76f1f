import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the bot made to Table storage, with when it started and ended. */
export interface StorageRequest {
  readonly method: string;
  readonly path: string;
  readonly started: number;
  ended: number;
}

export interface StorageCounter {
  /** A connection string to the same Azurite, through the counter. */
  readonly connectionString: string;
  readonly requests: StorageRequest[];
  /** Requests made from now until `done` is called. */
  during<T>(work: () => Promise<T>): Promise<{ result: T; requests: StorageRequest[]; steps: number }>;
  close(): Promise<void>;
}

/** Sequential steps: requests that overlap in time are one step; a request that starts after all of a step ended begins the next. */
export function stepsOf(requests: readonly StorageRequest[]): number {
  let steps = 0;
  let stepEnd = -Infinity;
  for (const r of [...requests].sort((a, b) => a.started - b.started)) {
    if (r.started >= stepEnd) {
      steps++;
      stepEnd = r.ended;
    } else {
      stepEnd = Math.max(stepEnd, r.ended);
    }
  }
  return steps;
}

/**
 * A loopback proxy in front of the test run's Azurite that records every request: the tests of
 * "one round trip" count what storage was asked, rather than trust an estimate.
 */
export async function startStorageCounter(connectionString: string): Promise<StorageCounter> {
  const endpoint = /TableEndpoint=(http:\/\/[^;]+)/.exec(connectionString)?.[1];
  if (!endpoint) throw new Error('the connection string has no TableEndpoint');
  const target = new URL(endpoint);
  const requests: StorageRequest[] = [];
  const server: Server = createServer((req, res) => {
    const record: StorageRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      started: performance.now(),
      ended: 0,
    };
    requests.push(record);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => (record.ended = performance.now()));
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const proxied = connectionString.replace(endpoint, `http://127.0.0.1:${port}${target.pathname}`);
  return {
    connectionString: proxied,
    requests,
    async during(work) {
      const from = requests.length;
      const result = await work();
      const made = requests.slice(from);
      return { result, requests: made, steps: stepsOf(made) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { request } from 'node:http';
import { connect } from 'node:net';

/** An answer as the bot gave it over HTTP. */
export interface RawAnswer {
  readonly status: number;
  readonly text: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * POSTs exactly these bytes and headers to `${botUrl}/api/messages` (no header added but Host and
 * Content-Length), for requests fetch would not send as they are: other content types, gzip, a
 * Host or Origin of another site.
 */
export function rawPost(
  botUrl: string,
  body: string | Buffer,
  headers: Record<string, string>,
  path = '/api/messages',
): Promise<RawAnswer> {
  const url = new URL(path, botUrl);
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-length': String(bytes.length), ...headers },
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('the bot did not answer within 15 s')));
    req.end(bytes);
  });
}

/**
 * Sends only a request's head (claiming a body of `contentLength` bytes that never comes) and
 * returns the status line the bot answers with, or 'no answer' after `waitMs`: a bot that answers
 * has decided without reading the body.
 */
export function headOnly(botUrl: string, headers: Record<string, string>, contentLength: number, waitMs = 3_000) {
  const url = new URL('/api/messages', botUrl);
  return new Promise<{ status: number | 'no answer'; text: string }>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ status: 'no answer', text: received });
    }, waitMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match && received.includes('\r\n\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(match[1]), text: received });
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (received) resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), text: received });
      else reject(error);
    });
    const lines = [
      `POST ${url.pathname} HTTP/1.1`,
      `Host: ${url.host}`,
      `Content-Length: ${contentLength}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * What /api/messages checks before and while it reads a body: JSON only, uncompressed, within the
 * size limit, and in local mode (no tokens) only from this machine. Nothing here parses anything
 * but JSON, so no upload or form parser is reachable from the request path.
 */

export const MAX_BODY_BYTES = 256 * 1024;

/** An HTTP refusal: the status and a short reason for the log; the body people see is generic. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The generic answer body of each status: it never carries an internal message. */
export function refusalBody(status: number): { error: string } {
  const text: Record<number, string> = {
    400: 'the request is not a Bot Framework activity',
    401: 'a valid Bot Framework token is required',
    403: 'this endpoint only answers this machine in local mode',
    413: 'the request is too large',
    415: 'only uncompressed application/json is accepted',
    503: 'the service cannot check requests right now; try again shortly',
  };
  return { error: text[status] ?? 'the request was refused' };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Checks the headers alone; throws a Refusal. Nothing of the body has been read. */
export function checkHeaders(headers: IncomingHttpHeaders, local: boolean): void {
  if (local) checkLocal(headers);
  const type = single(headers['content-type']) ?? '';
  const [media = '', ...params] = type.split(';').map((p) => p.trim().toLowerCase());
  if (media !== 'application/json') throw new Refusal(415, `content type ${media || 'missing'}`);
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new Refusal(415, `charset ${charset}`);
  const encoding = (single(headers['content-encoding']) ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') throw new Refusal(415, `content encoding ${encoding}`);
  const length = single(headers['content-length']);
  if (length !== undefined) {
    if (!/^\d{1,12}$/.test(length.trim())) throw new Refusal(400, 'content length is not a number');
    if (Number(length) > MAX_BODY_BYTES) throw new Refusal(413, `content length ${length}`);
  }
}

/**
 * Local mode checks no tokens, so only this machine may call: the Host must name loopback (a page
 * elsewhere that resolves its own name to 127.0.0.1 is refused), and a browser's Origin too.
 */
function checkLocal(headers: IncomingHttpHeaders): void {
  const host = single(headers.host);
  if (!host || !isLoopbackHost(host)) throw new Refusal(403, `host ${host ?? 'missing'} is not loopback`);
  const origin = single(headers.origin);
  if (origin !== undefined && origin !== 'null' && !isLoopbackUrl(origin)) {
    throw new Refusal(403, `origin ${origin} is not loopback`);
  }
  if (origin === 'null') throw new Refusal(403, 'origin null');
}

const LOOPBACK_NAME = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** `localhost`, `127.x.x.x` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().replace(/:\d{1,5}$/, '');
  return LOOPBACK_NAME.test(name);
}

/** An http(s) URL whose host is loopback. */
export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAME.test(url.hostname);
  } catch {
    return false;
  }
}

/** Reads the body up to the limit and parses it as JSON; a Refusal (413, 400) otherwise. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done(new Refusal(413, `body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done();
    const onError = (error: Error) => done(new Refusal(400, `body could not be read: ${error.message}`));
    const onAborted = () => done(new Refusal(400, 'the client stopped sending'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(400, 'body is not JSON');
  }
}

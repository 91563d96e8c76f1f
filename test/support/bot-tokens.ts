import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework's token signing: an OpenID metadata document and its
 * key set on loopback, and tokens signed with the published key (or with another key under the
 * published key's id, for forgeries). Point the bot's `openIdMetadataUrl` at `metadataUrl`.
 *
 *   const issuer = await startTokenIssuer();
 *   const good = issuer.token({ aud: APP_ID, serviceurl: stub.url });
 *   const forged = issuer.token({ aud: APP_ID }, { signWith: 'stranger' });
 */

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const KEY_ID = 'governance-test-key';

export interface TokenOptions {
  /** 'published' (default): the key in the key set; 'stranger': a key of our own under the same key id. */
  readonly signWith?: 'published' | 'stranger';
  readonly alg?: 'RS256' | 'RS384' | 'none' | 'HS256';
  readonly kid?: string;
}

export interface TokenIssuer {
  readonly metadataUrl: string;
  /** Requests for the metadata and the keys so far. */
  readonly fetches: () => number;
  /** A signed JWT with these claims over the defaults (Bot Framework issuer, valid for an hour from now). */
  token(claims?: Record<string, unknown>, options?: TokenOptions): string;
  close(): Promise<void>;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startTokenIssuer(options: { endorsements?: string[] } = {}): Promise<TokenIssuer> {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = published.publicKey.export({ format: 'jwk' });
  let fetches = 0;
  let base = '';
  const server: Server = createServer((req, res) => {
    fetches++;
    const body =
      req.url === '/openid'
        ? { issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${base}/keys` }
        : req.url === '/keys'
          ? { keys: [{ ...jwk, kid: KEY_ID, use: 'sig', endorsements: options.endorsements ?? ['msteams'] }] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    metadataUrl: `${base}/openid`,
    fetches: () => fetches,
    token(claims = {}, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const alg = opts.alg ?? 'RS256';
      const header = b64({ alg, typ: 'JWT', kid: opts.kid ?? KEY_ID });
      const payload = b64({ iss: BOT_FRAMEWORK_ISSUER, nbf: now - 60, exp: now + 3600, ...claims });
      if (alg === 'none') return `${header}.${payload}.`;
      const key: KeyObject = opts.signWith === 'stranger' ? stranger.privateKey : published.privateKey;
      const hash = alg === 'RS384' ? 'sha384' : 'sha256';
      const signature =
        alg === 'HS256' ? Buffer.from('not-an-hmac') : sign(hash, Buffer.from(`${header}.${payload}`), key);
      return `${header}.${payload}.${signature.toString('base64url')}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

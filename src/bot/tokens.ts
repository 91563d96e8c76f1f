import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';

/**
 * Checks the Bot Framework token of a request from its Authorization header alone, before a byte
 * of the body is read: RS256/384/512 only, a key the Bot Framework publishes (endorsed for Teams),
 * our app id as audience, the Bot Framework as issuer, within its lifetime. A refusal is a
 * TokenRefused (401); keys that cannot be fetched are KeysUnavailable (503). botbuilder checks the
 * token again with the activity (its service URL); this gate makes sure a forged or broken token
 * never reaches it, where it would be a 500 and a stack on stderr.
 */

export const CHANNEL_ISSUER = 'https://api.botframework.com';
export const CHANNEL_OPENID_METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
/** botbuilder's own tolerance for clocks that differ. */
const CLOCK_SKEW_S = 5 * 60;
const MAX_TOKEN_CHARS = 16 * 1024;
/** Keys are fetched again after a day, or sooner for an unknown key id, but not more than once in this time. */
const KEYS_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const UNKNOWN_KEY_REFRESH_MS = 5 * 60 * 1000;
const FAILED_FETCH_PAUSE_MS = 10 * 1000;

export class TokenRefused extends Error {
  override readonly name = 'TokenRefused';
}

export class KeysUnavailable extends Error {
  override readonly name = 'KeysUnavailable';
}

export interface TokenClaims {
  readonly [claim: string]: unknown;
  readonly aud: string | readonly string[];
  readonly iss: string;
  readonly serviceurl?: string;
}

export interface TokenOptions {
  readonly appId: string;
  /** The OpenID configuration that names the signing keys (the Bot Framework's unless told). */
  readonly openIdMetadataUrl?: string;
  readonly channelId?: string;
  readonly fetchTimeoutMs?: number;
  readonly now?: () => number;
}

interface SigningKey {
  readonly key: KeyObject;
  readonly endorsements: readonly string[] | undefined;
}

function part(segment: string | undefined, what: string): Record<string, unknown> {
  if (!segment || !/^[A-Za-z0-9_-]+$/.test(segment)) throw new TokenRefused(`the token's ${what} is not base64url`);
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below as the same refusal.
  }
  throw new TokenRefused(`the token's ${what} is not a JSON object`);
}

export class BotFrameworkTokens {
  private keys = new Map<string, SigningKey>();
  private fetchedAt = 0;
  private failedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;
  private readonly metadataUrl: string;
  private readonly now: () => number;

  constructor(private readonly options: TokenOptions) {
    this.metadataUrl = options.openIdMetadataUrl ?? CHANNEL_OPENID_METADATA;
    this.now = options.now ?? Date.now;
  }

  /** The token's claims when the header carries a token we accept; TokenRefused or KeysUnavailable otherwise. */
  async check(authorization: string | undefined): Promise<TokenClaims> {
    const match = /^Bearer ([^\s]+)$/.exec(authorization ?? '');
    if (!match) throw new TokenRefused('no Bearer token');
    const token = match[1]!;
    if (token.length > MAX_TOKEN_CHARS) throw new TokenRefused('the token is too long');
    const segments = token.split('.');
    if (segments.length !== 3) throw new TokenRefused('the token is not a signed JWT');
    const [head, body, signature] = segments as [string, string, string];
    const header = part(head, 'header');
    const claims = part(body, 'payload');
    const hash = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
    if (!hash) throw new TokenRefused(`the signing algorithm ${String(header.alg)} is not accepted`);
    if (typeof header.kid !== 'string' || header.kid === '') throw new TokenRefused('the token names no key');
    this.checkClaims(claims);
    const key = await this.key(header.kid);
    if (!key) throw new TokenRefused('the token is signed with a key the Bot Framework does not publish');
    if (!/^[A-Za-z0-9_-]+$/.test(signature)) throw new TokenRefused('the signature is not base64url');
    const signed = verifySignature(hash, Buffer.from(`${head}.${body}`), key.key, Buffer.from(signature, 'base64url'));
    if (!signed) throw new TokenRefused('the signature does not match');
    const channel = this.options.channelId ?? 'msteams';
    if (key.endorsements && key.endorsements.length > 0 && !key.endorsements.includes(channel)) {
      throw new TokenRefused(`the key is not endorsed for ${channel}`);
    }
    return claims as unknown as TokenClaims;
  }

  private checkClaims(claims: Record<string, unknown>): void {
    if (claims.iss !== CHANNEL_ISSUER) throw new TokenRefused('the token is not issued by the Bot Framework');
    const audiences = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
    if (!audiences.includes(this.options.appId)) throw new TokenRefused('the token is for another app');
    const seconds = this.now() / 1000;
    if (typeof claims.exp !== 'number') throw new TokenRefused('the token has no expiry');
    if (claims.exp + CLOCK_SKEW_S < seconds) throw new TokenRefused('the token has expired');
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf - CLOCK_SKEW_S > seconds)) {
      throw new TokenRefused('the token is not valid yet');
    }
  }

  private async key(kid: string): Promise<SigningKey | undefined> {
    const age = this.now() - this.fetchedAt;
    const known = this.keys.get(kid);
    if (known && age < KEYS_MAX_AGE_MS) return known;
    // An unknown key id fetches the keys again (they roll over), but not more than every few minutes.
    if (age >= KEYS_MAX_AGE_MS || (!known && age >= UNKNOWN_KEY_REFRESH_MS)) {
      // After a failed fetch, requests for a while are answered from what is known rather than each waiting on it again.
      if (this.now() - this.failedAt < FAILED_FETCH_PAUSE_MS) {
        if (this.keys.size === 0 || !known)
          throw new KeysUnavailable('the signing keys could not be fetched a moment ago');
        return known;
      }
      try {
        await (this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined)));
      } catch (error) {
        this.failedAt = this.now();
        // Keys a day old still check tokens better than none; without any, nothing can be checked.
        if (this.keys.size === 0 || !known) throw error;
      }
    }
    return this.keys.get(kid);
  }

  private async refresh(): Promise<void> {
    const timeout = this.options.fetchTimeoutMs ?? 5_000;
    const fetchJson = async (url: string, what: string): Promise<Record<string, unknown>> => {
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(timeout), redirect: 'error' });
      } catch (error) {
        throw new KeysUnavailable(`the ${what} could not be fetched`, { cause: error });
      }
      if (!response.ok) throw new KeysUnavailable(`the ${what} answered HTTP ${response.status}`);
      try {
        return (await response.json()) as Record<string, unknown>;
      } catch (error) {
        throw new KeysUnavailable(`the ${what} is not JSON`, { cause: error });
      }
    };
    const metadata = await fetchJson(this.metadataUrl, 'OpenID metadata');
    if (typeof metadata.jwks_uri !== 'string') throw new KeysUnavailable('the OpenID metadata names no keys');
    const jwks = await fetchJson(metadata.jwks_uri, 'signing keys');
    const keys = new Map<string, SigningKey>();
    for (const jwk of Array.isArray(jwks.keys) ? (jwks.keys as Array<Record<string, unknown>>) : []) {
      if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string')
        continue;
      try {
        const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
        const endorsements = Array.isArray(jwk.endorsements)
          ? jwk.endorsements.filter((e): e is string => typeof e === 'string')
          : undefined;
        keys.set(jwk.kid, { key, endorsements });
      } catch {
        // A key that cannot be read checks nothing; the others still do.
      }
    }
    if (keys.size === 0) throw new KeysUnavailable('the signing keys hold no RSA key');
    this.keys = keys;
    this.fetchedAt = this.now();
  }
}

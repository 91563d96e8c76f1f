import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/azurite.js';
import { BotFrameworkTokens, KeysUnavailable, TokenRefused } from '../../src/bot/tokens.js';
import { startTokenIssuer, type TokenIssuer } from '../support/bot-tokens.js';

const APP_ID = '0b5e6c1d-7f2a-4c3b-9d8e-1a2b3c4d5e6f';

async function refusalOf(check: Promise<unknown>): Promise<unknown> {
  try {
    await check;
  } catch (error) {
    return error;
  }
  throw new Error('expected the token to be refused');
}

describe('Bot Framework tokens, checked from the header alone', () => {
  let issuer: TokenIssuer;
  let tokens: BotFrameworkTokens;
  beforeAll(async () => {
    issuer = await startTokenIssuer();
    tokens = new BotFrameworkTokens({ appId: APP_ID, openIdMetadataUrl: issuer.metadataUrl });
  });
  afterAll(() => issuer.close());

  it('accepts a token signed with the published key, for our app, from the Bot Framework', async () => {
    const claims = await tokens.check(`Bearer ${issuer.token({ aud: APP_ID, serviceurl: 'http://127.0.0.1/' })}`);
    expect(claims).toMatchObject({ aud: APP_ID, serviceurl: 'http://127.0.0.1/' });
  });

  it.each([
    ['no header', undefined],
    ['a Basic header', 'Basic YWxleDpzZWNyZXQ='],
    ['a Bearer header with no token', 'Bearer '],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ['a token whose parts are not JSON', 'Bearer aaaa.bbbb.cccc'],
  ])('refuses %s', async (_, header) => {
    expect(await refusalOf(tokens.check(header))).toBeInstanceOf(TokenRefused);
  });

  it.each([
    ['a forged token: our key id, signed with a key of its own', { signWith: 'stranger' as const }, {}],
    ['an unsigned token (alg none)', { alg: 'none' as const }, {}],
    ['a token signed with a shared secret (HS256)', { alg: 'HS256' as const }, {}],
    ['a token for another app', {}, { aud: 'c0ffee00-0000-4000-8000-000000000000' }],
    ['a token from another issuer', {}, { iss: 'https://login.microsoftonline.com/common/v2.0' }],
    ['an expired token', {}, { exp: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 7200 }],
    ['a token not valid for an hour yet', {}, { nbf: Math.floor(Date.now() / 1000) + 3600 }],
    ['a token with no expiry', {}, { exp: undefined }],
    ['a token under a key id nobody publishes', { kid: 'someone-elses-key' }, {}],
  ])('refuses %s', async (_, options, claims) => {
    const token = issuer.token({ aud: APP_ID, ...claims }, options);
    expect(await refusalOf(tokens.check(`Bearer ${token}`))).toBeInstanceOf(TokenRefused);
  });

  it('refuses a token signed with a key that is not endorsed for Teams', async () => {
    const webchatOnly = await startTokenIssuer({ endorsements: ['webchat'] });
    try {
      const checker = new BotFrameworkTokens({ appId: APP_ID, openIdMetadataUrl: webchatOnly.metadataUrl });
      const error = await refusalOf(checker.check(`Bearer ${webchatOnly.token({ aud: APP_ID })}`));
      expect(error).toBeInstanceOf(TokenRefused);
      expect((error as Error).message).toContain('msteams');
    } finally {
      await webchatOnly.close();
    }
  });

  it('fetches the keys once, not for every token', async () => {
    const before = issuer.fetches();
    for (let i = 0; i < 5; i++) await tokens.check(`Bearer ${issuer.token({ aud: APP_ID })}`);
    expect(issuer.fetches()).toBe(before);
  });

  it('says the keys are unavailable, not that the token is bad, when the metadata cannot be fetched', async () => {
    const nowhere = new BotFrameworkTokens({
      appId: APP_ID,
      openIdMetadataUrl: `http://127.0.0.1:${await freePort()}/openid`,
      fetchTimeoutMs: 1000,
    });
    const error = await refusalOf(nowhere.check(`Bearer ${issuer.token({ aud: APP_ID })}`));
    expect(error).toBeInstanceOf(KeysUnavailable);
    expect((error as Error).message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('refuses a malformed token before fetching any keys', async () => {
    const fresh = new BotFrameworkTokens({ appId: APP_ID, openIdMetadataUrl: issuer.metadataUrl });
    const before = issuer.fetches();
    const token = issuer.token({ aud: 'someone-else' });
    expect(await refusalOf(fresh.check(`Bearer ${token}`))).toBeInstanceOf(TokenRefused);
    expect(issuer.fetches()).toBe(before);
  });
});

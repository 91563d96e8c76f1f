/**
 * With Bot Framework credentials, every token problem is a 401 with a generic body, keys that
 * cannot be fetched are a 503, each refusal is one warning in the log and nothing on stderr, and
 * nothing is stored or sent (issue point 7). Tokens are signed with a local key; the bot reads its
 * signing keys from a local OpenID metadata server.
 */
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { freePort } from '../../scripts/azurite.js';
import { loadConfig, type Config } from '../../src/config.js';
import { partnershipIdFor } from '../../src/domain/partnership.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { startTokenIssuer, type TokenIssuer } from '../support/bot-tokens.js';
import { headOnly } from '../support/raw-http.js';
import { alex, groupChat, postActivity, tenantId } from '../support/teams.js';

const APP_ID = '0b5e6c1d-7f2a-4c3b-9d8e-1a2b3c4d5e6f';

/** The bot's own calls to the connector stub carry no token: nothing here reaches an identity service. */
class LocalCredentials extends ConfigurationServiceClientCredentialFactory {
  private readonly none = new ConfigurationServiceClientCredentialFactory({});
  constructor() {
    super({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'test-only', MicrosoftAppType: 'MultiTenant' });
  }
  override createCredentials(...args: Parameters<ConfigurationServiceClientCredentialFactory['createCredentials']>) {
    return this.none.createCredentials(...args);
  }
}

async function securedBot(openIdMetadataUrl: string): Promise<TestBot> {
  const env = {
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppTenantId: tenantId,
  };
  const auth = loadConfig(env).auth as Extract<Config['auth'], { kind: 'botframework' }>;
  return startTestBot({
    env,
    // Stay on loopback in tests; with credentials the real server binds 0.0.0.0.
    config: { host: '127.0.0.1', auth: { ...auth, openIdMetadataUrl } },
    credentialsFactory: new LocalCredentials(),
  });
}

/** Everything written to stderr or the console while a test runs. */
function watchStderr() {
  const spies: MockInstance[] = [
    vi.spyOn(process.stderr, 'write'),
    vi.spyOn(console, 'error'),
    vi.spyOn(console, 'warn'),
    vi.spyOn(console, 'log'),
  ];
  return {
    written: () => spies.flatMap((s) => s.mock.calls.map((c) => String(c[0]))),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}

describe('Bot Framework tokens at the endpoint', () => {
  let issuer: TokenIssuer;
  let bot: TestBot;
  let stderr: ReturnType<typeof watchStderr>;
  let warnings: MockInstance;
  beforeAll(async () => {
    issuer = await startTokenIssuer();
    bot = await securedBot(issuer.metadataUrl);
  });
  afterAll(async () => {
    await bot.close();
    await issuer.close();
  });
  beforeEach(() => {
    stderr = watchStderr();
    warnings = vi.spyOn(bot.app.services.logger, 'warn');
  });
  afterEach(() => {
    stderr.restore();
    warnings.mockRestore();
  });

  const setup = (name: string, id: string) =>
    bot.teams.message(
      groupChat(`19:tokens-${id}@thread.v2`),
      alex,
      `setup partnership "${name}" councils=CEC:50,CWAC:50`,
    );
  const stored = (name: string) => bot.app.services.partnerships.get(partnershipIdFor(name, tenantId));
  const good = (claims: Record<string, unknown> = {}) =>
    issuer.token({ aud: APP_ID, serviceurl: bot.stub.url, ...claims });

  it('takes a message with a valid token, and answers it', async () => {
    const before = bot.stub.sent.length;
    const result = await postActivity(bot.url, setup('Token Holder ICT', 'valid'), {
      authorization: `Bearer ${good()}`,
    });
    expect(result.status).toBe(200);
    expect(await stored('Token Holder ICT')).toBeDefined();
    await bot.stub.waitForSent(before + 1);
    expect(stderr.written()).toEqual([]);
  });

  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['no token', () => undefined],
    [
      'a forged token: the real key id, signed with a self-made RS256 key',
      () => issuer.token({ aud: APP_ID }, { signWith: 'stranger' }),
    ],
    ['an unsigned token (alg none) with the real key id', () => issuer.token({ aud: APP_ID }, { alg: 'none' })],
    ['an expired token', () => good({ exp: now - 3600, nbf: now - 7200 })],
    ['a token for another app (wrong audience)', () => good({ aud: 'c0ffee00-1d2e-4f3a-8b4c-5d6e7f809123' })],
    ['a token from another issuer', () => good({ iss: 'https://sts.windows.net/attacker/' })],
    ['a token issued for another service URL', () => good({ serviceurl: 'https://connector.attacker.invalid/' })],
    ['a token under an unknown key id', () => issuer.token({ aud: APP_ID, serviceurl: bot.stub.url }, { kid: 'nope' })],
  ])('refuses %s with 401: generic body, one warning, nothing on stderr, stored or sent', async (what, token) => {
    const name = `Refused ${what.length} ICT`;
    const before = bot.stub.requests.length;
    const t = token();
    const result = await postActivity(
      bot.url,
      setup(name, `refused-${what.length}`),
      t ? { authorization: `Bearer ${t}` } : {},
    );
    expect(result.status).toBe(401);
    expect(result.body).toEqual({ error: 'a valid Bot Framework token is required' });
    expect(await stored(name)).toBeUndefined();
    expect(bot.stub.requests.length).toBe(before);
    expect(warnings.mock.calls.filter(([, message]) => message === 'request refused')).toHaveLength(1);
    expect(stderr.written()).toEqual([]);
  });

  it('refuses a bad token before reading the body', async () => {
    const forged = issuer.token({ aud: APP_ID }, { signWith: 'stranger' });
    const answer = await headOnly(
      bot.url,
      { 'Content-Type': 'application/json', Authorization: `Bearer ${forged}` },
      200 * 1024,
    );
    expect(answer.status).toBe(401);
    const missing = await headOnly(bot.url, { 'Content-Type': 'application/json' }, 200 * 1024);
    expect(missing.status).toBe(401);
  });
});

describe('Bot Framework tokens when the signing keys cannot be fetched', () => {
  let issuer: TokenIssuer;
  let bot: TestBot;
  beforeAll(async () => {
    issuer = await startTokenIssuer();
    bot = await securedBot(`http://127.0.0.1:${await freePort()}/openid`);
  });
  afterAll(async () => {
    await bot.close();
    await issuer.close();
  });

  it('answers 503 with a generic body, naming no internal address, and writes nothing to stderr', async () => {
    const stderr = watchStderr();
    try {
      const token = issuer.token({ aud: APP_ID, serviceurl: bot.stub.url });
      const activity = bot.teams.message(groupChat('19:tokens-keys-down@thread.v2'), alex, 'help');
      const result = await postActivity(bot.url, activity, { authorization: `Bearer ${token}` });
      expect(result.status).toBe(503);
      expect(result.body).toEqual({ error: 'the service cannot check requests right now; try again shortly' });
      expect(JSON.stringify(result.body)).not.toMatch(/127\.0\.0\.1|ECONN|openid/i);
      expect(bot.stub.requests).toHaveLength(0);
      expect(stderr.written()).toEqual([]);
    } finally {
      stderr.restore();
    }
  });
});

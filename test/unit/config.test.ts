import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const APP_ID = '3f2b1c4d-5e6f-4a1b-9c2d-1e2f3a4b5c6d';
const TENANT_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const ADMIN_ID = '6f1c2a3b-0000-4000-8000-000000000001';

const teamsBot = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's3cret~value', MicrosoftAppTenantId: TENANT_ID };

/** The message of the ConfigError that loadConfig throws, or a failure when it does not. */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('configuration with nothing set', () => {
  const config = loadConfig({});

  it('listens on port 3978', () => expect(config.port).toBe(3978));
  it('listens on loopback only, since nothing checks tokens', () => expect(config.host).toBe('127.0.0.1'));
  it('runs without authentication', () => expect(config.auth).toEqual({ kind: 'none' }));
  it('starts the Agents Playground on port 56150', () =>
    expect(config.playground).toEqual({ enabled: true, port: 56150 }));
  it('uses embedded storage under .data', () => {
    expect(config.storageConnectionString).toBeUndefined();
    expect(config.dataDir).toBe('.data');
  });
  it('has no bootstrap admins, logs at info and sends at most 5 a second to one conversation', () => {
    expect(config.adminUserIds).toEqual([]);
    expect(config.logLevel).toBe('info');
    expect(config.sendRatePerSecond).toBe(5);
  });
  it('sends at most 30 a second to one tenant, with headroom under the 50 Teams documents', () =>
    expect(config.tenantSendRatePerSecond).toBe(30));
  it("ends a turn within 10 s, inside Teams' 15 s", () => expect(config.turnDeadlineMs).toBe(10_000));
});

describe('configuration as .env.example leaves it', () => {
  it('treats the empty variables as not set', () => {
    const config = loadConfig({
      PORT: '3978',
      STORAGE_CONNECTION_STRING: '',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      MicrosoftAppTenantId: '',
      ADMIN_USER_IDS: '',
      LOG_LEVEL: 'info',
      SEND_RATE_PER_SECOND: '5',
      DATA_DIR: '.data',
      PLAYGROUND: 'on',
      PLAYGROUND_PORT: '56150',
    });
    expect(config.host).toBe('127.0.0.1');
    expect(config.auth).toEqual({ kind: 'none' });
    expect(config.storageConnectionString).toBeUndefined();
    expect(config.adminUserIds).toEqual([]);
  });

  it('ignores variables it does not know, such as the rest of the process environment', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/home/bot', NODE_ENV: 'production' }).port).toBe(3978);
  });

  it('never listens on a random port when PORT is left empty', () => {
    let outcome: number | string;
    try {
      outcome = loadConfig({ PORT: '' }).port;
    } catch (error) {
      outcome = error instanceof ConfigError && error.message.includes('PORT') ? 'refused, naming PORT' : String(error);
    }
    expect([3978, 'refused, naming PORT']).toContain(outcome);
  });
});

describe('configuration as a real Teams bot', () => {
  it('listens on every interface and checks Bot Framework tokens when app id, password and tenant are set', () => {
    const config = loadConfig(teamsBot);
    expect(config.host).toBe('0.0.0.0');
    expect(config.auth).toEqual({
      kind: 'botframework',
      appType: 'SingleTenant',
      appId: APP_ID,
      appPassword: 's3cret~value',
      tenantId: TENANT_ID,
    });
  });

  it('trims spaces around the credentials', () => {
    const config = loadConfig({
      MicrosoftAppId: ` ${APP_ID} `,
      MicrosoftAppPassword: ' pw ',
      MicrosoftAppTenantId: `${TENANT_ID}\n`,
    });
    expect(config.auth).toMatchObject({ appId: APP_ID, appPassword: 'pw', tenantId: TENANT_ID });
  });

  it('lets a MultiTenant bot run without a tenant id', () => {
    expect(
      loadConfig({ MicrosoftAppType: 'MultiTenant', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'pw' }).auth,
    ).toMatchObject({ kind: 'botframework', appType: 'MultiTenant', tenantId: undefined });
  });

  it('lets a managed identity run without a password', () => {
    expect(
      loadConfig({ MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT_ID }).auth,
    ).toMatchObject({ kind: 'botframework', appPassword: undefined });
  });

  it('reads the other settings', () => {
    const config = loadConfig({
      PORT: '8080',
      STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      ADMIN_USER_IDS: ` ${ADMIN_ID} , ${TENANT_ID},`,
      LOG_LEVEL: 'debug',
      SEND_RATE_PER_SECOND: '2.5',
      DATA_DIR: '/var/lib/bot',
      PLAYGROUND: 'off',
      PLAYGROUND_PORT: '56151',
    });
    expect(config).toMatchObject({
      port: 8080,
      storageConnectionString: 'UseDevelopmentStorage=true',
      adminUserIds: [ADMIN_ID, TENANT_ID],
      logLevel: 'debug',
      sendRatePerSecond: 2.5,
      dataDir: '/var/lib/bot',
      playground: { enabled: false, port: 56151 },
    });
  });
});

describe('a bad variable stops start-up with one line naming it', () => {
  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['PORT that is not a number', { PORT: 'abc' }, 'PORT'],
    ['PORT above 65535', { PORT: '70000' }, 'PORT'],
    ['PORT that is not whole', { PORT: '3978.5' }, 'PORT'],
    [
      'an app id that is not a GUID',
      { MicrosoftAppId: 'not-a-guid', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: TENANT_ID },
      'MicrosoftAppId',
    ],
    [
      'a tenant id that is not a GUID',
      { ...teamsBot, MicrosoftAppTenantId: 'contoso.onmicrosoft.com' },
      'MicrosoftAppTenantId',
    ],
    ['an admin id that is not a GUID', { ADMIN_USER_IDS: 'bob' }, 'ADMIN_USER_IDS'],
    ['one bad admin id among good ones', { ADMIN_USER_IDS: `${ADMIN_ID},bob` }, 'ADMIN_USER_IDS'],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['a misspelt app type', { MicrosoftAppType: 'SinglyTenant' }, 'MicrosoftAppType'],
    ['a send rate of zero', { SEND_RATE_PER_SECOND: '0' }, 'SEND_RATE_PER_SECOND'],
    ['a send rate above the documented limit', { SEND_RATE_PER_SECOND: '51' }, 'SEND_RATE_PER_SECOND'],
    [
      'a send rate above the 7 a second Teams allows to one conversation',
      { SEND_RATE_PER_SECOND: '8' },
      'SEND_RATE_PER_SECOND',
    ],
    ['a tenant send rate of zero', { TENANT_SEND_RATE_PER_SECOND: '0' }, 'TENANT_SEND_RATE_PER_SECOND'],
    [
      'a tenant send rate above the documented 50',
      { TENANT_SEND_RATE_PER_SECOND: '51' },
      'TENANT_SEND_RATE_PER_SECOND',
    ],
    ['PLAYGROUND other than on or off', { PLAYGROUND: 'yes' }, 'PLAYGROUND'],
    ['a playground port of 0', { PLAYGROUND_PORT: '0' }, 'PLAYGROUND_PORT'],
  ])('%s', (_, env, variable) => {
    const message = refusal(env);
    expect(message).not.toContain('\n');
    expect(message).toMatch(new RegExp(`^Configuration error: ${variable} `));
    const given = env[variable];
    if (given !== undefined) expect(message).toContain(`"${given}"`);
  });

  it('names the password when an app id is set without one', () => {
    const message = refusal({ MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT_ID });
    expect(message).not.toContain('\n');
    expect(message).toBe('Configuration error: MicrosoftAppPassword is required when MicrosoftAppId is set');
  });

  it('names the tenant id when a SingleTenant bot has none', () => {
    const message = refusal({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'pw' });
    expect(message).toBe('Configuration error: MicrosoftAppTenantId is required for a SingleTenant bot');
  });

  it('names the tenant id when a managed identity has none: its tokens come from one tenant too', () => {
    const message = refusal({ MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: APP_ID });
    expect(message).toBe('Configuration error: MicrosoftAppTenantId is required for a UserAssignedMSI bot');
  });

  it('names the app id when a password is set without one', () => {
    const message = refusal({ MicrosoftAppPassword: 'pw' });
    expect(message).toBe('Configuration error: MicrosoftAppId is required when MicrosoftAppPassword is set');
  });

  it('never shows the password in the message', () => {
    for (const env of [
      { ...teamsBot, MicrosoftAppId: 'not-a-guid' },
      { ...teamsBot, MicrosoftAppTenantId: 'nope' },
      { ...teamsBot, PORT: 'abc' },
      { MicrosoftAppPassword: 's3cret~value' },
    ]) {
      expect(refusal(env)).not.toContain('s3cret~value');
    }
  });
});

describe('the scheduler setting', () => {
  it('runs scheduled digests and reminders unless SCHEDULER=off', () => {
    expect(loadConfig({}).scheduler).toBe(true);
    expect(loadConfig({ SCHEDULER: 'on' }).scheduler).toBe(true);
    expect(loadConfig({ SCHEDULER: 'off' }).scheduler).toBe(false);
  });

  it('refuses anything else, naming SCHEDULER', () => {
    expect(refusal({ SCHEDULER: 'maybe' })).toMatch(/^Configuration error: SCHEDULER .*"maybe"/);
  });
});

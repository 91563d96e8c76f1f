import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { partnershipIdFor } from '../../src/domain/partnership.js';
import { createLogger } from '../../src/logger.js';
import { startApp } from '../../src/server.js';
import { openStorage } from '../../src/storage/tables.js';
import { freePort } from '../../scripts/azurite.js';
import { replyOf, startTestBot, type TestBot } from '../support/bot-harness.js';
import { alex, groupChat, personalChat, postActivity, tenantId } from '../support/teams.js';

/** A stack trace line as Node prints it: "    at fn (file:line:col)". */
const STACK_LINE = /^\s*at\s+\S+.*[(:]\d+/m;

/** The Azurite connection string of the run with its table endpoint moved to another port. */
function storageOnPort(port: number): string {
  return inject('storageConnectionString').replace(
    /TableEndpoint=http:\/\/127\.0\.0\.1:\d+\//,
    `TableEndpoint=http://127.0.0.1:${port}/`,
  );
}

function azuritePort(): number {
  const match = /TableEndpoint=http:\/\/127\.0\.0\.1:(\d+)\//.exec(inject('storageConnectionString'));
  if (!match) throw new Error('the Azurite connection string has no loopback TableEndpoint');
  return Number(match[1]);
}

/**
 * A plain TCP relay in front of the run's Azurite: while it is open the storage account is
 * reachable through it; once closed, the account is gone for whoever was pointed at it.
 */
async function startStorageRelay(): Promise<{ port: number; close(): Promise<void> }> {
  const target = azuritePort();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the relay has no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe('The bot endpoint', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  describe('GET /healthz', () => {
    it('answers 200 and says storage is reachable', async () => {
      const response = await fetch(`${bot.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', storage: 'reachable' });
    });

    it('answers 503 and says storage is unreachable when the storage account stops answering', async () => {
      const relay = await startStorageRelay();
      const app = await startApp({
        config: loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }),
        logger: createLogger('silent'),
        connectionString: storageOnPort(relay.port),
        tablePrefix: 'healthz',
      });
      try {
        expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
        await relay.close();
        const response = await fetch(`${app.url}/healthz`);
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ status: 'degraded', storage: 'unreachable' });
      } finally {
        await relay.close();
        await app.close(1000);
      }
    });

    it('reports storage down when nothing listens at the storage address', async () => {
      const storage = openStorage(storageOnPort(await freePort()));
      expect(await storage.ping()).toBe(false);
    });
  });

  describe('POST /api/messages', () => {
    it('answers malformed JSON with 400 and sends nothing', async () => {
      const before = bot.stub.requests.length;
      const result = await post(bot.url, '{"type":"message","text":"help"');
      expect(result.status).toBe(400);
      expect(bot.stub.requests.length).toBe(before);
    });

    it('answers a body over 256 KB with 413 and sends nothing', async () => {
      const before = bot.stub.requests.length;
      const activity = bot.teams.message(personalChat(alex), alex, `help ${'x'.repeat(300 * 1024)}`);
      const result = await post(bot.url, JSON.stringify(activity));
      expect(result.status).toBe(413);
      expect(bot.stub.requests.length).toBe(before);
    });

    it.each(['typing', 'messageReaction', 'event'])(
      'answers an activity of type %s with 200 and ignores it',
      async (type) => {
        const before = bot.stub.requests.length;
        const activity = { ...bot.teams.message(personalChat(alex), alex, 'help'), type };
        const result = await postActivity(bot.url, activity);
        expect(result.status).toBe(200);
        expect(bot.stub.requests.length).toBe(before);
      },
    );

    it.each(['composeExtension/query', 'task/fetch', 'signin/verifyState'])(
      'answers an invoke %s, which this app does not use, with 200 and sends nothing',
      async (name) => {
        const before = bot.stub.requests.length;
        const activity = { ...bot.teams.invoke(personalChat(alex), alex, 'unused'), name, value: {} };
        const result = await postActivity(bot.url, activity);
        expect(result.status).toBe(200);
        expect(bot.stub.requests.length).toBe(before);
      },
    );

    it('answers a message that carries only a picture, with no text, with the list of commands', async () => {
      const where = personalChat(alex, { id: 'a:1personal-endpoint-picture' });
      const { text: _text, ...activity } = bot.teams.message(where, alex, '', {
        attachments: [
          { contentType: 'image/png', contentUrl: 'https://example.invalid/screenshot.png', name: 'screenshot.png' },
        ],
      });
      const before = bot.stub.sent.length;
      expect((await postActivity(bot.url, activity)).status).toBe(200);
      const [reply] = (await bot.stub.waitForSent(before + 1)).slice(before);
      expect(replyOf(reply!).text).toContain('setup partnership');
    });

    it('politely refuses a message over 4,000 characters and stores nothing', async () => {
      const where = personalChat(alex, { id: 'a:1personal-endpoint-long-text' });
      await bot.say(where, alex, 'setup partnership "Endpoint Long Text ICT" councils=CEC:50,CWAC:50');
      const text = `kpi add "Overlong KPI" target=80 unit=% polarity=higher description="${'a'.repeat(4000)}"`;
      const reply = await bot.say(where, alex, text);
      expect(reply.text).toContain('That message is too long');
      expect(reply.text).toContain('4,000 characters');
      expect(reply.text).toContain('Nothing was changed');
      expect(reply.text).not.toContain('KPI added');
      const listed = await bot.say(where, alex, 'kpi');
      expect(listed.text).not.toContain('Overlong KPI');
    });

    it('reads a message of exactly 4,000 characters, and then answers what is wrong in it', async () => {
      const where = personalChat(alex, { id: 'a:1personal-endpoint-long-text' });
      const start = 'kpi add "Just Fits KPI" target=80 unit=% polarity=higher description="';
      const text = `${start}${'a'.repeat(4000 - start.length - 1)}"`;
      expect(text).toHaveLength(4000);
      const reply = await bot.say(where, alex, text);
      expect(reply.text).not.toContain('That message is too long');
      expect(reply.text).toContain('description= is too long: keep it under 500 characters');
      expect(reply.text).toContain('Nothing was changed');
    });

    it('takes a description of 500 characters', async () => {
      const where = personalChat(alex, { id: 'a:1personal-endpoint-long-text' });
      const reply = await bot.say(
        where,
        alex,
        `kpi add "Just Fits KPI" target=80 unit=% polarity=higher description="${'a'.repeat(500)}"`,
      );
      expect(reply.text).toContain('KPI added: Just Fits KPI');
    });

    it('turns an exception in a command into a friendly card with a reference, never a stack trace', async () => {
      const where = groupChat('19:endpoint-failure@thread.v2');
      await bot.say(where, alex, 'setup partnership "Endpoint Failure ICT" councils=CEC:50,CWAC:50');
      const logged = vi.spyOn(bot.app.services.logger, 'error');
      // The conversation's link is in its own lookup table and still found; what it links to is gone.
      await bot.app.storage.tables.partnerships.deleteTable();
      try {
        const reply = await bot.say(where, alex, 'role list');
        expect(reply.text).toContain('Something went wrong');
        expect(reply.text).not.toContain('not set up yet');
        const ref = /\(ref ([0-9a-f]{6})\)/.exec(reply.text)?.[1];
        expect(ref, reply.text).toMatch(/^[0-9a-f]{6}$/);
        expect(reply.text).not.toMatch(STACK_LINE);
        expect(JSON.stringify(reply.card)).not.toMatch(/\\n\s+at\s/);
        expect(logged.mock.calls.some(([fields]) => (fields as { ref?: string }).ref === ref)).toBe(true);
      } finally {
        logged.mockRestore();
        await bot.app.storage.tables.partnerships.createTable();
      }
    });

    it('does not tell a linked conversation it is not set up when the partnerships table is gone', async () => {
      const where = groupChat('19:endpoint-partnerships-gone@thread.v2');
      await bot.say(where, alex, 'setup partnership "Endpoint Partnerships Gone ICT" councils=CEC:50,CWAC:50');
      await bot.app.storage.tables.partnerships.deleteTable();
      try {
        for (const command of ['setup show', 'kpi', 'kpi record FTF 80', 'audit', 'setup unlink']) {
          const reply = await bot.say(where, alex, command);
          expect(reply.text, command).not.toContain('not set up yet');
          expect(reply.text, command).toMatch(/Something went wrong on my side \(ref [0-9a-f]{6}\)/);
          expect(reply.text, command).not.toMatch(STACK_LINE);
        }
        // The link itself is in the separate lookup table and was not touched.
        expect(
          await bot.app.services.partnerships.findBinding([
            { kind: 'conversation', conversationId: where.conversationId },
          ]),
        ).toBeDefined();
      } finally {
        await bot.app.storage.tables.partnerships.createTable();
      }
    });

    it('retries a reply that the connector throttles with 429 and Retry-After, and still delivers it', async () => {
      bot.stub.clear();
      bot.stub.failNext(4, { status: 429, retryAfterSeconds: 0 });
      const reply = await bot.say(personalChat(alex, { id: 'a:1personal-endpoint-throttled' }), alex, 'help');
      expect(reply.text).toContain('Governance Bot');
      const sends = bot.stub.requests.filter((r) => r.method === 'POST' && r.activity?.type === 'message');
      expect(sends.map((r) => r.status)).toEqual([429, 429, 429, 429, 201]);
      expect(sends.slice(0, 4).every((r) => r.injected)).toBe(true);
      expect(bot.stub.sent).toHaveLength(1);
    });
  });
});

describe('The bot endpoint with Bot Framework credentials', () => {
  let secured: TestBot;
  beforeAll(async () => {
    secured = await startTestBot({
      env: {
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppId: '0b5e6c1d-7f2a-4c3b-9d8e-1a2b3c4d5e6f',
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppTenantId: tenantId,
      },
      // Stay on loopback in tests; with credentials the real server binds 0.0.0.0.
      config: { host: '127.0.0.1' },
    });
  });
  afterAll(() => secured.close());

  it('refuses a request without an Authorization header with 401, sends nothing and changes nothing', async () => {
    const activity = secured.teams.message(
      personalChat(alex),
      alex,
      'setup partnership "Unauthenticated ICT" councils=CEC:50,CWAC:50',
    );
    const result = await postActivity(secured.url, activity);
    expect(result.status).toBe(401);
    expect(secured.stub.requests).toHaveLength(0);
    expect(
      await secured.app.services.partnerships.get(partnershipIdFor('Unauthenticated ICT', tenantId)),
    ).toBeUndefined();
  });
});

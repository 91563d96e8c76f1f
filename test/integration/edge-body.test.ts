/**
 * What gets in at /api/messages: only uncompressed JSON within its size, only from this machine
 * when no token is checked, and only activities whose fields are what the bot reads. Everything
 * else is refused before it can cost disk, memory or storage (issue points 1, 2, 3 and 8).
 */
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { partnershipIdFor } from '../../src/domain/partnership.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { headOnly, rawPost } from '../support/raw-http.js';
import { alex, groupChat, personalChat, postActivity, tenantId } from '../support/teams.js';

const SETUP = (name: string) => `setup partnership "${name}" councils=CEC:50,CWAC:50`;

/** formidable 1.x names what it writes to the temp folder upload_<hex>. */
async function uploadsInTemp(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('upload_'));
}

describe('The endpoint takes JSON only', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const stored = async (name: string) => bot.app.services.partnerships.get(partnershipIdFor(name, tenantId));

  function multipart(boundary: string, activity: unknown): Buffer {
    return Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="activity"\r\n\r\n${JSON.stringify(activity)}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      Buffer.alloc(200 * 1024, 0x61),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
  }

  it('refuses a multipart upload with 415 and writes nothing to the temp folder or to storage', async () => {
    const before = await uploadsInTemp();
    const activity = bot.teams.message(groupChat('19:edge-multipart@thread.v2'), alex, SETUP('Multipart ICT'));
    const boundary = 'governance-boundary';
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        rawPost(bot.url, multipart(boundary, activity), {
          'content-type': `multipart/form-data; boundary=${boundary}`,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([415, 415, 415]);
    expect(await uploadsInTemp()).toEqual(before);
    expect(await stored('Multipart ICT')).toBeUndefined();
  });

  it('never hands a request to formidable, the upload parser restify 12 still ships (issue point 13)', async () => {
    // formidable 1.x is in the production tree through restify; it must stay off the request path.
    const fromRestify = createRequire(createRequire(import.meta.url).resolve('restify/package.json'));
    const formidable = fromRestify('formidable') as { IncomingForm: { prototype: { parse: () => unknown } } };
    const parse = vi.spyOn(formidable.IncomingForm.prototype, 'parse');
    try {
      const activity = bot.teams.message(groupChat('19:edge-formidable@thread.v2'), alex, 'help');
      const boundary = 'formidable-boundary';
      const answer = await rawPost(bot.url, multipart(boundary, activity), {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      });
      expect(answer.status).toBe(415);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('refuses a gzip body with 415 before inflating a byte of it', async () => {
    const activity = bot.teams.message(groupChat('19:edge-gzip@thread.v2'), alex, SETUP('Gzip ICT'));
    // 20 MB of JSON in a few KB of gzip, under the size limit: refused by its header, never inflated.
    const bomb = gzipSync(JSON.stringify({ ...activity, padding: ' '.repeat(20 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const answer = await rawPost(bot.url, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(answer.status).toBe(415);
    const small = gzipSync(JSON.stringify(activity));
    const plainGzip = await rawPost(bot.url, small, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(plainGzip.status).toBe(415);
    expect(await stored('Gzip ICT')).toBeUndefined();
  });

  it('refuses a form post, which any web page can send without asking, with 415 and stores nothing', async () => {
    const where = groupChat('19:edge-form@thread.v2');
    const form = new URLSearchParams({
      type: 'message',
      text: SETUP('Form Post ICT'),
      'conversation[id]': where.conversationId,
      serviceUrl: bot.stub.url,
    }).toString();
    const answer = await rawPost(bot.url, form, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(answer.status).toBe(415);
    expect(await stored('Form Post ICT')).toBeUndefined();
  });

  it.each(['text/plain', 'application/xml', 'application/json; charset=latin1', ''])(
    'refuses a JSON body sent as "%s" with 415',
    async (type) => {
      const activity = bot.teams.message(personalChat(alex), alex, 'help');
      const answer = await rawPost(bot.url, JSON.stringify(activity), type ? { 'content-type': type } : {});
      expect(answer.status).toBe(415);
    },
  );

  it('takes application/json with its charset named', async () => {
    const before = bot.stub.sent.length;
    const activity = bot.teams.message(personalChat(alex, { id: 'a:1edge-charset' }), alex, 'help');
    const answer = await rawPost(bot.url, JSON.stringify(activity), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(answer.status).toBe(200);
    await bot.stub.waitForSent(before + 1);
  });

  it('refuses a declared length over the limit with 413 before reading the body', async () => {
    const answer = await headOnly(bot.url, { 'Content-Type': 'application/json' }, 10 * 1024 * 1024);
    expect(answer.status).toBe(413);
  });

  it('answers every refusal with a short generic body and no internal detail', async () => {
    const answer = await rawPost(bot.url, 'x=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(JSON.parse(answer.text)).toEqual({ error: 'only uncompressed application/json is accepted' });
  });
});

describe('Without credentials the endpoint answers only this machine', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const stored = async (name: string) => bot.app.services.partnerships.get(partnershipIdFor(name, tenantId));

  it('refuses a request whose Host names another site (DNS rebinding) with 403', async () => {
    const activity = bot.teams.message(groupChat('19:edge-host@thread.v2'), alex, SETUP('Rebound Host ICT'));
    const answer = await rawPost(bot.url, JSON.stringify(activity), {
      'content-type': 'application/json',
      host: 'attacker.invalid:3978',
    });
    expect(answer.status).toBe(403);
    expect(await stored('Rebound Host ICT')).toBeUndefined();
  });

  it('refuses a request a browser sent from a page of another site with 403', async () => {
    const activity = bot.teams.message(groupChat('19:edge-origin@thread.v2'), alex, SETUP('Cross Origin ICT'));
    const answer = await rawPost(bot.url, JSON.stringify(activity), {
      'content-type': 'application/json',
      origin: 'https://attacker.invalid',
    });
    expect(answer.status).toBe(403);
    expect(await stored('Cross Origin ICT')).toBeUndefined();
  });

  it('refuses an activity whose service URL is not on this machine, stores nothing and sends nowhere', async () => {
    const activity = {
      ...bot.teams.message(groupChat('19:edge-foreign-connector@thread.v2'), alex, SETUP('Foreign Connector ICT')),
      serviceUrl: 'https://connector.attacker.invalid/',
    };
    const before = bot.stub.requests.length;
    const result = await postActivity(bot.url, activity);
    expect(result.status).toBe(403);
    expect(await stored('Foreign Connector ICT')).toBeUndefined();
    expect(bot.stub.requests.length).toBe(before);
  });

  it('serves the local Playground and tests: loopback Host and connector', async () => {
    const before = bot.stub.sent.length;
    const activity = bot.teams.message(personalChat(alex, { id: 'a:1edge-local' }), alex, 'help');
    const answer = await rawPost(bot.url, JSON.stringify(activity), {
      'content-type': 'application/json',
      host: `localhost:${new URL(bot.url).port}`,
      origin: 'http://localhost:56150',
    });
    expect(answer.status).toBe(200);
    await bot.stub.waitForSent(before + 1);
  });
});

describe('Activities are checked at the edge', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const message = (text = 'help') => bot.teams.message(groupChat('19:edge-fields@thread.v2'), alex, text);
  const without = <T extends Record<string, unknown>>(value: T, key: keyof T) => {
    const copy = { ...value };
    delete copy[key];
    return copy;
  };

  it.each([
    ['an empty object', () => ({})],
    ['an activity without a type', () => without(message(), 'type')],
    ['an activity without a conversation', () => without(message(), 'conversation')],
    ['a text that is not a string', () => ({ ...message(), text: 42 })],
    ['entities that are not a list', () => ({ ...message(), entities: 'mention' })],
    [
      'a conversation id over 1 KB',
      () => ({ ...message(), conversation: { ...message().conversation, id: `19:${'x'.repeat(1100)}` } }),
    ],
    [
      'a sender id with a right-to-left override',
      () => ({ ...message(), from: { id: '29:1alex\u202e', name: 'Alex' } }),
    ],
    ['a service URL that is not a URL', () => ({ ...message(), serviceUrl: 'javascript:alert(1)' })],
    ['a JSON array', () => [message()]],
  ])('answers %s with 400, a generic body, and nothing sent or stored', async (_, make) => {
    const before = bot.stub.requests.length;
    const logged = vi.spyOn(bot.app.services.logger, 'warn');
    try {
      const result = await postActivity(bot.url, make() as Record<string, unknown>);
      expect(result.status).toBe(400);
      expect(result.body).toEqual({ error: 'the request is not a Bot Framework activity' });
      expect(bot.stub.requests.length).toBe(before);
      expect(logged.mock.calls.filter(([, message]) => message === 'request refused')).toHaveLength(1);
    } finally {
      logged.mockRestore();
    }
  });

  it('answers a sender with a 40,000-character name plainly, and changes nothing', async () => {
    const where = groupChat('19:edge-long-name@thread.v2');
    const long = { ...alex, name: 'A'.repeat(40_000) };
    const reply = await bot.say(where, long, SETUP('Long Name ICT'));
    expect(reply.text).toContain('That name is too long');
    expect(reply.text).toContain('40,000 characters');
    expect(reply.text).toContain('Nothing was changed');
    expect(await bot.app.services.partnerships.get(partnershipIdFor('Long Name ICT', tenantId))).toBeUndefined();
  });
});

/**
 * Teams sends again an activity it got no answer to in time. A second copy has no second effect
 * and no second reply, on whichever instance it lands (issue point 5); the memory is a row per
 * activity id in a table a day, read and dropped as deliveries.ts says.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { partnershipIdFor } from '../../src/domain/partnership.js';
import { createLogger } from '../../src/logger.js';
import { startApp, type App } from '../../src/server.js';
import { DeliveryLog, MEMORY_MS } from '../../src/storage/deliveries.js';
import { openStorage } from '../../src/storage/tables.js';
import { KpiRepository } from '../../src/storage/kpis.js';
import { replyOf, startTestBot, TEST_NOW, type TestBot } from '../support/bot-harness.js';
import { startConnectorStub, type ConnectorStub } from '../support/connector-stub.js';
import { alex, groupChat, postActivity, teamsActivities, tenantId, type Where } from '../support/teams.js';

describe('An activity delivered twice', () => {
  let bot: TestBot;
  const where = groupChat('19:redelivery@thread.v2');
  beforeAll(async () => {
    bot = await startTestBot();
    await bot.say(where, alex, 'setup partnership "Redelivery ICT" councils=CEC:50,CWAC:50');
  });
  afterAll(() => bot.close());

  const kpis = () => new KpiRepository(bot.app.storage.tables).list(partnershipIdFor('Redelivery ICT', tenantId));

  it('adds one KPI and answers once when the same kpi add arrives again', async () => {
    const add = bot.teams.message(where, alex, 'kpi add "Calls answered" code=CA target=90 unit=% polarity=higher');
    const before = bot.stub.sent.length;
    expect((await postActivity(bot.url, add)).status).toBe(200);
    await bot.stub.waitForSent(before + 1);
    expect((await postActivity(bot.url, add)).status).toBe(200);
    expect((await kpis()).filter((k) => k.code === 'CA')).toHaveLength(1);
    // The reply to the second copy would have come by now; there is none.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bot.stub.sent.length).toBe(before + 1);
  });

  it('has one effect when both copies arrive at once', async () => {
    const add = bot.teams.message(where, alex, 'kpi add "Tickets closed" code=TC target=95 unit=% polarity=higher');
    const before = bot.stub.sent.length;
    const results = await Promise.all([postActivity(bot.url, add), postActivity(bot.url, add)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await bot.stub.waitForSent(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bot.stub.sent.length).toBe(before + 1);
    expect(replyOf(bot.stub.sent[before]!).text).toContain('KPI added: Tickets closed');
    expect((await kpis()).filter((k) => k.code === 'TC')).toHaveLength(1);
  });

  it('answers a button pressed once but delivered twice with the card once, and then that it was done', async () => {
    const press = bot.teams.invoke(where, alex, 'help');
    const first = await postActivity(bot.url, press);
    const second = await postActivity(bot.url, press);
    expect(JSON.stringify(first.body)).toContain('application/vnd.microsoft.card.adaptive');
    expect(second.body).toMatchObject({ statusCode: 200, value: 'That was done already; nothing more was changed.' });
  });

  it('takes the same activity id in another conversation as another activity', async () => {
    const other = groupChat('19:redelivery-other@thread.v2');
    const id = `${Date.now()}-shared`;
    const before = bot.stub.sent.length;
    await postActivity(bot.url, bot.teams.message(where, alex, 'help', { id }));
    await postActivity(bot.url, bot.teams.message(other, alex, 'help', { id }));
    await bot.stub.waitForSent(before + 2);
  });
});

describe('An activity delivered again to another instance', () => {
  let stub: ConnectorStub;
  let apps: App[];
  const where: Where = groupChat('19:redelivery-two-instances@thread.v2');
  beforeAll(async () => {
    stub = await startConnectorStub();
    const tablePrefix = `r${randomBytes(5).toString('hex')}`;
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent' });
    apps = await Promise.all(
      [1, 2].map(() =>
        startApp({
          config,
          logger: createLogger('silent'),
          connectionString: inject('storageConnectionString'),
          tablePrefix,
          clock: () => TEST_NOW,
        }),
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close(1000)));
    await stub.close();
  });

  it('sets the partnership up once, answered by the instance that got it first', async () => {
    const teams = teamsActivities(stub.url);
    const setup = teams.message(where, alex, 'setup partnership "Two Instances ICT" councils=CEC:50,CWAC:50');
    const results = await Promise.all(apps.map((app) => postActivity(app.url, setup)));
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await stub.waitForSent(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stub.sent.map((a) => replyOf(a).text).filter((t) => t.includes('is set up'))).toHaveLength(1);
    expect(stub.sent).toHaveLength(1);
  });
});

describe('The memory of handled activities', () => {
  const storage = () => openStorage(inject('storageConnectionString'), `d${randomBytes(5).toString('hex')}`);

  it('remembers an id for the rest of its day', async () => {
    const log = new DeliveryLog(storage());
    const morning = new Date('2026-11-25T08:00:00Z');
    expect(await log.claim('19:chat@thread.v2', '1700000000001', morning)).toBe('first');
    expect(await log.claim('19:chat@thread.v2', '1700000000001', new Date('2026-11-25T20:00:00Z'))).toBe('seen');
  });

  it('remembers an id across midnight for at least an hour, reading the day before', async () => {
    const log = new DeliveryLog(storage());
    const late = new Date('2026-11-25T23:50:00Z');
    expect(await log.claim('19:chat@thread.v2', '1700000000002', late)).toBe('first');
    expect(await log.claim('19:chat@thread.v2', '1700000000002', new Date(late.getTime() + 20 * 60_000))).toBe('seen');
  });

  it('lets a row of the day before expire on read once it is older than the memory', async () => {
    const log = new DeliveryLog(storage());
    const late = new Date('2026-11-25T23:10:00Z');
    await log.claim('19:chat@thread.v2', '1700000000003', late);
    const later = new Date(late.getTime() + MEMORY_MS + 5 * 60_000);
    expect(later.toISOString().slice(0, 10)).toBe('2026-11-26');
    expect(await log.claim('19:chat@thread.v2', '1700000000003', later)).toBe('first');
  });

  it('drops the tables of days before yesterday, whole, on the first claim of a day', async () => {
    const shared = storage();
    const log = new DeliveryLog(shared);
    for (const day of ['2026-11-20', '2026-11-23', '2026-11-24']) {
      await log.claim('19:chat@thread.v2', `id-${day}`, new Date(`${day}T12:00:00Z`));
    }
    await new DeliveryLog(shared).claim('19:chat@thread.v2', 'id-today', new Date('2026-11-25T12:00:00Z'));
    const left: string[] = [];
    // The drop runs in the background after the day's table is made.
    for (let i = 0; i < 20; i++) {
      left.length = 0;
      for (const day of ['20261120', '20261123', '20261124', '20261125']) {
        try {
          await shared.daily.table('seen', day).getAccessPolicy();
          left.push(day);
        } catch {
          // Gone.
        }
      }
      if (!left.includes('20261123')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(left).toEqual(['20261124', '20261125']);
  });
});

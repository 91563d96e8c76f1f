/**
 * A storage outage mid-run (issue point 11), on an Azurite of this test's own that is stopped and
 * started again: commands that need storage say so plainly, with a reference, within 5 s; help
 * answers without storage; /healthz says 503 and then 200 again; nothing was half-written.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../scripts/azurite.js';
import { parsePeriod } from '../../src/domain/periods.js';
import type { PartnershipId } from '../../src/domain/partnership.js';
import { KpiRepository } from '../../src/storage/kpis.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { alex, channel } from '../support/teams.js';

const OUTAGE_ANSWER_MS = 5_000;

describe('A storage outage mid-run', () => {
  let folder: string;
  let azurite: RunningAzurite;
  let bot: TestBot;
  let partnershipId: PartnershipId;
  const where = channel({ teamId: '19:outage@thread.tacv2', channelId: '19:outage-kpi@thread.tacv2' });

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'governance-outage-'));
    azurite = await startAzurite({ location: folder });
    bot = await startTestBot({ connectionString: azurite.connectionString });
    await bot.say(where, alex, 'setup partnership "Outage ICT" councils=CEC:50,CWAC:50');
    await bot.say(where, alex, 'kpi add "First time fix" code=FTF target=80 unit=% polarity=higher');
    await bot.say(where, alex, 'kpi record FTF 78 period=2026-09');
    partnershipId = (await bot.app.services.partnerships.findBinding([{ kind: 'team', teamId: where.teamId }]))!
      .partnershipId;
  }, 60_000);
  afterAll(async () => {
    await bot.close();
    await azurite.stop();
    await rm(folder, { recursive: true, force: true });
  });

  const healthz = async () => (await fetch(`${bot.url}/healthz`)).status;

  async function timed(text: string) {
    const started = performance.now();
    const reply = await bot.say(where, alex, text);
    return { text: reply.text, ms: performance.now() - started };
  }

  it('is told plainly while storage is down, help still answers, and all is back when it returns', async () => {
    expect(await healthz()).toBe(200);
    const auditBefore = await bot.app.services.audit.latest(partnershipId, 50);
    await azurite.stop();

    const record = await timed('kpi record FTF 91 period=2026-10');
    expect(record.text).toMatch(/Storage is unavailable right now; nothing was changed \(ref [0-9a-f]{6}\)/);
    expect(record.text).not.toContain('Something went wrong');
    expect(record.ms).toBeLessThan(OUTAGE_ANSWER_MS);

    const list = await timed('kpi');
    expect(list.text).toContain('Storage is unavailable right now');
    expect(list.ms).toBeLessThan(OUTAGE_ANSWER_MS);

    const help = await timed('help');
    expect(help.text).toContain('kpi');
    expect(help.text).not.toContain('unavailable');
    expect(help.ms).toBeLessThan(OUTAGE_ANSWER_MS);
    expect((await timed('help kpi record')).text).toContain("Record a KPI's value");

    expect(await healthz()).toBe(503);

    azurite = await startAzurite({ location: folder, port: azurite.port });
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = await healthz();
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);

    // Nothing of the refused reading was written: no row, no summary point, no audit entry.
    const kpis = new KpiRepository(bot.app.storage.tables);
    expect(await kpis.getReading(partnershipId, 'FTF', parsePeriod('2026-10')!)).toBeUndefined();
    expect((await kpis.list(partnershipId)).find((k) => k.code === 'FTF')?.recent).toEqual([['2026-09', 78]]);
    expect(await bot.app.services.audit.latest(partnershipId, 50)).toEqual(auditBefore);

    const again = await bot.say(where, alex, 'kpi record FTF 91 period=2026-10');
    expect(again.text).toContain('91% for Oct 2026 is Green');
  }, 60_000);
});

/**
 * A relay in front of Azurite that can stop answering without closing anything: connections are
 * taken and held, as by a storage account that has hung.
 */
async function hangingRelay(target: number) {
  let hanging = false;
  const held = new Set<Socket>();
  const server = createServer((client) => {
    held.add(client);
    client.on('close', () => held.delete(client)).on('error', () => client.destroy());
    if (hanging) return;
    const upstream = connect(target, '127.0.0.1');
    held.add(upstream);
    upstream.on('close', () => held.delete(upstream)).on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    hang() {
      hanging = true;
      // Connections already open stop too: nothing more goes through them.
      for (const socket of held) socket.pause();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('A storage account that stops answering', () => {
  let azurite: RunningAzurite;
  let relay: Awaited<ReturnType<typeof hangingRelay>>;
  let bot: TestBot;
  const where = channel({ teamId: '19:hung@thread.tacv2', channelId: '19:hung-kpi@thread.tacv2' });

  beforeAll(async () => {
    azurite = await startAzurite();
    relay = await hangingRelay(azurite.port);
    bot = await startTestBot({
      connectionString: azurite.connectionString.replace(`:${azurite.port}/`, `:${relay.port}/`),
    });
    await bot.say(where, alex, 'setup partnership "Hung Storage ICT" councils=CEC:50,CWAC:50');
    await bot.say(where, alex, 'kpi add "First time fix" code=FTF target=80 unit=% polarity=higher');
  }, 60_000);
  afterAll(async () => {
    await bot.close();
    await relay.close();
    await azurite.stop();
  });

  it('is told plainly within 5 s, not held until Teams gives up', async () => {
    relay.hang();
    const started = performance.now();
    const reply = await bot.say(where, alex, 'kpi record FTF 91 period=2026-10');
    expect(reply.text).toMatch(/Storage is unavailable right now; nothing was changed \(ref [0-9a-f]{6}\)/);
    expect(performance.now() - started).toBeLessThan(OUTAGE_ANSWER_MS);
  }, 20_000);
});

/**
 * Scheduled digests through the connector stub, with the clock in the test's hands: a digest fires
 * at its time, once, however many bot processes share the storage account; a process that dies
 * holding a run is replaced after the lease; throttling and failures are retried; a blocked
 * conversation is paused; and a stop is caught up on start-up, or skipped and mentioned.
 * Committees subscribe on Wednesday 25 November 2026 to a digest every Monday at 09:00 (GMT).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LEASE_MS } from '../../src/domain/schedule.js';
import { KpiRepository } from '../../src/storage/kpis.js';
import { ScheduleStore } from '../../src/storage/schedule.js';
import { startTestBot } from '../support/bot-harness.js';
import { fact, lines } from '../support/cards.js';
import { committee, HOUR, MINUTE, recordFigures, type Committee } from '../support/digest-fixture.js';
import { jo, sam } from '../support/teams.js';

const SUBSCRIBED = '2026-11-25T12:00:00Z';
const DUE = new Date('2026-11-30T09:00:00Z');

async function weeklyCommittee(name: string): Promise<Committee> {
  const c = await committee(name, SUBSCRIBED);
  await recordFigures(c);
  expect(lines(await c.ask(sam, 'digest subscribe weekly day=Monday at=09:00'))[0]).toBe('Digest D-1 set up');
  return c;
}

function runOf(c: Committee, due = DUE) {
  return new ScheduleStore(c.bot.app.services.tables).get('digest', c.partnershipId, due);
}

describe('a digest at its time', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await weeklyCommittee('sched-due');
  });
  afterAll(() => c.close());

  it('is not sent before it is due', async () => {
    c.clock.set('2026-11-30T08:59:50Z');
    await c.tick();
    expect(c.digests()).toHaveLength(0);
  });

  it('is posted in the channel at 09:00 with the partnership, the date and its sections', async () => {
    c.clock.set('2026-11-30T09:00:20Z');
    await c.tick();
    const [digest] = c.digests();
    expect(c.digests()).toHaveLength(1);
    expect(lines(digest!)[0]).toBe('Digest — Cheshire ICT Shared Service');
    expect(lines(digest!)[1]).toBe('Monday 30 November 2026, 09:00 · every Monday at 09:00 (D-1)');
    expect(digest!.text).toContain('3 KPIs: 1 Green, 0 Amber, 1 Red, 1 with no data.');
    expect(digest!.text).toContain('Changed in the last 7 days');
    expect((await runOf(c))?.row).toMatchObject({ state: 'sent', attempts: 1, outcome: 'sent to 1' });
  });

  it('is not sent again by later ticks, and the next run is a week on', async () => {
    c.clock.set('2026-11-30T09:01:00Z');
    await c.tick();
    expect(c.digests()).toHaveLength(1);
    expect(fact(await c.ask(jo, 'digest list'), 'D-1')).toBe(
      'every Monday at 09:00 · next Mon 7 Dec 2026, 09:00 · sections: all',
    );
    expect((await runOf(c, new Date('2026-12-07T09:00:00Z')))?.row.state).toBe('due');
  });

  it('says next week what changed since this digest', async () => {
    c.clock.set('2026-12-02T10:00:00Z');
    expect((await c.ask(sam, 'kpi record FTF 81 period=2026-11')).text).toContain('Green');
    c.clock.set('2026-12-07T09:00:05Z');
    await c.tick();
    const second = c.digests()[1]!;
    expect(second.text).toContain('1 change since the last digest (30 Nov, 09:00): 1 KPI.');
    expect(second.text).toContain('Sam Jones: kpi record FTF 81 period=2026-11');
  });
});

describe('London time across the clock changes', () => {
  it('posts a Monday 09:00 digest at 09:00 BST after the spring change and at 09:00 GMT after the autumn one', async () => {
    const spring = await committee('sched-bst', '2027-03-24T12:00:00Z');
    const autumn = await committee('sched-gmt', '2026-10-21T12:00:00Z');
    try {
      for (const c of [spring, autumn]) {
        expect((await c.ask(sam, 'digest subscribe weekly day=Monday at=09:00')).text).toContain('set up');
      }
      spring.clock.set('2027-03-29T08:00:10Z');
      autumn.clock.set('2026-10-26T08:00:10Z');
      await Promise.all([spring.tick(), autumn.tick()]);
      expect(spring.digests()).toHaveLength(1);
      expect(lines(spring.digests()[0]!)[1]).toBe('Monday 29 March 2027, 09:00 · every Monday at 09:00 (D-1)');
      expect(autumn.digests()).toHaveLength(0);
      autumn.clock.set('2026-10-26T09:00:10Z');
      await autumn.tick();
      expect(lines(autumn.digests()[0]!)[1]).toBe('Monday 26 October 2026, 09:00 · every Monday at 09:00 (D-1)');
    } finally {
      await Promise.all([spring.close(), autumn.close()]);
    }
  });
});

describe('several bot processes on one storage account', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await weeklyCommittee('sched-three');
  });
  afterAll(() => c.close());

  it('send a due digest exactly once', async () => {
    const [second, third] = await Promise.all([c.another(), c.another()]);
    c.clock.set('2026-11-30T09:00:10Z');
    const reports = await Promise.all([c.tick(), c.tick(second), c.tick(third)]);
    expect(c.digests()).toHaveLength(1);
    const digestRuns = reports.flatMap((r) => r.runs).filter((r) => r.kind === 'digest');
    expect(digestRuns).toHaveLength(1);
    expect((await runOf(c))?.row).toMatchObject({ state: 'sent', attempts: 1 });
    // Every process ticks again: still once.
    await Promise.all([c.tick(), c.tick(second), c.tick(third)]);
    expect(c.digests()).toHaveLength(1);
  });
});

describe('an instance with SCHEDULER=off', () => {
  it('serves messages but runs no scheduled work; another instance sends the digest', async () => {
    const c = await committee('sched-off', SUBSCRIBED, { SCHEDULER: 'off' });
    try {
      expect(c.bot.app.scheduler).toBeUndefined();
      expect(lines(await c.ask(sam, 'digest subscribe weekly day=Monday at=09:00'))[0]).toBe('Digest D-1 set up');
      c.clock.set('2026-11-30T09:00:10Z');
      const on = await startTestBot({ now: c.clock.now, tablePrefix: c.tablePrefix });
      try {
        await on.app.scheduler!.tick();
        expect(c.digests()).toHaveLength(1);
      } finally {
        await on.close();
      }
    } finally {
      await c.close();
    }
  });
});

describe('a process that dies after claiming a run', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await weeklyCommittee('sched-lease');
  });
  afterAll(() => c.close());

  it('is replaced by another once its lease has run out', async () => {
    const survivor = await c.another();
    c.clock.set('2026-11-30T09:00:10Z');
    const claimed = await c.scheduler().claimDue();
    expect(claimed.filter((r) => r.row.kind === 'digest')).toHaveLength(1);
    // The first process stops here, holding the run.

    c.clock.advance(DEFAULT_LEASE_MS - MINUTE);
    await c.tick(survivor);
    expect(c.digests()).toHaveLength(0);

    c.clock.advance(MINUTE);
    await c.tick(survivor);
    expect(c.digests()).toHaveLength(1);
    expect((await runOf(c))?.row).toMatchObject({
      state: 'sent',
      attempts: 2,
      holder: survivor.app.scheduler?.instanceId,
    });
  });
});

describe('a throttled or failing connector', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await weeklyCommittee('sched-retry');
  });
  afterAll(() => c.close());

  it('is retried after 429 with Retry-After and after 500, and the digest is delivered once', async () => {
    const toChannel = (r: { conversationId?: string }) => r.conversationId === c.where.channelId;
    c.bot.stub.failNext(1, { status: 429, retryAfterSeconds: 1, match: (r) => toChannel(r) && r.method === 'POST' });
    c.bot.stub.failNext(1, { status: 500, match: (r) => toChannel(r) && r.method === 'POST' });
    c.clock.set('2026-11-30T09:00:10Z');
    await c.tick();
    // A 500 the sender did not retry leaves the run due again a minute later; the outbox tries again.
    c.clock.set('2026-11-30T09:02:00Z');
    await c.tick();
    expect(c.digests()).toHaveLength(1);
    const statuses = c.bot.stub.requests.filter((r) => toChannel(r) && r.method === 'POST').map((r) => r.status);
    expect(statuses.slice(0, 2)).toEqual([429, 500]);
    expect(statuses.at(-1)).toBe(201);
    expect((await runOf(c))?.row.state).toBe('sent');
  });
});

describe('a conversation where the bot is blocked', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await weeklyCommittee('sched-blocked');
  });
  afterAll(() => c.close());

  it('pauses the subscription on 403 MessageWritesBlocked, without retrying', async () => {
    c.bot.stub.failNext(Infinity, {
      status: 403,
      body: { error: { code: 'MessageWritesBlocked', message: 'Thread is blocked from message writes.' } },
      match: (r) => r.conversationId === c.where.channelId && r.method === 'POST',
    });
    c.clock.set('2026-11-30T09:00:10Z');
    await c.tick();
    const attempts = c.bot.stub.requests.filter((r) => r.conversationId === c.where.channelId).length;
    expect(attempts).toBe(1);
    expect(c.digests()).toHaveLength(0);
    expect(fact(await c.ask(jo, 'digest list'), 'D-1')).toContain(
      'paused since Mon 30 Nov 2026, 09:00 (the app was removed or blocked here)',
    );
    expect((await runOf(c))?.row.state).toBe('sent');
  });

  it('sends nothing the next week while paused', async () => {
    c.bot.stub.clear();
    c.clock.set('2026-12-07T09:00:10Z');
    await c.tick();
    expect(c.bot.stub.requests.filter((r) => r.conversationId === c.where.channelId)).toHaveLength(0);
  });

  it('resumes once the app is added again', async () => {
    c.clock.set('2026-12-10T15:00:00Z');
    await c.install(c.where);
    c.clock.set('2026-12-14T09:00:10Z');
    await c.tick();
    expect(c.digests()).toHaveLength(1);
    expect(fact(await c.ask(jo, 'digest list'), 'D-1')).toContain('next Mon 21 Dec 2026, 09:00');
  });
});

describe('catching up after nothing was running', () => {
  let twoHours: Committee;
  let thirteenHours: Committee;
  beforeAll(async () => {
    [twoHours, thirteenHours] = await Promise.all([weeklyCommittee('sched-2h'), weeklyCommittee('sched-13h')]);
  });
  afterAll(() => Promise.all([twoHours.close(), thirteenHours.close()]));

  it('sends on start-up a digest that is 2 hours late', async () => {
    twoHours.clock.set(new Date(DUE.getTime() + 2 * HOUR).toISOString());
    const started = await twoHours.another();
    await twoHours.tick(started);
    expect(twoHours.digests()).toHaveLength(1);
  });

  it('skips a digest 13 hours late, and mentions it in the next one', async () => {
    thirteenHours.clock.set(new Date(DUE.getTime() + 13 * HOUR).toISOString());
    const started = await thirteenHours.another();
    await thirteenHours.tick(started);
    expect(thirteenHours.digests()).toHaveLength(0);
    expect((await runOf(thirteenHours))?.row).toMatchObject({ state: 'skipped' });
    expect(fact(await thirteenHours.ask(jo, 'digest list'), 'D-1')).toContain('next Mon 7 Dec 2026, 09:00');

    thirteenHours.clock.set('2026-12-07T09:00:10Z');
    await thirteenHours.tick(started);
    const [next] = thirteenHours.digests();
    expect(next!.text).toContain(
      'The digest due Mon 30 Nov 2026, 09:00 was not sent: the service was not running within 12 hours of the time.',
    );
  });

  it('after a stop of days, skips the runs missed and goes on from the next one', async () => {
    const c = await weeklyCommittee('sched-days');
    try {
      c.clock.set('2026-12-16T10:00:00Z');
      const started = await c.another();
      await c.tick(started);
      expect(c.digests()).toHaveLength(0);
      c.clock.set('2026-12-21T09:00:30Z');
      await c.tick(started);
      expect(c.digests()).toHaveLength(1);
      expect(c.digests()[0]!.text).toContain(
        'The digests due Mon 30 Nov 2026, 09:00, Mon 7 Dec 2026, 09:00 and Mon 14 Dec 2026, 09:00 were not sent',
      );
    } finally {
      await c.close();
    }
  });
});

describe('one run for many conversations', () => {
  let c: Committee;
  afterEach(() => vi.restoreAllMocks());
  beforeAll(async () => {
    c = await committee('sched-many', SUBSCRIBED);
    await recordFigures(c);
  });
  afterAll(() => c.close());

  it('builds the digest once and posts it to each subscribed channel once, with its own sections', async () => {
    const channels = ['board', 'finance', 'audit'].map((name) => ({
      ...c.where,
      channelId: `19:sched-many-${name}@thread.tacv2`,
      conversationId: `19:sched-many-${name}@thread.tacv2`,
      channelName: name,
    }));
    for (const where of channels) {
      expect((await c.ask(sam, 'digest subscribe weekly day=Monday at=09:30', where)).text).toContain('set up');
    }
    expect((await c.ask(sam, 'digest subscribe cron="30 9 * * 1" sections=kpi', channels[0])).text).toContain(
      'already has',
    );
    expect((await c.ask(sam, 'digest subscribe cron="30 9 * * *" sections=kpi', channels[0])).text).toContain('set up');
    c.clock.set('2026-11-30T09:00:00Z');
    await c.tick(); // this hour's reminders
    const reads = vi.spyOn(KpiRepository.prototype, 'list');
    c.clock.set('2026-11-30T09:30:05Z');
    await c.tick();
    expect(reads).toHaveBeenCalledTimes(1);
    for (const where of channels) expect(c.digests(where.channelId), where.channelName).toHaveLength(1);
    // Two subscriptions of the board fall due together: one digest, with the sections of both.
    expect(lines(c.digests(channels[0]!.channelId)[0]!)[1]).toBe('Monday 30 November 2026, 09:30');
  });
});

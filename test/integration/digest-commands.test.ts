/**
 * The digest commands as a committee's officers type them: subscribing a channel, listing and
 * stopping its digests, previewing the digest, posting it now, `status`, and `reminders on|off`.
 * The clock stands at Wednesday 25 November 2026, 12:00 (GMT).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_BYTE_LIMIT } from '../../src/cards/render.js';
import { ReminderStore } from '../../src/storage/reminders.js';
import { cardSize, fact, lines } from '../support/cards.js';
import { committee, recordFigures, type Committee } from '../support/digest-fixture.js';
import { alex, groupChat, jo, personalChat, sam } from '../support/teams.js';

describe('digest subscribe, list and unsubscribe', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await committee('digest-subscribe', '2026-11-25T12:00:00Z');
  });
  afterAll(() => c.close());

  it('subscribes the channel to a weekly digest and says when the first comes, London time', async () => {
    const reply = await c.ask(sam, 'digest subscribe weekly day=Monday at=09:00');
    expect(lines(reply)[0]).toBe('Digest D-1 set up');
    expect(reply.text).toContain('posted here every Monday at 09:00, London time');
    expect(fact(reply, 'Next')).toBe('Mon 30 Nov 2026, 09:00');
    expect(fact(reply, 'Sections')).toBe('all');
  });

  it('takes a monthly day and a cron schedule, with the sections asked for', async () => {
    const monthly = await c.ask(sam, 'digest subscribe monthly day=1 at=08:30 sections=kpi,risk');
    expect(lines(monthly)[0]).toBe('Digest D-2 set up');
    expect(fact(monthly, 'Next')).toBe('Tue 1 Dec 2026, 08:30');
    expect(fact(monthly, 'Sections')).toBe('kpi and risk');
    const cron = await c.ask(sam, 'digest subscribe cron="30 7 * * 5"');
    expect(lines(cron)[0]).toBe('Digest D-3 set up');
    expect(fact(cron, 'Next')).toBe('Fri 27 Nov 2026, 07:30');
  });

  it('lists the digests of this conversation with their next run', async () => {
    const list = await c.ask(jo, 'digest list');
    expect(lines(list)[0]).toBe('Digests in this conversation');
    expect(fact(list, 'D-1')).toBe('every Monday at 09:00 · next Mon 30 Nov 2026, 09:00 · sections: all');
    expect(fact(list, 'D-2')).toBe(
      'on the 1st of each month at 08:30 · next Tue 1 Dec 2026, 08:30 · sections: kpi and risk',
    );
    expect(fact(list, 'D-3')).toContain('cron 30 7 * * 5');
  });

  it('lists nothing in another channel of the same team', async () => {
    const elsewhere = {
      ...c.where,
      channelId: '19:digest-subscribe-other@thread.tacv2',
      conversationId: '19:digest-subscribe-other@thread.tacv2',
    };
    const list = await c.ask(jo, 'digest list', elsewhere);
    expect(lines(list)[0]).toBe('No digests here yet');
  });

  it.each([
    ['an invalid cron expression', 'digest subscribe cron="61 9 * * 1"', 'is not a cron schedule that can be read'],
    ['a cron with seconds', 'digest subscribe cron="0 0 9 * * 1"', 'has 6 fields'],
    ['a cron without quotes', 'digest subscribe cron=0 9 * * 1', 'put the cron schedule in quotes: cron="0 9 * * 1"'],
    ['a day that does not parse', 'digest subscribe weekly day=Funday at=09:00', '"Funday" is not a day of the week'],
    ['a time that does not parse', 'digest subscribe weekly day=Monday at=9am', '"9am" is not a time'],
    ['a day of the month some months lack', 'digest subscribe monthly day=31 at=09:00', 'not every month has a 31st'],
    ['no schedule at all', 'digest subscribe', 'say how often the digest comes'],
    ['an unknown schedule word', 'digest subscribe fortnightly day=Monday at=09:00', '"fortnightly" is not a schedule'],
    [
      'an unknown section',
      'digest subscribe weekly day=Monday at=09:00 sections=kpi,weather',
      '"weather" is not a section',
    ],
  ])('refuses %s with a clear card and stores nothing', async (_, text, problem) => {
    const reply = await c.ask(sam, text);
    expect(reply.text).toContain(problem);
    expect(reply.text).toContain('digest subscribe weekly day=<day> at=<HH:MM>'.replace(/</g, '‹').replace(/>/g, '›'));
    const list = await c.ask(jo, 'digest list');
    expect(list.text.match(/^D-\d+$/gm)).toEqual(['D-1', 'D-2', 'D-3']);
  });

  it('refuses the same schedule twice in one conversation', async () => {
    const reply = await c.ask(sam, 'digest subscribe cron="0 9 * * 1"');
    expect(reply.text).toContain('This conversation already has D-1, every Monday at 09:00');
  });

  it('refuses a viewer: subscribing needs the editor role', async () => {
    const reply = await c.ask(jo, 'digest subscribe weekly day=Friday at=16:00');
    expect(lines(reply)[0]).toBe('You need the editor role');
  });

  it('refuses to subscribe a conversation not linked to a partnership, and stores nothing', async () => {
    const chat = groupChat('19:digest-unlinked@thread.v2');
    const reply = await c.ask(alex, 'digest subscribe weekly day=Monday at=09:00', chat);
    expect(lines(reply)[0]).toBe('This conversation is not set up yet');
    expect(reply.text).toContain('Nothing was changed.');
    const all = c.bot.app.services.tables.partnerships.listEntities({
      queryOptions: { filter: `RowKey ge 'digest|' and RowKey lt 'digest}'` },
    });
    const here: unknown[] = [];
    for await (const row of all) if (String(row.subscription).includes(chat.conversationId)) here.push(row);
    expect(here).toEqual([]);
  });

  it('refuses an unknown subscription id with the ones there are, and changes nothing', async () => {
    const reply = await c.ask(sam, 'digest unsubscribe D-9');
    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('There is no digest "D-9" in this conversation. Nothing was changed.');
    expect(reply.text).toContain('digest unsubscribe D-1 (every Monday at 09:00)');
    expect((await c.ask(jo, 'digest list')).text.match(/^D-\d+$/gm)).toEqual(['D-1', 'D-2', 'D-3']);
    expect((await c.ask(sam, 'digest unsubscribe weekly')).text).toContain(
      '"weekly" is not a digest id: write it like D-2, e.g. digest unsubscribe D-2',
    );
  });

  it('stops a digest, which leaves the list', async () => {
    const reply = await c.ask(sam, 'digest unsubscribe d-3');
    expect(lines(reply)[0]).toBe('Digest D-3 stopped');
    expect((await c.ask(jo, 'digest list')).text.match(/^D-\d+$/gm)).toEqual(['D-1', 'D-2']);
    expect((await c.ask(sam, 'digest subscribe cron="30 7 * * 5"')).text).toContain('Digest D-4 set up');
  });

  it('keeps the subscriptions and their removal in the audit', async () => {
    const audit = await c.bot.app.services.audit.latest(c.partnershipId, 20);
    const subjects = audit.filter((e) => e.subject.startsWith('digest')).map((e) => `${e.actorName}: ${e.subject}`);
    // The clock stands still here, so the order of rows written in one second is not kept.
    expect(subjects.sort()).toEqual([
      'Sam Jones: digest D-1',
      'Sam Jones: digest D-2',
      'Sam Jones: digest D-3',
      'Sam Jones: digest D-3',
      'Sam Jones: digest D-4',
    ]);
  });
});

describe('digest preview, digest now and status', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await committee('digest-preview', '2026-11-25T12:00:00Z');
    await recordFigures(c);
  });
  afterAll(() => c.close());

  it('previews the digest here: partnership and date, KPI counts, the Red KPI, figures missing, what changed', async () => {
    const reply = await c.ask(jo, 'digest preview');
    const text = lines(reply);
    expect(text[0]).toBe('Digest — Cheshire ICT Shared Service');
    expect(text[1]).toBe('Wednesday 25 November 2026, 12:00');
    expect(reply.text).toContain('3 KPIs: 1 Green, 0 Amber, 1 Red, 1 with no data.');
    expect(reply.text).toMatch(/Red\s+First time fix \(FTF\): 62% in Oct 2026, target ≥ 80%/);
    expect(reply.text).toContain(
      '1 KPI has no figure for the last complete period; 1 past the five working days allowed.',
    );
    expect(reply.text).toContain(
      'Customer satisfaction (CSAT): Q2 2026/27, late, was due by 7 Oct 2026 · owner Jo Williams',
    );
    expect(reply.text).toContain('Changed in the last 7 days');
    expect(reply.text).toContain('7 changes in the last 7 days: 5 KPI, 1 partnership, 1 role.');
    expect(cardSize(reply)).toBeLessThan(CARD_BYTE_LIMIT);
  });

  it('shows RAG as a word beside its chip, never colour alone', async () => {
    const reply = await c.ask(jo, 'digest preview sections=kpi');
    const kpiSection = lines(reply).indexOf('KPIs');
    expect(lines(reply)[kpiSection + 2]).toBe('Red');
    expect(reply.text).not.toContain('Changed in the last 7 days');
  });

  it('records nothing for a preview, and counts digest now as the last digest', async () => {
    expect((await c.ask(jo, 'digest preview')).text).toContain('Changed in the last 7 days');
    const now = await c.ask(sam, 'digest now');
    expect(lines(now)[0]).toBe('Digest — Cheshire ICT Shared Service');
    c.clock.advance(60_000);
    expect((await c.ask(sam, 'kpi record MI 2 period=2026-10')).text).toContain('Green');
    const after = await c.ask(jo, 'digest preview');
    expect(after.text).toContain('Changed since the last digest');
    expect(after.text).toContain('1 change since the last digest (25 Nov, 12:00): 1 KPI.');
    expect(after.text).toContain('Sam Jones: kpi record MI 2 period=2026-10');
  });

  it('needs the editor role to post the digest now', async () => {
    expect(lines(await c.ask(jo, 'digest now'))[0]).toBe('You need the editor role');
  });

  it('gives the same sections as status, recorded nowhere', async () => {
    const status = await c.ask(jo, 'status');
    expect(lines(status)[0]).toBe('Status — Cheshire ICT Shared Service');
    expect(status.text).toContain('3 KPIs: 1 Green, 0 Amber, 1 Red, 1 with no data.');
    expect(status.text).toContain('As it stands now; nothing was recorded.');
    const delivery = await new (await import('../../src/storage/digests.js')).DigestRepository(
      c.bot.app.services.tables,
    ).delivery(c.partnershipId, c.where.channelId);
    expect(delivery?.lastSentAt).toBe('2026-11-25T12:00:00.000Z');
  });
});

describe('reminders on and off', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await committee('digest-reminders-setting', '2026-11-25T12:00:00Z');
  });
  afterAll(() => c.close());

  it('is said in a personal chat, and remembered there', async () => {
    const chat = personalChat(jo);
    expect(lines(await c.ask(jo, 'reminders off', chat))[0]).toBe('Reminders off');
    const store = new ReminderStore(c.bot.app.services.tables);
    expect(await store.person(chat.tenantId, jo.id)).toMatchObject({
      reminders: 'off',
      personalChatId: chat.conversationId,
    });
    expect(lines(await c.ask(jo, 'reminders', chat))[0]).toBe('Your reminders are off');
    expect(lines(await c.ask(jo, 'reminders on', chat))[0]).toBe('Reminders on');
    expect((await store.person(chat.tenantId, jo.id))?.reminders).toBe('on');
  });

  it('is refused in a channel, pointing to the personal chat', async () => {
    const reply = await c.ask(jo, 'reminders off');
    expect(reply.text).toContain('say reminders on or reminders off in your personal chat with me');
  });

  it('refuses anything but on or off', async () => {
    const reply = await c.ask(jo, 'reminders sometimes', personalChat(jo));
    expect(reply.text).toContain('say reminders on or reminders off');
  });
});

/**
 * The KPI commands (issue 3) through /api/messages, as officers and committee members use them
 * in a team channel. Alex sets up the partnership and is its admin, Sam is an editor, Jo is a
 * committee member who only views (and owns one KPI), Priya is a board member with no role.
 *
 * Each describe block has its own bot, tables and team, so what one block records never shows
 * in another's cards. The clock stands at 25 Nov 2026 (so the last complete month is Oct 2026)
 * and moves on a second per request, as a real one would, so the audit lists changes newest first.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CARD_BYTE_LIMIT } from '../../src/cards/render.js';
import { PAGE_SIZE } from '../../src/commands/kpi/views.js';
import { KpiRepository } from '../../src/storage/kpis.js';
import type { KpiDefinition } from '../../src/domain/kpi-assessment.js';
import type { PartnershipId } from '../../src/domain/partnership.js';
import { replyOf, startTestBot, TEST_NOW, type Reply, type TestBot } from '../support/bot-harness.js';
import {
  action,
  allElements,
  auditEntries,
  cardSize,
  countsLine,
  fact,
  inputs,
  kpiRow,
  kpiRows,
  lines,
  plain,
  tableRows,
} from '../support/cards.js';
import { meetAt } from '../support/concurrency.js';
import {
  alex,
  channel,
  jo,
  mentions,
  postActivity,
  priya,
  sam,
  type Person,
  type TeamChannel,
  type TeamsText,
} from '../support/teams.js';

// ---------------------------------------------------------------------------------
// A partnership in a team channel, and reading its cards as a person does
// ---------------------------------------------------------------------------------

interface Performance {
  readonly bot: TestBot;
  readonly where: TeamChannel;
  readonly partnershipId: PartnershipId;
  say(who: Person, text: string | TeamsText): Promise<Reply>;
  click(who: Person, verb: string, data?: Record<string, unknown>): Promise<Reply>;
  close(): Promise<void>;
}

/** A fresh bot and team: Alex sets up the partnership (and becomes its admin) and makes Sam an editor. */
async function cheshirePartnership(team: string): Promise<Performance> {
  let tick = 0;
  const bot = await startTestBot({ now: () => new Date(TEST_NOW.getTime() + 1000 * tick++) });
  const where = channel({
    teamId: `19:${team}@thread.tacv2`,
    channelId: `19:${team}-performance@thread.tacv2`,
    teamName: `Shared ICT Service (${team})`,
    channelName: 'Performance',
  });
  const setup = await bot.say(where, alex, 'setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50');
  expect(setup.text).toContain('Cheshire ICT Shared Service is set up');
  const grant = await bot.say(where, alex, mentions`role grant ${sam} editor`);
  expect(grant.text).toContain('Sam Jones is now editor');
  const binding = await bot.app.services.partnerships.findBinding([{ kind: 'team', teamId: where.teamId }]);
  if (!binding) throw new Error(`the team ${where.teamId} is not bound to the partnership`);
  return {
    bot,
    where,
    partnershipId: binding.partnershipId,
    say: (who, text) => bot.say(where, who, text),
    click: (who, verb, data) => bot.click(where, who, verb, data),
    close: () => bot.close(),
  };
}

interface ReadingRow {
  readonly period: string;
  readonly value: string;
  readonly rag: string;
  readonly by: string;
}

/** The "Recent readings" table of the detail card, newest first. */
function readingRows(reply: Reply): ReadingRow[] {
  return tableRows(reply).map(({ cells: [period = '', value = '', , by = ''], rag = '' }) => ({
    period,
    value,
    rag,
    by,
  }));
}

const summaryRows = kpiRows;
const row = kpiRow;
const cardBytes = cardSize;

/** Records a reading and checks that the bot confirmed it (so a setup mistake fails where it happens). */
async function recorded(performance: Performance, who: Person, text: string): Promise<Reply> {
  const reply = await performance.say(who, text);
  expect(lines(reply)[0], `${text}\n---\n${reply.text}`).toMatch(/ for .* is (Green|Amber|Red)$/);
  return reply;
}

async function added(performance: Performance, who: Person, text: string | TeamsText): Promise<Reply> {
  const reply = await performance.say(who, text);
  expect(lines(reply)[0], reply.text).toMatch(/^KPI added: /);
  return reply;
}

// ---------------------------------------------------------------------------------
// kpi add
// ---------------------------------------------------------------------------------

describe('kpi add', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-add');
  });
  afterAll(() => p.close());

  it('adds a KPI with every option and confirms it on a card', async () => {
    const reply = await p.say(
      sam,
      mentions`kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1 frequency=monthly owner=${jo} council=CEC description="Priority 1 outages that stop a service for more than one council"`,
    );

    expect(lines(reply)[0]).toBe('KPI added: Major incidents (MI)');
    expect(plain(reply)).toContain('Record its first reading with: kpi record MI <value>');
    expect(fact(reply, 'Target')).toBe('≤ 2 (lower is better)');
    expect(fact(reply, 'Frequency')).toBe('monthly');
    expect(fact(reply, 'Council')).toBe('CEC');

    const detail = await p.say(jo, 'kpi MI');
    expect(lines(detail)[0]).toBe('Major incidents');
    expect(detail.text).toContain('Priority 1 outages that stop a service for more than one council');
    expect(fact(detail, 'Target')).toBe('≤ 2 (lower is better)');
    expect(fact(detail, 'Tolerance')).toBe('1 — Amber up to 3');
    expect(fact(detail, 'Frequency')).toBe('monthly');
    expect(fact(detail, 'Owner')).toBe('Jo Williams');
    expect(fact(detail, 'Council')).toBe('CEC');
  });

  it('derives the code from the name when none is given', async () => {
    const ftf = await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    expect(lines(ftf)[0]).toBe('KPI added: First time fix (FTF)');
    expect(fact(ftf, 'Council')).toBe('shared');

    const portal = await added(p, sam, 'kpi add "Channel shift to the portal" target=60 unit=% polarity=higher');
    expect(lines(portal)[0]).toBe('KPI added: Channel shift to the portal (CSP)');
  });

  it('takes the tolerance as a percentage of the target, 5% unless given', async () => {
    await added(
      p,
      sam,
      'kpi add "Password resets within one hour" code=PR target=90 unit=% polarity=higher tolerance=10%',
    );
    expect(fact(await p.say(sam, 'kpi PR'), 'Tolerance')).toBe('10% — Amber down to 81%');
    expect(fact(await p.say(sam, 'kpi FTF'), 'Tolerance')).toBe('5% — Amber down to 76%');
  });

  it('adds a quarterly KPI', async () => {
    const reply = await added(
      p,
      sam,
      'kpi add "Customer satisfaction" code=CSAT target=4.5 unit=score polarity=higher frequency=quarterly council=CWAC',
    );
    expect(fact(reply, 'Frequency')).toBe('quarterly');
    expect(fact(reply, 'Council')).toBe('CWAC');
    expect(lines(await p.say(jo, 'kpi CSAT'))).toContain('No reading for Q2 2026/27 yet');
  });

  it('refuses kpi add from a viewer, names the editor role, and adds nothing', async () => {
    const reply = await p.say(jo, 'kpi add "Laptops rebuilt" target=40 unit=count polarity=higher');
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(reply.text).toContain('Nothing was changed.');
    expect(reply.text).toContain('role grant @you editor');
    expect(lines(await p.say(jo, 'kpi "Laptops rebuilt"'))[0]).toBe('Not found');
  });

  it('posts the form card when kpi add is typed alone', async () => {
    const form = await p.say(sam, 'kpi add');

    expect(lines(form)[0]).toBe('Add a KPI');
    expect(Object.keys(inputs(form)).sort()).toEqual([
      'code',
      'council',
      'description',
      'frequency',
      'name',
      'polarity',
      'target',
      'tolerance',
      'unit',
    ]);
    expect(inputs(form)).toMatchObject({
      name: '',
      target: '',
      unit: '%',
      polarity: 'higher',
      tolerance: '5%',
      frequency: 'monthly',
      council: 'shared',
    });
    for (const council of ['Shared by all councils', 'CEC', 'CWAC']) expect(lines(form)).toContain(council);
    expect(action(form, 'Add KPI')).toMatchObject({ type: 'Action.Execute', verb: 'kpi.add' });
  });

  it('returns the form with the errors listed and the typed values kept, and adds nothing', async () => {
    const before = countsLine(await p.say(sam, 'kpi'));

    const form = await p.click(sam, 'kpi.add', { name: '', target: 'abc', unit: '%', polarity: 'higher' });

    expect(lines(form)[0]).toBe('Add a KPI');
    expect(lines(form)).toContain('Please correct:');
    expect(lines(form)).toContain('• the KPI name is missing: e.g. "First time fix"');
    expect(form.text).toContain('• target=abc is not a number: e.g. target=80');
    expect(inputs(form)).toMatchObject({ name: '', target: 'abc', unit: '%', polarity: 'higher' });
    expect(action(form, 'Add KPI')).toMatchObject({ verb: 'kpi.add' });
    expect(countsLine(await p.say(sam, 'kpi'))).toBe(before);
  });

  it('keeps every typed value on the form when one of them is wrong', async () => {
    const typed = {
      name: 'Calls answered in a minute',
      target: '85',
      unit: '%',
      polarity: 'higher',
      tolerance: '3',
      frequency: 'monthly',
      council: 'WARR',
      code: 'CA60',
      description: 'Service desk calls',
    };
    const form = await p.click(sam, 'kpi.add', typed);

    expect(form.text).toContain(
      '• council=WARR is not a council of Cheshire ICT Shared Service: use CEC, CWAC or shared',
    );
    expect(inputs(form)).toMatchObject(typed);
    expect(lines(await p.say(sam, 'kpi CA60'))[0]).toBe('Not found');
  });

  it('adds the KPI when the form is valid', async () => {
    const reply = await p.click(sam, 'kpi.add', {
      name: 'Calls answered in a minute',
      target: '85',
      unit: '%',
      polarity: 'higher',
      tolerance: '3',
      frequency: 'monthly',
      council: 'CWAC',
      code: 'CA60',
      description: 'Service desk calls answered within 60 seconds',
    });

    expect(lines(reply)[0]).toBe('KPI added: Calls answered in a minute (CA60)');
    const detail = await p.say(jo, 'kpi CA60');
    expect(detail.text).toContain('Service desk calls answered within 60 seconds');
    expect(fact(detail, 'Tolerance')).toBe('3 — Amber down to 82%');
    expect(fact(detail, 'Council')).toBe('CWAC');
  });

  it('refuses the form from a viewer', async () => {
    const reply = await p.click(jo, 'kpi.add', {
      name: 'Laptops rebuilt',
      target: '40',
      unit: 'count',
      polarity: 'higher',
    });
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(lines(await p.say(jo, 'kpi "Laptops rebuilt"'))[0]).toBe('Not found');
  });

  it('sends the form back with what was typed in its inputs as typed, angle brackets and all', async () => {
    const form = await p.click(sam, 'kpi.add', {
      name: 'Calls < 60 seconds',
      target: 'abc',
      unit: '%',
      polarity: 'higher',
      description: 'answered in <1 min>',
    });
    expect(lines(form)[0]).toBe('Add a KPI');
    expect(inputs(form)).toMatchObject({ name: 'Calls < 60 seconds', description: 'answered in <1 min>' });
  });

  it('reads the tolerance of a £ KPI as money: tolerance=£5,000 is £5,000, Amber down to £95,000 for a £100,000 target', async () => {
    const reply = await added(
      p,
      sam,
      'kpi add "Savings delivered" code=SAV target=£100,000 unit=£ polarity=higher tolerance=£5,000',
    );
    expect(fact(reply, 'Target')).toBe('≥ £100,000 (higher is better)');
    expect(fact(reply, 'Tolerance')).toBe('£5,000');
    expect(fact(await p.say(jo, 'kpi SAV'), 'Tolerance')).toBe('£5,000 — Amber down to £95,000');
    const stored = await new KpiRepository(p.bot.app.storage.tables).get(p.partnershipId, 'SAV');
    expect(stored?.definition).toMatchObject({
      unit: '£',
      target: 10_000_000,
      tolerance: { kind: 'absolute', value: 500_000 },
    });

    expect(lines(await recorded(p, sam, 'kpi record SAV £96,000 period=2026-09'))[0]).toBe(
      'Savings delivered: £96,000 for Sep 2026 is Amber',
    );
    expect(lines(await recorded(p, sam, 'kpi record SAV £94,999 period=2026-10'))[0]).toBe(
      'Savings delivered: £94,999 for Oct 2026 is Red',
    );
  });

  it('reads a plain tolerance=5000 of a £ KPI as £5,000 too, and a percentage as a percentage', async () => {
    await added(p, sam, 'kpi add "Income recovered" code=INC target=100000 unit=£ polarity=higher tolerance=5000');
    expect(fact(await p.say(jo, 'kpi INC'), 'Tolerance')).toBe('£5,000 — Amber down to £95,000');
    expect(
      (await new KpiRepository(p.bot.app.storage.tables).get(p.partnershipId, 'INC'))?.definition.tolerance,
    ).toEqual({
      kind: 'absolute',
      value: 500_000,
    });

    await added(p, sam, 'kpi add "Overspend" code=OVS target=£20,000 unit=£ polarity=lower tolerance=10%');
    expect(fact(await p.say(jo, 'kpi OVS'), 'Tolerance')).toBe('10% — Amber up to £22,000');

    const edited = await p.say(sam, 'kpi edit INC tolerance=£2,500');
    expect(lines(edited)[0]).toBe('Income recovered (INC) updated');
    expect(fact(await p.say(jo, 'kpi INC'), 'Tolerance')).toBe('£2,500 — Amber down to £97,500');
  });

  it('refuses a £ tolerance it cannot read as money, and says how to write one', async () => {
    const reply = await p.say(
      sam,
      'kpi add "Costs avoided" code=CAV target=£50,000 unit=£ polarity=higher tolerance=lots',
    );
    expect(reply.text).toContain(
      "tolerance=lots is not a tolerance: give a percentage of the target (tolerance=5%) or an amount in the KPI's unit (tolerance=2, or tolerance=£5,000 for a £ KPI)",
    );
    expect(reply.text).toContain('Nothing was changed.');
    expect(lines(await p.say(jo, 'kpi CAV'))[0]).toBe('Not found');
  });

  it('never derives a code the kpi command reads as a word: "Reductions" is RED2, and kpi red still lists the Red ones', async () => {
    const reply = await added(p, sam, 'kpi add "Reductions" target=10 unit=count polarity=higher');
    expect(lines(reply)[0]).toBe('KPI added: Reductions (RED2)');
    expect(lines(await p.say(jo, 'kpi RED2'))[0]).toBe('Reductions');
    expect(lines(await p.say(jo, 'kpi red'))[1]).toContain('Red only');
  });

  it('takes a KPI whose name has a slash in it, and finds it by that name', async () => {
    const reply = await added(p, sam, 'kpi add "Calls answered/abandoned" target=90 unit=% polarity=higher');
    const code = /\(([A-Z0-9]+)\)$/.exec(lines(reply)[0]!)?.[1];
    expect(code).toMatch(/^[A-Z][A-Z0-9]+$/);
    expect(lines(await p.say(jo, 'kpi Calls answered/abandoned'))[0]).toBe('Calls answered/abandoned');
    expect(lines(await recorded(p, sam, 'kpi record "Calls answered/abandoned" 91 period=2026-10'))[0]).toBe(
      'Calls answered/abandoned: 91% for Oct 2026 is Green',
    );
  });
});

// ---------------------------------------------------------------------------------
// kpi record
// ---------------------------------------------------------------------------------

describe('kpi record', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-record');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await added(
      p,
      sam,
      mentions`kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1 owner=${jo} council=CEC`,
    );
    await added(
      p,
      sam,
      'kpi add "Customer satisfaction" code=CSAT target=4.5 unit=score polarity=higher frequency=quarterly',
    );
  });
  afterAll(() => p.close());

  it('records for the last complete month when no period is given', async () => {
    const reply = await p.say(sam, 'kpi record FTF 78.5');

    expect(lines(reply)[0]).toBe('First time fix: 78.5% for Oct 2026 is Amber');
    expect(fact(reply, 'Target')).toBe('≥ 80%');
    expect(fact(reply, 'Status')).toBe('Amber');
    const detail = await p.say(jo, 'kpi FTF');
    expect(readingRows(detail)).toEqual([{ period: 'Oct 2026', value: '78.5%', rag: 'Amber', by: 'Sam Jones' }]);
  });

  it('records a quarterly KPI for the last complete quarter when no period is given', async () => {
    const reply = await p.say(sam, 'kpi record CSAT 4.6');
    expect(lines(reply)[0]).toBe('Customer satisfaction: 4.6 for Q2 2026/27 is Green');
  });

  it('accepts the current month, which has not ended yet, and shows it with the readings', async () => {
    const reply = await p.say(sam, 'kpi record FTF 81 period=2026-11');

    expect(lines(reply)[0]).toBe('First time fix: 81% for Nov 2026 is Green');
    const detail = await p.say(jo, 'kpi FTF');
    expect(readingRows(detail)).toContainEqual({ period: 'Nov 2026', value: '81%', rag: 'Green', by: 'Sam Jones' });
  });

  it('refuses a month in the future, says the latest it can take, and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FTF 90 period=2026-12');

    expect(reply.text).toContain(
      'period=2026-12 is in the future: the latest period you can record is Nov 2026 (period=2026-11).',
    );
    expect(reply.text).toContain('Nothing was changed.');
    expect(plain(reply)).toContain('kpi record <code> <value> [period=<period>] ["commentary"]');
    expect((await p.say(jo, 'kpi FTF')).text).not.toContain('Dec 2026');
    expect(auditEntries(await p.say(alex, 'audit')).map((e) => e.command)).not.toContain(
      'kpi record FTF 90 period=2026-12',
    );
  });

  it('refuses a quarter for a monthly KPI', async () => {
    const reply = await p.say(sam, 'kpi record FTF 80 period="2026/27 Q2"');

    expect(reply.text).toContain('FTF is recorded monthly: give a month such as period=2026-10.');
    expect(reply.text).toContain('Nothing was changed.');
    expect(readingRows(await p.say(jo, 'kpi FTF')).map((r) => r.period)).not.toContain('Q2 2026/27');
  });

  it('replaces a period recorded again, says what it replaced, and keeps the old value in the audit', async () => {
    await recorded(p, sam, 'kpi record MI 3 period=2026-09 "two data centre outages and a DNS failure"');

    const reply = await p.say(sam, 'kpi record MI 1 period=2026-09');

    expect(lines(reply)[0]).toBe('Major incidents: 1 for Sep 2026 is Green');
    expect(reply.text).toContain('Replaced 3 recorded by Sam Jones; the old value is kept in the audit.');
    const september = readingRows(await p.say(jo, 'kpi MI')).filter((r) => r.period === 'Sep 2026');
    expect(september).toEqual([{ period: 'Sep 2026', value: '1', rag: 'Green', by: 'Sam Jones' }]);

    const audit = auditEntries(await p.say(alex, 'audit'));
    const replacement = audit.find((e) => e.command === 'kpi record MI 1 period=2026-09');
    expect(replacement?.who).toBe('Sam Jones');
    expect(replacement?.change).toMatch(
      /^kpi MI 2026-09: value: 3, commentary: two data centre outages and a DNS failure, by: Sam Jones → value: 1/,
    );
    expect(audit.find((e) => e.command.startsWith('kpi record MI 3 period=2026-09'))?.change).toContain(
      'added: value: 3',
    );
  });

  it('records for a KPI given by its exact name, in any case', async () => {
    const reply = await p.say(sam, 'kpi record "first time fix" 76 period=2026-04');
    expect(lines(reply)[0]).toBe('First time fix: 76% for Apr 2026 is Amber');
    expect(readingRows(await p.say(jo, 'kpi FTF')).map((r) => r.period)).toContain('Apr 2026');
  });

  it('stores a reading and its audit row together: the audit shows it at once, with who, the command and the value', async () => {
    const reply = await p.say(sam, 'kpi record CSAT 4.4 period="2026/27 Q1" "survey of 400 callers"');
    expect(lines(reply)[0]).toBe('Customer satisfaction: 4.4 for Q1 2026/27 is Amber');
    const [latest] = auditEntries(await p.say(alex, 'audit'));
    expect(latest).toEqual({
      who: 'Sam Jones',
      command: 'kpi record CSAT 4.4 period="2026/27 Q1" "survey of 400 callers"',
      change: 'kpi CSAT 2026/27 Q1: added: value: 4.4, commentary: survey of 400 callers',
    });
  });

  it('keeps commentary given in quotes', async () => {
    const reply = await p.say(sam, 'kpi record FTF 77 period=2026-09 "after the portal change"');

    expect(fact(reply, 'Commentary')).toBe('after the portal change');
  });

  it('keeps commentary typed without quotes after the value', async () => {
    const reply = await p.say(sam, 'kpi record FTF 79 period=2026-08 two engineers off sick all month');

    expect(lines(reply)[0]).toBe('First time fix: 79% for Aug 2026 is Amber');
    expect(fact(reply, 'Commentary')).toBe('two engineers off sick all month');
  });

  it('takes commentary in the curly quotes Teams types', async () => {
    const reply = await p.say(sam, 'kpi record FTF 78 period=2026-07 “summer leave”');
    expect(fact(reply, 'Commentary')).toBe('summer leave');
  });

  it('reads 72.5% as 72.5 for a % KPI', async () => {
    const reply = await p.say(sam, 'kpi record FTF 72.5% period=2026-05');
    expect(lines(reply)[0]).toBe('First time fix: 72.5% for May 2026 is Red');
  });

  it('keeps both readings when two are recorded at the same moment', async () => {
    await added(p, sam, 'kpi add "Laptops rebuilt" code=LR target=40 unit=count polarity=higher');
    const before = p.bot.stub.sent.length;

    await Promise.all([p.say(sam, 'kpi record LR 38 period=2026-09'), p.say(sam, 'kpi record LR 44 period=2026-10')]);

    const answers = (await p.bot.stub.waitForSent(before + 2)).slice(before).map((a) => a.summary);
    expect(answers.sort()).toEqual([
      'Laptops rebuilt: 38 for Sep 2026 is Amber',
      'Laptops rebuilt: 44 for Oct 2026 is Green',
    ]);
    expect(readingRows(await p.say(jo, 'kpi LR')).map((r) => `${r.period} ${r.value}`)).toEqual([
      'Oct 2026 44',
      'Sep 2026 38',
    ]);
    expect(row(await p.say(jo, 'kpi'), 'LR')).toMatchObject({
      value: '44',
      rag: 'Green',
      trend: '▲ better',
      sparkline: '▁█',
    });
  });

  it("lets a KPI's owner who is only a viewer record their own KPI", async () => {
    const reply = await p.say(jo, 'kpi record MI 2 period=2026-10 "one P1 at CEC"');

    expect(lines(reply)[0]).toBe('Major incidents: 2 for Oct 2026 is Green');
    expect(readingRows(await p.say(jo, 'kpi MI'))[0]).toEqual({
      period: 'Oct 2026',
      value: '2',
      rag: 'Green',
      by: 'Jo Williams',
    });
  });

  it('refuses a viewer who does not own the KPI, names the role needed, and stores nothing', async () => {
    const before = readingRows(await p.say(jo, 'kpi FTF'));

    const reply = await p.say(jo, 'kpi record FTF 95 period=2026-06');

    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(reply.text).toContain('"record FTF" needs the role editor');
    expect(reply.text).toContain("or being the KPI's owner");
    expect(reply.text).toContain('Nothing was changed.');
    expect(reply.text).toContain('Ask an admin (Alex Morgan) to grant it with: role grant @you editor');
    const after = readingRows(await p.say(jo, 'kpi FTF'));
    expect(after).toEqual(before);
    expect(after.map((r) => r.period)).not.toContain('Jun 2026');
  });

  it('refuses someone with no role at all', async () => {
    const reply = await p.say(priya, 'kpi record MI 0 period=2026-06');
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(readingRows(await p.say(priya, 'kpi MI')).map((r) => r.period)).not.toContain('Jun 2026');
  });
});

// ---------------------------------------------------------------------------------
// Bad input: a clear card, the correct form, and nothing stored
// ---------------------------------------------------------------------------------

describe('bad input to the KPI commands', () => {
  let p: Performance;
  /** What a person sees of FTF and the list before each mistake, to compare with afterwards. */
  let ftfBefore: ReadingRow[];
  let countsBefore: string;

  const storedReadings = async (code: string) =>
    (await new KpiRepository(p.bot.app.storage.tables).readings(p.partnershipId, code)).map(
      (r) => `${r.period} ${r.value}`,
    );

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-bad-input');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1');
    await recorded(p, sam, 'kpi record FTF 78.5 period=2026-09');
    await recorded(p, sam, 'kpi record FTF 82 period=2026-10');
    ftfBefore = readingRows(await p.say(jo, 'kpi FTF'));
    countsBefore = countsLine(await p.say(jo, 'kpi'));
    expect(ftfBefore).toHaveLength(2);
  });
  afterAll(() => p.close());

  async function nothingStored(): Promise<void> {
    expect(readingRows(await p.say(jo, 'kpi FTF'))).toEqual(ftfBefore);
    expect(countsLine(await p.say(jo, 'kpi'))).toBe(countsBefore);
    expect(await storedReadings('FTF')).toEqual(['2026-09 78.5', '2026-10 82']);
  }

  it('refuses a value that is not a number and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FTF seventy period=2026-08');

    expect(reply.text).toContain('I could not do that');
    expect(reply.text).toContain('FTF (%): "seventy" is not a number: give the value as a number, e.g. 72.5.');
    expect(reply.text).toContain('Nothing was changed.');
    expect(plain(reply)).toContain('kpi record <code> <value> [period=<period>] ["commentary"]');
    await nothingStored();
  });

  it('refuses a percentage over 100 and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FTF 101 period=2026-08');

    expect(reply.text).toContain('FTF (%): a percentage cannot be over 100: give a value from 0 to 100, e.g. 72.5.');
    expect(reply.text).toContain('Nothing was changed.');
    await nothingStored();
  });

  it('refuses a period more than one period in the future and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FTF 90 period=2027-01');

    expect(reply.text).toContain(
      'period=2027-01 is in the future: the latest period you can record is Nov 2026 (period=2026-11).',
    );
    expect(plain(reply)).toContain('kpi record <code> <value> [period=<period>] ["commentary"]');
    await nothingStored();
  });

  it('refuses a period it cannot read and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FTF 90 period=Octember');

    expect(reply.text).toContain('period=Octember is not a period: write a month as period=2026-10');
    await nothingStored();
  });

  it('refuses a count that is not a whole number and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record MI 1.5 period=2026-10');

    expect(reply.text).toContain('MI (count): a count must be a whole number: give e.g. 8.');
    expect(reply.text).toContain('Nothing was changed.');
    expect(await storedReadings('MI')).toEqual([]);
    expect(lines(await p.say(jo, 'kpi MI'))).toContain('No reading for Oct 2026 yet');
  });

  it('refuses an unknown council and adds nothing', async () => {
    const reply = await p.say(sam, 'kpi add "Fix rate" target=80 unit=% polarity=higher council=WARR');

    expect(reply.text).toContain(
      'council=WARR is not a council of Cheshire ICT Shared Service: use CEC, CWAC or shared',
    );
    expect(reply.text).toContain('Nothing was changed.');
    expect(plain(reply)).toContain('kpi add "<name>" target=<n> unit=<unit> polarity=<higher|lower>');
    expect(lines(await p.say(jo, 'kpi "Fix rate"'))[0]).toBe('Not found');
    await nothingStored();
  });

  it('refuses an unknown council in the list filter', async () => {
    const reply = await p.say(jo, 'kpi council=WARR');
    expect(reply.text).toContain(
      'council=WARR is not a council of Cheshire ICT Shared Service: use CEC, CWAC or shared',
    );
    expect(summaryRows(reply)).toEqual([]);
  });

  it('refuses a duplicate code and leaves the KPI that holds it as it was', async () => {
    const reply = await p.say(sam, 'kpi add "Fixed on first contact" code=FTF target=70 unit=% polarity=higher');

    expect(reply.text).toContain(
      'code FTF is taken by another KPI (or was used by a removed one): choose another code',
    );
    expect(reply.text).toContain('Nothing was changed.');
    const detail = await p.say(jo, 'kpi FTF');
    expect(lines(detail)[0]).toBe('First time fix');
    expect(fact(detail, 'Target')).toBe('≥ 80% (higher is better)');
    expect(lines(await p.say(jo, 'kpi "Fixed on first contact"'))[0]).toBe('Not found');
    await nothingStored();
  });

  it('lists every problem of a kpi add at once', async () => {
    const reply = await p.say(sam, 'kpi add "Fix rate" target=high unit=furlongs polarity=sideways');

    expect(reply.text).toContain('unit=furlongs is not a unit: use %, count, £, days, hours or score');
    expect(reply.text).toContain('polarity=sideways is not a polarity');
    await nothingStored();
  });

  it('refuses a target over 100 for a % KPI', async () => {
    const reply = await p.say(sam, 'kpi add "Fix rate" target=120 unit=% polarity=higher');
    expect(reply.text).toContain('target=120: a percentage cannot be over 100');
    await nothingStored();
  });

  it('says an unknown KPI is not found and suggests the closest, for kpi "First tme fix"', async () => {
    const reply = await p.say(jo, 'kpi "First tme fix"');

    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('There is no KPI "First tme fix" in Cheshire ICT Shared Service.');
    expect(reply.text).toContain('Did you mean: kpi FTF (First time fix)?');
  });

  it('says an unknown code is not found when recording, suggests the closest, and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FT 80 period=2026-08');

    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('There is no KPI "FT" in Cheshire ICT Shared Service.');
    expect(reply.text).toContain('Did you mean: kpi FTF (First time fix)?');
    await nothingStored();
  });

  it('records only for an exact code or name: "kpi record fix 12" is refused and nothing is stored', async () => {
    const reply = await p.say(sam, 'kpi record fix 12 period=2026-08');

    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('There is no KPI "fix" in Cheshire ICT Shared Service.');
    expect(reply.text).toContain('kpi FTF (First time fix)');
    await nothingStored();
    expect(auditEntries(await p.say(alex, 'audit')).map((e) => e.command)).not.toContain(
      'kpi record fix 12 period=2026-08',
    );
    // Reading is another matter: part of a name that fits one KPI shows it.
    expect(lines(await p.say(jo, 'kpi fix'))[0]).toBe('First time fix');
  });

  it('edits and removes only an exact code or name too', async () => {
    const edit = await p.say(sam, 'kpi edit fix target=10');
    expect(lines(edit)[0]).toBe('Not found');
    expect(edit.text).toContain('There is no KPI "fix"');
    const remove = await p.say(alex, 'kpi remove incidents');
    expect(lines(remove)[0]).toBe('Not found');
    expect(remove.text).toContain('kpi MI (Major incidents)');

    expect(fact(await p.say(jo, 'kpi FTF'), 'Target')).toBe('≥ 80% (higher is better)');
    expect(lines(await p.say(jo, 'kpi MI'))[0]).toBe('Major incidents');
    await nothingStored();
  });

  it.each(['RED', 'amber', 'Green', 'NODATA', 'add', 'RECORD', 'edit', 'Remove'])(
    'refuses code=%s, a word the kpi command reads itself, and adds nothing',
    async (code) => {
      const reply = await p.say(sam, `kpi add "Reserved words" code=${code} target=5 unit=count polarity=lower`);

      expect(reply.text).toContain(`code=${code} is a word the kpi command uses itself: choose another code`);
      expect(reply.text).toContain('Nothing was changed.');
      expect(lines(await p.say(jo, 'kpi "Reserved words"'))[0]).toBe('Not found');
      await nothingStored();
    },
  );

  it('refuses a person where text is expected, and says where mentions go', async () => {
    const reply = await p.say(sam, mentions`kpi add "Fix rate" target=${sam} unit=% polarity=higher`);

    expect(reply.text).toContain('target= takes text, not a person: @mentions go in owner= only');
    expect(reply.text).toContain('Nothing was changed.');
    await nothingStored();
  });

  it.each([
    [
      'a name over 80 characters',
      `kpi add "${'N'.repeat(81)}" target=80 unit=% polarity=higher`,
      'name= is too long: keep it under 80 characters',
    ],
    [
      'a description over 500 characters',
      `kpi add "Fix rate" target=80 unit=% polarity=higher description="${'d'.repeat(501)}"`,
      'description= is too long: keep it under 500 characters',
    ],
    [
      'a unit over 60 characters',
      `kpi add "Fix rate" target=80 unit=${'u'.repeat(61)} polarity=higher`,
      'unit= is too long: keep it under 60 characters',
    ],
    [
      'a target over 60 characters',
      `kpi add "Fix rate" target=${'9'.repeat(61)} unit=% polarity=higher`,
      'target= is too long: keep it under 60 characters',
    ],
    [
      'a period over 60 characters',
      `kpi record FTF 80 period=${'2'.repeat(61)}`,
      'period= is too long: keep it under 60 characters',
    ],
  ])('refuses %s with a clear message and stores nothing', async (_case, typed, problem) => {
    const reply = await p.say(sam, typed);

    expect(reply.text).toContain(problem);
    expect(reply.text).toContain('Nothing was changed.');
    await nothingStored();
  });

  it('says how to list the KPIs when nothing is close', async () => {
    const reply = await p.say(jo, 'kpi "Carbon emissions"');
    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('Type kpi to list every KPI with its code.');
  });

  it('says a KPI with a slash in its name is not found, rather than failing', async () => {
    const asked = await p.say(jo, 'kpi "Calls answered/abandoned"');
    expect(lines(asked)[0]).toBe('Not found');
    expect(asked.text).toContain('There is no KPI "Calls answered/abandoned"');

    const recording = await p.say(sam, 'kpi record N/A 5');
    expect(lines(recording)[0]).toBe('Not found');
    for (const [who, typed] of [
      [jo, 'kpi N/A'],
      [jo, 'kpi ../FTF'],
      [sam, 'kpi edit N/A target=5'],
      [alex, 'kpi remove N/A'],
      [sam, 'kpi record "a/b#c?d" 5'],
    ] as const) {
      const reply = await p.say(who, typed);
      expect(lines(reply)[0], `${typed}\n${reply.text}`).toBe('Not found');
      expect(reply.text).not.toContain('Something went wrong');
    }
    await nothingStored();
  });
});

// ---------------------------------------------------------------------------------
// The summary: kpi
// ---------------------------------------------------------------------------------

describe('the KPI summary', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-summary');
    // Shared: First time fix Green (rising), Major incidents Green (level), Customer satisfaction Red (falling).
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await recorded(p, sam, 'kpi record FTF 80 period=2026-09');
    await recorded(p, sam, 'kpi record FTF 85 period=2026-10');
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1');
    await recorded(p, sam, 'kpi record MI 1 period=2026-09');
    await recorded(p, sam, 'kpi record MI 1 period=2026-10');
    await added(p, sam, 'kpi add "Customer satisfaction" code=CSAT target=4.5 unit=score polarity=higher');
    await recorded(p, sam, 'kpi record CSAT 4.2 period=2026-09');
    await recorded(p, sam, 'kpi record CSAT 3.9 period=2026-10');
    // CWAC: Password resets Amber, one reading only.
    await added(
      p,
      sam,
      'kpi add "Password resets within one hour" code=PR target=95 unit=% polarity=higher council=CWAC',
    );
    await recorded(p, sam, 'kpi record PR 92 period=2026-10');
    // CEC: Channel shift has September but nothing for October yet.
    await added(p, sam, 'kpi add "Channel shift to the portal" code=CSP target=60 unit=% polarity=higher council=CEC');
    await recorded(p, sam, 'kpi record CSP 55 period=2026-09');
  });
  afterAll(() => p.close());

  it('counts Green, Amber, Red and No data on one line and in the four boxes', async () => {
    const reply = await p.say(jo, 'kpi');

    expect(lines(reply)[0]).toBe('KPIs — Cheshire ICT Shared Service');
    expect(lines(reply)[1]).toBe('5 KPIs: 2 Green, 1 Amber, 1 Red, 1 with no data · as at 25 Nov 2026');
    expect(lines(reply).slice(2, 10)).toEqual(['2', 'Green', '1', 'Amber', '1', 'Red', '1', 'No data']);
  });

  it('says "3 KPIs: 2 Green, 0 Amber, 1 Red" for the shared KPIs, as the committee paper does', async () => {
    const reply = await p.say(jo, 'kpi council=shared');
    expect(countsLine(reply)).toBe('3 KPIs: 2 Green, 0 Amber, 1 Red');
    expect(summaryRows(reply).map((r) => r.code)).toEqual(['CSAT', 'FTF', 'MI']);
  });

  it("shows each KPI's name, latest value with its unit, target, RAG word and trend word", async () => {
    const reply = await p.say(jo, 'kpi');

    expect(row(reply, 'FTF')).toMatchObject({
      name: 'First time fix',
      value: '85%',
      target: '≥ 80%',
      rag: 'Green',
      trend: '▲ better',
    });
    expect(row(reply, 'MI')).toMatchObject({
      name: 'Major incidents',
      value: '1',
      target: '≤ 2',
      rag: 'Green',
      trend: '▶ same',
    });
    expect(row(reply, 'CSAT')).toMatchObject({
      name: 'Customer satisfaction',
      value: '3.9',
      target: '≥ 4.5',
      rag: 'Red',
      trend: '▼ worse',
    });
    expect(row(reply, 'PR')).toMatchObject({
      name: 'Password resets within one hour',
      value: '92%',
      target: '≥ 95%',
      rag: 'Amber',
      trend: '–',
    });
  });

  it('draws a sparkline of the readings on each row', async () => {
    const reply = await p.say(jo, 'kpi');
    expect(row(reply, 'FTF').sparkline).toBe('▁█');
    expect(row(reply, 'CSAT').sparkline).toBe('█▁');
    expect(row(reply, 'PR').sparkline).toHaveLength(1);
  });

  it('shows the RAG as a word in the default colour, with its colour on a chip beside it', async () => {
    const reply = await p.say(jo, 'kpi');
    const chips = allElements(reply.card)
      .filter((e) => e.type === 'ColumnSet')
      .map((set) => allElements({ body: [set] }))
      .map((inside) => ({
        style: inside.find((e) => e.type === 'Column' && typeof e.style === 'string')?.style,
        word: inside.find(
          (e) => e.type === 'TextBlock' && ['Red', 'Amber', 'Green', 'No data'].includes(e.text as string),
        ),
      }))
      .filter((c) => c.word && c.style);
    const styles = Object.fromEntries(chips.map((c) => [c.word!.text as string, c.style]));
    expect(styles).toEqual({ Red: 'attention', Amber: 'warning', Green: 'good', 'No data': 'emphasis' });
    expect(chips.every((c) => c.word!.color === undefined)).toBe(true);
    expect(reply).toShowRag('Red');
  });

  it('counts a KPI with no reading for Oct 2026 as No data and shows its last reading with its month', async () => {
    const reply = await p.say(jo, 'kpi');
    expect(row(reply, 'CSP')).toMatchObject({
      name: 'Channel shift to the portal',
      value: '55% (Sep 2026)',
      target: '≥ 60%',
      rag: 'No data',
      trend: '–',
    });
  });

  it('lists Red first, then Amber, then Green, then No data', async () => {
    const reply = await p.say(jo, 'kpi');
    expect(summaryRows(reply).map((r) => `${r.rag} ${r.code}`)).toEqual([
      'Red CSAT',
      'Amber PR',
      'Green FTF',
      'Green MI',
      'No data CSP',
    ]);
  });

  it('shows only the Red ones for kpi red, with the counts of all', async () => {
    const reply = await p.say(jo, 'kpi red');
    expect(summaryRows(reply).map((r) => r.code)).toEqual(['CSAT']);
    expect(lines(reply)[1]).toBe('5 KPIs: 2 Green, 1 Amber, 1 Red, 1 with no data · as at 25 Nov 2026 · Red only');
  });

  it('shows only the Amber ones for kpi amber', async () => {
    expect(summaryRows(await p.say(jo, 'kpi amber')).map((r) => r.code)).toEqual(['PR']);
  });

  it('shows only the Green ones for kpi green', async () => {
    expect(summaryRows(await p.say(jo, 'kpi green')).map((r) => r.code)).toEqual(['FTF', 'MI']);
  });

  it('shows only those with no data for kpi nodata', async () => {
    expect(summaryRows(await p.say(jo, 'kpi nodata')).map((r) => r.code)).toEqual(['CSP']);
    expect(summaryRows(await p.say(jo, 'kpi "no data"')).map((r) => r.code)).toEqual(['CSP']);
  });

  it("shows one council's KPIs for kpi council=CEC, counted on their own", async () => {
    const reply = await p.say(jo, 'kpi council=CEC');
    expect(countsLine(reply)).toBe('1 KPI: 0 Green, 0 Amber, 0 Red, 1 with no data');
    expect(lines(reply)[1]).toContain('council CEC');
    expect(summaryRows(reply).map((r) => r.code)).toEqual(['CSP']);
  });

  it('combines a RAG filter with a council filter and says when none match', async () => {
    const reply = await p.say(jo, 'kpi red council=CWAC');
    expect(summaryRows(reply)).toEqual([]);
    expect(reply.text).toContain('No KPIs are Red for CWAC.');
  });

  it('reads /KPI, typed in capitals with a slash, as kpi', async () => {
    const inChannel = await p.say(jo, 'kpi');
    const typedWithSlash = await p.say(jo, '/KPI');
    expect(summaryRows(typedWithSlash)).toEqual(summaryRows(inChannel));
  });
});

describe('the KPI summary before any KPI is added', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-empty');
  });
  afterAll(() => p.close());

  it('says there are no KPIs yet and how an editor adds one', async () => {
    const reply = await p.say(jo, 'kpi');
    expect(countsLine(reply)).toBe('0 KPIs: 0 Green, 0 Amber, 0 Red');
    expect(reply.text).toContain(
      'No KPIs yet. An editor can add one with: kpi add "First time fix" target=80 unit=% polarity=higher',
    );
  });
});

// ---------------------------------------------------------------------------------
// The detail: kpi <code or name>
// ---------------------------------------------------------------------------------

describe('the KPI detail', () => {
  let p: Performance;
  // Oct 2025 … Oct 2026: thirteen months, so the card shows the last twelve and Oct 2025 as "last year".
  const firstTimeFix: Array<[string, string]> = [
    ['2025-10', '70'],
    ['2025-11', '72'],
    ['2025-12', '74'],
    ['2026-01', '71'],
    ['2026-02', '75'],
    ['2026-03', '78'],
    ['2026-04', '76.5'],
    ['2026-05', '77'],
    ['2026-06', '79'],
    ['2026-07', '80'],
    ['2026-08', '81'],
    ['2026-09', '83'],
    ['2026-10', '84'],
  ];
  // April to October: 8 major incidents this year against 18 over the same months last year.
  const thisYear = [2, 1, 1, 0, 2, 1, 1];
  const lastYear = [3, 2, 4, 2, 3, 2, 2];
  const months = ['04', '05', '06', '07', '08', '09', '10'];

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-detail');
    await added(
      p,
      sam,
      mentions`kpi add "First time fix" target=80 unit=% polarity=higher owner=${sam} description="Incidents resolved at the first contact with the service desk"`,
    );
    for (const [period, value] of firstTimeFix) {
      const commentary =
        period === '2026-09' ? ' "new triage script"' : period === '2026-10' ? ' "after the portal change"' : '';
      await recorded(p, sam, `kpi record FTF ${value} period=${period}${commentary}`);
    }
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1');
    for (const [i, month] of months.entries()) {
      await recorded(p, sam, `kpi record MI ${lastYear[i]} period=2025-${month}`);
      await recorded(p, sam, `kpi record MI ${thisYear[i]} period=2026-${month}`);
    }
  });
  afterAll(() => p.close());

  it('shows the definition of the KPI', async () => {
    const detail = await p.say(jo, 'kpi FTF');

    expect(lines(detail).slice(0, 2)).toEqual(['First time fix', 'FTF']);
    expect(detail).toShowRag('Green');
    expect(detail.text).toContain('Incidents resolved at the first contact with the service desk');
    expect(fact(detail, 'Target')).toBe('≥ 80% (higher is better)');
    expect(fact(detail, 'Tolerance')).toBe('5% — Amber down to 76%');
    expect(fact(detail, 'Frequency')).toBe('monthly');
    expect(fact(detail, 'Owner')).toBe('Sam Jones');
    expect(fact(detail, 'Council')).toBe('shared');
  });

  it('shows the latest reading and its trend against the reading before', async () => {
    const detail = await p.say(jo, 'kpi FTF');
    expect(lines(detail)).toContain('84% in Oct 2026 · ▲ better than the reading before');
  });

  it('lists the last 12 readings, newest first, each with its RAG', async () => {
    const readings = readingRows(await p.say(jo, 'kpi FTF'));

    expect(readings).toHaveLength(12);
    expect(readings.map((r) => `${r.period} ${r.value} ${r.rag}`)).toEqual([
      'Oct 2026 84% Green',
      'Sep 2026 83% Green',
      'Aug 2026 81% Green',
      'Jul 2026 80% Green',
      'Jun 2026 79% Amber',
      'May 2026 77% Amber',
      'Apr 2026 76.5% Amber',
      'Mar 2026 78% Amber',
      'Feb 2026 75% Red',
      'Jan 2026 71% Red',
      'Dec 2025 74% Red',
      'Nov 2025 72% Red',
    ]);
    expect(new Set(readings.map((r) => r.by))).toEqual(new Set(['Sam Jones']));
  });

  it('draws the sparkline of those 12 readings', async () => {
    const detail = await p.say(jo, 'kpi FTF');
    const sparkline = allElements(detail.card).find(
      (e) => e.type === 'TextBlock' && typeof e.text === 'string' && /^[▁▂▃▄▅▆▇█]+$/.test(e.text),
    );
    expect(sparkline?.text).toHaveLength(12);
    expect((sparkline?.text as string).endsWith('█')).toBe(true);
  });

  it('shows the latest commentary with who wrote it and for which month', async () => {
    const detail = await p.say(jo, 'kpi FTF');
    expect(fact(detail, 'Commentary')).toBe('“after the portal change” — Sam Jones, Oct 2026');
  });

  it('compares with the same period last year', async () => {
    const detail = await p.say(jo, 'kpi FTF');
    expect(fact(detail, 'Last year')).toBe('70% in Oct 2025 (this year is better)');
  });

  it('finds the KPI by its name, quoted or not, and by its code in any case', async () => {
    const byCode = await p.say(jo, 'kpi FTF');
    for (const asked of ['kpi "First time fix"', 'kpi “first time fix”', 'kpi First time fix', 'kpi ftf']) {
      const reply = await p.say(jo, asked);
      expect(reply.text, asked).toBe(byCode.text);
    }
  });

  it('gives the year to date for a monthly count against the same months last year: 8 against 18', async () => {
    const detail = await p.say(jo, 'kpi MI');

    expect(fact(detail, 'Year to date')).toBe('8 over 7 months, against 18 over the same months last year');
    expect(fact(detail, 'Last year')).toBe('2 in Oct 2025 (this year is better)');
    expect(fact(await p.say(jo, 'kpi FTF'), 'Year to date')).toBeUndefined();
  });

  it('says there is no commentary and no reading last year for a KPI without them', async () => {
    await added(p, sam, 'kpi add "Laptops rebuilt" code=LR target=40 unit=count polarity=higher');
    const detail = await p.say(jo, 'kpi LR');

    expect(lines(detail)).toContain('No reading for Oct 2026 yet');
    expect(fact(detail, 'Last year')).toBe('No reading for the same period last year');
    expect(fact(detail, 'Commentary')).toBe('No commentary yet.');
    expect(readingRows(detail)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------
// kpi edit and kpi remove
// ---------------------------------------------------------------------------------

describe('kpi edit and kpi remove', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-edit-remove');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await recorded(p, sam, 'kpi record FTF 82 period=2026-10');
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1');
    await recorded(p, sam, 'kpi record MI 1 period=2026-10');
  });
  afterAll(() => p.close());

  it('changes the target for an editor, and the RAG on the summary follows', async () => {
    expect(row(await p.say(jo, 'kpi'), 'FTF')).toMatchObject({ target: '≥ 80%', rag: 'Green' });

    const reply = await p.say(sam, 'kpi edit FTF target=85');

    expect(lines(reply)[0]).toBe('First time fix (FTF) updated');
    expect(reply.text).toContain('Target ≥ 85%, higher is better.');
    const summary = await p.say(jo, 'kpi');
    expect(row(summary, 'FTF')).toMatchObject({ value: '82%', target: '≥ 85%', rag: 'Amber' });
    expect(countsLine(summary)).toBe('2 KPIs: 1 Green, 1 Amber, 0 Red');
  });

  it('refuses to change the unit of a KPI that has readings', async () => {
    const reply = await p.say(sam, 'kpi edit FTF unit=count target=3');

    expect(reply.text).toContain('FTF has readings, so its unit and frequency cannot change: add a new KPI instead');
    expect(reply.text).toContain('Nothing was changed.');
    expect(fact(await p.say(jo, 'kpi FTF'), 'Target')).toBe('≥ 85% (higher is better)');
  });

  it('changes the unit of a KPI that has no readings yet', async () => {
    await added(p, sam, 'kpi add "Time to resolve" code=TTR target=8 unit=hours polarity=lower');
    const reply = await p.say(sam, 'kpi edit TTR unit=days target=1');
    expect(lines(reply)[0]).toBe('Time to resolve (TTR) updated');
    expect(fact(await p.say(jo, 'kpi TTR'), 'Target')).toBe('≤ 1 day (lower is better)');
  });

  it('refuses kpi edit from a viewer', async () => {
    const reply = await p.say(jo, 'kpi edit FTF target=10');
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(fact(await p.say(jo, 'kpi FTF'), 'Target')).toBe('≥ 85% (higher is better)');
  });

  it('refuses kpi remove from an editor: only an admin removes a KPI', async () => {
    const reply = await p.say(sam, 'kpi remove FTF');

    expect(lines(reply)[0]).toBe('You need the admin role');
    expect(reply.text).toContain('"kpi remove" needs the role admin');
    expect(reply.text).toContain('Nothing was changed.');
    expect(lines(await p.say(jo, 'kpi FTF'))[0]).toBe('First time fix');
  });

  it('removes a KPI for an admin: gone from kpi, not found by code, and in the audit', async () => {
    const reply = await p.say(alex, 'kpi remove FTF');

    expect(lines(reply)[0]).toBe('First time fix (FTF) removed');
    const summary = await p.say(jo, 'kpi');
    expect(summaryRows(summary).map((r) => r.code)).not.toContain('FTF');
    expect(countsLine(summary)).toBe('2 KPIs: 1 Green, 0 Amber, 0 Red, 1 with no data');
    const asked = await p.say(jo, 'kpi FTF');
    expect(lines(asked)[0]).toBe('Not found');
    expect(asked.text).toContain('There is no KPI "FTF" in Cheshire ICT Shared Service.');

    const removal = auditEntries(await p.say(alex, 'audit')).find((e) => e.command === 'kpi remove FTF');
    expect(removal?.who).toBe('Alex Morgan');
    expect(removal?.change).toMatch(/^kpi FTF: removed: name: First time fix, target: 85%/);
  });

  it('says who removed a KPI and when, to anyone who records, edits or removes it by its code', async () => {
    const before = await new KpiRepository(p.bot.app.storage.tables).readings(p.partnershipId, 'FTF');
    for (const [who, typed] of [
      [sam, 'kpi record FTF 90'],
      [sam, 'kpi edit FTF target=90'],
      [alex, 'kpi remove FTF'],
    ] as const) {
      const reply = await p.say(who, typed);
      expect(lines(reply)[0], typed).toBe('Not found');
      expect(reply.text, typed).toContain('First time fix (FTF) was removed by Alex Morgan on 2026-11-25.');
      expect(reply.text, typed).toContain('Its history stays in the audit; add a new KPI to measure it again.');
    }
    expect(await new KpiRepository(p.bot.app.storage.tables).readings(p.partnershipId, 'FTF')).toEqual(before);
    expect((await new KpiRepository(p.bot.app.storage.tables).get(p.partnershipId, 'FTF'))?.definition.target).toBe(85);
    const audit = auditEntries(await p.say(alex, 'audit')).map((e) => e.command);
    expect(audit).not.toContain('kpi record FTF 90');
    expect(audit).not.toContain('kpi edit FTF target=90');
    expect(audit.filter((c) => c === 'kpi remove FTF')).toHaveLength(1);
  });

  it("keeps a removed KPI's code taken, so the audit stays unambiguous", async () => {
    const reply = await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    expect(lines(reply)[0]).toBe('KPI added: First time fix (FTF2)');
  });
});

// ---------------------------------------------------------------------------------
// An editor for one council
// ---------------------------------------------------------------------------------

describe('an editor for one council', () => {
  let p: Performance;
  /** What is stored of a KPI, straight from the table: its target and the periods it has readings for. */
  const stored = async (code: string) => {
    const kpi = await new KpiRepository(p.bot.app.storage.tables).get(p.partnershipId, code);
    const readings = await new KpiRepository(p.bot.app.storage.tables).readings(p.partnershipId, code);
    return { target: kpi?.definition.target, council: kpi?.definition.council, periods: readings.map((r) => r.period) };
  };
  const auditCommands = async () => auditEntries(await p.say(alex, 'audit')).map((e) => e.command);

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-council-editor');
    // Priya edits CEC's KPIs only; Sam, an editor for every council, sets up one KPI of each kind.
    expect((await p.say(alex, mentions`role grant ${priya} editor council=CEC`)).text).toContain(
      'Priya Shah is now editor for CEC',
    );
    await added(p, sam, 'kpi add "CEC laptops rebuilt" code=CECL target=40 unit=count polarity=higher council=CEC');
    await added(p, sam, 'kpi add "CWAC laptops rebuilt" code=CWL target=40 unit=count polarity=higher council=CWAC');
    await added(p, sam, 'kpi add "First time fix" code=FTF target=80 unit=% polarity=higher');
  });
  afterAll(() => p.close());

  it("adds, records and edits the council's own KPIs", async () => {
    const reply = await added(
      p,
      priya,
      'kpi add "CEC printers" code=CECP target=95 unit=% polarity=higher council=CEC',
    );
    expect(fact(reply, 'Council')).toBe('CEC');
    expect(lines(await p.say(priya, 'kpi record CECL 41 period=2026-10'))[0]).toBe(
      'CEC laptops rebuilt: 41 for Oct 2026 is Green',
    );
    expect(lines(await p.say(priya, 'kpi edit CECL target=45'))[0]).toBe('CEC laptops rebuilt (CECL) updated');
    expect(await stored('CECL')).toEqual({ target: 45, council: 'CEC', periods: ['2026-10'] });
    expect(await auditCommands()).toEqual(
      expect.arrayContaining(['kpi edit CECL target=45', 'kpi record CECL 41 period=2026-10']),
    );
  });

  it('refuses to add a KPI for another council, names the role it needs, and adds nothing', async () => {
    const reply = await p.say(priya, 'kpi add "CWAC printers" code=CWP target=95 unit=% polarity=higher council=CWAC');

    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(reply.text).toContain('"add a KPI for CWAC" needs the role editor');
    expect(reply.text).toContain('(an editor for one council adds KPIs of that council only)');
    expect(reply.text).toContain('Nothing was changed.');
    expect(await new KpiRepository(p.bot.app.storage.tables).get(p.partnershipId, 'CWP')).toBeUndefined();
    expect(await auditCommands()).not.toContain(
      'kpi add "CWAC printers" code=CWP target=95 unit=% polarity=higher council=CWAC',
    );
  });

  it("refuses to add a shared KPI, which is every council's", async () => {
    const reply = await p.say(priya, 'kpi add "Shared printers" code=SHP target=95 unit=% polarity=higher');
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(reply.text).toContain('"add a KPI for every council" needs the role editor');
    expect(await new KpiRepository(p.bot.app.storage.tables).get(p.partnershipId, 'SHP')).toBeUndefined();
  });

  it('refuses the add form for another council too', async () => {
    const reply = await p.click(priya, 'kpi.add', {
      name: 'CWAC printers',
      code: 'CWP',
      target: '95',
      unit: '%',
      polarity: 'higher',
      council: 'CWAC',
    });
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(await new KpiRepository(p.bot.app.storage.tables).get(p.partnershipId, 'CWP')).toBeUndefined();
  });

  it("refuses to record another council's KPI or a shared one, and stores nothing", async () => {
    for (const [code, council] of [
      ['CWL', 'CWAC'],
      ['FTF', 'every council'],
    ] as const) {
      const reply = await p.say(priya, `kpi record ${code} 50 period=2026-09`);
      expect(lines(reply)[0], code).toBe('You need the editor role');
      expect(reply.text).toContain(`"record ${code}" needs the role editor`);
      expect(reply.text).toContain(`for ${council}, or being the KPI's owner`);
      expect((await stored(code)).periods).toEqual([]);
    }
    const audit = await auditCommands();
    expect(audit).not.toContain('kpi record CWL 50 period=2026-09');
    expect(audit).not.toContain('kpi record FTF 50 period=2026-09');
  });

  it("refuses to edit another council's KPI or a shared one, or to move its own KPI to another council", async () => {
    for (const [typed, council] of [
      ['kpi edit CWL target=10', 'CWAC'],
      ['kpi edit FTF target=10', 'every council'],
      ['kpi edit CECL council=CWAC', 'CWAC'],
      ['kpi edit CECL council=shared', 'every council'],
    ] as const) {
      const reply = await p.say(priya, typed);
      expect(lines(reply)[0], typed).toBe('You need the editor role');
      expect(reply.text, typed).toContain(`"change KPIs of ${council}" needs the role editor`);
      expect(reply.text, typed).toContain('Nothing was changed.');
    }
    expect(await stored('CWL')).toMatchObject({ target: 40, council: 'CWAC' });
    expect(await stored('FTF')).toMatchObject({ target: 80, council: 'SHARED' });
    expect(await stored('CECL')).toMatchObject({ council: 'CEC' });
    expect((await auditCommands()).filter((c) => c.startsWith('kpi edit') && c !== 'kpi edit CECL target=45')).toEqual(
      [],
    );
  });

  it("lets an editor for every council, and an admin, change any council's KPIs", async () => {
    expect(lines(await p.say(sam, 'kpi record CWL 39 period=2026-10'))[0]).toBe(
      'CWAC laptops rebuilt: 39 for Oct 2026 is Amber',
    );
    expect(lines(await p.say(sam, 'kpi edit CECL target=42'))[0]).toBe('CEC laptops rebuilt (CECL) updated');
    expect(lines(await p.say(alex, 'kpi record FTF 81 period=2026-10'))[0]).toBe(
      'First time fix: 81% for Oct 2026 is Green',
    );
    expect(lines(await p.say(alex, 'kpi edit CWL council=CEC'))[0]).toBe('CWAC laptops rebuilt (CWL) updated');
    expect(await stored('CWL')).toMatchObject({ council: 'CEC' });
  });

  it('shows the council of the grant in setup show', async () => {
    expect(fact(await p.say(priya, 'setup show'), 'Your roles')).toBe('editor for CEC');
  });
});

// ---------------------------------------------------------------------------------
// A change and its audit row are one
// ---------------------------------------------------------------------------------

describe('a change and its audit row', () => {
  let p: Performance;
  /** The audit rows kept for the partnership, straight from the table. */
  const auditRows = async () => {
    let count = 0;
    const filter = `PartitionKey eq '${p.partnershipId}' and RowKey ge 'audit|' and RowKey lt 'audit}'`;
    for await (const _row of p.bot.app.storage.tables.partnerships.listEntities({ queryOptions: { filter } })) count++;
    return count;
  };

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-audit-together');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
  });
  afterAll(() => p.close());

  it('writes exactly one audit row for each change, and none for a refusal', async () => {
    const start = await auditRows();
    await recorded(p, sam, 'kpi record FTF 81 period=2026-10');
    expect(await auditRows()).toBe(start + 1);
    expect(lines(await p.say(sam, 'kpi edit FTF target=82'))[0]).toBe('First time fix (FTF) updated');
    expect(await auditRows()).toBe(start + 2);
    expect(lines(await p.say(sam, 'kpi record FTF 101'))[0]).toBe('I could not do that');
    expect(lines(await p.say(jo, 'kpi edit FTF target=10'))[0]).toBe('You need the editor role');
    expect(await auditRows()).toBe(start + 2);

    const [edit, record] = auditEntries(await p.say(alex, 'audit'));
    expect(edit).toMatchObject({ who: 'Sam Jones', command: 'kpi edit FTF target=82' });
    expect(edit?.change).toMatch(/^kpi FTF: name: First time fix, target: 80%.* → name: First time fix, target: 82%/);
    expect(record).toMatchObject({
      who: 'Sam Jones',
      command: 'kpi record FTF 81 period=2026-10',
      change: 'kpi FTF 2026-10: added: value: 81%, commentary: ',
    });
  });

  it('shows a long command in the audit cut at 200 characters', async () => {
    const commentary = 'the new triage script and the portal change together '.repeat(6).trim();
    const typed = `kpi record FTF 79 period=2026-09 "${commentary}"`;
    expect(typed.length).toBeGreaterThan(200);
    await recorded(p, sam, typed);
    const [latest] = auditEntries(await p.say(alex, 'audit'));
    expect(latest?.command).toBe(`${typed.slice(0, 200)}…`);
  });

  it('leaves no audit row for a kpi edit that loses the race to another edit', async () => {
    const kpis = new KpiRepository(p.bot.app.storage.tables);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the instance's own `this`
    const update = KpiRepository.prototype.update;
    const before = p.bot.stub.sent.length;
    // Alex's edit is handled whole while Sam's is between reading FTF and writing it.
    const raced = vi.spyOn(KpiRepository.prototype, 'update').mockImplementationOnce(async function (
      this: KpiRepository,
      ...args
    ) {
      const meanwhile = await p.say(alex, 'kpi edit FTF target=70');
      expect(lines(meanwhile)[0]).toBe('First time fix (FTF) updated');
      return update.apply(this, args);
    });
    const start = await auditRows();
    try {
      await postActivity(p.bot.url, p.bot.teams.message(p.where, sam, 'kpi edit FTF target=90'));
    } finally {
      raced.mockRestore();
    }
    const answers = (await p.bot.stub.waitForSent(before + 2)).slice(before).map((a) => replyOf(a).text);
    const lost = answers.find((a) => a.includes('FTF was changed by someone else a moment ago; nothing was changed.'));
    expect(lost, answers.join('\n---\n')).toBeDefined();

    expect((await kpis.get(p.partnershipId, 'FTF'))?.definition.target).toBe(70);
    expect(await auditRows()).toBe(start + 1);
    const commands = auditEntries(await p.say(alex, 'audit')).map((e) => e.command);
    expect(commands[0]).toBe('kpi edit FTF target=70');
    expect(commands).not.toContain('kpi edit FTF target=90');
  });

  it('leaves no audit row for a kpi add whose code was taken a moment before it was written', async () => {
    const meeting = meetAt(KpiRepository.prototype, 'add', 2);
    const start = await auditRows();
    const before = p.bot.stub.sent.length;
    try {
      await Promise.all([
        postActivity(
          p.bot.url,
          p.bot.teams.message(p.where, sam, 'kpi add "Laptops rebuilt" code=LR target=40 unit=count polarity=higher'),
        ),
        postActivity(
          p.bot.url,
          p.bot.teams.message(p.where, alex, 'kpi add "Laptop repairs" code=LR target=30 unit=count polarity=higher'),
        ),
      ]);
    } finally {
      meeting.restore();
    }
    const answers = (await p.bot.stub.waitForSent(before + 2)).slice(before).map((a) => replyOf(a).text);
    expect(
      answers.filter((a) => a.startsWith('KPI added: ')),
      answers.join('\n---\n'),
    ).toHaveLength(1);
    expect(answers.filter((a) => a.includes('code LR was taken a moment ago: choose another code'))).toHaveLength(1);

    // The losing batch held the KPI and its audit row: neither was written.
    expect(await auditRows()).toBe(start + 1);
    const winner = answers.find((a) => a.startsWith('KPI added: '))!.includes('Laptops rebuilt')
      ? 'Laptops rebuilt'
      : 'Laptop repairs';
    expect((await new KpiRepository(p.bot.app.storage.tables).get(p.partnershipId, 'LR'))?.definition.name).toBe(
      winner,
    );
    expect(auditEntries(await p.say(alex, 'audit')).filter((e) => e.change.startsWith('kpi LR:'))).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------

describe('a summary of 60 KPIs', () => {
  let p: Performance;
  const names = Array.from({ length: 60 }, (_, i) => `Service measure ${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-pages');
    // Written straight to storage: sixty chat commands would test nothing more.
    for (const [i, name] of names.entries()) {
      const definition: KpiDefinition = {
        code: `SM${i + 1}`,
        name,
        description: '',
        unit: '%',
        polarity: 'higher',
        target: 80,
        tolerance: { kind: 'percent', value: 5 },
        frequency: 'monthly',
        owner: undefined,
        council: i % 2 === 0 ? 'CEC' : 'CWAC',
        createdAt: TEST_NOW.toISOString(),
        createdBy: 'Alex Morgan',
      };
      await new KpiRepository(p.bot.app.storage.tables).add(p.partnershipId, definition, {
        at: TEST_NOW.toISOString(),
        actorId: alex.id,
        actorAadObjectId: alex.aadObjectId,
        actorName: alex.name,
        command: '(test data)',
        subject: `kpi ${definition.code}`,
        before: null,
        after: { name },
        conversationId: p.where.teamId,
      });
    }
  });
  afterAll(() => p.close());

  it(`shows ${PAGE_SIZE} rows and a Show more button`, async () => {
    const first = await p.say(jo, 'kpi');

    expect(countsLine(first)).toBe('60 KPIs: 0 Green, 0 Amber, 0 Red, 60 with no data');
    expect(summaryRows(first).map((r) => r.name)).toEqual(names.slice(0, PAGE_SIZE));
    expect(PAGE_SIZE).toBe(20);
    expect(lines(first)).toContain('Showing 1–20 of 60.');
    expect(action(first, 'Show more')).toMatchObject({ type: 'Action.Execute', verb: 'kpi.page' });
    expect(cardBytes(first)).toBeLessThan(CARD_BYTE_LIMIT);
  });

  it('shows the next rows when Show more is clicked, until every KPI has been shown once', async () => {
    const seen: string[] = [];
    let page = await p.say(jo, 'kpi');
    const shown: string[] = [];
    for (let clicks = 0; ; clicks++) {
      seen.push(...summaryRows(page).map((r) => r.name));
      shown.push(lines(page).find((l) => l.startsWith('Showing ')) ?? '(last page)');
      expect(countsLine(page)).toBe('60 KPIs: 0 Green, 0 Amber, 0 Red, 60 with no data');
      const more = action(page, 'Show more');
      if (!more) break;
      expect(clicks).toBeLessThan(Math.ceil(60 / PAGE_SIZE));
      page = await p.click(jo, 'kpi.page', more.data);
    }
    expect(seen).toEqual(names);
    expect(shown).toEqual(['Showing 1–20 of 60.', 'Showing 21–40 of 60.', 'Showing 41–60 of 60.']);
  });

  it('keeps the council filter when paging', async () => {
    const first = await p.say(jo, 'kpi council=CEC');
    expect(summaryRows(first)).toHaveLength(PAGE_SIZE);
    const more = action(first, 'Show more');
    expect(more?.data).toEqual({ filter: '', council: 'CEC', offset: PAGE_SIZE });
    expect(lines(first)).toContain('Showing 1–20 of 30.');

    const second = await p.click(jo, 'kpi.page', more?.data);
    const cec = names.filter((_, i) => i % 2 === 0);
    expect(summaryRows(second).map((r) => r.name)).toEqual(cec.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    expect(countsLine(second)).toBe('30 KPIs: 0 Green, 0 Amber, 0 Red, 30 with no data');
    expect(lines(second)).toContain('Showing 21–30 of 30.');
    expect(action(second, 'Show more')).toBeUndefined();
  });

  it('keeps the RAG filter when paging', async () => {
    const first = await p.say(jo, 'kpi nodata');
    const more = action(first, 'Show more');
    expect(more?.data).toEqual({ filter: 'nodata', council: '', offset: PAGE_SIZE });
    const second = await p.click(jo, 'kpi.page', more?.data);
    expect(summaryRows(second).map((r) => r.name)).toEqual(names.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    expect(lines(second)[1]).toContain('No data only');
  });
});

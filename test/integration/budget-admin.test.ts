/**
 * What the partnership's admin and the committee do with the budget: virements, RAG thresholds,
 * the card month by month, programmes, and many officers entering actuals at once. Alex is the
 * admin, Sam an editor, Jo views. The clock is set by each test where the month matters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pence } from '../../src/domain/money.js';
import { SHARED, type PartnershipId } from '../../src/domain/partnership.js';
import { noActuals, type BudgetLineSummary } from '../../src/domain/budget.js';
import { importBudgetYear } from '../../src/storage/budget-import.js';
import { startTestBot, TEST_NOW, type Reply, type TestBot } from '../support/bot-harness.js';
import { headline } from '../support/budget-cards.js';
import { action, fact, lines, tableRows } from '../support/cards.js';
import { alex, channel, jo, mentions, sam, type Person, type TeamChannel } from '../support/teams.js';

let clock = TEST_NOW;
let bot: TestBot;

interface Finance {
  readonly partnershipId: PartnershipId;
  readonly where: TeamChannel;
  ask(who: Person, text: string): Promise<Reply>;
}

async function financeTeam(team: string): Promise<Finance> {
  const where = channel({
    teamId: `19:${team}@thread.tacv2`,
    channelId: `19:${team}-finance@thread.tacv2`,
    teamName: `Shared ICT Service (${team})`,
    channelName: 'Finance',
  });
  await bot.ask(where, alex, `setup partnership "Finance ${team}" councils=CEC:60,CWAC:40`);
  await bot.ask(where, alex, mentions`role grant ${sam} editor`);
  const binding = await bot.app.services.partnerships.findBinding([{ kind: 'team', teamId: where.teamId }]);
  return { partnershipId: binding!.partnershipId, where, ask: (who, text) => bot.ask(where, who, text) };
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock });
});
afterAll(() => bot.close());

describe('virements', () => {
  let f: Finance;
  beforeAll(async () => {
    clock = TEST_NOW;
    f = await financeTeam('budget-vire');
    await f.ask(sam, 'budget add STAFF "ICT staffing" category=staffing budget=£16.5m');
    await f.ask(sam, 'budget add NETDC "Network and data centre" category=contracts budget=£3.4m');
    await f.ask(sam, 'budget add PROJINC "Income from projects" category=income budget=£6.5m');
  });

  it('move budget between lines, the original beside the revised, and keep the net budget', async () => {
    const before = fact(await f.ask(jo, 'budget'), 'Net budget');
    const reply = await f.ask(alex, 'budget vire NETDC STAFF £300k "Pay offer funded from the network budget"');
    expect(lines(reply)[0]).toBe('Virement V-1: £300,000 from Network and data centre (NETDC) to ICT staffing (STAFF)');
    expect(fact(reply, 'NETDC')).toBe('£3,400,000 → £3,100,000 (original £3,400,000)');
    expect(fact(reply, 'STAFF')).toBe('£16,500,000 → £16,800,000 (original £16,500,000)');
    expect(fact(await f.ask(jo, 'budget'), 'Net budget')).toBe(before);
    const rows = tableRows(await f.ask(jo, 'budget lines'));
    expect(rows.find((r) => r.cells[0] === 'ICT staffing (STAFF)')?.cells[1]).toBe('£16.8m');
    expect((await f.ask(jo, 'budget lines')).text).toContain('was £16.5m');
    const second = await f.ask(alex, 'budget vire STAFF NETDC £50k "Agency cover"');
    expect(lines(second)[0]).toMatch(/^Virement V-2: /);
  });

  it('refuse more than the line holds, income to spending, and anyone but an admin', async () => {
    expect((await f.ask(alex, 'budget vire NETDC STAFF £5m "Too much"')).text).toContain(
      'Nothing was moved: £5,000,000 is more than the £3,150,000 budget of NETDC: a virement moves at most what the line holds.',
    );
    expect((await f.ask(alex, 'budget vire PROJINC STAFF £50k "Income to pay"')).text).toContain(
      'PROJINC is income and STAFF is staffing',
    );
    expect((await f.ask(sam, 'budget vire NETDC STAFF £50k "Editor"')).text).toContain('You need the admin role');
    expect((await f.ask(alex, 'budget vire NETDC NOPE £50k "Unknown"')).text).toContain(
      'There is no budget line "NOPE"',
    );
    expect((await f.ask(alex, 'budget vire NETDC STAFF £1.2.3m "Bad"')).text).toContain(
      'the amount "£1.2.3m" is not an amount of money',
    );
    expect(fact(await f.ask(jo, 'budget line NETDC'), 'Revised budget')).toBe(
      '£3,150,000: £250,000 moved out by virement',
    );
  });
});

describe('budget thresholds', () => {
  let f: Finance;
  beforeAll(async () => {
    clock = TEST_NOW;
    f = await financeTeam('budget-rag');
    await f.ask(sam, 'budget add LICS "Software licences" category=contracts budget=£7.4m');
    await f.ask(sam, 'budget forecast set LICS £7.44m "Small uplift"');
  });

  it('are the council rule until set: Amber from 1% or £50k, Red from 5% or £100k', async () => {
    const card = await f.ask(jo, 'budget');
    expect(headline(card)).toMatchObject({ headline: 'Forecast overspend £40k', rag: 'Green' });
    expect(card.text).toContain(
      'RAG: Amber from 1% of budget or £50k adverse, Red from 5% of budget or £100k, whichever comes first.',
    );
    expect((await f.ask(alex, 'budget thresholds')).text).toContain('(the council rule, as none are set)');
  });

  it('when set, colour the card by whichever part is reached first', async () => {
    const set = await f.ask(alex, 'budget thresholds amber=0.5%,£20k red=2%,£35k');
    expect(lines(set)[0]).toBe('Budget RAG thresholds set');
    expect(headline(await f.ask(jo, 'budget')).rag).toBe('Red');
    await f.ask(alex, 'budget thresholds amber=£30k red=£1m');
    expect(headline(await f.ask(jo, 'budget')).rag).toBe('Amber');
  });

  it('set again as they stand, change nothing and say so', async () => {
    const again = await f.ask(alex, 'budget thresholds amber=£30k red=£1m');
    expect(lines(again)[0]).toBe('Budget RAG thresholds unchanged');
    expect(again.text).toContain('Nothing was changed');
    const audit = await f.ask(alex, 'audit');
    expect(audit.text.match(/budget thresholds changed/g)).toHaveLength(2);
  });

  it('set by two admins at the same moment, one after the other, each audited from what the other left', async () => {
    await Promise.all([
      f.ask(alex, 'budget thresholds amber=£31k red=£1m'),
      f.ask(alex, 'budget thresholds amber=£32k red=£1m'),
    ]);
    const audit = (await f.ask(alex, 'audit')).text;
    expect(audit.match(/budget thresholds changed/g)).toHaveLength(4);
    expect(audit).toMatch(/Amber from £3[12]k adverse[^\n]* → Amber from £3[12]k adverse/);
  });

  it('refuse Amber above Red, a bad form and spaces inside a threshold, and change nothing', async () => {
    expect((await f.ask(alex, 'budget thresholds amber=5% red=1%')).text).toContain(
      'thresholds: Amber from 5% of budget is above Red from 1%: Amber must start at or below Red',
    );
    expect((await f.ask(alex, 'budget thresholds amber=lots red=5%')).text).toContain(
      'amber=lots is not a threshold: give a percentage of budget, an amount, or both',
    );
    expect((await f.ask(alex, 'budget thresholds amber=1%')).text).toContain('red= is missing');
    expect((await f.ask(alex, 'budget thresholds amber=1%, £50k red=5%')).text).toContain(
      '"£50k" is not part of a threshold: write each without spaces',
    );
    expect((await f.ask(sam, 'budget thresholds amber=1% red=5%')).text).toContain('You need the admin role');
    expect(headline(await f.ask(jo, 'budget')).rag).toBe('Amber');
  });
});

describe('the forecast card, month by month', () => {
  let f: Finance;
  beforeAll(async () => {
    clock = new Date('2026-10-15T12:00:00Z');
    f = await financeTeam('budget-months');
    await f.ask(sam, 'budget add STAFF "ICT staffing" category=staffing budget=£12m');
    await f.ask(sam, 'budget add CECNET "CEC network" category=contracts budget=£1.2m council=CEC');
    await f.ask(sam, 'budget forecast set CECNET £1.2m "Circuits on contract"');
  });

  it('forecasts at budget before any actuals, and says so', async () => {
    const card = await f.ask(jo, 'budget');
    expect(headline(card)).toMatchObject({
      headline: 'Forecast on budget',
      direction: 'No actuals yet: every line is forecast at its budget',
    });
  });

  it("shows which way the net variance has moved since last month's figures", async () => {
    for (let p = 1; p <= 6; p++) await f.ask(sam, `budget actual STAFF P${p} £1,010,000`);
    const september = await f.ask(jo, 'budget');
    expect(headline(september).headline).toBe('Forecast overspend £120k');
    clock = new Date('2026-11-16T12:00:00Z');
    await f.ask(sam, 'budget actual STAFF P7 £1,080,000');
    const october = await f.ask(jo, 'budget');
    expect(headline(october)).toMatchObject({
      headline: 'Forecast overspend £240k',
      direction: '▼ worse since P6 (£120k overspend)',
    });
  });

  it("splits a shared line by the councils' shares and gives a council its own lines", async () => {
    await f.ask(sam, 'budget forecast set CECNET £1.1m "Circuit renegotiated"');
    const cwac = await f.ask(jo, 'budget council=CWAC');
    const cec = await f.ask(jo, 'budget council=CEC');
    const whole = await f.ask(jo, 'budget');
    expect(fact(whole, 'Net variance')).toBe('£140,000 overspend');
    // CEC: 60% of STAFF's £240,000 overspend, less its own £100,000 network saving; CWAC: 40% of STAFF's.
    expect(fact(cec, 'Net variance')).toBe('£44,000 overspend');
    expect(fact(cwac, 'Net variance')).toBe('£96,000 overspend');
    expect(headline(cwac).direction).toBe('▼ worse since P6 (£48k overspend)');
  });

  it('refuses a year not in YYYY/YY form and a council outside the partnership', async () => {
    expect((await f.ask(jo, 'budget year=2026/28')).text).toContain(
      'year=2026/28 is not a financial year: write it as YYYY/YY, the second year following the first, e.g. year=2026/27',
    );
    expect((await f.ask(jo, 'budget year=26/27')).text).toContain('year=26/27 is not a financial year');
    expect((await f.ask(jo, 'budget council=WAC')).text).toContain(
      'council=WAC is not a council of Finance budget-months: use CEC or CWAC',
    );
  });

  it('says a year has no lines yet, and how to add one', async () => {
    const card = await f.ask(jo, 'budget forecast year=2030/31');
    expect(card.text).toContain('No budget lines for 2030/31 yet. An editor can add one with: budget add');
  });
});

describe('programmes', () => {
  let f: Finance;
  beforeAll(async () => {
    clock = TEST_NOW;
    f = await financeTeam('budget-programmes');
  });

  it('add a programme and compute its payback from its benefits', async () => {
    const added = await f.ask(
      sam,
      'programme add "Gemini" budget=£5.1m benefits="2024/25:£0.8m,2025/26:£2.67m" start=2023/24 spend=£1.45m',
    );
    expect(lines(added)[0]).toBe('Programme added: Gemini');
    expect(added.text).toContain('Payback 2026/27, 4 years.');
    const shown = await f.ask(jo, 'programme gem');
    expect(fact(shown, 'Spend to date')).toBe('£1,450,000 (28% of budget)');
  });

  it('record spend to date, replacing the figure before', async () => {
    const spent = await f.ask(sam, 'programme spend "Gemini" £1.6m');
    expect(lines(spent)[0]).toBe('Gemini: spend to date £1,600,000');
    expect(spent.text).toContain('Replaces £1,450,000');
    expect(fact(await f.ask(jo, 'programme show "Gemini"'), 'Spend to date')).toMatch(/^£1,600,000 \(31% of budget\)/);
  });

  it('refuse benefits before the start, a bad start or benefits list, a name taken, an unknown name and viewers', async () => {
    expect((await f.ask(sam, 'programme add "Late" budget=£1m start=2026')).text).toContain(
      'start=2026 is not a financial year: write it as YYYY/YY, the second year following the first, e.g. start=2026/27',
    );
    expect((await f.ask(sam, 'programme add "Early" budget=£1m benefits="2024/25:£0.5m"')).text).toContain(
      'benefits are given for 2024/25, before the programme starts in 2026/27; add start=',
    );
    expect((await f.ask(sam, 'programme add "Bad" budget=£1m benefits="2024/26:£1m"')).text).toContain(
      'benefits=2024/26:£1m is not a list of benefits by year',
    );
    expect((await f.ask(sam, 'programme add "gemini" budget=£1m')).text).toContain(
      'A programme called "gemini" exists already',
    );
    expect((await f.ask(jo, 'programme show "Apollo"')).text).toContain('There is no programme "Apollo"');
    expect((await f.ask(jo, 'programme show "Gemeni"')).text).toContain('Did you mean: programme show "Gemini"?');
    expect((await f.ask(jo, 'programme spend "Gemini" £2m')).text).toContain('You need the editor role');
  });
});

describe('many officers entering actuals at month end', () => {
  it('records 50 actuals to 50 lines sent at the same moment, every one', async () => {
    clock = TEST_NOW;
    const f = await financeTeam('budget-burst');
    const lines50: BudgetLineSummary[] = Array.from({ length: 50 }, (_, i) => ({
      code: `L${i + 1}`,
      name: `Line ${i + 1}`,
      category: 'contracts',
      council: SHARED,
      fyStart: 2026,
      originalBudget: pence(1_200_000_00),
      revisedBudget: pence(1_200_000_00),
      actuals: noActuals(),
      officerForecast: undefined,
    }));
    await importBudgetYear(
      bot.app.services.tables,
      f.partnershipId,
      2026,
      lines50,
      [],
      { name: 'import', id: 'import', at: TEST_NOW.toISOString() },
      {
        at: TEST_NOW.toISOString(),
        actorId: 'import',
        actorAadObjectId: undefined,
        actorName: 'import',
        command: 'import',
        subject: 'budget 2026/27',
        before: null,
        after: null,
        conversationId: 'test',
      },
    );
    const replies = await Promise.all(lines50.map((l) => f.ask(sam, `budget actual ${l.code} P7 £100,000`)));
    expect(replies.filter((r) => lines(r)[0]?.endsWith('recorded')).length).toBe(50);
    const card = await f.ask(jo, 'budget lines');
    expect(card.text).toContain('50 lines');
    const more = action(card, 'Show more');
    expect(more?.data).toEqual({ offset: 20, year: '2026/27', category: '', council: '' });
    const next = await bot.press(f.where, jo, more!.verb!, more!.data);
    expect(next.text).toContain('Showing 21–40 of 50.');
    expect(fact(await f.ask(jo, 'budget'), 'Actual to date')).toBe('£5m at P7 (Oct 2026)');
  });
});

/**
 * The demo's 2023/24 mid-year budget, read as the committee reads it: the forecast card with the
 * £845,000 overspend, its drivers and council shares, the lines, one line in detail, the Gemini
 * programme's payback, and the digest's budget section. The clock stands in 2026/27, a year with
 * no lines, so `budget` shows the latest year with lines and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetFamily } from '../../src/commands/budget/index.js';
import type { DemoContext } from '../../src/commands/types.js';
import type { Partnership } from '../../src/domain/partnership.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { categoryBars, headline, sectionRows } from '../support/budget-cards.js';
import { fact, lines, tableRows } from '../support/cards.js';
import { alex, channel, jo, mentions, sam, type Person } from '../support/teams.js';

const where = channel({
  teamId: '19:budget-demo@thread.tacv2',
  channelId: '19:budget-demo-finance@thread.tacv2',
  teamName: 'Shared ICT Service (budget demo)',
  channelName: 'Finance',
});

describe('the demo budget for 2023/24', () => {
  let bot: TestBot;
  let partnership: Partnership;
  const ask = (who: Person, text: string) => bot.ask(where, who, text);

  beforeAll(async () => {
    bot = await startTestBot();
    await bot.ask(where, alex, 'setup partnership "Cheshire Budget Demo" councils=CEC:50,CWAC:50');
    await bot.ask(where, alex, mentions`role grant ${sam} editor`);
    const binding = await bot.app.services.partnerships.findBinding([{ kind: 'team', teamId: where.teamId }]);
    partnership = (await bot.app.services.partnerships.get(binding!.partnershipId))!;
    const demo: DemoContext = {
      partnership,
      actor: { id: alex.id, aadObjectId: alex.aadObjectId, name: alex.name },
      now: bot.app.services.clock(),
      people: [],
      committeeChannels: [],
    };
    const family = budgetFamily(bot.app.services);
    await family.seedDemo!(demo);
    // Laying the demo again changes nothing.
    await family.seedDemo!(demo);
  });
  afterAll(() => bot.close());

  it('explains a command of three words with help', async () => {
    const help = await ask(jo, 'help budget forecast set');
    expect(lines(help)[0]).toBe('budget forecast set');
    expect(help.text).toContain('budget forecast set ‹code› ‹£amount› "‹reason›" [year=‹YYYY/YY›]');
  });

  it('shows the latest year with lines when this year has none, and says so', async () => {
    const card = await ask(jo, 'budget');
    expect(lines(card)[0]).toBe('Budget forecast 2023/24 — Cheshire Budget Demo');
    expect(card.text).toContain('No budget lines for 2026/27 yet, so this is 2023/24, the latest year with lines.');
  });

  it('forecasts an overspend of £845k, Red, worse than the month before', async () => {
    const card = await ask(jo, 'budget forecast year=2023/24');
    expect(headline(card)).toEqual({
      headline: 'Forecast overspend £845k',
      direction: '▼ worse since P5 (£838k overspend)',
      rag: 'Red',
    });
    expect(card).toShowRag('Red');
    expect(fact(card, 'Net variance')).toBe('£845,000 overspend');
    expect(fact(card, 'Actual to date')).toBe('£12.2m at P6 (Sep 2023)');
    expect(card.text).not.toContain('No budget lines for');
  });

  it('names the drivers: £1.56m of projects income short, the £1,040,616 staffing underspend among them', async () => {
    const drivers = sectionRows(await ask(jo, 'budget'), 'Top drivers');
    expect(drivers.map((d) => [d.title, d.figure, d.rag])).toEqual([
      ['Income from projects (PROJINC)', '£1.56m income shortfall', 'Red'],
      ['ICT staffing (STAFF)', '£1.04m underspend', 'Green'],
      ['Income from schools (SCHINC)', '£330k income shortfall', 'Red'],
      ['Software licences and support (LICS)', '£212k overspend', 'Red'],
      ['Citrix and AppSense (CITRIX)', '£150k underspend', 'Green'],
    ]);
    expect(drivers[0]!.detail).toBe(
      'Officer forecast: 76,000 commissioned hours expected against 100,000 in the business model',
    );
    expect(drivers[1]!.detail).toBe('Run rate: £7.88m in 6 months, £1.31m a month');
    const staffing = await ask(jo, 'budget line STAFF');
    expect(fact(staffing, 'Variance')).toBe('£1,040,616 underspend');
  });

  it('splits the overspend 50/50 between CEC and CWAC, and shows one council on its own', async () => {
    const councils = sectionRows(await ask(jo, 'budget'), 'By council');
    expect(councils.map((c) => [c.title, c.figure, c.rag])).toEqual([
      ['CEC', '£423k overspend', 'Red'],
      ['CWAC', '£423k overspend', 'Red'],
    ]);
    const cec = await ask(jo, 'budget council=CEC');
    expect(fact(cec, 'Net variance')).toBe('£422,500 overspend');
    expect(lines(cec)[1]).toContain('CEC: its own lines and 50% of shared lines');
    expect(headline(cec).direction).toBe('▼ worse since P5 (£419k overspend)');
  });

  it('draws budget against forecast for each category, the income £1.89m short', async () => {
    const bars = categoryBars(await ask(jo, 'budget'));
    expect(bars.map((b) => b.heading)).toEqual([
      'Staffing: £1.04m underspend',
      'Contracts: £62k overspend',
      'Other spending: £66.4k underspend',
      'Income (money in): £1.89m income shortfall',
    ]);
    const staffing = bars[0]!;
    expect(staffing.budget).toMatch(/^Budget\u00a0{3}█{16} £16\.8m$/);
    expect(staffing.forecast).toMatch(/^Forecast\u00a0█{15}[▏▎▍▌▋▊▉]? £15\.8m$/);
  });

  it('lists the lines with original budgets beside the revised ones after the virement', async () => {
    const card = await ask(jo, 'budget lines year=2023/24');
    const rows = tableRows(card);
    expect(rows.map((r) => r.cells[0])).toEqual([
      'Citrix and AppSense (CITRIX)',
      'Software licences and support (LICS)',
      'Network and data centre (NETDC)',
      'Income from projects (PROJINC)',
      'Income from schools (SCHINC)',
      'ICT staffing (STAFF)',
      'Supplies and services (SUPPLY)',
    ]);
    expect(card.text).toContain('was £3.4m');
    const income = tableRows(await ask(jo, 'budget lines category=income'));
    expect(income.map((r) => [r.cells[0], r.rag])).toEqual([
      ['Income from projects (PROJINC)', 'Red'],
      ['Income from schools (SCHINC)', 'Red'],
    ]);
  });

  it('shows one line in exact pounds, with its months, officer forecasts and the virement', async () => {
    const card = await ask(jo, 'budget line NETDC year=2023/24');
    expect(fact(card, 'Original budget')).toBe('£3,400,000');
    expect(fact(card, 'Revised budget')).toBe('£3,100,000: £300,000 moved out by virement');
    expect(card.text).toContain(
      'V-1: £300,000 out to STAFF — Pay offer funded from the network and data centre budget',
    );
    expect(tableRows(card)[0]!.cells.slice(0, 2)).toEqual(['P1 (Apr 2023)', '£258,000']);
    const licences = await ask(jo, 'budget line licences');
    expect(licences.text).toContain('Renewals priced up with inflation');
  });

  it('shows the Gemini programme: £5.1m budget, £2.67m a year of benefits, paying back in 4 years', async () => {
    const list = await ask(jo, 'programme');
    expect(list.text).toContain('Gemini');
    expect(list.text).toContain('Payback 2026/27, 4 years');
    const card = await ask(jo, 'programme show "Gemini"');
    expect(fact(card, 'Budget')).toBe('£5,100,000');
    expect(fact(card, 'Benefits')).toBe('£800,000 in 2024/25, then £2,670,000 a year from 2025/26');
    expect(fact(card, 'Payback')).toBe('2026/27, 4 years');
    expect(tableRows(card).at(-1)!.cells).toEqual(['2026/27 (year 4)', '£0', '£2,670,000', '£5,100,000', '£6,140,000']);
  });

  it('gives the committee digest its budget section: net variance with RAG, direction and the top drivers', async () => {
    const family = budgetFamily(bot.app.services);
    const sections = await family.digest!({ partnership, now: bot.app.services.clock(), since: undefined });
    expect(sections).toEqual([
      {
        key: 'budget',
        title: 'Budget 2023/24',
        summary: 'Forecast overspend £845k (Red) at P6 (Sep 2023), ▼ worse since P5',
        rag: 'Red',
        items: [
          { text: 'Income from projects (PROJINC): £1.56m income shortfall', rag: 'Red' },
          { text: 'ICT staffing (STAFF): £1.04m underspend', rag: 'Green' },
          { text: 'Income from schools (SCHINC): £330k income shortfall', rag: 'Red' },
        ],
      },
    ]);
  });
});

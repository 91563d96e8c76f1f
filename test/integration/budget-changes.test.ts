/**
 * Budget lines, actuals and officer forecasts, as finance officers enter them in a team channel.
 * Alex sets up the partnership (admin), Sam is an editor for every council, Priya an editor for CEC
 * only, Jo a committee member who views. The clock stands at 25 Nov 2026 (P8 of 2026/27 in
 * progress, October the last complete month). Every bad input gets a card naming the field and
 * its right form, and stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, TEST_NOW, type Reply, type TestBot } from '../support/bot-harness.js';
import { auditEntries, fact, lines, tableRows } from '../support/cards.js';
import { alex, channel, jo, mentions, priya, sam, type Person, type TeamsText } from '../support/teams.js';

interface Finance {
  readonly bot: TestBot;
  ask(who: Person, text: string | TeamsText): Promise<Reply>;
  say(who: Person, text: string | TeamsText): Promise<Reply>;
}

async function financeTeam(bot: TestBot, team: string): Promise<Finance> {
  const where = channel({
    teamId: `19:${team}@thread.tacv2`,
    channelId: `19:${team}-finance@thread.tacv2`,
    teamName: `Shared ICT Service (${team})`,
    channelName: 'Finance',
  });
  const setup = await bot.ask(where, alex, `setup partnership "Finance ${team}" councils=CEC:50,CWAC:50`);
  expect(setup.text).toContain('is set up');
  await bot.ask(where, alex, mentions`role grant ${sam} editor`);
  await bot.ask(where, alex, mentions`role grant ${priya} editor council=CEC`);
  return { bot, ask: (who, text) => bot.ask(where, who, text), say: (who, text) => bot.say(where, who, text) };
}

/** What a problem card lists: every problem, one a line, before the usage. */
const problemsOf = (reply: Reply) => lines(reply).filter((l) => l.startsWith('• ') || /is not|must|missing/.test(l));

let bot: TestBot;
beforeAll(async () => {
  // A second a request, as a real clock moves: the audit lists changes newest first.
  let tick = 0;
  bot = await startTestBot({ now: () => new Date(TEST_NOW.getTime() + 1000 * tick++) });
});
afterAll(() => bot.close());

describe('budget add', () => {
  let f: Finance;
  beforeAll(async () => {
    f = await financeTeam(bot, 'budget-add');
  });

  it('adds a shared line for the current year and confirms it', async () => {
    const reply = await f.ask(sam, 'budget add STAFF "ICT staffing" category=staffing budget=£16.8m');
    expect(lines(reply)[0]).toBe('Budget line added: ICT staffing (STAFF)');
    expect(fact(reply, 'Year')).toBe('2026/27');
    expect(fact(reply, 'Budget')).toBe('£16,800,000');
    expect(fact(reply, 'Council')).toBe('shared');
    // The audit names the council as the cards do.
    expect(auditEntries(await f.ask(alex, 'audit'))[0]!.fields).toMatchObject({ council: 'shared' });
  });

  it("adds a council's own income line, the budget typed as the income expected", async () => {
    const reply = await f.ask(sam, 'budget add SCHINC Income from schools category=income budget=1450000 council=cec');
    expect(lines(reply)[0]).toBe('Budget line added: Income from schools (SCHINC)');
    expect(fact(reply, 'Council')).toBe('CEC');
  });

  it('names every field at fault with its right form, and adds nothing', async () => {
    const reply = await f.ask(sam, 'budget add ST@FF "X" category=travel budget=£1.2.3m council=WAC year=2026/28');
    const text = reply.text;
    expect(text).toContain(
      'the line code ST@FF is not a budget line code: 1 to 10 letters or digits starting with a letter',
    );
    expect(text).toContain('the line name needs 2 to 80 characters');
    expect(text).toContain('category=travel is not a category: use staffing, contracts, other or income');
    expect(text).toContain('budget=£1.2.3m is not an amount of money: write it like £845k, £1.2m, £1,040,616');
    expect(text).toContain('council=WAC is not a council of Finance budget-add: use CEC, CWAC or shared');
    expect(text).toContain('year=2026/28 is not a financial year: write it as YYYY/YY');
    expect(problemsOf(reply).length).toBeGreaterThanOrEqual(6);
    expect((await f.ask(jo, 'budget lines')).text).not.toContain('ST@FF');
  });

  it('refuses a negative budget and a code the year has already, but takes the code in another year', async () => {
    expect((await f.ask(sam, 'budget add NET "Network" category=contracts budget=-£50k')).text).toContain(
      'budget= must not be negative',
    );
    const again = await f.ask(sam, 'budget add STAFF "Staff again" category=staffing budget=£1m');
    expect(again.text).toContain('STAFF is a line of 2026/27 already (ICT staffing)');
    const nextYear = await f.ask(sam, 'budget add STAFF "ICT staffing" category=staffing budget=£17m year=2027/28');
    expect(lines(nextYear)[0]).toBe('Budget line added: ICT staffing (STAFF)');
  });

  it("lets a council's editor add that council's lines only, and a viewer none", async () => {
    expect(
      lines(await f.ask(priya, 'budget add CECNET "CEC network" category=contracts budget=£1m council=CEC'))[0],
    ).toBe('Budget line added: CEC network (CECNET)');
    expect((await f.ask(priya, 'budget add SHNET "Shared network" category=contracts budget=£1m')).text).toContain(
      'You need the editor role',
    );
    expect((await f.ask(jo, 'budget add JO "Jo line" category=other budget=£1k')).text).toContain(
      'You need the editor role',
    );
  });
});

describe('budget actual', () => {
  let f: Finance;
  beforeAll(async () => {
    f = await financeTeam(bot, 'budget-actual');
    await f.ask(sam, 'budget add SUPPLY "Supplies and services" category=other budget=£900k');
    await f.ask(sam, 'budget add LICS "Software licences" category=contracts budget=£7.4m');
    await f.ask(sam, 'budget add PROJINC "Income from projects" category=income budget=£6.5m');
  });

  it('records a month, and says what it replaced when the month is entered again', async () => {
    const first = await f.ask(sam, 'budget actual SUPPLY P1 £75,000');
    expect(lines(first)[0]).toBe('Supplies and services (SUPPLY): £75,000 for P1 (Apr 2026) recorded');
    expect(first.text).toContain('Recorded for 2026/27.');
    const again = await f.ask(sam, 'budget actual SUPPLY P1 £70,000');
    expect(again.text).toContain('Replaced £75,000 entered before; the old figure stays in the audit.');
    const audit = auditEntries(await f.ask(alex, 'audit'));
    expect(audit[0]).toMatchObject({ who: 'Sam Jones', command: 'budget actual SUPPLY P1 £70,000' });
    expect(audit[0]!.change).toBe('budget SUPPLY P1 2026/27 changed');
    expect(audit[0]!.fields).toEqual({ 'SUPPLY P1': '£75,000 → £70,000' });
  });

  it('forecasts the months left at the run rate of the months to date', async () => {
    for (const p of ['P2', 'P3', 'P4', 'P5', 'P6', 'P7']) await f.ask(sam, `budget actual SUPPLY ${p} £70k`);
    const line = await f.ask(jo, 'budget line SUPPLY');
    expect(fact(line, 'Actual to date')).toBe('£490,000 at P7 (Oct 2026)');
    expect(fact(line, 'Forecast outturn')).toBe('£840,000 (Run rate: £490k in 7 months, £70k a month)');
    expect(fact(line, 'Variance')).toBe('£60,000 underspend');
  });

  it('waits for the month in progress to end before counting it, and refuses months to come', async () => {
    const now = await f.ask(sam, 'budget actual SUPPLY P8 £70k');
    expect(now.text).toContain('Nov 2026 counts in the forecast once the month has ended.');
    expect(fact(await f.ask(jo, 'budget line SUPPLY'), 'Actual to date')).toBe('£490,000 at P7 (Oct 2026)');
    const later = await f.ask(sam, 'budget actual SUPPLY P9 £70k');
    expect(later.text).toContain(
      'P9 of 2026/27 is Dec 2026, which has not started yet: the latest month you can enter is Nov 2026',
    );
  });

  it('refuses P13, P0, a bad amount and an unknown code, and records nothing', async () => {
    expect((await f.ask(sam, 'budget actual LICS P13 £1k')).text).toContain(
      'P13 is not a month of the year: give P1 (April) to P12 (March), e.g. P7 for October',
    );
    expect((await f.ask(sam, 'budget actual LICS P0 £1k')).text).toContain('P0 is not a month of the year');
    expect((await f.ask(sam, 'budget actual LICS P7 £1.2.3m')).text).toContain(
      '"£1.2.3m" is not an amount of money: write it like £845k',
    );
    const unknown = await f.ask(sam, 'budget actual LICZ P7 £1k');
    expect(unknown.text).toContain('There is no budget line "LICZ" in the 2026/27 budget of Finance budget-actual.');
    expect(unknown.text).toContain('LICS');
    expect(fact(await f.ask(jo, 'budget line LICS'), 'Actual to date')).toBe('£0 at P7 (Oct 2026)');
  });

  it('points to the year of a line that this year does not have', async () => {
    await f.ask(sam, 'budget add OLDLIC "Old licences" category=contracts budget=£1m year=2025/26');
    const reply = await f.ask(sam, 'budget actual OLDLIC P7 £1k');
    expect(reply.text).toContain(
      'There is no budget line OLDLIC in 2026/27: Old licences (OLDLIC) is a line of 2025/26.',
    );
    expect(reply.text).toContain('Add year=2025/26 to use it');
    const then = await f.ask(sam, 'budget actual OLDLIC P7 £1k year=2025/26');
    expect(lines(then)[0]).toBe('Old licences (OLDLIC): £1,000 for P7 (Oct 2025) recorded');
  });

  it('reads refunds in brackets as negative', async () => {
    await f.ask(sam, 'budget actual LICS P2 £500k');
    const refund = await f.ask(sam, 'budget actual LICS P3 (£12,500)');
    expect(lines(refund)[0]).toBe('Software licences (LICS): -£12,500 for P3 (Jun 2026) recorded');
  });

  it('records a pasted block of rows, tab, comma or space separated, all at once', async () => {
    const reply = await f.ask(
      sam,
      'budget actual\nPROJINC P1 £400,000\nPROJINC,P2,£1,040,616\nPROJINC\tP3\t395000\nLICS P4 (£1,000)',
    );
    expect(lines(reply)[0]).toBe('4 actuals recorded for 2026/27');
    expect(fact(reply, 'PROJINC P2 (May 2026)')).toBe('£1,040,616');
    expect(fact(reply, 'LICS P4 (Jul 2026)')).toBe('-£1,000');
  });

  it('records none of a block when any row is at fault, listing each row at fault', async () => {
    const reply = await f.ask(
      sam,
      'budget actual\ncode\tperiod\tamount\nLICS\tP5\t£1k\nLICS\tP13\t£1k\nSUPPLY P5\nLICS P5 £2k',
    );
    expect(reply.text).toContain('row 2 (LICS\tP13\t£1k): P13 is not a month of the year');
    expect(reply.text).toContain(
      'row 3 (SUPPLY P5): give a line code, a month and an amount, e.g. STAFF P7 £1,315,000',
    );
    expect(reply.text).toContain('row 4 (LICS P5 £2k): LICS P5 is given twice, in rows 1 and 4');
    const unknown = await f.ask(sam, 'budget actual\nLICS P5 £1k\nNOPE P5 £1k');
    expect(unknown.text).toContain('Nothing was recorded: 1 of 2 rows name a line that 2026/27 does not have.');
    expect(unknown.text).toContain('row 2 (NOPE P5 £1k): there is no budget line NOPE in 2026/27');
    const months = tableRows(await f.ask(jo, 'budget line LICS')).map((r) => r.cells[0]);
    expect(months).not.toContain('P5 (Aug 2026)');
  });

  it('reads a block as Teams sends it, in paragraphs, over the wire', async () => {
    const reply = await f.say(sam, {
      text: '<p><at>Governance Bot</at> budget actual</p><p>SUPPLY P5 £71,000</p><p>LICS P5 £250,000</p>',
      entities: [],
    });
    expect(lines(reply)[0]).toBe('2 actuals recorded for 2026/27');
    expect(fact(reply, 'SUPPLY P5 (Aug 2026)')).toBe('£71,000 (was £70,000)');
  });

  it("needs an editor for the line's council", async () => {
    expect((await f.ask(priya, 'budget actual SUPPLY P1 £1k')).text).toContain(
      'for every council, as shared lines belong to all of them',
    );
    expect((await f.ask(jo, 'budget actual SUPPLY P1 £1k')).text).toContain('You need the editor role');
  });
});

describe('officer forecasts', () => {
  let f: Finance;
  beforeAll(async () => {
    f = await financeTeam(bot, 'budget-forecast');
    await f.ask(sam, 'budget add LICS "Software licences" category=contracts budget=£7.4m');
    await f.ask(sam, 'budget add SCHINC "Income from schools" category=income budget=£1.45m');
    await f.ask(sam, 'budget actual LICS P1 £600k');
  });

  it('counts the latest officer forecast instead of the run rate, keeping the history', async () => {
    const set = await f.ask(sam, 'budget forecast set LICS £7,612,000 "Renewals priced up with inflation"');
    expect(lines(set)[0]).toBe('Forecast for Software licences (LICS): £7,612,000');
    expect(fact(set, 'Variance')).toBe('£212,000 overspend — Red');
    const again = await f.ask(alex, 'budget forecast set LICS £7.5m "Two renewals agreed below the uplift"');
    expect(again.text).toContain('Replaces £7,612,000 forecast by Sam Jones (Renewals priced up with inflation)');
    const line = await f.ask(jo, 'budget line LICS');
    expect(fact(line, 'Forecast outturn')).toBe('£7,500,000 (Officer forecast: Two renewals agreed below the uplift)');
    expect(line.text).toContain('Renewals priced up with inflation');
  });

  it('writes nothing when the same forecast is set again for the same reason, and says so', async () => {
    const before = auditEntries(await f.ask(alex, 'audit'));
    const same = await f.ask(sam, 'budget forecast set LICS £7,500,000 "Two renewals agreed below the uplift"');
    expect(lines(same)[0]).toBe('Forecast for Software licences (LICS) unchanged');
    expect(same.text).toContain('Nothing was changed: it is forecast at £7,500,000 already, for that reason.');
    expect(auditEntries(await f.ask(alex, 'audit'))).toEqual(before);
  });

  it('reads an income forecast short of budget as an income shortfall', async () => {
    const set = await f.ask(sam, 'budget forecast set SCHINC £1.12m "Fewer schools buying the service"');
    expect(fact(set, 'Variance')).toBe('£330,000 income shortfall — Red');
  });

  it('clears a forecast back to the run rate, and says when there is none to clear', async () => {
    const cleared = await f.ask(sam, 'budget forecast clear LICS');
    expect(cleared.text).toContain('It is forecast by its run rate again: £7,200,000.');
    expect((await f.ask(sam, 'budget forecast clear LICS')).text).toContain(
      'Software licences (LICS) has no officer forecast',
    );
    expect((await f.ask(jo, 'budget line LICS')).text).toContain('cleared');
  });

  it('needs a reason and a positive amount', async () => {
    expect((await f.ask(sam, 'budget forecast set LICS £7m')).text).toContain('the reason is missing');
    expect((await f.ask(sam, 'budget forecast set LICS -£7m "why"')).text).toContain(
      'the forecast must not be negative',
    );
  });
});

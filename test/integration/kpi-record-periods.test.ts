/**
 * An officer's figure never lands on another period, nor a fraction copied from Excel on a %
 * KPI, without the officer saying so. The clock stands at 25 Nov 2026: the last complete month is
 * Oct 2026. The partnership, its people and the clock: test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, fact, lines } from '../support/cards.js';
import { added, cheshirePartnership, recorded, storedReadings, type Performance } from '../support/kpi-fixtures.js';
import { sam } from '../support/teams.js';

describe('a period typed where the commentary goes', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-periods');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await added(
      p,
      sam,
      'kpi add "Customer satisfaction" code=CSAT target=4.5 unit=score polarity=higher frequency=quarterly',
    );
  });
  afterAll(() => p.close());

  it.each([
    ['kpi record FTF 70 2026-09', '2026-09 70', 'Sep 2026'],
    ['kpi record FTF 71 September', '2026-09 71', 'Sep 2026'],
    ['kpi record FTF 72 Aug 2026', '2026-08 72', 'Aug 2026'],
    ['kpi record FTF 77 period = 2026-05', '2026-05 77', 'May 2026'],
    ['kpi record FTF 76 period=June', '2026-06 76', 'Jun 2026'],
  ])('reads "%s" as a reading for the period typed, not for last month', async (typed, stored, month) => {
    const reply = await recorded(p, sam, typed);
    expect(lines(reply)[0]).toContain(` for ${month} is `);
    expect(fact(reply, 'Commentary')).toBeUndefined();
    expect(await storedReadings(p, 'FTF')).toContain(stored);
    expect(await storedReadings(p, 'FTF')).not.toContain(`2026-10 ${stored.split(' ')[1]}`);
  });

  it('says the words were read as the period', async () => {
    const reply = await recorded(p, sam, 'kpi record FTF 74 2026-07');
    expect(reply.text).toContain('"2026-07" was read as the period.');
  });

  it('reads a quarter typed after the value of a quarterly KPI', async () => {
    const reply = await recorded(p, sam, 'kpi record CSAT 4.2 2026/27 Q1');
    expect(lines(reply)[0]).toBe('Customer satisfaction: 4.2 for Q1 2026/27 is Red');
  });

  it('refuses a period followed by commentary, and gives the command it means', async () => {
    const before = await storedReadings(p, 'FTF');
    const reply = await p.say(sam, 'kpi record FTF 69 2026-04 after the portal change');

    expect(reply.text).toContain(
      '"2026-04" reads as a period. Did you mean period=2026-04? Type: kpi record FTF 69 period=2026-04 "after the portal change"',
    );
    expect(reply.text).toContain('Nothing was changed.');
    expect(await storedReadings(p, 'FTF')).toEqual(before);
  });

  it('refuses a period in the commentary that differs from period=', async () => {
    const reply = await p.say(sam, 'kpi record FTF 69 period=2026-04 2026-03');
    expect(reply.text).toContain('"2026-03" reads as a period, and period=2026-04 is given too');
  });

  it('suggests quotes for period=Oct 2026 typed without them, and stores nothing', async () => {
    const before = await storedReadings(p, 'FTF');
    const reply = await p.say(sam, 'kpi record FTF 73 period=Oct 2026');
    expect(reply.text).toContain(
      'period=Oct 2026 needs quotes, as it has a space: period="Oct 2026" (or period=2026-10)',
    );
    expect(await storedReadings(p, 'FTF')).toEqual(before);
    expect(lines(await recorded(p, sam, 'kpi record FTF 73 period="Oct 2026"'))[0]).toBe(
      'First time fix: 73% for Oct 2026 is Red',
    );
  });

  it('keeps commentary that starts with a month name, when more words follow it', async () => {
    const reply = await recorded(p, sam, 'kpi record FTF 75 period=2026-03 may be low after the move');
    expect(fact(reply, 'Commentary')).toBe('may be low after the move');
  });
});

describe('a fraction copied from Excel into a % KPI', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-fraction');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await recorded(p, sam, 'kpi record FTF 78 period=2026-09');
    await added(p, sam, 'kpi add "Unplanned downtime" code=UD target=0.5 unit=% polarity=lower');
  });
  afterAll(() => p.close());

  it('asks "0.725% or 72.5%?" with a button for each and the typed commands, and stores nothing yet', async () => {
    const reply = await p.say(sam, 'kpi record FTF 0.725 "after the portal change"');

    expect(lines(reply)[0]).toBe('FTF: 0.725% or 72.5%?');
    expect(reply.text).toContain('Nothing was recorded: which did you mean?');
    expect(reply.text).toContain(
      'Or type: kpi record FTF 72.5 period=2026-10 "after the portal change" — or kpi record FTF 0.725% period=2026-10 "after the portal change" to record 0.725%.',
    );
    expect(action(reply, '72.5%')).toMatchObject({
      verb: 'kpi.record',
      data: { code: 'FTF', value: '72.5', period: '2026-10', commentary: 'after the portal change' },
    });
    expect(action(reply, '0.725%')?.data).toMatchObject({ value: '0.725%' });
    expect(await storedReadings(p, 'FTF')).toEqual(['2026-09 78']);
  });

  it('records 72.5% when that button is pressed', async () => {
    const reply = await p.click(sam, 'kpi.record', {
      code: 'FTF',
      value: '72.5',
      period: '2026-10',
      commentary: 'after the portal change',
    });
    expect(lines(reply)[0]).toBe('First time fix: 72.5% for Oct 2026 is Red');
    expect(fact(reply, 'Commentary')).toBe('after the portal change');
    expect(await storedReadings(p, 'FTF')).toEqual(['2026-09 78', '2026-10 72.5']);
  });

  it('records 0.725% when it is typed with its % sign', async () => {
    const reply = await recorded(p, sam, 'kpi record FTF 0.725% period=2026-08');
    expect(lines(reply)[0]).toBe('First time fix: 0.73% for Aug 2026 is Red');
    expect(await storedReadings(p, 'FTF')).toContain('2026-08 0.725');
  });

  it('does not ask when the target is below 1', async () => {
    const reply = await recorded(p, sam, 'kpi record UD 0.4');
    expect(lines(reply)[0]).toBe('Unplanned downtime: 0.4% for Oct 2026 is Green');
  });

  it("refuses the button's data when it is not a reading it can use", async () => {
    const reply = await p.click(sam, 'kpi.record', { code: 'FTF', value: 'lots', period: '2026-07' });
    expect(reply.text).toContain('FTF (%): "lots" is not a number');
    expect(await storedReadings(p, 'FTF')).not.toContain('2026-07 lots');
  });

  it('records nothing from a button whose period it cannot read, rather than taking the last month', async () => {
    const before = await storedReadings(p, 'FTF');
    const reply = await p.click(sam, 'kpi.record', { code: 'FTF', value: '71', period: 'garbage' });
    expect(reply.text).toContain('period=garbage is not a period this card asked about');
    expect(await storedReadings(p, 'FTF')).toEqual(before);
  });
});

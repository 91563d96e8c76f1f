/**
 * `kpi record`: a reading for a period, by an editor or the KPI's owner.
 * The partnership, its people and the clock: test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, fact, kpiRow, lines, plain } from '../support/cards.js';
import { added, cheshirePartnership, readingRows, recorded, type Performance } from '../support/kpi-fixtures.js';
import { alex, jo, mentions, priya, sam } from '../support/teams.js';

const row = kpiRow;

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
    expect(replacement?.change).toBe('kpi MI 2026-09 changed');
    expect(replacement?.fields).toEqual({
      value: '3 → 1',
      commentary: 'two data centre outages and a DNS failure → —',
    });
    const first = audit.find((e) => e.command.startsWith('kpi record MI 3 period=2026-09'));
    expect(first?.change).toBe('kpi MI 2026-09 added');
    expect(first?.fields.value).toBe('3');
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
      change: 'kpi CSAT 2026/27 Q1 added',
      fields: { value: '4.4', commentary: 'survey of 400 callers', by: 'Sam Jones' },
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

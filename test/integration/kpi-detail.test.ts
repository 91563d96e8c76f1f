/**
 * `kpi <code or name>`: one KPI in detail.
 * The partnership, its people and the clock: test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allElements, fact, lines } from '../support/cards.js';
import { added, cheshirePartnership, readingRows, recorded, type Performance } from '../support/kpi-fixtures.js';
import { jo, mentions, sam } from '../support/teams.js';

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
    expect(fact(detail, 'Target 2026/27')).toBe('≥ 80% (higher is better)');
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

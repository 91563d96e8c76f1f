import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actualRows, cellsOf, MAX_ACTUAL_ROWS, thresholdArgs } from '../../src/commands/budget/fields.js';
import { financialYear as year, money } from '../../src/commands/kit/fields.js';
import { problemsOf } from '../../src/commands/router.js';
import { formatMoney, pence } from '../../src/domain/money.js';

/** 25 Nov 2026: P8 of 2026/27 is in progress. */
const NOW = new Date('2026-11-25T12:00:00Z');
const rows = (texts: string[]) => actualRows(2026, NOW).safeParse(texts);
const problems = (texts: string[]) => {
  const parsed = rows(texts);
  return parsed.success ? [] : problemsOf(parsed.error);
};

describe('the cells of a pasted row', () => {
  it('splits at tabs, at the first two commas, or at spaces', () => {
    expect(cellsOf('STAFF\tP7\t£1,315,000')).toEqual(['STAFF', 'P7', '£1,315,000']);
    expect(cellsOf('STAFF, P7, £1,315,000')).toEqual(['STAFF', 'P7', '£1,315,000']);
    expect(cellsOf('STAFF,P7,"£1,315,000"')).toEqual(['STAFF', 'P7', '£1,315,000']);
    expect(cellsOf('STAFF P7 (£50k)')).toEqual(['STAFF', 'P7', '(£50k)']);
  });

  it('keeps any amount whole, however it is written, when split at commas', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (p) => {
        const amount = formatMoney(pence(p));
        return cellsOf(`STAFF,P7,${amount}`)[2] === amount;
      }),
    );
  });
});

describe('actuals typed or pasted', () => {
  it('reads each row: the line, the month in the year and the amount, a refund negative', () => {
    const parsed = rows(['staff P7 £1,315,000', 'LICS\tP3\t(£12,500)']);
    expect(parsed.success && parsed.data.map((r) => [r.code, r.period.label, r.amount])).toEqual([
      ['STAFF', '2026-10', 131_500_000],
      ['LICS', '2026-06', -1_250_000],
    ]);
  });

  it('passes over a header row', () => {
    const parsed = rows(['Code\tPeriod\tAmount', 'STAFF\tP1\t£1']);
    expect(parsed.success && parsed.data).toHaveLength(1);
  });

  it('names a single row at fault without a row number', () => {
    expect(problems(['STAFF P13 £1'])).toEqual([
      'P13 is not a month of the year: give P1 (April) to P12 (March), e.g. P7 for October',
    ]);
  });

  it('names the P-number of a month typed by its name or as YYYY-MM, rather than saying it is no month', () => {
    expect(problems(['STAFF October £1'])).toEqual([
      'October is written P7 here: the months run from P1 (April) to P12 (March)',
    ]);
    expect(problems(['STAFF sept £1'])).toEqual([
      'sept is written P6 here: the months run from P1 (April) to P12 (March)',
    ]);
    expect(problems(['STAFF 2026-10 £1'])).toEqual([
      '2026-10 is written P7 here: the months run from P1 (April) to P12 (March)',
    ]);
    expect(problems(['STAFF 2025-10 £1'])).toEqual([
      '2025-10 is P7 of 2025/26, not of 2026/27: give P7 with year=2025/26',
    ]);
  });

  it('names every row at fault in a block, each with its number and text', () => {
    expect(problems(['STAFF P7 £1', 'ST@FF P0 £1.2.3m', 'NETDC P7', 'STAFF P7 £2'])).toEqual([
      'row 2 (ST@FF P0 £1.2.3m): ST@FF is not a budget line code: 1 to 10 letters or digits starting with a letter, e.g. STAFF; P0 is not a month of the year: give P1 (April) to P12 (March), e.g. P7 for October; "£1.2.3m" is not an amount of money: write it like £845k, £1.2m, £1,040,616 or 1040616',
      'row 3 (NETDC P7): give a line code, a month and an amount, e.g. STAFF P7 £1,315,000',
      'row 4 (STAFF P7 £2): STAFF P7 is given twice, in rows 1 and 4: give each month of a line once',
    ]);
  });

  it('refuses a month that has not started, and more rows than one batch holds', () => {
    expect(problems(['STAFF P9 £1'])[0]).toMatch(/^P9 of 2026\/27 is Dec 2026, which has not started yet/);
    expect(problems(['STAFF P8 £1'])).toEqual([]);
    const many = Array.from({ length: MAX_ACTUAL_ROWS + 1 }, (_, i) => `L${i} P1 £1`);
    expect(problems(many)).toEqual([`81 rows are more than I record at once: paste up to 80 rows a message`]);
    expect(problems([])).toEqual([
      'the actual is missing: give a line code, a month and an amount, e.g. STAFF P7 £1,315,000',
    ]);
  });
});

describe('money and years as typed', () => {
  it('names the option and the right form of an amount, refusing negatives unless allowed', () => {
    const budget = money('budget=', 'budget=£16.8m');
    expect(budget.parse('£1.2m')).toBe(120_000_000);
    expect(problemsOf(budget.safeParse('£1.2.3m').error!)).toEqual([
      'budget=£1.2.3m is not an amount of money: write it like £845k, £1.2m, £1,040,616 or 1040616',
    ]);
    expect(problemsOf(budget.safeParse('(£50k)').error!)[0]).toMatch(/^budget= must not be negative/);
    expect(money('the amount', '£1k', { negative: true }).parse('(£50k)')).toBe(-5_000_000);
  });

  it('reads a financial year of consecutive years only', () => {
    expect(year().parse('2026/27')).toBe(2026);
    expect(year().parse('FY2023-24')).toBe(2023);
    for (const bad of ['2026/28', '2026', '26/27', '2026/2028']) {
      expect(problemsOf(year().safeParse(bad).error!)).toEqual([
        `year=${bad} is not a financial year: write it as YYYY/YY, the second year following the first, e.g. year=2026/27`,
      ]);
    }
  });
});

describe('budget RAG thresholds as typed', () => {
  const parse = (args: Record<string, string>) => thresholdArgs().safeParse(args);

  it('reads Amber and Red, each a percentage, an amount or both', () => {
    const parsed = parse({ amber: '1%,£50k', red: '£100k' });
    expect(parsed.success && parsed.data).toEqual({
      amber: { basisPoints: 100, amount: 5_000_000 },
      red: { basisPoints: undefined, amount: 10_000_000 },
    });
  });

  it('refuses Amber above Red, and names each threshold at fault', () => {
    expect(problemsOf(parse({ amber: '£200k', red: '£100k' }).error!)).toEqual([
      'thresholds: Amber from £200,000 is above Red from £100,000: Amber must start at or below Red',
    ]);
    expect(problemsOf(parse({ amber: '1%,', red: '5%', more: '£50k' }).error!)).toEqual([
      'amber=1%, is not a threshold: give a percentage of budget, an amount, or both, e.g. amber=1%,£50k red=5%,£100k',
      '"£50k" is not part of a threshold: write each without spaces, e.g. amber=1%,£50k red=5%,£100k',
    ]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparePeriods,
  financialPeriod,
  financialYearLabel,
  lastCompletePeriod,
  nextPeriod,
  parseFinancialYear,
  parsePeriod,
  parsePeriodInYear,
  periodEnd,
  periodOf,
  periodsBack,
  periodStart,
  previousPeriod,
  samePeriodLastYear,
  shortLabel,
  type FinancialPeriod,
  type Frequency,
} from '../../src/domain/periods.js';

const month = (fyStart: number, index: number) => financialPeriod('monthly', fyStart, index);
const quarter = (fyStart: number, index: number) => financialPeriod('quarterly', fyStart, index);
const year = (fyStart: number) => financialPeriod('annual', fyStart, 1);
const labels = (periods: FinancialPeriod[]) => periods.map((p) => p.label);

describe('financial periods', () => {
  it('counts months from April: P1 is April, P7 is October, P12 is the next March', () => {
    expect(month(2026, 1).label).toBe('2026-04');
    expect(month(2026, 7).label).toBe('2026-10');
    expect(month(2026, 9).label).toBe('2026-12');
    expect(month(2026, 10).label).toBe('2027-01');
    expect(month(2026, 12).label).toBe('2027-03');
  });

  it('labels quarters and years by financial year', () => {
    expect(quarter(2026, 2)).toEqual({
      frequency: 'quarterly',
      fyStart: 2026,
      index: 2,
      label: '2026/27 Q2',
      sortKey: '2026Q2',
    });
    expect(year(2026)).toEqual({ frequency: 'annual', fyStart: 2026, index: 1, label: '2026/27', sortKey: '2026' });
    expect(month(2026, 7).sortKey).toBe('2026-10');
  });

  it('writes the financial year as 2026/27, including across a century', () => {
    expect(financialYearLabel(2026)).toBe('2026/27');
    expect(financialYearLabel(2009)).toBe('2009/10');
    expect(financialYearLabel(2099)).toBe('2099/00');
  });

  it('refuses impossible periods', () => {
    expect(() => month(2026, 13)).toThrow(RangeError);
    expect(() => quarter(2026, 5)).toThrow(RangeError);
    expect(() => year(2026.5)).toThrow(RangeError);
    expect(() => financialPeriod('annual', 2026, 2)).toThrow(RangeError);
  });
});

describe('reading a period', () => {
  it.each([
    ['2026-10', '2026-10'],
    ['2027-03', '2027-03'],
    ['Oct 2026', '2026-10'],
    ['October 2026', '2026-10'],
    ['oct 2026', '2026-10'],
    ['Sept 2026', '2026-09'],
    ['Jan 2027', '2027-01'],
    ['P7 2026/27', '2026-10'],
    ['2026/27 P12', '2027-03'],
    ['2026/27 Q2', '2026/27 Q2'],
    ['2026/27 q2', '2026/27 Q2'],
    ['Q2 2026/27', '2026/27 Q2'],
    ['  Q4   2026-27 ', '2026/27 Q4'],
    ['2026/27', '2026/27'],
    ['2026-27', '2026/27'],
    ['2026/2027', '2026/27'],
    ['FY2026/27', '2026/27'],
    ['fy 2026/27', '2026/27'],
    ['Q3 FY 2026/27', '2026/27 Q3'],
    ['2099/00', '2099/00'],
  ])('reads %s as %s', (text, label) => {
    expect(parsePeriod(text)?.label).toBe(label);
  });

  it('reads a calendar month in January to March as P10 to P12 of the year before', () => {
    expect(parsePeriod('2027-02')).toMatchObject({ frequency: 'monthly', fyStart: 2026, index: 11 });
  });

  it.each([
    ['a one-digit month', '2026-1'],
    ['month 13', '2026-13'],
    ['month 00', '2026-00'],
    ['a year that does not follow', '2026/28'],
    ['a long year that does not follow', '2026/2028'],
    ['quarter 5', '2026/27 Q5'],
    ['quarter 0', 'Q0 2026/27'],
    ['period 13', 'P13 2026/27'],
    ['an unknown month name', 'Octember 2026'],
    ['a bare calendar year', '2026'],
    ['a quarter with no year', 'Q2'],
    ['two quarters', 'Q2 Q3'],
    ['an empty string', ''],
    ['words', 'last month'],
  ])('refuses %s', (_, text) => {
    expect(parsePeriod(text)).toBeUndefined();
  });
});

describe('reading a financial year', () => {
  it.each([
    ['2026/27', 2026],
    ['2023/24', 2023],
    [' 2026-27 ', 2026],
    ['2026/2027', 2026],
    ['FY2026/27', 2026],
    ['2099/00', 2099],
  ])('reads %s as the year starting in April %s', (text, fyStart) => {
    expect(parseFinancialYear(text)).toBe(fyStart);
  });

  it.each([
    ['years that are not consecutive', '2026/28'],
    ['a year going backwards', '2026/25'],
    ['a long year that does not follow', '2026/2028'],
    ['a bare calendar year', '2026'],
    ['a month', '2026-10'],
    ['a period with its year', 'P7 2026/27'],
    ['a year before 1000', '0999/00'],
    ['words', 'this year'],
  ])('refuses %s', (_, text) => {
    expect(parseFinancialYear(text)).toBeUndefined();
  });
});

describe('reading a budget period within a year', () => {
  it.each([
    ['P7', '2026-10'],
    ['p7', '2026-10'],
    ['P07', '2026-10'],
    [' P1 ', '2026-04'],
    ['P12', '2027-03'],
  ])('reads %s in 2026/27 as %s', (text, label) => {
    expect(parsePeriodInYear(text, 2026)).toEqual(parsePeriod(label));
  });

  it.each([
    ['period 0', 'P0'],
    ['period 13', 'P13'],
    ['three digits', 'P007'],
    ['a number alone', '7'],
    ['a quarter', 'Q2'],
    ['a period with its year', 'P7 2026/27'],
    ['an empty string', ''],
  ])('refuses %s', (_, text) => {
    expect(parsePeriodInYear(text, 2026)).toBeUndefined();
  });

  it('throws for a year that cannot be, which is a programming mistake', () => {
    expect(() => parsePeriodInYear('P7', 2026.5)).toThrow(RangeError);
    expect(() => parsePeriodInYear('P13', 99)).toThrow(RangeError);
  });

  it('reads P1 to P12 of any year as the months April to March', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9998 }), fc.integer({ min: 1, max: 12 }), (fyStart, index) => {
        const expected = financialPeriod('monthly', fyStart, index);
        expect(parsePeriodInYear(`P${index}`, fyStart)).toEqual(expected);
        expect(parsePeriodInYear(`p${String(index).padStart(2, '0')}`, fyStart)).toEqual(expected);
        expect(parseFinancialYear(financialYearLabel(fyStart))).toBe(fyStart);
      }),
    );
  });
});

describe('the period containing an instant, in London time', () => {
  it('puts 23:30 UTC on 31 March (00:30 BST on 1 April) in the new financial year', () => {
    // The clocks went forward on 29 March 2026, so London is an hour ahead.
    const instant = new Date('2027-03-31T23:30:00Z');
    expect(periodOf('monthly', instant).label).toBe('2027-04');
    expect(periodOf('quarterly', instant).label).toBe('2027/28 Q1');
    expect(periodOf('annual', instant).label).toBe('2027/28');
  });

  it('keeps 22:59 UTC on 31 March in the old financial year', () => {
    const instant = new Date('2027-03-31T22:59:59Z');
    expect(periodOf('monthly', instant).label).toBe('2027-03');
    expect(periodOf('annual', instant).label).toBe('2026/27');
  });

  it('uses GMT in winter: 23:30 UTC on 31 December is still December', () => {
    expect(periodOf('monthly', new Date('2026-12-31T23:30:00Z')).label).toBe('2026-12');
    expect(periodOf('quarterly', new Date('2026-12-31T23:30:00Z')).label).toBe('2026/27 Q3');
    expect(periodOf('quarterly', new Date('2027-01-01T00:00:00Z')).label).toBe('2026/27 Q4');
  });

  it('refuses an invalid date', () => {
    expect(() => periodOf('monthly', new Date('not a date'))).toThrow(RangeError);
  });

  it('takes the last complete period to be the one before now', () => {
    const now = new Date('2026-10-15T09:00:00Z');
    expect(lastCompletePeriod('monthly', now).label).toBe('2026-09');
    expect(lastCompletePeriod('quarterly', now).label).toBe('2026/27 Q2');
    expect(lastCompletePeriod('annual', now).label).toBe('2025/26');
    expect(lastCompletePeriod('monthly', new Date('2026-04-01T00:30:00+01:00')).label).toBe('2026-03');
  });
});

describe('moving between periods', () => {
  it('steps across the year end', () => {
    expect(nextPeriod(month(2026, 12)).label).toBe('2027-04');
    expect(previousPeriod(month(2026, 1)).label).toBe('2026-03');
    expect(nextPeriod(quarter(2026, 4)).label).toBe('2027/28 Q1');
    expect(previousPeriod(quarter(2026, 1)).label).toBe('2025/26 Q4');
    expect(nextPeriod(year(2026)).label).toBe('2027/28');
    expect(nextPeriod(month(2026, 9)).label).toBe('2027-01');
  });

  it('finds the same period last year', () => {
    expect(samePeriodLastYear(month(2026, 7)).label).toBe('2025-10');
    expect(samePeriodLastYear(quarter(2026, 2)).label).toBe('2025/26 Q2');
    expect(samePeriodLastYear(year(2026)).label).toBe('2025/26');
  });

  it('lists the periods ending with one, oldest first', () => {
    expect(labels(periodsBack(month(2026, 2), 4))).toEqual(['2026-02', '2026-03', '2026-04', '2026-05']);
    expect(labels(periodsBack(quarter(2026, 1), 2))).toEqual(['2025/26 Q4', '2026/27 Q1']);
    expect(periodsBack(year(2026), 0)).toEqual([]);
    expect(() => periodsBack(year(2026), -1)).toThrow(RangeError);
  });

  it('orders periods of different lengths by start date, shorter first', () => {
    expect(comparePeriods(month(2026, 1), quarter(2026, 1))).toBe(-1);
    expect(comparePeriods(quarter(2026, 1), year(2026))).toBe(-1);
    expect(comparePeriods(year(2026), month(2026, 2))).toBe(-1);
    expect(comparePeriods(month(2026, 12), year(2027))).toBe(-1);
    expect(comparePeriods(quarter(2026, 2), quarter(2026, 2))).toBe(0);
  });
});

describe('period labels and dates for people', () => {
  it.each([
    [month(2026, 7), 'Oct 2026', '2026-10-01', '2026-10-31'],
    [month(2027, 11), 'Feb 2028', '2028-02-01', '2028-02-29'],
    [month(2026, 11), 'Feb 2027', '2027-02-01', '2027-02-28'],
    [quarter(2026, 2), 'Q2 2026/27', '2026-07-01', '2026-09-30'],
    [quarter(2026, 4), 'Q4 2026/27', '2027-01-01', '2027-03-31'],
    [year(2026), '2026/27', '2026-04-01', '2027-03-31'],
  ])('shows %# as %s, from %s to %s', (p, short, start, end) => {
    expect(shortLabel(p)).toBe(short);
    expect(periodStart(p)).toBe(start);
    expect(periodEnd(p)).toBe(end);
  });

  it('reads back the short label', () => {
    expect(parsePeriod(shortLabel(quarter(2026, 2)))).toEqual(quarter(2026, 2));
    expect(parsePeriod(shortLabel(month(2026, 7)))).toEqual(month(2026, 7));
  });
});

describe('period properties', () => {
  const frequency = fc.constantFrom<Frequency>('monthly', 'quarterly', 'annual');
  const periodOfFrequency = (f: Frequency) =>
    fc
      .record({
        fyStart: fc.integer({ min: 1901, max: 2199 }),
        index: fc.integer({ min: 1, max: f === 'monthly' ? 12 : f === 'quarterly' ? 4 : 1 }),
      })
      .map(({ fyStart, index }) => financialPeriod(f, fyStart, index));
  const anyPeriod = frequency.chain(periodOfFrequency);

  it('next(previous(p)) is p, and previous(next(p)) is p', () => {
    fc.assert(
      fc.property(anyPeriod, (p) => {
        expect(nextPeriod(previousPeriod(p))).toEqual(p);
        expect(previousPeriod(nextPeriod(p))).toEqual(p);
      }),
    );
  });

  it('reads back every label and short label', () => {
    fc.assert(
      fc.property(anyPeriod, (p) => {
        expect(parsePeriod(p.label)).toEqual(p);
        expect(parsePeriod(shortLabel(p))).toEqual(p);
      }),
    );
  });

  it('sorts by sortKey in the same order as comparePeriods', () => {
    const pairOfSameFrequency = frequency.chain((f) => fc.tuple(periodOfFrequency(f), periodOfFrequency(f)));
    fc.assert(
      fc.property(pairOfSameFrequency, ([a, b]) => {
        const byKey = a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
        expect(byKey).toBe(comparePeriods(a, b));
      }),
    );
  });

  it('each period starts the day after the previous one ends', () => {
    fc.assert(
      fc.property(anyPeriod, (p) => {
        const dayAfterEnd = new Date(`${periodEnd(previousPeriod(p))}T00:00:00Z`);
        dayAfterEnd.setUTCDate(dayAfterEnd.getUTCDate() + 1);
        expect(dayAfterEnd.toISOString().slice(0, 10)).toBe(periodStart(p));
      }),
    );
  });

  it('places every instant in a period whose dates contain its London date', () => {
    const instant = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    });
    const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
    fc.assert(
      fc.property(frequency, instant, (f, date) => {
        const p = periodOf(f, date);
        const day = londonDate.format(date);
        expect(periodStart(p) <= day && day <= periodEnd(p)).toBe(true);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_PROGRAMME } from '../../src/domain/budget-demo.js';
import { parseMoney, pence, type Pence } from '../../src/domain/money.js';
import {
  formatYearAmounts,
  parseYearAmounts,
  paybackOf,
  programmeProblem,
  remainingBudget,
  type Programme,
} from '../../src/domain/programme.js';

const money = (text: string): Pence => {
  const amount = parseMoney(text);
  if (amount === undefined) throw new Error(`bad amount in test: ${text}`);
  return amount;
};

function programme(overrides: Partial<Programme> = {}): Programme {
  return {
    name: 'Hybrid ICT programme',
    totalBudget: money('£5.1m'),
    spendToDate: money('£0'),
    startYear: 2023,
    benefits: [],
    costPhasing: undefined,
    ...overrides,
  };
}

describe('benefits by year', () => {
  it('reads the benefits as officers list them', () => {
    expect(parseYearAmounts('2024/25:£0.8m,2025/26:£2.67m')).toEqual([
      { fyStart: 2024, amount: money('£800k') },
      { fyStart: 2025, amount: money('£2.67m') },
    ]);
  });

  it('reads amounts with commas, other separators and years in any order', () => {
    expect(parseYearAmounts('2025-26 = £2,670,000; 2024/25: £800,000')).toEqual([
      { fyStart: 2024, amount: money('£800k') },
      { fyStart: 2025, amount: money('£2.67m') },
    ]);
    expect(parseYearAmounts('FY2024/25:800000 2025/2026:£1,000')).toEqual([
      { fyStart: 2024, amount: money('£800k') },
      { fyStart: 2025, amount: money('£1,000') },
    ]);
  });

  it.each([
    ['nothing', ''],
    ['years that do not follow', '2024/26:£1m'],
    ['a year given twice', '2024/25:£1m,2024/25:£2m'],
    ['a negative amount', '2024/25:-£1m'],
    ['a bad amount', '2024/25:£1.2.3m'],
    ['an amount with no year', '£2.67m'],
    ['a year with no amount', '2024/25'],
    ['a calendar year', '2024:£1m'],
  ])('refuses %s', (_, text) => {
    expect(parseYearAmounts(text)).toBeUndefined();
  });

  it('reads back what it writes, exactly', () => {
    const entry = fc.record({
      fyStart: fc.integer({ min: 1000, max: 9998 }),
      amount: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map(pence),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.fyStart, minLength: 1, maxLength: 10 }), (entries) => {
        const sorted = [...entries].sort((a, b) => a.fyStart - b.fyStart);
        expect(parseYearAmounts(formatYearAmounts(entries))).toEqual(sorted);
      }),
    );
  });
});

describe('programme payback', () => {
  it('pays back the £5.1m programme in 4 years counting its first year 2023/24 as year 1: £0.8m in 2024/25, then £2.67m a year, reach £5.1m in 2026/27', () => {
    const payback = paybackOf(DEMO_PROGRAMME);
    expect(payback.years).toBe(4);
    expect(payback.fyStart).toBe(2026);
    expect(payback.schedule.map((y) => [y.year, y.benefit, y.cumulativeBenefit, y.cumulativeCost])).toEqual([
      ['2023/24', 0, 0, money('£5.1m')],
      ['2024/25', money('£0.8m'), money('£0.8m'), money('£5.1m')],
      ['2025/26', money('£2.67m'), money('£3.47m'), money('£5.1m')],
      ['2026/27', money('£2.67m'), money('£6.14m'), money('£5.1m')],
    ]);
  });

  it('pays back in the year benefits exactly reach the cost', () => {
    const exact = programme({
      totalBudget: money('£3m'),
      benefits: parseYearAmounts('2023/24:£1m,2024/25:£2m')!,
    });
    expect(paybackOf(exact)).toMatchObject({ fyStart: 2024, years: 2 });
  });

  it('counts only the years given when benefits do not recur', () => {
    const listed = programme({ benefits: parseYearAmounts('2024/25:£0.8m,2025/26:£2.67m')! });
    const payback = paybackOf(listed, { benefitsRecur: false });
    expect(payback).toMatchObject({ fyStart: undefined, years: undefined });
    expect(payback.schedule.map((y) => y.year)).toEqual(['2023/24', '2024/25', '2025/26']);
  });

  it('does not pay back within the horizon when benefits are too small', () => {
    const slow = programme({ benefits: parseYearAmounts('2024/25:£100k')! });
    const payback = paybackOf(slow, { horizonYears: 10 });
    expect(payback.years).toBeUndefined();
    expect(payback.schedule).toHaveLength(10);
    expect(payback.schedule.at(-1)?.cumulativeBenefit).toBe(money('£900k'));
  });

  it('pays back in year 1 a programme that costs nothing', () => {
    expect(paybackOf(programme({ totalBudget: money('£0') }))).toMatchObject({ fyStart: 2023, years: 1 });
  });

  it('follows the cost as phased', () => {
    const phased = programme({
      costPhasing: parseYearAmounts('2023/24:£2.5m,2024/25:£2.6m')!,
      benefits: parseYearAmounts('2024/25:£0.8m,2025/26:£2.67m')!,
    });
    const payback = paybackOf(phased);
    expect(payback.schedule.map((y) => y.cumulativeCost)).toEqual([
      money('£2.5m'),
      money('£5.1m'),
      money('£5.1m'),
      money('£5.1m'),
    ]);
    expect(payback.years).toBe(4);
  });

  it('has not paid back while cost is still to come, even if benefits are ahead of the cost so far', () => {
    const ahead = programme({
      totalBudget: money('£5m'),
      costPhasing: parseYearAmounts('2023/24:£1m,2025/26:£4m')!,
      benefits: parseYearAmounts('2023/24:£2m')!,
    });
    const payback = paybackOf(ahead);
    expect(payback.schedule[0]).toMatchObject({ cumulativeBenefit: money('£2m'), cumulativeCost: money('£1m') });
    expect(payback).toMatchObject({ fyStart: 2025, years: 3 });
  });

  it('explains figures it cannot pay back from', () => {
    expect(programmeProblem(DEMO_PROGRAMME)).toBeUndefined();
    expect(programmeProblem(programme({ costPhasing: parseYearAmounts('2023/24:£2.5m,2024/25:£2m')! }))).toBe(
      'the cost phasing adds up to £4,500,000, not the programme budget of £5,100,000',
    );
    expect(programmeProblem(programme({ benefits: parseYearAmounts('2022/23:£1m')! }))).toBe(
      'benefits are given for 2022/23, before the programme starts in 2023/24',
    );
    expect(programmeProblem(programme({ costPhasing: parseYearAmounts('2022/23:£5.1m')! }))).toBe(
      'cost is phased into 2022/23, before the programme starts in 2023/24',
    );
    expect(programmeProblem(programme({ totalBudget: money('-£1') }))).toBe(
      'the programme budget must not be negative',
    );
    expect(() => paybackOf(programme({ benefits: parseYearAmounts('2022/23:£1m')! }))).toThrow(RangeError);
    expect(() => paybackOf(programme(), { horizonYears: 0 })).toThrow(RangeError);
  });

  it('never pays back before all the cost is covered, and always once it is', () => {
    const amount = fc.integer({ min: 0, max: 1e10 }).map(pence);
    const yearly = fc.array(amount, { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(amount, yearly, (budget, benefitList) => {
        const benefits = benefitList.map((a, i) => ({ fyStart: 2023 + i, amount: a }));
        const payback = paybackOf(programme({ totalBudget: budget, benefits }), { benefitsRecur: false });
        const last = payback.schedule.at(-1);
        if (payback.years === undefined) {
          expect(last!.cumulativeBenefit).toBeLessThan(budget);
        } else {
          expect(last!.cumulativeBenefit).toBeGreaterThanOrEqual(budget);
          const before = payback.schedule.at(-2);
          if (before) expect(before.cumulativeBenefit).toBeLessThan(budget);
        }
      }),
    );
  });

  it('shows the budget left after spend to date', () => {
    expect(remainingBudget({ totalBudget: money('£5.1m'), spendToDate: money('£1.45m') })).toBe(money('£3.65m'));
    expect(remainingBudget({ totalBudget: money('£1m'), spendToDate: money('£1.2m') })).toBe(money('-£200k'));
  });
});

import fc from 'fast-check';
import { SHARED } from '../../src/domain/partnership.js';
import { describe, expect, it } from 'vitest';
import {
  BUDGET_CATEGORIES,
  DEFAULT_RAG_THRESHOLDS,
  DRIVERS_SHOWN,
  actualToDate,
  asAtPeriod,
  councilParts,
  directionOf,
  directionSince,
  forecastCard,
  forecastOutturn,
  formatThreshold,
  isBudgetCategory,
  isIncome,
  latestOfficerForecast,
  lineFigures,
  noActuals,
  parseRagThresholds,
  parseThreshold,
  periodsToDate,
  ragForVariance,
  ragThresholdsProblem,
  splitByShares,
  varianceOf,
  varianceWord,
  withActual,
  type ActualsByPeriod,
  type BudgetCategory,
  type BudgetLineSummary,
  type OfficerForecast,
  type RagThresholds,
} from '../../src/domain/budget.js';
import { DEMO_BUDGET_LINES, DEMO_BUDGET_NOW, DEMO_BUDGET_YEAR, DEMO_COUNCILS } from '../../src/domain/budget-demo.js';
import { parseMoney, pence, type Pence } from '../../src/domain/money.js';
import type { Council } from '../../src/domain/partnership.js';
import { financialPeriod, parsePeriodInYear } from '../../src/domain/periods.js';

const gbp = (pounds: number): Pence => pence(Math.round(pounds * 100));
const money = (text: string): Pence => {
  const amount = parseMoney(text);
  if (amount === undefined) throw new Error(`bad amount in test: ${text}`);
  return amount;
};
const months = (...pounds: (number | null)[]): ActualsByPeriod => [
  ...pounds.map((p) => (p === null ? null : gbp(p))),
  ...Array.from({ length: 12 - pounds.length }, () => null),
];
const officer = (amount: string, reason = 'reason', recordedAt = '2026-10-10T09:00:00Z'): OfficerForecast => ({
  amount: money(amount),
  reason,
  recordedAt,
  recordedBy: 'Finance lead',
});

function line(overrides: Partial<BudgetLineSummary> & { code: string }): BudgetLineSummary {
  return {
    name: overrides.code,
    category: 'contracts',
    council: SHARED,
    fyStart: 2026,
    originalBudget: overrides.revisedBudget ?? gbp(1_200_000),
    revisedBudget: overrides.originalBudget ?? gbp(1_200_000),
    actuals: noActuals(),
    officerForecast: undefined,
    ...overrides,
  };
}

const CEC_CWAC: Council[] = [
  { code: 'CEC', shareBasisPoints: 5000 },
  { code: 'CWAC', shareBasisPoints: 5000 },
];
const THREE: Council[] = [
  { code: 'RBKC', shareBasisPoints: 3334 },
  { code: 'LBHF', shareBasisPoints: 3333 },
  { code: 'WCC', shareBasisPoints: 3333 },
];
/** Mid-October 2026: September (P6) is the last complete month of 2026/27. */
const OCTOBER_2026 = new Date('2026-10-15T09:00:00Z');

describe('budget categories', () => {
  it('are staffing, contracts, other and income, and only income is money in', () => {
    expect(BUDGET_CATEGORIES).toEqual(['staffing', 'contracts', 'other', 'income']);
    expect(BUDGET_CATEGORIES.filter(isIncome)).toEqual(['income']);
    expect(isBudgetCategory('contracts')).toBe(true);
    expect(isBudgetCategory('capital')).toBe(false);
  });
});

describe('actuals by period', () => {
  it('starts the year with nothing entered', () => {
    expect(noActuals()).toEqual(Array.from({ length: 12 }, () => null));
  });

  it('replaces a month entered again', () => {
    const p7 = parsePeriodInYear('P7', 2026)!;
    const once = withActual(noActuals(), p7, money('£10k'));
    const twice = withActual(once, p7, money('£12,500'));
    expect(once[6]).toBe(1_000_000);
    expect(twice[6]).toBe(1_250_000);
    expect(twice.filter((a) => a !== null)).toHaveLength(1);
  });

  it('takes monthly periods only', () => {
    expect(() => withActual(noActuals(), financialPeriod('quarterly', 2026, 2), gbp(1))).toThrow(RangeError);
    expect(() => withActual([null], financialPeriod('monthly', 2026, 1), gbp(1))).toThrow(RangeError);
  });

  it('adds up the months to date, a month with nothing entered counting as nothing spent', () => {
    expect(actualToDate(months(100, null, 300, 999), 3)).toBe(gbp(400));
    expect(actualToDate(months(100), 0)).toBe(0);
    expect(() => actualToDate(months(100), 13)).toThrow(RangeError);
  });

  it('takes the latest officer forecast', () => {
    const first = officer('£1m', 'first', '2026-09-01T09:00:00Z');
    const second = officer('£1.1m', 'second', '2026-10-01T09:00:00+01:00');
    expect(latestOfficerForecast([second, first])).toBe(second);
    expect(latestOfficerForecast([])).toBeUndefined();
  });
});

describe('the month the figures are at', () => {
  it('is the latest month with an actual on any line of the year', () => {
    const lines = [
      line({ code: 'A', actuals: months(1, 2, 3) }),
      line({ code: 'B', actuals: months(1, 2, 3, 4, 5) }),
      line({ code: 'C', fyStart: 2025, actuals: months(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12) }),
    ];
    expect(periodsToDate(lines, 2026, OCTOBER_2026)).toBe(5);
    expect(asAtPeriod(2026, 5)?.label).toBe('2026-08');
  });

  it('waits for a month to end before counting an actual entered for it', () => {
    const early = [line({ code: 'A', actuals: months(1, 2, 3, 4, 5, 6, 7) })];
    expect(periodsToDate(early, 2026, OCTOBER_2026)).toBe(6);
  });

  it('counts an entered £0 as an actual', () => {
    expect(periodsToDate([line({ code: 'A', actuals: months(1, 2, 0) })], 2026, OCTOBER_2026)).toBe(3);
  });

  it('is none before any actuals or before the year starts, and up to P12 once it has ended', () => {
    const full = [line({ code: 'A', actuals: months(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12) })];
    expect(periodsToDate([line({ code: 'A' })], 2026, OCTOBER_2026)).toBe(0);
    expect(periodsToDate(full, 2026, new Date('2026-03-15T12:00:00Z'))).toBe(0);
    expect(periodsToDate(full, 2026, new Date('2027-04-01T00:30:00+01:00'))).toBe(12);
    expect(asAtPeriod(2026, 0)).toBeUndefined();
  });
});

describe('forecast outturn', () => {
  it("takes the officer's forecast when there is one", () => {
    const l = line({ code: 'A', actuals: months(100_000, 100_000), officerForecast: officer('£1.5m') });
    expect(forecastOutturn(l, 2)).toEqual({ amount: money('£1.5m'), basis: 'officer forecast' });
  });

  it('is the budget before any actuals', () => {
    expect(forecastOutturn(line({ code: 'A', revisedBudget: money('£1.3m') }), 0)).toEqual({
      amount: money('£1.3m'),
      basis: 'budget',
    });
  });

  it('projects the months left at the average run rate of the months to date', () => {
    const l = line({ code: 'A', actuals: months(90_000, 110_000, 100_000, 95_000, 105_000, 100_000) });
    expect(forecastOutturn(l, 6)).toEqual({ amount: money('£1.2m'), basis: 'run rate' });
  });

  it('counts a month with nothing entered as nothing spent in the run rate', () => {
    const l = line({ code: 'A', actuals: months(100_000, null, 100_000) });
    // £200k in 3 months → £66,666.67 a month → £800,000.00 for the year (one rounding).
    expect(forecastOutturn(l, 3).amount).toBe(money('£800,000'));
  });

  it('is the actuals once all twelve months are in', () => {
    const l = line({ code: 'A', actuals: months(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.34) });
    expect(forecastOutturn(l, 12).amount).toBe(gbp(78.34));
  });

  it('rounds the projection once, half a penny away from zero', () => {
    // 1p in 8 months: 4 months left at 1/8p each is half a penny, rounded up to 1p.
    expect(forecastOutturn(line({ code: 'A', actuals: months(0.01) }), 8).amount).toBe(2);
    expect(forecastOutturn(line({ code: 'A', actuals: months(-0.01) }), 8).amount).toBe(-2);
    // 1p in 7 months: 5/7p rounds to 1p; 2p in 9 months: 6/9p rounds to 1p; 1p in 9: 3/9p rounds to 0.
    expect(forecastOutturn(line({ code: 'A', actuals: months(0.01) }), 7).amount).toBe(2);
    expect(forecastOutturn(line({ code: 'A', actuals: months(0.02) }), 9).amount).toBe(3);
    expect(forecastOutturn(line({ code: 'A', actuals: months(0.01) }), 9).amount).toBe(1);
  });

  it('is within half a penny of the exact run-rate projection', () => {
    const monthly = fc.integer({ min: -10_000_000_000, max: 10_000_000_000 });
    fc.assert(
      fc.property(fc.array(monthly, { minLength: 12, maxLength: 12 }), fc.integer({ min: 1, max: 12 }), (ps, n) => {
        const actuals = ps.map(pence);
        const outturn = forecastOutturn(line({ code: 'A', actuals }), n).amount;
        const toDate = ps.slice(0, n).reduce((a, b) => a + b, 0);
        // (outturn − toDate) × n against toDate × (12 − n), in whole numbers.
        const error = (BigInt(outturn - toDate) * BigInt(n) - BigInt(toDate) * BigInt(12 - n)) * 2n;
        expect(error <= BigInt(n) && error >= -BigInt(n)).toBe(true);
      }),
    );
  });
});

describe('variance', () => {
  it('is forecast − budget on a cost line, positive when overspent', () => {
    expect(varianceOf('staffing', money('£16.8m'), money('£15,759,384'))).toBe(money('-£1,040,616'));
    expect(varianceWord('staffing', varianceOf('staffing', money('£1m'), money('£1.1m')))).toBe('overspend');
    expect(varianceWord('other', varianceOf('other', money('£1m'), money('£0.9m')))).toBe('underspend');
  });

  it('is budget − forecast on an income line, positive when income falls short', () => {
    expect(varianceOf('income', money('£6.5m'), money('£4.94m'))).toBe(money('£1.56m'));
    expect(varianceWord('income', money('£1.56m'))).toBe('income shortfall');
    expect(varianceWord('income', money('-£10k'))).toBe('income surplus');
  });

  it('is adverse when positive, favourable when negative', () => {
    expect(directionOf(gbp(1))).toBe('adverse');
    expect(directionOf(gbp(-1))).toBe('favourable');
    expect(directionOf(gbp(0))).toBe('on budget');
    expect(varianceWord('net', gbp(0))).toBe('on budget');
  });

  it('is worse since last month when more adverse', () => {
    expect(directionSince(money('£900k'), money('£845k'))).toBe('better');
    expect(directionSince(money('£800k'), money('£845k'))).toBe('worse');
    expect(directionSince(money('£845k'), money('£845k'))).toBe('same');
    expect(directionSince(undefined, money('£845k'))).toBeUndefined();
  });
});

describe('budget RAG thresholds', () => {
  it.each([
    ['1%', { basisPoints: 100, amount: undefined }],
    ['0.25%', { basisPoints: 25, amount: undefined }],
    ['100%', { basisPoints: 10_000, amount: undefined }],
    ['£50k', { basisPoints: undefined, amount: 5_000_000 }],
    ['£50,000', { basisPoints: undefined, amount: 5_000_000 }],
    ['1%,£50k', { basisPoints: 100, amount: 5_000_000 }],
    ['£50k,1%', { basisPoints: 100, amount: 5_000_000 }],
    ['£50,000, 1 %', { basisPoints: 100, amount: 5_000_000 }],
    ['5% , £1,040,616', { basisPoints: 500, amount: 104_061_600 }],
  ])('reads the threshold %s', (text, expected) => {
    expect(parseThreshold(text)).toEqual(expected);
  });

  it.each([
    ['no percentage', '0%'],
    ['more than 100%', '101%'],
    ['three decimals', '1.125%'],
    ['a negative percentage', '-1%'],
    ['no amount', '£0'],
    ['a negative amount', '-£50k'],
    ['two percentages', '1%,2%'],
    ['two amounts', '£50k,£100k'],
    ['a bad amount', '1%,£1.2.3m'],
    ['words', 'high'],
    ['nothing', ''],
  ])('refuses a threshold with %s', (_, text) => {
    expect(parseThreshold(text)).toBeUndefined();
  });

  it('reads the council rule in either order, with spaces', () => {
    const rule = parseRagThresholds('amber=1%,£50k red=5%,£100k');
    expect(rule).toEqual(DEFAULT_RAG_THRESHOLDS);
    expect(parseRagThresholds('  Red = £100k, 5%   AMBER=£50k , 1% ')).toEqual(DEFAULT_RAG_THRESHOLDS);
    expect(parseRagThresholds('amber=£20,000 red=2%')).toEqual({
      amber: { basisPoints: undefined, amount: 2_000_000 },
      red: { basisPoints: 200, amount: undefined },
    });
  });

  it.each([
    ['only amber', 'amber=1%'],
    ['amber twice', 'amber=1% amber=2% red=5%'],
    ['another band', 'amber=1% red=5% green=0%'],
    ['a bad threshold', 'amber=1% red=lots'],
    ['no equals sign', 'amber 1% red 5%'],
  ])('refuses thresholds with %s', (_, text) => {
    expect(parseRagThresholds(text)).toBeUndefined();
  });

  it('writes a threshold back in the form it reads', () => {
    expect(formatThreshold(DEFAULT_RAG_THRESHOLDS.amber)).toBe('1%,£50,000');
    expect(parseThreshold(formatThreshold({ basisPoints: 25, amount: undefined }))).toEqual({
      basisPoints: 25,
      amount: undefined,
    });
  });

  it('accepts Amber at or below Red, and explains Amber above Red in either part', () => {
    expect(ragThresholdsProblem(DEFAULT_RAG_THRESHOLDS)).toBeUndefined();
    expect(ragThresholdsProblem(parseRagThresholds('amber=5% red=5%')!)).toBeUndefined();
    expect(ragThresholdsProblem(parseRagThresholds('amber=6%,£50k red=5%,£100k')!)).toBe(
      'Amber from 6% of budget is above Red from 5%: Amber must start at or below Red',
    );
    expect(ragThresholdsProblem(parseRagThresholds('amber=1%,£150k red=5%,£100k')!)).toBe(
      'Amber from £150,000 is above Red from £100,000: Amber must start at or below Red',
    );
    // A percentage against an amount cannot be compared: which comes first depends on the budget.
    expect(ragThresholdsProblem(parseRagThresholds('amber=£150k red=5%')!)).toBeUndefined();
    expect(
      ragThresholdsProblem({ amber: { basisPoints: undefined, amount: undefined }, red: DEFAULT_RAG_THRESHOLDS.red }),
    ).toMatch(/^Amber needs/);
  });
});

describe('budget RAG (Amber from 1% or £50k, Red from 5% or £100k)', () => {
  it('is Green when favourable or on budget, however large', () => {
    expect(ragForVariance(money('-£5m'), money('£1m'))).toBe('Green');
    expect(ragForVariance(gbp(0), money('£1m'))).toBe('Green');
  });

  it('is Green just under 1% of a £1m budget, and Amber at exactly 1%', () => {
    expect(ragForVariance(money('£9,999.99'), money('£1m'))).toBe('Green');
    expect(ragForVariance(money('£10k'), money('£1m'))).toBe('Amber');
  });

  it('is Amber at £50k on a £20m budget, where £50k comes before 1%', () => {
    expect(ragForVariance(money('£49,999.99'), money('£20m'))).toBe('Green');
    expect(ragForVariance(money('£50k'), money('£20m'))).toBe('Amber');
  });

  it('is Red at 5% of a £1m budget, before £100k is reached', () => {
    expect(ragForVariance(money('£49,999.99'), money('£1m'))).toBe('Amber');
    expect(ragForVariance(money('£50k'), money('£1m'))).toBe('Red');
  });

  it('is Red at £100k on a £20m budget, however small a percentage', () => {
    expect(ragForVariance(money('£99,999.99'), money('£20m'))).toBe('Amber');
    expect(ragForVariance(money('£100k'), money('£20m'))).toBe('Red');
  });

  it('counts any adverse variance on a nil budget as past a percentage', () => {
    expect(ragForVariance(gbp(0.01), gbp(0))).toBe('Red');
    const amountsOnly: RagThresholds = parseRagThresholds('amber=£50k red=£100k')!;
    expect(ragForVariance(gbp(0.01), gbp(0), amountsOnly)).toBe('Green');
  });

  it('never gets better as the adverse variance grows', () => {
    const order = { Green: 0, Amber: 1, Red: 2 };
    const amount = fc.integer({ min: -1e13, max: 1e13 }).map(pence);
    fc.assert(
      fc.property(amount, amount, amount, (a, b, budget) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(order[ragForVariance(low, budget)]).toBeLessThanOrEqual(order[ragForVariance(high, budget)]);
      }),
    );
  });
});

describe('cost shares', () => {
  it('splits £845,000 50/50 as £422,500 each', () => {
    expect(splitByShares(money('£845k'), CEC_CWAC)).toEqual([
      { council: 'CEC', amount: money('£422,500') },
      { council: 'CWAC', amount: money('£422,500') },
    ]);
  });

  it('gives an odd penny to the council listed first, for an overspend and an underspend alike', () => {
    expect(splitByShares(gbp(0.01), CEC_CWAC).map((s) => s.amount)).toEqual([1, 0]);
    expect(splitByShares(gbp(-0.01), CEC_CWAC).map((s) => s.amount)).toEqual([-1, 0]);
  });

  it('gives the spare pennies to the largest remainders', () => {
    // £1 at 33.34/33.33/33.33: 33.34p, 33.33p, 33.33p → 34p, 33p, 33p.
    expect(splitByShares(gbp(1), THREE).map((s) => s.amount)).toEqual([34, 33, 33]);
    // £0.02 at 60/40: 1.2p and 0.8p → 1p and 1p (0.8 is the larger remainder).
    const sixtyForty = [
      { code: 'A', shareBasisPoints: 6000 },
      { code: 'B', shareBasisPoints: 4000 },
    ];
    expect(splitByShares(gbp(0.02), sixtyForty).map((s) => s.amount)).toEqual([1, 1]);
  });

  it('refuses shares that do not add up to 100%', () => {
    expect(() => splitByShares(gbp(1), [{ code: 'A', shareBasisPoints: 5000 }])).toThrow(RangeError);
    expect(() => splitByShares(gbp(1), [])).toThrow(RangeError);
  });

  const shares = fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 9 }).map((cuts) => {
    const points = [...new Set(cuts.filter((c) => c < 10_000))].sort((a, b) => a - b);
    const bounds = [0, ...points, 10_000];
    return bounds.slice(1).map((b, i) => ({ code: `C${i}`, shareBasisPoints: b - (bounds[i] ?? 0) }));
  });
  const anyAmount = fc.integer({ min: -1e15, max: 1e15 }).map(pence);

  it('always adds back to the total, and each share is within a penny of the exact share', () => {
    fc.assert(
      fc.property(anyAmount, shares, (total, councils) => {
        const split = splitByShares(total, councils);
        expect(split.reduce((sum, s) => sum + s.amount, 0)).toBe(total);
        split.forEach((s, i) => {
          const exactTimes10000 = BigInt(total) * BigInt(councils[i]!.shareBasisPoints);
          const gap = BigInt(s.amount) * 10_000n - exactTimes10000;
          expect(gap < 10_000n && gap > -10_000n).toBe(true);
        });
      }),
    );
  });

  it('splits an underspend as the mirror of the same overspend', () => {
    fc.assert(
      fc.property(anyAmount, shares, (total, councils) => {
        const plus = splitByShares(total, councils).map((s) => s.amount);
        const minus = splitByShares(pence(0 - total), councils).map((s) => s.amount);
        expect(minus).toEqual(plus.map((p) => pence(0 - p)));
      }),
    );
  });
});

describe("a council's part of a line", () => {
  it('is the whole of its own line, and nothing of another council', () => {
    const own = lineFigures(line({ code: 'A', council: 'CEC', actuals: months(1) }), 1);
    const parts = councilParts(own, CEC_CWAC);
    expect([...parts.keys()]).toEqual(['CEC']);
    expect(parts.get('CEC')).toBe(own);
  });

  it('is a share of a shared line, each row adding up and the rows adding back to the line', () => {
    const shared = lineFigures(
      line({
        code: 'A',
        category: 'income',
        revisedBudget: gbp(1_000_000.01),
        officerForecast: officer('£900,000.02'),
      }),
      0,
    );
    const parts = [...councilParts(shared, THREE).values()];
    for (const part of parts) expect(part.variance).toBe(varianceOf('income', part.budget, part.forecast));
    expect(parts.reduce((s, p) => s + p.budget, 0)).toBe(shared.budget);
    expect(parts.reduce((s, p) => s + p.forecast, 0)).toBe(shared.forecast);
    expect(parts.reduce((s, p) => s + p.variance, 0)).toBe(shared.variance);
    // £99,999.99 at 33.34/33.33/33.33 is 3,333,999.67p and 3,332,999.67p twice, rounded down first;
    // the two spare pennies go to the larger remainders (.6667 against .6666).
    expect(parts.map((p) => p.variance)).toEqual([gbp(33_339.99), gbp(33_330), gbp(33_330)]);
  });
});

describe('the forecast card', () => {
  const lines = [
    line({
      code: 'STAFF',
      category: 'staffing',
      revisedBudget: money('£1.2m'),
      actuals: months(90_000, 90_000, 90_000),
    }),
    line({
      code: 'LIC',
      category: 'contracts',
      council: 'CEC',
      revisedBudget: money('£500k'),
      actuals: months(400_000, 0, 0),
      officerForecast: officer('£560k', 'Licence uplift'),
    }),
    line({ code: 'HW', category: 'other', council: 'CWAC', revisedBudget: money('£100k'), actuals: months(10_000) }),
    line({
      code: 'INC',
      category: 'income',
      originalBudget: money('£400k'),
      revisedBudget: money('£300k'),
      actuals: months(20_000, 20_000, 20_000),
    }),
    line({ code: 'OLD', category: 'other', fyStart: 2025, revisedBudget: money('£1m'), actuals: months(1) }),
  ];
  const card = forecastCard(lines, { fyStart: 2026, now: OCTOBER_2026, councils: CEC_CWAC });

  it('is at the latest month with actuals, P3 (June), for every line of the year', () => {
    expect(card.year).toBe('2026/27');
    expect(card.periodsToDate).toBe(3);
    expect(card.asAt?.label).toBe('2026-06');
    expect(card.lines.map((l) => l.code)).toEqual(['HW', 'INC', 'LIC', 'STAFF']);
  });

  it('forecasts each line by its officer forecast or run rate', () => {
    const byCode = new Map(card.lines.map((l) => [l.code, l]));
    expect(byCode.get('STAFF')).toMatchObject({
      forecast: money('£1.08m'),
      variance: money('-£120k'),
      basis: 'run rate',
    });
    expect(byCode.get('LIC')).toMatchObject({
      forecast: money('£560k'),
      variance: money('£60k'),
      reason: 'Licence uplift',
    });
    // £10k in April and nothing since: £40k for the year.
    expect(byCode.get('HW')).toMatchObject({ forecast: money('£40k'), variance: money('-£60k'), rag: 'Green' });
    expect(byCode.get('INC')).toMatchObject({ forecast: money('£240k'), variance: money('£60k'), rag: 'Red' });
  });

  it('totals net of income, the net variance being the sum of the lines', () => {
    expect(card.totals).toMatchObject({
      budget: money('£1.5m'),
      originalBudget: money('£1.4m'),
      expenditureBudget: money('£1.8m'),
      incomeBudget: money('£300k'),
      actualToDate: money('£620k'),
      forecast: money('£1.44m'),
      variance: money('-£60k'),
      direction: 'favourable',
      rag: 'Green',
    });
  });

  it('shows budget against forecast by category, income as money in', () => {
    expect(card.categories.map((c) => [c.category, c.budget, c.forecast, c.variance])).toEqual([
      ['staffing', money('£1.2m'), money('£1.08m'), money('-£120k')],
      ['contracts', money('£500k'), money('£560k'), money('£60k')],
      ['other', money('£100k'), money('£40k'), money('-£60k')],
      ['income', money('£300k'), money('£240k'), money('£60k')],
    ]);
  });

  it('lists the drivers largest first either way, by code on a tie', () => {
    expect(card.drivers.map((d) => [d.code, d.direction])).toEqual([
      ['STAFF', 'favourable'],
      ['HW', 'favourable'],
      ['INC', 'adverse'],
      ['LIC', 'adverse'],
    ]);
  });

  it("splits by council: each council's own lines and its share of shared lines, adding up to the totals", () => {
    expect(card.councils.map((c) => [c.council, c.budget, c.variance])).toEqual([
      ['CEC', money('£950k'), money('£30k')],
      ['CWAC', money('£550k'), money('-£90k')],
    ]);
    expect(card.councils.reduce((s, c) => s + c.variance, 0)).toBe(card.totals.variance);
    expect(card.councils.reduce((s, c) => s + c.forecast, 0)).toBe(card.totals.forecast);
  });

  it("filtered to a council, shows the council's own lines and its share of shared lines only", () => {
    const cec = forecastCard(lines, { fyStart: 2026, now: OCTOBER_2026, councils: CEC_CWAC, council: 'CEC' });
    expect(cec.council).toBe('CEC');
    expect(cec.periodsToDate).toBe(3);
    expect(cec.lines.map((l) => [l.code, l.budget, l.variance])).toEqual([
      ['INC', money('£150k'), money('£30k')],
      ['LIC', money('£500k'), money('£60k')],
      ['STAFF', money('£600k'), money('-£60k')],
    ]);
    expect(cec.totals.variance).toBe(money('£30k'));
    expect(cec.councils).toEqual([expect.objectContaining({ council: 'CEC', variance: money('£30k') })]);
  });

  it('keeps the month of the whole budget when a council filter hides the latest actuals', () => {
    const cwacOnlyLate = [
      line({ code: 'A', council: 'CEC', actuals: months(100, 100) }),
      line({ code: 'B', council: 'CWAC', actuals: months(100, 100, 100, 100) }),
    ];
    const cec = forecastCard(cwacOnlyLate, { fyStart: 2026, now: OCTOBER_2026, councils: CEC_CWAC, council: 'CEC' });
    expect(cec.periodsToDate).toBe(4);
    expect(cec.totals.forecast).toBe(gbp(600));
  });

  it('shows the direction since the net variance reported last month', () => {
    const worse = forecastCard(lines, {
      fyStart: 2026,
      now: OCTOBER_2026,
      councils: CEC_CWAC,
      previousNetVariance: money('-£100k'),
    });
    expect(worse.sinceLastMonth).toBe('worse');
    expect(card.sinceLastMonth).toBeUndefined();
  });

  it('shows at most five drivers and none on budget', () => {
    const many = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((code, i) =>
      line({ code, revisedBudget: gbp(1000), officerForecast: officer(`£${1000 + i * 10}`) }),
    );
    const drivers = forecastCard(many, { fyStart: 2026, now: OCTOBER_2026, councils: CEC_CWAC }).drivers;
    expect(drivers).toHaveLength(DRIVERS_SHOWN);
    expect(drivers.map((d) => d.code)).toEqual(['G', 'F', 'E', 'D', 'C']);
  });

  it('keeps a line of a council no longer in the partnership, in a row of its own', () => {
    const orphan = [line({ code: 'A', council: 'OLD', revisedBudget: gbp(10), officerForecast: officer('£15') })];
    const figures = forecastCard(orphan, { fyStart: 2026, now: OCTOBER_2026, councils: CEC_CWAC });
    expect(figures.councils.map((c) => [c.council, c.variance])).toEqual([
      ['CEC', 0],
      ['CWAC', 0],
      ['OLD', gbp(5)],
    ]);
  });

  it('refuses a council that is not in the partnership', () => {
    expect(() => forecastCard(lines, { fyStart: 2026, now: OCTOBER_2026, councils: CEC_CWAC, council: 'XYZ' })).toThrow(
      RangeError,
    );
  });

  it('has council rows adding up to the totals for any lines and shares', () => {
    const category = fc.constantFrom<BudgetCategory>(...BUDGET_CATEGORIES);
    const amount = fc.integer({ min: -1e11, max: 1e11 }).map(pence);
    const anyLine = fc.record({
      category,
      council: fc.constantFrom(SHARED, 'RBKC', 'LBHF', 'WCC'),
      budget: amount,
      actuals: fc.array(fc.option(amount, { nil: null }), { minLength: 12, maxLength: 12 }),
      forecast: fc.option(amount, { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(anyLine, { maxLength: 12 }),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-06-01'), noInvalidDate: true }),
        (specs, now) => {
          const ls = specs.map((s, i) =>
            line({
              code: `L${i}`,
              category: s.category,
              council: s.council,
              revisedBudget: s.budget,
              actuals: s.actuals,
              officerForecast: s.forecast === undefined ? undefined : { ...officer('£1'), amount: s.forecast },
            }),
          );
          const whole = forecastCard(ls, { fyStart: 2026, now, councils: THREE });
          for (const key of ['budget', 'actualToDate', 'forecast', 'variance'] as const) {
            expect(whole.councils.reduce((s, c) => s + c[key], 0)).toBe(whole.totals[key]);
          }
          expect(whole.totals.forecast - whole.totals.budget).toBe(whole.totals.variance);
          for (const c of THREE) {
            const one = forecastCard(ls, { fyStart: 2026, now, councils: THREE, council: c.code });
            expect(one.totals.variance).toBe(whole.councils.find((row) => row.council === c.code)?.variance);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('the mid-year demo budget for 2023/24', () => {
  const card = forecastCard(DEMO_BUDGET_LINES, {
    fyStart: DEMO_BUDGET_YEAR,
    now: new Date(DEMO_BUDGET_NOW),
    councils: DEMO_COUNCILS,
  });
  const category = (c: BudgetCategory) => card.categories.find((row) => row.category === c);

  it('is at September (P6): the committee met in November before October was entered', () => {
    expect(card.asAt?.label).toBe('2023-09');
  });

  it('forecasts an overspend of £845,000 net, Red', () => {
    expect(card.totals.variance).toBe(money('£845,000'));
    expect(varianceWord('net', card.totals.variance)).toBe('overspend');
    expect(card.totals.rag).toBe('Red');
  });

  it('has income under-achieved by £1,890,000', () => {
    expect(category('income')?.variance).toBe(money('£1.89m'));
    expect(varianceWord('income', category('income')!.variance)).toBe('income shortfall');
  });

  it('has staffing underspent by £1,040,616, a driver found by the run rate', () => {
    expect(category('staffing')?.variance).toBe(money('-£1,040,616'));
    const staffing = card.drivers.find((d) => d.category === 'staffing');
    expect(staffing).toMatchObject({ variance: money('-£1,040,616'), direction: 'favourable', basis: 'run rate' });
  });

  it('names the drivers: projects and schools income, staffing, licence inflation, Citrix savings', () => {
    expect(card.drivers.map((d) => [d.code, d.direction])).toEqual([
      ['PROJINC', 'adverse'],
      ['STAFF', 'favourable'],
      ['SCHINC', 'adverse'],
      ['LICS', 'adverse'],
      ['CITRIX', 'favourable'],
    ]);
  });

  it('splits the overspend 50/50: £422,500 for each council', () => {
    expect(card.councils.map((c) => [c.council, c.variance])).toEqual([
      ['CEC', money('£422,500')],
      ['CWAC', money('£422,500')],
    ]);
    const cec = forecastCard(DEMO_BUDGET_LINES, {
      fyStart: DEMO_BUDGET_YEAR,
      now: new Date(DEMO_BUDGET_NOW),
      councils: DEMO_COUNCILS,
      council: 'CEC',
    });
    expect(cec.totals.variance).toBe(money('£422,500'));
  });

  it('moved budget between lines by virement without changing the total', () => {
    expect(card.totals.originalBudget).toBe(card.totals.budget);
    expect(card.lines.some((l) => l.originalBudget !== l.budget)).toBe(true);
  });
});

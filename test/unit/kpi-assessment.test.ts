import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessKpi,
  HISTORY_SHOWN,
  sparkline,
  yearToDate,
  type KpiDefinition,
  type ReadingPoint,
} from '../../src/domain/kpi-assessment.js';
import { financialPeriod, parsePeriod } from '../../src/domain/periods.js';

/** 25 Nov 2026, as the integration tests: the last complete month is Oct 2026, the last quarter Q2 2026/27. */
const NOW = new Date('2026-11-25T12:00:00Z');

function kpi(overrides: Partial<KpiDefinition> = {}): KpiDefinition {
  return {
    code: 'FTF',
    name: 'First time fix',
    description: '',
    unit: '%',
    polarity: 'higher',
    target: 80,
    tolerance: { kind: 'percent', value: 5 },
    frequency: 'monthly',
    owner: undefined,
    council: 'SHARED',
    createdAt: '2026-04-01T09:00:00Z',
    createdBy: 'Alex Morgan',
    ...overrides,
  };
}

const firstTimeFix = kpi();
const majorIncidents = kpi({
  code: 'MI',
  name: 'Major incidents',
  unit: 'count',
  polarity: 'lower',
  target: 2,
  tolerance: { kind: 'absolute', value: 1 },
});

/** Readings from `{ '2026-09': 78, '2026-10': 82 }`. */
function readings(values: Record<string, number>): ReadingPoint[] {
  return Object.entries(values).map(([period, value]) => ({ period, value }));
}

describe('KPI assessment', () => {
  describe('the period that decides the status', () => {
    it('is the last complete month for a monthly KPI', () => {
      expect(assessKpi(firstTimeFix, [], NOW).due.label).toBe('2026-10');
    });

    it('is the last complete quarter for a quarterly KPI', () => {
      expect(assessKpi(kpi({ frequency: 'quarterly' }), [], NOW).due.label).toBe('2026/27 Q2');
    });

    it('is the last complete financial year for an annual KPI', () => {
      expect(assessKpi(kpi({ frequency: 'annual' }), [], NOW).due.label).toBe('2025/26');
    });

    it('goes by the clock in London: 23:30 GMT on 30 April is already May in British Summer Time', () => {
      expect(assessKpi(firstTimeFix, [], new Date('2026-04-30T23:30:00Z')).due.label).toBe('2026-04');
      expect(assessKpi(firstTimeFix, [], new Date('2026-04-30T22:30:00Z')).due.label).toBe('2026-03');
    });
  });

  describe('status', () => {
    it('is the RAG of the reading for the last complete month', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-10': 82 }), NOW).status).toBe('Green');
      expect(assessKpi(firstTimeFix, readings({ '2026-10': 77 }), NOW).status).toBe('Amber');
      expect(assessKpi(firstTimeFix, readings({ '2026-10': 70 }), NOW).status).toBe('Red');
    });

    it('is No data when the last complete month has no reading, however good the one before', () => {
      const assessment = assessKpi(firstTimeFix, readings({ '2026-08': 90, '2026-09': 95 }), NOW);
      expect(assessment.status).toBe('No data');
      expect(assessment.latest).toBeUndefined();
      expect(assessment.trend).toBeUndefined();
    });

    it('is No data when the only reading is for the month not yet ended', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-11': 90 }), NOW).status).toBe('No data');
    });

    it('is No data for a KPI with no readings at all', () => {
      expect(assessKpi(firstTimeFix, [], NOW)).toMatchObject({
        status: 'No data',
        latest: undefined,
        lastYear: undefined,
        history: [],
      });
    });

    it('counts a lower-is-better KPI the other way round', () => {
      expect(assessKpi(majorIncidents, readings({ '2026-10': 2 }), NOW).status).toBe('Green');
      expect(assessKpi(majorIncidents, readings({ '2026-10': 3 }), NOW).status).toBe('Amber');
      expect(assessKpi(majorIncidents, readings({ '2026-10': 4 }), NOW).status).toBe('Red');
    });

    it('ignores readings of another frequency', () => {
      const quarterly = kpi({ frequency: 'quarterly' });
      const assessment = assessKpi(quarterly, readings({ '2026-10': 90, '2026/27 Q1': 70 }), NOW);
      expect(assessment.status).toBe('No data');
      expect(assessment.history).toEqual([{ period: '2026/27 Q1', value: 70 }]);
    });

    it('gives the latest reading with its RAG', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-09': 70, '2026-10': 77 }), NOW).latest).toEqual({
        period: '2026-10',
        value: 77,
        rag: 'Amber',
      });
    });
  });

  describe('trend', () => {
    it('is better when a higher-is-better KPI rises', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-09': 78, '2026-10': 82 }), NOW).trend).toBe('better');
    });

    it('is worse when a higher-is-better KPI falls', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-09': 82, '2026-10': 78 }), NOW).trend).toBe('worse');
    });

    it('is better when a lower-is-better KPI falls: fewer major incidents', () => {
      expect(assessKpi(majorIncidents, readings({ '2026-09': 3, '2026-10': 1 }), NOW).trend).toBe('better');
    });

    it('is worse when a lower-is-better KPI rises', () => {
      expect(assessKpi(majorIncidents, readings({ '2026-09': 1, '2026-10': 3 }), NOW).trend).toBe('worse');
    });

    it('is the same when the value has not moved', () => {
      expect(assessKpi(majorIncidents, readings({ '2026-09': 1, '2026-10': 1 }), NOW).trend).toBe('same');
    });

    it('is unknown for the first reading', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-10': 82 }), NOW).trend).toBeUndefined();
    });

    it('compares with the previous reading when a month was missed', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-08': 70, '2026-10': 82 }), NOW).trend).toBe('better');
    });

    it('does not compare with a reading for the month not yet ended', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-09': 78, '2026-10': 82, '2026-11': 60 }), NOW).trend).toBe(
        'better',
      );
    });
  });

  describe('same period last year', () => {
    it('gives the reading for the same month a year before, with the trend since', () => {
      const assessment = assessKpi(firstTimeFix, readings({ '2025-10': 70, '2026-09': 85, '2026-10': 82 }), NOW);
      expect(assessment.lastYear).toEqual({ period: '2025-10', value: 70, trend: 'better' });
    });

    it('takes polarity into account: 1 major incident against 2 last year is better', () => {
      expect(assessKpi(majorIncidents, readings({ '2025-10': 2, '2026-10': 1 }), NOW).lastYear).toEqual({
        period: '2025-10',
        value: 2,
        trend: 'better',
      });
    });

    it('gives the same quarter last year for a quarterly KPI', () => {
      const quarterly = kpi({ frequency: 'quarterly' });
      expect(assessKpi(quarterly, readings({ '2025/26 Q2': 85, '2026/27 Q2': 82 }), NOW).lastYear).toEqual({
        period: '2025/26 Q2',
        value: 85,
        trend: 'worse',
      });
    });

    it('is absent when last year has no reading for that month', () => {
      expect(
        assessKpi(firstTimeFix, readings({ '2025-09': 70, '2025-11': 70, '2026-10': 82 }), NOW).lastYear,
      ).toBeUndefined();
    });
  });

  describe('history for the sparkline', () => {
    it('keeps the last 12 readings, oldest first, whatever order they come in', () => {
      const months = [
        '2025-08',
        '2025-09',
        '2025-10',
        '2025-11',
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
        '2026-04',
        '2026-05',
        '2026-06',
        '2026-07',
        '2026-08',
        '2026-09',
        '2026-10',
      ];
      const shuffled = months.map((period, i) => ({ period, value: i })).reverse();
      const history = assessKpi(firstTimeFix, shuffled, NOW).history;
      expect(HISTORY_SHOWN).toBe(12);
      expect(history.map((h) => h.period)).toEqual(months.slice(-12));
    });

    it('orders months across the turn of the calendar year', () => {
      const history = assessKpi(
        firstTimeFix,
        readings({ '2026-01': 1, '2025-12': 2, '2026-03': 3, '2025-11': 4 }),
        NOW,
      ).history;
      expect(history.map((h) => h.period)).toEqual(['2025-11', '2025-12', '2026-01', '2026-03']);
    });

    it('skips readings it cannot read as a period', () => {
      expect(assessKpi(firstTimeFix, readings({ October: 1, '2026-10': 82 }), NOW).history).toEqual([
        { period: '2026-10', value: 82 },
      ]);
    });
  });
});

describe('year to date', () => {
  const due = financialPeriod('monthly', 2026, 7); // October 2026, P7
  const months = ['04', '05', '06', '07', '08', '09', '10'];
  const april = (year: number, values: number[]): ReadingPoint[] =>
    values.map((value, i) => ({ period: `${year}-${months[i]}`, value }));
  // The committee paper: 8 major incidents since April, against 18 over the same months last year.
  const thisYear = april(2026, [2, 1, 1, 0, 2, 1, 1]);
  const lastYear = april(2025, [3, 2, 4, 2, 3, 2, 2]);

  it('adds up April to October for a monthly count: 8 against 18 last year', () => {
    expect(yearToDate(majorIncidents, [...lastYear, ...thisYear], due)).toEqual({ value: 8, months: 7, lastYear: 18 });
  });

  it('starts again in April: P1 counts one month', () => {
    expect(
      yearToDate(
        majorIncidents,
        [
          { period: '2026-04', value: 2 },
          { period: '2026-03', value: 9 },
        ],
        financialPeriod('monthly', 2026, 1),
      ),
    ).toEqual({ value: 2, months: 1, lastYear: undefined });
  });

  it('crosses the calendar year within the financial year: April to March', () => {
    const all = [
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ].map((period) => ({ period, value: 1 }));
    expect(yearToDate(majorIncidents, all, financialPeriod('monthly', 2025, 12))).toMatchObject({
      value: 12,
      months: 12,
    });
  });

  it('leaves out last year when one of its months has no reading', () => {
    const gap = lastYear.filter((r) => r.period !== '2025-06');
    expect(yearToDate(majorIncidents, [...gap, ...thisYear], due)).toEqual({
      value: 8,
      months: 7,
      lastYear: undefined,
    });
  });

  it('gives no year to date when a month of this year has no reading', () => {
    const gap = thisYear.filter((r) => r.period !== '2026-07');
    expect(yearToDate(majorIncidents, [...lastYear, ...gap], due)).toBeUndefined();
  });

  it('is only for monthly counts: not for a percentage', () => {
    expect(yearToDate(firstTimeFix, thisYear, due)).toBeUndefined();
  });

  it('is only for monthly counts: not for a quarterly count', () => {
    const quarterly = { ...majorIncidents, frequency: 'quarterly' as const };
    expect(yearToDate(quarterly, [{ period: '2026/27 Q1', value: 4 }], parsePeriod('2026/27 Q1')!)).toBeUndefined();
  });
});

describe('sparkline', () => {
  const BARS = '▁▂▃▄▅▆▇█';

  it('draws nothing for no readings', () => {
    expect(sparkline([])).toBe('');
  });

  it('draws one bar per reading, lowest ▁ and highest █', () => {
    expect(sparkline([70, 72, 74, 71, 75, 78, 76.5, 77, 79, 80, 81, 84])).toBe('▁▂▃▂▄▅▄▅▆▆▇█');
  });

  it('draws a level line in the middle when nothing changed', () => {
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([82])).toBe('▄');
  });

  it('copes with negative values', () => {
    expect(sparkline([-10, 0, 10])).toBe('▁▅█');
  });

  it('always has one bar per value, ▁ for the lowest and █ for the highest, and keeps their order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 24,
        }),
        (values) => {
          const line = [...sparkline(values)];
          expect(line).toHaveLength(values.length);
          const min = Math.min(...values);
          const max = Math.max(...values);
          if (min === max) return;
          values.forEach((v, i) => {
            if (v === min) expect(line[i]).toBe('▁');
            if (v === max) expect(line[i]).toBe('█');
            values.forEach((w, j) => {
              if (v < w) expect(BARS.indexOf(line[i]!)).toBeLessThanOrEqual(BARS.indexOf(line[j]!));
            });
          });
        },
      ),
    );
  });
});

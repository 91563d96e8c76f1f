import { describe, expect, it } from 'vitest';
import {
  assessKpi,
  HISTORY_SHOWN,
  yearToDate,
  type KpiDefinition,
  type ReadingPoint,
} from '../../src/domain/kpi-assessment.js';
import { financialPeriod, parsePeriod, periodsAt } from '../../src/domain/periods.js';

/** 25 Nov 2026, as the integration tests: the last complete month is Oct 2026, the last quarter Q2 2026/27. */
const NOW = new Date('2026-11-25T12:00:00Z');

function kpi(overrides: Partial<KpiDefinition> = {}): KpiDefinition {
  return {
    code: 'FTF',
    name: 'First time fix',
    description: '',
    unit: '%',
    polarity: 'higher',
    targets: [{ from: 2026, target: 80, tolerance: { kind: 'percent', value: 5 } }],
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
  targets: [{ from: 2026, target: 2, tolerance: { kind: 'absolute', value: 1 } }],
});

/** Readings from `{ '2026-09': 78, '2026-10': 82 }`. */
function readings(values: Record<string, number>): ReadingPoint[] {
  return Object.entries(values).map(([period, value]) => ({ period, value }));
}

describe('KPI assessment', () => {
  describe('the period that decides the status', () => {
    it('is the last complete month for a monthly KPI', () => {
      expect(assessKpi(firstTimeFix, [], periodsAt(NOW)).due.label).toBe('2026-10');
    });

    it('is the last complete quarter for a quarterly KPI', () => {
      expect(assessKpi(kpi({ frequency: 'quarterly' }), [], periodsAt(NOW)).due.label).toBe('2026/27 Q2');
    });

    it('is the last complete financial year for an annual KPI', () => {
      expect(assessKpi(kpi({ frequency: 'annual' }), [], periodsAt(NOW)).due.label).toBe('2025/26');
    });

    it('goes by the clock in London: 23:30 GMT on 30 April is already May in British Summer Time', () => {
      expect(assessKpi(firstTimeFix, [], periodsAt(new Date('2026-04-30T23:30:00Z'))).due.label).toBe('2026-04');
      expect(assessKpi(firstTimeFix, [], periodsAt(new Date('2026-04-30T22:30:00Z'))).due.label).toBe('2026-03');
    });
  });

  describe('status', () => {
    it('is the RAG of the reading for the last complete month', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-10': 82 }), periodsAt(NOW)).status).toBe('Green');
      expect(assessKpi(firstTimeFix, readings({ '2026-10': 77 }), periodsAt(NOW)).status).toBe('Amber');
      expect(assessKpi(firstTimeFix, readings({ '2026-10': 70 }), periodsAt(NOW)).status).toBe('Red');
    });

    it('is No data when the last complete month has no reading, however good the one before', () => {
      const assessment = assessKpi(firstTimeFix, readings({ '2026-08': 90, '2026-09': 95 }), periodsAt(NOW));
      expect(assessment.status).toBe('No data');
      expect(assessment.latest).toBeUndefined();
      expect(assessment.trend).toBeUndefined();
    });

    it('is No data when the only reading is for the month not yet ended', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-11': 90 }), periodsAt(NOW)).status).toBe('No data');
    });

    it('is No data for a KPI with no readings at all', () => {
      expect(assessKpi(firstTimeFix, [], periodsAt(NOW))).toMatchObject({
        status: 'No data',
        latest: undefined,
        lastYear: undefined,
        history: [],
      });
    });

    it('counts a lower-is-better KPI the other way round', () => {
      expect(assessKpi(majorIncidents, readings({ '2026-10': 2 }), periodsAt(NOW)).status).toBe('Green');
      expect(assessKpi(majorIncidents, readings({ '2026-10': 3 }), periodsAt(NOW)).status).toBe('Amber');
      expect(assessKpi(majorIncidents, readings({ '2026-10': 4 }), periodsAt(NOW)).status).toBe('Red');
    });

    it('ignores readings of another frequency', () => {
      const quarterly = kpi({ frequency: 'quarterly' });
      const assessment = assessKpi(quarterly, readings({ '2026-10': 90, '2026/27 Q1': 70 }), periodsAt(NOW));
      expect(assessment.status).toBe('No data');
      expect(assessment.history.map((h) => [h.period.label, h.value])).toEqual([
        ['2026/27 Q1', 70],
        ['2026/27 Q2', undefined],
      ]);
    });

    it('gives the latest reading with its RAG', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-09': 70, '2026-10': 77 }), periodsAt(NOW)).latest).toEqual({
        period: '2026-10',
        value: 77,
        rag: 'Amber',
      });
    });
  });

  describe('trend', () => {
    it('is better when a higher-is-better KPI rises', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-09': 78, '2026-10': 82 }), periodsAt(NOW)).trend).toBe('better');
    });

    it('is worse when a higher-is-better KPI falls', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-09': 82, '2026-10': 78 }), periodsAt(NOW)).trend).toBe('worse');
    });

    it('is better when a lower-is-better KPI falls: fewer major incidents', () => {
      expect(assessKpi(majorIncidents, readings({ '2026-09': 3, '2026-10': 1 }), periodsAt(NOW)).trend).toBe('better');
    });

    it('is worse when a lower-is-better KPI rises', () => {
      expect(assessKpi(majorIncidents, readings({ '2026-09': 1, '2026-10': 3 }), periodsAt(NOW)).trend).toBe('worse');
    });

    it('is the same when the value has not moved', () => {
      expect(assessKpi(majorIncidents, readings({ '2026-09': 1, '2026-10': 1 }), periodsAt(NOW)).trend).toBe('same');
    });

    it('is unknown for the first reading', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-10': 82 }), periodsAt(NOW)).trend).toBeUndefined();
    });

    it('compares with the previous reading when a month was missed', () => {
      expect(assessKpi(firstTimeFix, readings({ '2026-08': 70, '2026-10': 82 }), periodsAt(NOW)).trend).toBe('better');
    });

    it('does not compare with a reading for the month not yet ended', () => {
      expect(
        assessKpi(firstTimeFix, readings({ '2026-09': 78, '2026-10': 82, '2026-11': 60 }), periodsAt(NOW)).trend,
      ).toBe('better');
    });
  });

  describe('same period last year', () => {
    it('gives the reading for the same month a year before, with the trend since', () => {
      const assessment = assessKpi(
        firstTimeFix,
        readings({ '2025-10': 70, '2026-09': 85, '2026-10': 82 }),
        periodsAt(NOW),
      );
      expect(assessment.lastYear).toEqual({ period: '2025-10', value: 70, trend: 'better' });
    });

    it('takes polarity into account: 1 major incident against 2 last year is better', () => {
      expect(assessKpi(majorIncidents, readings({ '2025-10': 2, '2026-10': 1 }), periodsAt(NOW)).lastYear).toEqual({
        period: '2025-10',
        value: 2,
        trend: 'better',
      });
    });

    it('gives the same quarter last year for a quarterly KPI', () => {
      const quarterly = kpi({ frequency: 'quarterly' });
      expect(assessKpi(quarterly, readings({ '2025/26 Q2': 85, '2026/27 Q2': 82 }), periodsAt(NOW)).lastYear).toEqual({
        period: '2025/26 Q2',
        value: 85,
        trend: 'worse',
      });
    });

    it('is absent when last year has no reading for that month', () => {
      expect(
        assessKpi(firstTimeFix, readings({ '2025-09': 70, '2025-11': 70, '2026-10': 82 }), periodsAt(NOW)).lastYear,
      ).toBeUndefined();
    });
  });

  describe('history for the sparkline', () => {
    it('covers the 12 periods up to the due one, oldest first, whatever order the readings come in', () => {
      const months = ['2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'];
      const later = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
      const shuffled = [...months, ...later].map((period, i) => ({ period, value: i })).reverse();
      const history = assessKpi(firstTimeFix, shuffled, periodsAt(NOW)).history;
      expect(HISTORY_SHOWN).toBe(12);
      expect(history.map((h) => h.period.label)).toEqual([...months, ...later].slice(-12));
      expect(history.every((h) => h.value !== undefined)).toBe(true);
    });

    it('keeps a month with no reading as a gap, across the turn of the calendar year', () => {
      const history = assessKpi(
        firstTimeFix,
        readings({ '2026-01': 1, '2025-12': 2, '2026-03': 3, '2025-11': 4 }),
        periodsAt(NOW),
      ).history;
      expect(history.map((h) => [h.period.label, h.value])).toEqual([
        ['2025-11', 4],
        ['2025-12', 2],
        ['2026-01', 1],
        ['2026-02', undefined],
        ['2026-03', 3],
        ['2026-04', undefined],
        ['2026-05', undefined],
        ['2026-06', undefined],
        ['2026-07', undefined],
        ['2026-08', undefined],
        ['2026-09', undefined],
        ['2026-10', undefined],
      ]);
    });

    it('ends with the period in progress when it has an early reading', () => {
      const history = assessKpi(firstTimeFix, readings({ '2026-10': 80, '2026-11': 81 }), periodsAt(NOW)).history;
      expect(history.map((h) => h.period.label)).toEqual(['2026-10', '2026-11']);
    });

    it('skips readings it cannot read as a period', () => {
      const history = assessKpi(firstTimeFix, readings({ October: 1, '2026-10': 82 }), periodsAt(NOW)).history;
      expect(history.map((h) => [h.period.label, h.value])).toEqual([['2026-10', 82]]);
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

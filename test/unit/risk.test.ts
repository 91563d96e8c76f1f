import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../../src/domain/partnership.js';
import { projectIdOf } from '../../src/domain/portfolio.js';
import type { Rag } from '../../src/domain/rag.js';
import { addMonths, isIsoDate, londonDate } from '../../src/domain/calendar.js';
import {
  compareIssues,
  formatIssueId,
  issueRag,
  ISSUE_SEVERITIES,
  parseIssueId,
  parseIssueSeverity,
} from '../../src/domain/risk-issue.js';
import {
  aboveAppetite,
  actionState,
  assessRisk,
  bandOf,
  compareForRegister,
  compareIds,
  DEFAULT_APPETITE,
  DEFAULT_REVIEW_MONTHS,
  DEFAULT_RISK_APPETITE,
  DEFAULT_RISK_BANDS,
  DEFAULT_RISK_SETTINGS,
  describeBands,
  formatActionId,
  formatRiskId,
  formatScore,
  heatMap,
  isOverdue,
  isValidAppetite,
  lastScoreChangeOf,
  likelyScores,
  listRisks,
  nextReviewDate,
  parseActionId,
  parseRiskCategory,
  parseRiskId,
  parseScore,
  POSSIBLE_SCORES,
  redSince,
  reviewDue,
  reviewMonthsProblem,
  RISK_CATEGORIES,
  RISK_LEVELS,
  riskBandsProblem,
  riskSummaryOf,
  riskTrend,
  scoreOf,
  takesNewRisks,
  targetExceedsCurrent,
  type AssessedRisk,
  type Risk,
  type RiskFilters,
  type RiskLevel,
  type RiskScore,
  type RiskSettings,
  type RiskSummaryEntry,
  type ScorePoint,
} from '../../src/domain/risk.js';

const s = (likelihood: RiskLevel, impact: RiskLevel): RiskScore => ({ likelihood, impact });
const level = fc.constantFrom(...RISK_LEVELS);
const anyScore = fc.record({ likelihood: level, impact: level });

describe('risk categories', () => {
  it('are the eight the register uses', () =>
    expect(RISK_CATEGORIES).toEqual([
      'cyber',
      'financial',
      'workforce',
      'delivery',
      'supplier',
      'legal',
      'reputational',
      'other',
    ]));
  it('are read whatever the case', () => {
    expect(parseRiskCategory(' Cyber ')).toBe('cyber');
    expect(parseRiskCategory('REPUTATIONAL')).toBe('reputational');
  });
  it('refuse a word that is not a category', () => {
    expect(parseRiskCategory('cybersecurity')).toBeUndefined();
    expect(parseRiskCategory('')).toBeUndefined();
  });
});

describe('risk scores', () => {
  it('are likelihood times impact', () => {
    expect(scoreOf(s(4, 5))).toBe(20);
    expect(scoreOf(s(1, 1))).toBe(1);
    expect(scoreOf(s(5, 5))).toBe(25);
  });

  it('are read as 4x5, 4×5 or 4*5, with or without spaces', () => {
    for (const text of ['4x5', '4X5', '4×5', '4*5', ' 4 x 5 ', '4 × 5']) expect(parseScore(text)).toEqual(s(4, 5));
  });

  it('refuse levels outside 1 to 5 and other shapes', () => {
    for (const text of ['0x5', '4x6', '6×1', '45', '20', '4x', 'x5', '4x5x1', '4.0x5', '4 by 5', '-4x5', ''])
      expect(parseScore(text), text).toBeUndefined();
  });

  it('read back every score as it is typed', () =>
    fc.assert(
      fc.property(anyScore, fc.constantFrom('x', '×', '*'), (score, sign) => {
        expect(parseScore(`${score.likelihood}${sign}${score.impact}`)).toEqual(score);
      }),
    ));

  it('are shown with the sum worked out', () => {
    expect(formatScore(s(4, 5))).toBe('4×5 = 20');
    expect(formatScore(s(1, 3))).toBe('1×3 = 3');
  });

  it('can only be 14 different numbers', () =>
    expect(POSSIBLE_SCORES).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25]));

  it('throw on a level outside 1 to 5, which no caller should pass', () => {
    expect(() => scoreOf({ likelihood: 0, impact: 3 } as unknown as RiskScore)).toThrow(RangeError);
    expect(() => scoreOf({ likelihood: 2.5, impact: 3 } as unknown as RiskScore)).toThrow(RangeError);
  });

  describe('target', () => {
    it('may equal the current score, even in another shape', () => {
      expect(targetExceedsCurrent(s(4, 3), s(4, 3))).toBe(false);
      expect(targetExceedsCurrent(s(4, 3), s(3, 4))).toBe(false);
    });
    it('may be lower by score though one level is higher', () =>
      expect(targetExceedsCurrent(s(2, 5), s(3, 3))).toBe(false));
    it('may not score above the current score', () => expect(targetExceedsCurrent(s(2, 5), s(3, 4))).toBe(true));
  });
});

describe('risk bands', () => {
  it('is Green up to 4 with the default bands', () => {
    expect(bandOf(1)).toBe('Green');
    expect(bandOf(4)).toBe('Green');
  });
  it('is Amber at 5 with the default bands', () => expect(bandOf(5)).toBe('Amber'));
  it('is Amber at 12 with the default bands', () => expect(bandOf(12)).toBe('Amber'));
  it('is Red at 15 with the default bands', () => expect(bandOf(15)).toBe('Red'));
  it('is Red at 25 with the default bands', () => expect(bandOf(25)).toBe('Red'));
  it('defaults to amber=5 red=15', () => expect(DEFAULT_RISK_BANDS).toEqual({ amber: 5, red: 15 }));

  it('follows a partnership’s own bands at their boundaries', () => {
    const bands = { amber: 4, red: 10 };
    expect(bandOf(3, bands)).toBe('Green');
    expect(bandOf(4, bands)).toBe('Amber');
    expect(bandOf(9, bands)).toBe('Amber');
    expect(bandOf(10, bands)).toBe('Red');
  });

  it('never makes a higher score a better band', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 25 }), (a, b) => {
        const rank: Record<Rag, number> = { Green: 0, Amber: 1, Red: 2 };
        if (a <= b) expect(rank[bandOf(a)]).toBeLessThanOrEqual(rank[bandOf(b)]);
      }),
    ));

  it('throws on a score no risk can have', () => {
    for (const score of [0, 26, 4.5, Number.NaN]) expect(() => bandOf(score), String(score)).toThrow(RangeError);
  });

  it('are described by the scores a risk can actually have', () => {
    expect(describeBands()).toBe('Green 1–4, Amber 5–12, Red 15–25');
    expect(describeBands({ amber: 6, red: 20 })).toBe('Green 1–5, Amber 6–16, Red 20–25');
    expect(describeBands({ amber: 2, red: 25 })).toBe('Green 1, Amber 2–20, Red 25');
  });

  describe('settings', () => {
    it('accept the defaults and any whole amber below red within 2 to 25', () => {
      expect(riskBandsProblem(DEFAULT_RISK_BANDS)).toBeUndefined();
      expect(riskBandsProblem({ amber: 2, red: 25 })).toBeUndefined();
      expect(riskBandsProblem({ amber: 12, red: 15 })).toBeUndefined();
    });
    it('refuse amber equal to or above red', () => {
      expect(riskBandsProblem({ amber: 10, red: 10 })).toBe('amber (10) must be lower than red (10)');
      expect(riskBandsProblem({ amber: 15, red: 5 })).toBe('amber (15) must be lower than red (5)');
    });
    it('refuse numbers outside 2 to 25', () => {
      expect(riskBandsProblem({ amber: 1, red: 15 })).toBe('amber and red must each be between 2 and 25');
      expect(riskBandsProblem({ amber: 5, red: 26 })).toBe('amber and red must each be between 2 and 25');
    });
    it('refuse fractions', () =>
      expect(riskBandsProblem({ amber: 4.5, red: 15 })).toBe('amber and red must be whole numbers'));
    it('refuse bands that leave no score Amber', () => {
      expect(riskBandsProblem({ amber: 13, red: 15 })).toMatch(/nothing would be Amber/);
      expect(riskBandsProblem({ amber: 13, red: 14 })).toMatch(/nothing would be Amber/);
    });
  });
});

describe('risk appetite', () => {
  it('is 12 for every category by default', () => {
    expect(DEFAULT_APPETITE).toBe(12);
    for (const category of RISK_CATEGORIES) expect(DEFAULT_RISK_APPETITE[category]).toBe(12);
  });
  it('is not exceeded by a score equal to it (12 is not above 12)', () => expect(aboveAppetite(12, 12)).toBe(false));
  it('is exceeded by any score above it', () => expect(aboveAppetite(15, 12)).toBe(true));
  it('is not exceeded by a lower score', () => expect(aboveAppetite(10, 12)).toBe(false));
  it('is a whole number from 1 to 25', () => {
    expect([1, 12, 25].every(isValidAppetite)).toBe(true);
    expect([0, 26, 12.5, Number.NaN].some(isValidAppetite)).toBe(false);
  });
});

describe('review dates', () => {
  it('are a month after the last review for a Red risk, three for Amber, six for Green', () => {
    expect(DEFAULT_REVIEW_MONTHS).toEqual({ Red: 1, Amber: 3, Green: 6 });
    expect(nextReviewDate('2026-10-14', 'Red')).toBe('2026-11-14');
    expect(nextReviewDate('2026-10-14', 'Amber')).toBe('2027-01-14');
    expect(nextReviewDate('2026-10-14', 'Green')).toBe('2027-04-14');
  });

  it('follow a partnership’s own intervals', () =>
    expect(nextReviewDate('2026-10-14', 'Green', { Red: 1, Amber: 2, Green: 12 })).toBe('2027-10-14'));

  it('stay in the month at a month end: 31 January + 1 month is the last day of February', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-31', 6)).toBe('2026-09-30');
  });

  it('know the leap years: 2000 and 2028 are, 2100 is not', () => {
    expect(addMonths('2000-01-31', 1)).toBe('2000-02-29');
    expect(addMonths('2100-01-31', 1)).toBe('2100-02-28');
    expect(addMonths('2027-08-29', 6)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('cross the year end', () => {
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2027-01-15', -1)).toBe('2026-12-15');
  });

  it('land in the right month, never past the day they started from', () =>
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 120 }),
        (date, months) => {
          const from = date.toISOString().slice(0, 10);
          const to = addMonths(from, months);
          expect(isIsoDate(to)).toBe(true);
          const monthsApart =
            (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + +to.slice(5, 7) - +from.slice(5, 7);
          expect(monthsApart).toBe(months);
          expect(Number(to.slice(8))).toBeLessThanOrEqual(Number(from.slice(8)));
        },
      ),
    ));

  it('throw on a date that is not a calendar date', () => {
    for (const date of ['2026-02-30', '2026-2-3', '31/01/2026', '2026-13-01'])
      expect(() => addMonths(date, 1), date).toThrow(RangeError);
  });

  describe('intervals', () => {
    it('accept the defaults', () => expect(reviewMonthsProblem(DEFAULT_REVIEW_MONTHS)).toBeUndefined());
    it('accept the same interval for every band', () =>
      expect(reviewMonthsProblem({ Red: 3, Amber: 3, Green: 3 })).toBeUndefined());
    it('refuse months outside 1 to 12 or fractions', () => {
      for (const months of [
        { Red: 0, Amber: 3, Green: 6 },
        { Red: 1, Amber: 3, Green: 13 },
        { Red: 1.5, Amber: 3, Green: 6 },
      ])
        expect(reviewMonthsProblem(months)).toMatch(/whole numbers of months from 1 to 12/);
    });
    it('refuse reviewing a Red risk less often than an Amber one', () =>
      expect(reviewMonthsProblem({ Red: 6, Amber: 3, Green: 6 })).toMatch(/at least as often/));
  });

  describe('overdue', () => {
    it('is not overdue on the review date itself', () => expect(isOverdue('2026-11-14', '2026-11-14')).toBe(false));
    it('is overdue the day after', () => expect(isOverdue('2026-11-14', '2026-11-15')).toBe(true));
    it('is not overdue before', () => expect(isOverdue('2026-11-14', '2026-11-13')).toBe(false));
    it('compares across a year end', () => expect(isOverdue('2026-12-31', '2027-01-01')).toBe(true));
    it('throws on a date that is not ISO', () =>
      expect(() => isOverdue('14/11/2026', '2026-11-15')).toThrow(RangeError));
  });

  describe('today in London', () => {
    it('is the UTC date in winter', () => expect(londonDate(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31'));
    it('is the next day late in the evening in summer time', () =>
      expect(londonDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01'));
    it('follows the clocks going back: 23:30 UTC is the next day before, the same day after', () => {
      expect(londonDate(new Date('2026-10-24T23:30:00Z'))).toBe('2026-10-25');
      expect(londonDate(new Date('2026-10-25T23:30:00Z'))).toBe('2026-10-25');
    });
    it('throws on an invalid date', () => expect(() => londonDate(new Date('nonsense'))).toThrow(RangeError));
  });
});

describe('risk trend', () => {
  it('is up when the score has grown (worse)', () => expect(riskTrend(s(4, 5), s(3, 5))).toBe('up'));
  it('is down when the score has fallen', () => expect(riskTrend(s(3, 5), s(4, 5))).toBe('down'));
  it('is the same when the score is, even in another shape', () => expect(riskTrend(s(4, 3), s(3, 4))).toBe('same'));
  it('is unknown before the first re-score', () => expect(riskTrend(s(4, 5), undefined)).toBeUndefined());
});

describe('likely scores after an action', () => {
  it('offers likelihood one lower, impact one lower and the target', () =>
    expect(likelyScores(s(4, 5), s(2, 3))).toEqual([s(3, 5), s(4, 4), s(2, 3)]));

  it('drops a score below the target and repeats', () =>
    // 3×5 = 15 is below the target 4×4 = 16; impact one lower is the target itself.
    expect(likelyScores(s(4, 5), s(4, 4))).toEqual([s(4, 4)]));

  it('skips a level that would fall below 1', () => expect(likelyScores(s(1, 5), s(1, 3))).toEqual([s(1, 4), s(1, 3)]));

  it('offers nothing once the risk is at its target', () => expect(likelyScores(s(3, 3), s(3, 3))).toEqual([]));

  it('offers the target in another shape of the same score', () =>
    expect(likelyScores(s(4, 3), s(3, 4))).toEqual([s(3, 4)]));

  it('never offers a score below the target, above the current score, the current score itself, or one twice', () =>
    fc.assert(
      fc.property(anyScore, anyScore, (current, target) => {
        const offered = likelyScores(current, target);
        expect(offered.length).toBeLessThanOrEqual(3);
        for (const score of offered) {
          expect(scoreOf(score)).toBeGreaterThanOrEqual(scoreOf(target));
          expect(scoreOf(score)).toBeLessThanOrEqual(scoreOf(current));
          expect(score).not.toEqual(current);
        }
        expect(new Set(offered.map(formatScore)).size).toBe(offered.length);
      }),
    ));
});

describe('ids', () => {
  it('are R-<n>, I-<n> and A-<n>', () => {
    expect(formatRiskId(3)).toBe('R-3');
    expect(formatIssueId(12)).toBe('I-12');
    expect(formatActionId(1)).toBe('A-1');
  });

  it('are read whatever the case, with or without the dash', () => {
    for (const text of ['R-3', 'r-3', 'R3', 'r3', ' R-3 ', 'R 3']) expect(parseRiskId(text), text).toBe(3);
    expect(parseIssueId('i-7')).toBe(7);
    expect(parseActionId('A2')).toBe(2);
  });

  it('are not confused with each other or with plain numbers', () => {
    for (const text of ['I-3', 'A-3', '3', 'R-0', 'R-', 'R-3a', 'R--3', 'R-1.5', 'RR-3', 'R-1234567890', ''])
      expect(parseRiskId(text), text).toBeUndefined();
    expect(parseIssueId('R-3')).toBeUndefined();
  });

  it('read back what they format', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999 }), (n) => {
        expect(parseRiskId(formatRiskId(n))).toBe(n);
        expect(parseIssueId(formatIssueId(n))).toBe(n);
        expect(parseActionId(formatActionId(n))).toBe(n);
      }),
    ));

  it('throw when asked to format a number that is not a sequence number', () => {
    for (const n of [0, -1, 1.5]) expect(() => formatRiskId(n), String(n)).toThrow(RangeError);
  });

  it('sort naturally: R-2 before R-10', () => {
    expect(['R-10', 'R-2', 'R-1', 'R-21'].sort(compareIds)).toEqual(['R-1', 'R-2', 'R-10', 'R-21']);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (a, b) => {
        expect(compareIds(formatRiskId(a), formatRiskId(b))).toBe(Math.sign(a - b));
      }),
    );
  });
});

// The register of a shared ICT service, after the council papers: one red cyber risk and the income risk behind an overspend.
const TODAY = '2026-11-16';
const risk = (over: Partial<RiskSummaryEntry> & Pick<RiskSummaryEntry, 'id' | 'current'>): RiskSummaryEntry => ({
  title: `Risk ${over.id}`,
  category: 'delivery',
  ownerId: 'sam',
  ownerName: 'Sam Patel',
  council: SHARED,
  status: 'open',
  inherent: over.current,
  target: s(1, 1),
  nextReview: '2026-12-01',
  lastScoreChange: undefined,
  ...over,
});
const id = (n: number) => formatRiskId(n);

const REGISTER: RiskSummaryEntry[] = [
  risk({
    id: id(1),
    title: 'Information management and data security',
    category: 'cyber',
    current: s(4, 5),
    project: projectIdOf(5),
  }),
  risk({ id: id(2), title: 'Commissioned hours fall below 100,000', category: 'financial', current: s(3, 4) }),
  risk({ id: id(10), category: 'supplier', current: s(2, 5), council: 'CEC', nextReview: '2026-11-15' }),
  risk({ id: id(4), category: 'workforce', current: s(2, 2), council: 'CWAC', ownerId: 'alex', ownerName: 'Alex' }),
  risk({ id: id(5), category: 'legal', current: s(4, 4), council: 'CEC', nextReview: '2026-11-16' }),
  risk({
    id: id(6),
    category: 'cyber',
    current: s(5, 5),
    status: 'closed',
    nextReview: '2026-01-01',
    project: projectIdOf(5),
  }),
  risk({
    id: id(3),
    category: 'financial',
    current: s(2, 5),
    ownerId: 'alex',
    ownerName: 'Alex',
    project: projectIdOf(2),
  }),
];
// Financial risks above 8 are not accepted: 12 and 10 are above appetite, 10 in supplier is not.
const SETTINGS: RiskSettings = {
  ...DEFAULT_RISK_SETTINGS,
  appetite: { ...DEFAULT_RISK_APPETITE, financial: 8 },
};
const ids = (rows: readonly AssessedRisk[]) => rows.map((r) => r.id);

describe('the register', () => {
  it('works out band, appetite, overdue and trend for each risk', () => {
    const row = assessRisk(
      risk({
        id: id(1),
        category: 'cyber',
        current: s(4, 5),
        nextReview: '2026-11-15',
        lastScoreChange: { from: s(3, 5), on: '2026-10-01' },
      }),
      DEFAULT_RISK_SETTINGS,
      TODAY,
    );
    expect(row).toMatchObject({
      score: 20,
      band: 'Red',
      appetite: 12,
      aboveAppetite: true,
      overdue: true,
      trend: 'up',
    });
  });

  it('never calls a closed risk overdue', () =>
    expect(assessRisk(REGISTER[5]!, DEFAULT_RISK_SETTINGS, TODAY).overdue).toBe(false));

  describe('order', () => {
    const row = (n: number, score: number, band: Rag, above: boolean) => ({
      id: id(n),
      score,
      band,
      aboveAppetite: above,
    });
    it('puts a worse band first whatever the appetite', () =>
      expect(compareForRegister(row(1, 15, 'Red', false), row(2, 12, 'Amber', true))).toBeLessThan(0));
    it('puts a risk above appetite first within its band, though it scores less', () =>
      expect(compareForRegister(row(1, 10, 'Amber', true), row(2, 12, 'Amber', false))).toBeLessThan(0));
    it('puts the higher score first otherwise', () =>
      expect(compareForRegister(row(2, 9, 'Amber', false), row(1, 8, 'Amber', false))).toBeLessThan(0));
    it('puts R-2 before R-10 on the same score', () =>
      expect(compareForRegister(row(2, 10, 'Amber', false), row(10, 10, 'Amber', false))).toBeLessThan(0));

    it('lists the open register in that order', () =>
      // Red: R-1 20, R-5 16; Amber above appetite: R-2 12, R-3 10; Amber within: R-10 10; Green: R-4.
      expect(ids(listRisks(REGISTER, {}, SETTINGS, TODAY))).toEqual(['R-1', 'R-5', 'R-2', 'R-3', 'R-10', 'R-4']));
  });

  describe('filters', () => {
    const list = (filters: RiskFilters) => ids(listRisks(REGISTER, filters, SETTINGS, TODAY));
    it('show open risks unless asked for closed or all', () => {
      expect(list({})).not.toContain('R-6');
      expect(list({ status: 'closed' })).toEqual(['R-6']);
      expect(list({ status: 'all' })).toHaveLength(REGISTER.length);
    });
    it('by band', () => {
      expect(list({ bands: ['Red'] })).toEqual(['R-1', 'R-5']);
      expect(list({ bands: ['Green', 'Red'] })).toEqual(['R-1', 'R-5', 'R-4']);
    });
    it('by council, shared risks being a council of their own', () => {
      expect(list({ council: 'CEC' })).toEqual(['R-5', 'R-10']);
      expect(list({ council: SHARED })).toEqual(['R-1', 'R-2', 'R-3']);
    });
    it('by owner', () => expect(list({ ownerId: 'alex' })).toEqual(['R-3', 'R-4']));
    it('by category', () => expect(list({ category: 'financial' })).toEqual(['R-2', 'R-3']));
    it('by the project a risk threatens, open ones unless asked', () => {
      expect(list({ project: projectIdOf(5) })).toEqual(['R-1']);
      expect(list({ project: projectIdOf(5), status: 'all' })).toEqual(['R-6', 'R-1']);
      expect(list({ project: projectIdOf(2) })).toEqual(['R-3']);
      expect(list({ project: projectIdOf(9) })).toEqual([]);
    });
    it('overdue: past the review date, not on it', () => expect(list({ overdue: true })).toEqual(['R-10']));
    it('above appetite, by each category’s appetite', () =>
      expect(list({ aboveAppetite: true })).toEqual(['R-1', 'R-5', 'R-2', 'R-3']));
    it('combine', () => {
      expect(list({ bands: ['Amber'], aboveAppetite: true })).toEqual(['R-2', 'R-3']);
      expect(list({ bands: ['Amber'], council: 'CEC', overdue: true })).toEqual(['R-10']);
      expect(list({ bands: ['Red'], category: 'financial' })).toEqual([]);
    });

    const entries = fc
      .uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 25 })
      .chain((numbers) =>
        fc.tuple(
          ...numbers.map((n) =>
            fc.record({
              id: fc.constant(id(n)),
              current: anyScore,
              category: fc.constantFrom(...RISK_CATEGORIES),
              council: fc.constantFrom(SHARED, 'CEC', 'CWAC'),
              ownerId: fc.constantFrom('sam', 'alex'),
              status: fc.constantFrom('open' as const, 'closed' as const),
              nextReview: fc.constantFrom('2026-11-15', '2026-11-16', '2026-11-17'),
              project: fc.constantFrom(undefined, projectIdOf(1), projectIdOf(2)),
            }),
          ),
        ),
      )
      .map((rows) => rows.map((r) => risk(r)));
    const filters: fc.Arbitrary<RiskFilters> = fc.record(
      {
        bands: fc.subarray<Rag>(['Red', 'Amber', 'Green']),
        council: fc.constantFrom(SHARED, 'CEC', 'CWAC'),
        ownerId: fc.constantFrom('sam', 'alex'),
        category: fc.constantFrom(...RISK_CATEGORIES),
        overdue: fc.boolean(),
        aboveAppetite: fc.boolean(),
        project: fc.constantFrom(projectIdOf(1), projectIdOf(2)),
      },
      { requiredKeys: [] },
    );

    it('together keep exactly the risks each keeps on its own, in register order', () =>
      fc.assert(
        fc.property(entries, filters, (rows, combined) => {
          const kept = listRisks(rows, combined, SETTINGS, TODAY);
          const eachAlone = (Object.keys(combined) as (keyof RiskFilters)[]).map(
            (key) => new Set(ids(listRisks(rows, { [key]: combined[key] }, SETTINGS, TODAY))),
          );
          const open = ids(listRisks(rows, {}, SETTINGS, TODAY));
          expect(ids(kept)).toEqual(open.filter((r) => eachAlone.every((alone) => alone.has(r))));
          for (let i = 1; i < kept.length; i++) expect(compareForRegister(kept[i - 1]!, kept[i]!)).toBeLessThan(0);
        }),
      ));
  });

  it('keeps in its summary row what the list needs, taken from the risk', () => {
    const full: Risk = {
      id: id(1),
      title: 'Information management and data security',
      description: 'Including cyber security: phishing, security monitoring',
      category: 'cyber',
      owner: { id: 'sam', name: 'Sam Patel', aadObjectId: undefined },
      council: SHARED,
      project: projectIdOf(2),
      status: 'open',
      inherent: s(5, 5),
      current: s(4, 5),
      target: s(3, 4),
      lastReview: '2026-10-16',
      nextReview: '2026-11-16',
      createdAt: '2026-04-01T09:00:00.000Z',
      createdBy: 'sam',
    };
    const change = { from: s(5, 5), on: '2026-10-16' };
    expect(riskSummaryOf(full, change)).toEqual({
      id: 'R-1',
      title: 'Information management and data security',
      category: 'cyber',
      ownerId: 'sam',
      ownerName: 'Sam Patel',
      council: SHARED,
      project: 'P-2',
      status: 'open',
      current: s(4, 5),
      inherent: s(5, 5),
      target: s(3, 4),
      nextReview: '2026-11-16',
      lastScoreChange: change,
    });
  });

  describe('projects', () => {
    it('takes new risks while a project is proposed or active', () => {
      expect(takesNewRisks('proposed')).toBe(true);
      expect(takesNewRisks('active')).toBe(true);
    });
    it('takes none once it is closed or rejected', () => {
      expect(takesNewRisks('closed')).toBe(false);
      expect(takesNewRisks('rejected')).toBe(false);
    });
  });
});

describe('risk heat map', () => {
  const map = heatMap(REGISTER);
  const cell = (likelihood: number, impact: number) =>
    map.rows.find((r) => r.impact === impact)!.cells.find((c) => c.likelihood === likelihood)!;

  it('has impact 5 at the top down to 1, likelihood 1 to 5 left to right', () => {
    expect(map.rows.map((r) => r.impact)).toEqual([5, 4, 3, 2, 1]);
    for (const row of map.rows) expect(row.cells.map((c) => c.likelihood)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives each cell its score and band', () => {
    expect(cell(4, 5)).toMatchObject({ score: 20, band: 'Red' });
    expect(cell(1, 5)).toMatchObject({ score: 5, band: 'Amber' });
    expect(cell(2, 2)).toMatchObject({ score: 4, band: 'Green' });
  });

  it('counts open risks by their current score', () => {
    expect(cell(2, 5).count).toBe(2);
    expect(cell(4, 5).count).toBe(1);
    expect(cell(5, 5).count).toBe(0); // R-6 is closed
    expect(map.total).toBe(6);
  });

  it('can be read without colour', () => {
    expect(cell(2, 5).text).toBe('2 A');
    expect(cell(4, 5).text).toBe('1 R');
    expect(cell(1, 1).text).toBe('G');
    expect(cell(2, 5).label).toBe('2 risks, likelihood 2 × impact 5 = 10, Amber');
    expect(cell(4, 5).label).toBe('1 risk, likelihood 4 × impact 5 = 20, Red');
  });

  it('can show inherent scores instead, and a partnership’s own bands', () => {
    const inherent = heatMap(
      [risk({ id: id(1), current: s(2, 2), inherent: s(5, 4) })],
      { amber: 4, red: 10 },
      'inherent',
    );
    const at = (l: number, i: number) =>
      inherent.rows.find((r) => r.impact === i)!.cells.find((c) => c.likelihood === l)!;
    expect(at(5, 4).count).toBe(1);
    expect(at(2, 2)).toMatchObject({ count: 0, band: 'Amber' });
  });

  it('has cells that add up to the number of open risks', () =>
    fc.assert(
      fc.property(
        fc.array(fc.record({ current: anyScore, status: fc.constantFrom('open' as const, 'closed' as const) })),
        (rows) => {
          const counted = heatMap(rows.map((r, i) => risk({ id: id(i + 1), ...r })));
          const sum = counted.rows.flatMap((r) => r.cells).reduce((total, c) => total + c.count, 0);
          expect(sum).toBe(rows.filter((r) => r.status === 'open').length);
          expect(counted.total).toBe(sum);
        },
      ),
    ));

  it('throws on a level no risk can have rather than leave it out', () =>
    expect(() => heatMap([risk({ id: id(1), current: { likelihood: 6, impact: 1 } as unknown as RiskScore })])).toThrow(
      RangeError,
    ));
});

describe('issues', () => {
  it('are shown Red when high, Amber when medium, Green when low', () => {
    expect(ISSUE_SEVERITIES).toEqual(['high', 'medium', 'low']);
    expect(ISSUE_SEVERITIES.map(issueRag)).toEqual(['Red', 'Amber', 'Green']);
  });

  it('take their severity as a word or as the colour it is shown in', () => {
    expect(parseIssueSeverity('High')).toBe('high');
    expect(parseIssueSeverity('amber')).toBe('medium');
    expect(parseIssueSeverity('GREEN')).toBe('low');
    expect(parseIssueSeverity('critical')).toBeUndefined();
  });

  it('list open before resolved, high first, then I-2 before I-10', () => {
    const issue = (n: number, severity: 'high' | 'medium' | 'low', status: 'open' | 'resolved') => ({
      id: formatIssueId(n),
      severity,
      status,
    });
    const sorted = [
      issue(10, 'low', 'open'),
      issue(1, 'high', 'resolved'),
      issue(10, 'high', 'open'),
      issue(2, 'high', 'open'),
      issue(3, 'medium', 'open'),
    ].sort(compareIssues);
    expect(sorted.map((i) => `${i.id} ${i.severity} ${i.status}`)).toEqual([
      'I-2 high open',
      'I-10 high open',
      'I-3 medium open',
      'I-10 low open',
      'I-1 high resolved',
    ]);
  });
});

describe('risk score history', () => {
  const at = (on: string, score: RiskScore): ScorePoint => ({ on, score });

  it('has no last change before the first re-score', () => {
    expect(lastScoreChangeOf([])).toBeUndefined();
    expect(lastScoreChangeOf([at('2026-04-01T09:00:00Z', s(4, 5))])).toBeUndefined();
  });

  it('compares the current score with the one before the latest re-score', () =>
    expect(
      lastScoreChangeOf([
        at('2026-04-01T09:00:00Z', s(5, 5)),
        at('2026-07-01T09:00:00Z', s(4, 5)),
        at('2026-10-01T09:00:00Z', s(3, 5)),
      ]),
    ).toEqual({ from: s(4, 5), on: '2026-10-01T09:00:00Z' }));

  describe('red since', () => {
    it('is undefined for a risk that is not Red now', () =>
      expect(redSince([at('2026-04-01T09:00:00Z', s(4, 5)), at('2026-10-01T09:00:00Z', s(3, 4))])).toBeUndefined());

    it('is when the risk moved into Red', () =>
      expect(
        redSince([
          at('2026-04-01T09:00:00Z', s(3, 4)),
          at('2026-10-01T09:00:00Z', s(4, 4)),
          at('2026-11-01T09:00:00Z', s(4, 5)),
        ]),
      ).toBe('2026-10-01T09:00:00Z'));

    it('is when the risk was added, for a risk Red from the start', () =>
      expect(redSince([at('2026-04-01T09:00:00Z', s(5, 5)), at('2026-10-01T09:00:00Z', s(4, 5))])).toBe(
        '2026-04-01T09:00:00Z',
      ));

    it('counts only the present spell in Red', () =>
      expect(
        redSince([
          at('2026-04-01T09:00:00Z', s(5, 5)),
          at('2026-06-01T09:00:00Z', s(2, 5)),
          at('2026-09-01T09:00:00Z', s(3, 5)),
        ]),
      ).toBe('2026-09-01T09:00:00Z'));

    it('follows the partnership’s own bands', () =>
      expect(
        redSince([at('2026-04-01T09:00:00Z', s(2, 4)), at('2026-09-01T09:00:00Z', s(3, 4))], { amber: 4, red: 10 }),
      ).toBe('2026-09-01T09:00:00Z'));
  });
});

describe('review due under the partnership’s settings', () => {
  it('is a month after the last review for a Red risk, three for Amber, six for Green', () => {
    expect(reviewDue({ lastReview: '2026-10-14', current: s(4, 5) }, DEFAULT_RISK_SETTINGS)).toBe('2026-11-14');
    expect(reviewDue({ lastReview: '2026-10-14', current: s(3, 4) }, DEFAULT_RISK_SETTINGS)).toBe('2027-01-14');
    expect(reviewDue({ lastReview: '2026-10-14', current: s(2, 2) }, DEFAULT_RISK_SETTINGS)).toBe('2027-04-14');
  });

  it('moves with a change of bands or of intervals', () => {
    const settings: RiskSettings = {
      ...DEFAULT_RISK_SETTINGS,
      bands: { amber: 4, red: 12 },
      reviewMonths: { Red: 2, Amber: 4, Green: 12 },
    };
    expect(reviewDue({ lastReview: '2026-10-14', current: s(3, 4) }, settings)).toBe('2026-12-14');
    expect(reviewDue({ lastReview: '2026-10-14', current: s(1, 4) }, settings)).toBe('2027-02-14');
  });

  it('keeps within the month: a review on 31 January is next due on 28 February for a Red risk', () =>
    expect(reviewDue({ lastReview: '2027-01-31', current: s(5, 5) }, DEFAULT_RISK_SETTINGS)).toBe('2027-02-28'));
});

describe('planned actions', () => {
  const action = { due: '2026-11-25', done: undefined };
  it('are open up to and on their due date', () => expect(actionState(action, '2026-11-25')).toBe('open'));
  it('are overdue from the day after', () => expect(actionState(action, '2026-11-26')).toBe('overdue'));
  it('are done once done, however late', () =>
    expect(actionState({ ...action, done: { on: '2026-12-20', by: 'Sam' } }, '2027-01-01')).toBe('done'));
});

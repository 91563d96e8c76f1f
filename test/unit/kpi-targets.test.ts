import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ragOf, type KpiRules } from '../../src/domain/kpi-assessment.js';
import { setYearTarget, targetIn, type YearTarget, type YearTargets } from '../../src/domain/kpi-targets.js';
import { parsePeriod } from '../../src/domain/periods.js';

const percent = (value: number) => ({ kind: 'percent', value }) as const;
const eighty: YearTarget = { from: 2026, target: 80, tolerance: percent(5) };
/** What a year is held to, whichever entry it comes from. */
const rules = (t: YearTarget) => ({ target: t.target, tolerance: t.tolerance });

describe('KPI targets per financial year', () => {
  it('stand for the year they are set for, are carried forward, and the earliest stands for the years before', () => {
    const targets: YearTargets = [
      { from: 2024, target: 70, tolerance: percent(5) },
      { from: 2026, target: 80, tolerance: percent(5) },
    ];
    expect(targetIn(targets, 2022).target).toBe(70);
    expect(targetIn(targets, 2024).target).toBe(70);
    expect(targetIn(targets, 2025).target).toBe(70);
    expect(targetIn(targets, 2026).target).toBe(80);
    expect(targetIn(targets, 2030).target).toBe(80);
  });

  it("rate a reading against its own year's target: 78% is Amber against 80 and Red against 85", () => {
    const kpi: KpiRules = {
      unit: '%',
      polarity: 'higher',
      frequency: 'monthly',
      targets: setYearTarget([{ ...eighty, from: 2025 }], 2026, { target: 85 }, 2026),
    };
    expect(ragOf(kpi, 78, parsePeriod('2026-03')!)).toBe('Amber');
    expect(ragOf(kpi, 78, parsePeriod('2026-04')!)).toBe('Red');
  });

  it("set for this year, keep last year's target for last year and carry the new one forward", () => {
    const targets = setYearTarget([eighty], 2026, { target: 85 }, 2026);
    expect(targetIn(targets, 2025).target).toBe(80);
    expect(targetIn(targets, 2026).target).toBe(85);
    expect(targetIn(targets, 2027).target).toBe(85);
  });

  it('set for a past year, change that year alone', () => {
    const targets = setYearTarget([eighty], 2024, { target: 75 }, 2026);
    expect([2023, 2024, 2025, 2026, 2027].map((y) => targetIn(targets, y).target)).toEqual([80, 75, 80, 80, 80]);
  });

  it('set for next year in advance, leave this year as it is', () => {
    const targets = setYearTarget([eighty], 2027, { target: 90 }, 2026);
    expect(targetIn(targets, 2026).target).toBe(80);
    expect(targetIn(targets, 2027).target).toBe(90);
  });

  it('keep the target when only the tolerance changes, and the tolerance when only the target does', () => {
    const tolerance = setYearTarget([eighty], 2026, { tolerance: percent(10) }, 2026);
    expect(targetIn(tolerance, 2026)).toEqual({ from: 2026, target: 80, tolerance: percent(10) });
    const target = setYearTarget(tolerance, 2026, { target: 82 }, 2026);
    expect(targetIn(target, 2026)).toEqual({ from: 2026, target: 82, tolerance: percent(10) });
  });

  it('keep no entry that only repeats the year before', () => {
    expect(setYearTarget([eighty], 2026, { target: 80 }, 2026)).toEqual([eighty]);
    const back = setYearTarget(setYearTarget([eighty], 2026, { target: 85 }, 2026), 2026, { target: 80 }, 2026);
    expect(back.map((t) => t.target)).toEqual([80]);
  });

  const yearTarget = fc.record({
    from: fc.integer({ min: 2018, max: 2030 }),
    target: fc.integer({ min: 0, max: 100 }),
    tolerance: fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 0, max: 20 }) }),
  });
  const targetsArb = fc
    .uniqueArray(yearTarget, { minLength: 1, maxLength: 5, selector: (t) => t.from })
    .map((ts) => [...ts].sort((a, b) => a.from - b.from) as unknown as YearTargets);

  it('never change a year before the one set, nor a year after it when it is a past year', () => {
    fc.assert(
      fc.property(
        targetsArb,
        fc.integer({ min: 2016, max: 2032 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 2016, max: 2032 }),
        (targets, year, target, current) => {
          const after = setYearTarget(targets, year, { target }, current);
          expect(targetIn(after, year).target).toBe(target);
          for (let y = 2010; y <= 2040; y++) {
            const untouched = y < year || (year < current && y > year);
            if (untouched) expect(rules(targetIn(after, y)), `year ${y}`).toEqual(rules(targetIn(targets, y)));
          }
        },
      ),
    );
  });

  it('carry a target set for this year or later to the years after it that had none of their own', () => {
    fc.assert(
      fc.property(
        targetsArb,
        fc.integer({ min: 2016, max: 2032 }),
        fc.integer({ min: 0, max: 100 }),
        (targets, year, target) => {
          const after = setYearTarget(targets, year, { target }, year);
          const ownLater = targets.filter((t) => t.from > year).map((t) => t.from);
          const nextOwn = Math.min(...ownLater, Infinity);
          for (let y = year; y < Math.min(nextOwn, 2040); y++) expect(targetIn(after, y).target).toBe(target);
          for (let y = nextOwn; y <= 2040 && Number.isFinite(nextOwn); y++)
            expect(rules(targetIn(after, y))).toEqual(rules(targetIn(targets, y)));
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, endOfLondonDay, isIsoDate, londonDate, startOfLondonDay } from '../../src/domain/calendar.js';

describe('London calendar days', () => {
  it('knows real dates from impossible ones', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('1/10/2026')).toBe(false);
  });

  it('reads the date as the clock reads in London', () => {
    expect(londonDate(new Date('2026-07-14T23:30:00Z'))).toBe('2026-07-15');
    expect(londonDate(new Date('2026-12-14T23:30:00Z'))).toBe('2026-12-14');
  });

  it('starts the day at midnight BST in summer and midnight GMT in winter', () => {
    expect(startOfLondonDay('2026-07-15').toISOString()).toBe('2026-07-14T23:00:00.000Z');
    expect(startOfLondonDay('2026-12-15').toISOString()).toBe('2026-12-15T00:00:00.000Z');
    expect(endOfLondonDay('2026-03-29').toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(endOfLondonDay('2026-10-25').toISOString()).toBe('2026-10-26T00:00:00.000Z');
  });

  it('moves by whole days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });

  it('puts every instant of a London day between its start and end', () => {
    const instant = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, (when) => {
        const day = londonDate(when);
        expect(startOfLondonDay(day).getTime()).toBeLessThanOrEqual(when.getTime());
        expect(endOfLondonDay(day).getTime()).toBeGreaterThan(when.getTime());
        expect(londonDate(startOfLondonDay(day))).toBe(day);
      }),
    );
  });
});

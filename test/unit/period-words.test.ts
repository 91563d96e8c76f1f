import { describe, expect, it } from 'vitest';
import { parsePeriodNear } from '../../src/domain/periods.js';

const NOVEMBER = new Date('2026-11-25T12:00:00Z');
const MARCH = new Date('2027-03-10T12:00:00Z');

describe('a period written near today', () => {
  it('reads a month named alone as the latest such month begun by today', () => {
    expect(parsePeriodNear('September', NOVEMBER)?.label).toBe('2026-09');
    expect(parsePeriodNear('sept', NOVEMBER)?.label).toBe('2026-09');
    expect(parsePeriodNear('Nov', NOVEMBER)?.label).toBe('2026-11');
    expect(parsePeriodNear('December', NOVEMBER)?.label).toBe('2025-12');
    expect(parsePeriodNear('September', MARCH)?.label).toBe('2026-09');
    expect(parsePeriodNear('Jan.', MARCH)?.label).toBe('2027-01');
  });

  it('reads every form parsePeriod reads as parsePeriod does', () => {
    for (const [text, label] of [
      ['2026-09', '2026-09'],
      ['Sep 2026', '2026-09'],
      ['2026/27 Q2', '2026/27 Q2'],
      ['2026/27', '2026/27'],
    ]) {
      expect(parsePeriodNear(text!, NOVEMBER)?.label, text).toBe(label);
    }
  });

  it('reads no other word as a period', () => {
    for (const text of ['after', 'Octember', '2026', 'may be', ''])
      expect(parsePeriodNear(text, NOVEMBER)).toBeUndefined();
  });
});

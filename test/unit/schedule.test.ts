import { londonDate } from '../../src/domain/calendar.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  afterFailedAttempt,
  bankHolidays,
  canClaim,
  catchUp,
  claim,
  CATCH_UP_WINDOW_MS,
  cronExpressionOf,
  DEFAULT_LEASE_MS,
  describeSpec,
  dueInstantKey,
  easterSunday,
  isAbandoned,
  isBankHoliday,
  isoWeekOf,
  isoWeekOfDate,
  isWorkingDay,
  markSent,
  MAX_SEND_ATTEMPTS,
  nextRun,
  parseCronSpec,
  parseMonthlySpec,
  parseRunKey,
  parseWallTime,
  parseWeekday,
  parseWeeklySpec,
  reminderDueDate,
  renewLease,
  runsAt,
  markSkipped,
  retryable,
  retryDelayMs,
  runKey,
  SKIPPED_RUNS_LISTED,
  weeklyReminderKey,
  WEEKDAYS,
  type OutboxLease,
  type ScheduleSpec,
  type ScheduleSpecResult,
} from '../../src/domain/schedule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const at = (iso: string) => new Date(iso);

function specOf(result: ScheduleSpecResult): ScheduleSpec {
  if (!result.ok) throw new Error(`expected a spec, got: ${result.problem}`);
  return result.spec;
}
function problemOf(result: ScheduleSpecResult): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.spec)}`);
  return result.problem;
}

const weekly = (day: string, time: string) => specOf(parseWeeklySpec(day, time));
const monthly = (day: string, time: string) => specOf(parseMonthlySpec(day, time));
const cron = (expression: string) => specOf(parseCronSpec(expression));

const LONDON_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/** How a council officer's clock reads the instant: `Mon 2026-03-30 09:00 BST`. */
function londonClock(instant: Date): string {
  const parts = LONDON_CLOCK.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const zone = part('timeZoneName') === 'GMT+1' ? 'BST' : part('timeZoneName');
  return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${zone}`;
}

/** The next `n` runs after `after`, each strictly after the one before. */
function runsAfter(spec: ScheduleSpec, after: string, n: number): string[] {
  const runs: string[] = [];
  let from = at(after);
  for (let i = 0; i < n; i++) {
    from = nextRun(spec, from);
    runs.push(from.toISOString());
  }
  return runs;
}

describe('reading a subscription', () => {
  it('reads day names in any case, in full or by their first three letters', () => {
    expect(parseWeekday('Monday')).toBe('Monday');
    expect(parseWeekday('monday')).toBe('Monday');
    expect(parseWeekday('MON')).toBe('Monday');
    expect(parseWeekday(' thu ')).toBe('Thursday');
    expect(parseWeekday('Sun')).toBe('Sunday');
    expect(parseWeekday('Mo')).toBeUndefined();
    expect(parseWeekday('Mondays')).toBeUndefined();
    expect(parseWeekday('')).toBeUndefined();
  });

  it('reads times on the 24-hour clock and writes them as HH:MM', () => {
    expect(parseWallTime('09:00')).toBe('09:00');
    expect(parseWallTime('9:00')).toBe('09:00');
    expect(parseWallTime('17:30')).toBe('17:30');
    expect(parseWallTime('00:00')).toBe('00:00');
    expect(parseWallTime('23:59')).toBe('23:59');
    for (const bad of ['24:00', '9:5', '9am', '09:60', '0900', '9.00', '', '-1:00']) {
      expect(parseWallTime(bad), bad).toBeUndefined();
    }
  });

  it('reads a weekly digest as a day and a time', () => {
    expect(parseWeeklySpec('Monday', '09:00')).toEqual({
      ok: true,
      spec: { kind: 'weekly', day: 'Monday', at: '09:00' },
    });
    expect(parseWeeklySpec('fri', '7:45')).toEqual({ ok: true, spec: { kind: 'weekly', day: 'Friday', at: '07:45' } });
  });

  it('refuses a weekly digest without a real day or time, and says what to write', () => {
    expect(problemOf(parseWeeklySpec('Mnday', '09:00'))).toBe(
      '"Mnday" is not a day of the week: give day=Monday … day=Sunday (or Mon … Sun)',
    );
    expect(problemOf(parseWeeklySpec(undefined, '09:00'))).toMatch(/^no day was given: give day=Monday/);
    expect(problemOf(parseWeeklySpec('Monday', '9am'))).toBe(
      '"9am" is not a time: give at=HH:MM on the 24-hour clock, e.g. at=09:00',
    );
    expect(problemOf(parseWeeklySpec('Monday', undefined))).toMatch(/^no time was given: give at=HH:MM/);
    expect(problemOf(parseWeeklySpec('Monday', '24:00'))).toMatch(/is not a time/);
  });

  it('reads a monthly digest on day 1 to 28 or the last day of the month', () => {
    expect(parseMonthlySpec('1', '08:30')).toEqual({ ok: true, spec: { kind: 'monthly', day: 1, at: '08:30' } });
    expect(parseMonthlySpec('01', '08:30')).toEqual({ ok: true, spec: { kind: 'monthly', day: 1, at: '08:30' } });
    expect(parseMonthlySpec('28', '08:30')).toEqual({ ok: true, spec: { kind: 'monthly', day: 28, at: '08:30' } });
    expect(parseMonthlySpec('last', '17:00')).toEqual({
      ok: true,
      spec: { kind: 'monthly', day: 'last', at: '17:00' },
    });
    expect(parseMonthlySpec('LAST', '17:00')).toEqual(parseMonthlySpec('last', '17:00'));
  });

  it('refuses days 29 to 31, which some months do not have, and points to day=last', () => {
    expect(problemOf(parseMonthlySpec('29', '08:30'))).toBe(
      'not every month has a 29th: give a day from day=1 to day=28, or day=last for the last day of each month',
    );
    expect(problemOf(parseMonthlySpec('30', '08:30'))).toMatch(/^not every month has a 30th: .*day=last/);
    expect(problemOf(parseMonthlySpec('31', '08:30'))).toMatch(/^not every month has a 31st: .*day=last/);
  });

  it('refuses a monthly day that is not a day of the month', () => {
    for (const bad of ['0', '32', 'first', '1st', '-1', '2.5', '100']) {
      expect(problemOf(parseMonthlySpec(bad, '08:30')), bad).toMatch(
        /is not a day of the month: give a day from day=1/,
      );
    }
    expect(problemOf(parseMonthlySpec(undefined, '08:30'))).toMatch(/^no day was given/);
    expect(problemOf(parseMonthlySpec('1', '8:3'))).toMatch(/is not a time/);
  });

  it('reads a five-field cron schedule and writes it in one form', () => {
    expect(parseCronSpec('0 9 * * 1')).toEqual({ ok: true, spec: { kind: 'cron', expression: '0 9 * * 1' } });
    expect(parseCronSpec('  0  9 * *   mon ')).toEqual({ ok: true, spec: { kind: 'cron', expression: '0 9 * * MON' } });
    expect(cron('0 * * * *')).toEqual({ kind: 'cron', expression: '0 * * * *' });
    expect(cron('30 8 L * *')).toEqual({ kind: 'cron', expression: '30 8 L * *' });
    expect(cron('0 9 * * 1-5')).toEqual({ kind: 'cron', expression: '0 9 * * 1-5' });
    expect(cron('0 */2 * * *')).toEqual({ kind: 'cron', expression: '0 */2 * * *' });
  });

  it('refuses seconds and years, and anything but five fields', () => {
    expect(problemOf(parseCronSpec('0 0 9 * * 1'))).toMatch(/has 6 fields: digests do not use seconds or years/);
    expect(problemOf(parseCronSpec('0 0 9 * * 1 2027'))).toMatch(/has 7 fields/);
    expect(problemOf(parseCronSpec('0 9 * *'))).toMatch(/^"0 9 \* \*" has 4 fields: give five fields/);
    expect(problemOf(parseCronSpec('weekly'))).toMatch(/has 1 field: give five fields/);
    expect(problemOf(parseCronSpec('@weekly'))).toMatch(/is a shorthand: give five fields/);
    expect(problemOf(parseCronSpec(''))).toMatch(/^no cron schedule was given/);
    expect(problemOf(parseCronSpec(undefined))).toMatch(/^no cron schedule was given/);
  });

  it('refuses a cron schedule more often than once an hour as a mistake', () => {
    for (const often of ['* * * * *', '*/15 9 * * *', '0,30 9 * * 1', '0-5 9 * * 1']) {
      expect(problemOf(parseCronSpec(often)), often).toMatch(/would send a digest more than once an hour/);
    }
  });

  it('refuses a cron schedule that cannot be read or never comes round', () => {
    for (const bad of [
      '61 9 * * *',
      '0 25 * * *',
      '0 9 32 * *',
      '0 9 * 13 *',
      '0 9 * * 8',
      'a b c d e',
      '1/5 9 * * *',
    ]) {
      expect(problemOf(parseCronSpec(bad)), bad).toMatch(/is not a cron schedule that can be read: give five fields/);
    }
    expect(problemOf(parseCronSpec('0 9 * * funday'))).toMatch(/^"0 9 \* \* funday" is not a cron schedule/);
    expect(problemOf(parseCronSpec('0 9 30 2 *'))).toMatch(/never falls on a real date/);
    expect(problemOf(parseCronSpec('? 9 * * *'))).toMatch(/write \* instead/);
  });

  it('turns every spec into the cron expression it runs on', () => {
    expect(cronExpressionOf(weekly('Monday', '09:00'))).toBe('0 9 * * 1');
    expect(cronExpressionOf(weekly('Sunday', '01:30'))).toBe('30 1 * * 0');
    expect(cronExpressionOf(monthly('1', '08:30'))).toBe('30 8 1 * *');
    expect(cronExpressionOf(monthly('last', '17:05'))).toBe('5 17 L * *');
    expect(cronExpressionOf(cron('0 9 * * 1-5'))).toBe('0 9 * * 1-5');
  });

  it('treats a spec that could not have been read as a programming error', () => {
    const after = at('2026-01-01T00:00:00Z');
    expect(() => nextRun({ kind: 'monthly', day: 31, at: '09:00' } as ScheduleSpec, after)).toThrow(RangeError);
    expect(() => nextRun({ kind: 'weekly', day: 'Funday', at: '09:00' } as unknown as ScheduleSpec, after)).toThrow(
      RangeError,
    );
    expect(() => nextRun({ kind: 'weekly', day: 'Monday', at: '9:00' } as ScheduleSpec, after)).toThrow(RangeError);
    expect(() => nextRun({ kind: 'cron', expression: 'nonsense' }, after)).toThrow(RangeError);
    expect(() => nextRun(weekly('Monday', '09:00'), new Date(NaN))).toThrow(RangeError);
  });
});

describe('next run on the London clock', () => {
  const mondayNine = weekly('Monday', '09:00');

  it('sends a Monday 09:00 digest at 09:00 in GMT and in BST across the spring change of 2026', () => {
    const runs = runsAfter(mondayNine, '2026-03-20T00:00:00Z', 3);
    expect(runs).toEqual(['2026-03-23T09:00:00.000Z', '2026-03-30T08:00:00.000Z', '2026-04-06T08:00:00.000Z']);
    expect(runs.map((run) => londonClock(at(run)))).toEqual([
      'Mon 2026-03-23 09:00 GMT',
      'Mon 2026-03-30 09:00 BST',
      'Mon 2026-04-06 09:00 BST',
    ]);
  });

  it('keeps 09:00 across the autumn change of 2026', () => {
    const runs = runsAfter(mondayNine, '2026-10-15T00:00:00Z', 3);
    expect(runs).toEqual(['2026-10-19T08:00:00.000Z', '2026-10-26T09:00:00.000Z', '2026-11-02T09:00:00.000Z']);
    expect(londonClock(at(runs[1] ?? ''))).toBe('Mon 2026-10-26 09:00 GMT');
  });

  it('keeps 09:00 across both changes of 2027 (28 March and 31 October)', () => {
    expect(runsAfter(mondayNine, '2027-03-22T09:00:00Z', 1)).toEqual(['2027-03-29T08:00:00.000Z']);
    expect(runsAfter(mondayNine, '2027-10-25T08:00:00Z', 1)).toEqual(['2027-11-01T09:00:00.000Z']);
  });

  it('knows whether a due instant another process computed is one of its runs', () => {
    expect(runsAt(mondayNine, at('2026-11-30T09:00:00Z'))).toBe(true);
    expect(runsAt(mondayNine, at('2026-03-30T08:00:00Z'))).toBe(true);
    expect(runsAt(mondayNine, at('2026-03-30T09:00:00Z'))).toBe(false);
    expect(runsAt(mondayNine, at('2026-12-01T09:00:00Z'))).toBe(false);
    expect(runsAt(weekly('Sunday', '01:30'), at('2026-03-29T01:00:00Z'))).toBe(true);
  });

  it('is strictly after the instant given', () => {
    expect(nextRun(mondayNine, at('2026-11-30T09:00:00Z')).toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(nextRun(mondayNine, at('2026-11-30T08:59:59.999Z')).toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('runs a time the spring change skips at the first minute after the gap (02:00 BST)', () => {
    const sundayHalfOne = weekly('Sunday', '01:30');
    const runs = runsAfter(sundayHalfOne, '2026-03-22T12:00:00Z', 2);
    expect(runs).toEqual(['2026-03-29T01:00:00.000Z', '2026-04-05T00:30:00.000Z']);
    expect(runs.map((run) => londonClock(at(run)))).toEqual(['Sun 2026-03-29 02:00 BST', 'Sun 2026-04-05 01:30 BST']);
    expect(runsAfter(sundayHalfOne, '2027-03-27T00:00:00Z', 1)).toEqual(['2027-03-28T01:00:00.000Z']);
    // 01:59 does not exist either: the first minute after the gap is 02:00, not 02:59.
    expect(runsAfter(cron('59 1 * * 0'), '2026-03-28T00:00:00Z', 1)).toEqual(['2026-03-29T01:00:00.000Z']);
  });

  it('runs a time the autumn change repeats once, at its first occurrence', () => {
    const sundayHalfOne = weekly('Sunday', '01:30');
    const first = nextRun(sundayHalfOne, at('2026-10-24T12:00:00Z'));
    expect(first.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(londonClock(first)).toBe('Sun 2026-10-25 01:30 BST');
    // Asked again after the first 01:30, or between the two (a restart at 01:00 GMT), it does not run a second time.
    expect(nextRun(sundayHalfOne, first).toISOString()).toBe('2026-11-01T01:30:00.000Z');
    expect(nextRun(sundayHalfOne, at('2026-10-25T01:00:00Z')).toISOString()).toBe('2026-11-01T01:30:00.000Z');
    expect(runsAfter(sundayHalfOne, '2027-10-30T12:00:00Z', 2)).toEqual([
      '2027-10-31T00:30:00.000Z',
      '2027-11-07T01:30:00.000Z',
    ]);
  });

  it('keeps the clock-change rules for every hour of a list of hours', () => {
    const twiceDaily = cron('30 1,13 * * *');
    expect(runsAfter(twiceDaily, '2026-03-28T12:00:00Z', 3)).toEqual([
      '2026-03-28T13:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T12:30:00.000Z',
    ]);
    expect(runsAfter(twiceDaily, '2026-10-24T12:00:00Z', 3)).toEqual([
      '2026-10-24T12:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T13:30:00.000Z',
    ]);
  });

  it('runs an hourly schedule every real hour: 23 times on the spring day, 25 on the autumn day', () => {
    const hourly = cron('0 * * * *');
    const runsOnLondonDay = (date: string, from: string) =>
      runsAfter(hourly, from, 30).filter((run) => londonDate(at(run)) === date);
    expect(runsOnLondonDay('2026-03-29', '2026-03-28T23:59:00Z')).toHaveLength(23);
    expect(runsOnLondonDay('2026-10-25', '2026-10-24T22:59:00Z')).toHaveLength(25);
  });

  it('sends a monthly digest on its day in both GMT and BST months', () => {
    expect(runsAfter(monthly('1', '08:30'), '2026-02-15T00:00:00Z', 3)).toEqual([
      '2026-03-01T08:30:00.000Z',
      '2026-04-01T07:30:00.000Z',
      '2026-05-01T07:30:00.000Z',
    ]);
    expect(runsAfter(monthly('1', '08:30'), '2026-10-15T00:00:00Z', 1)).toEqual(['2026-11-01T08:30:00.000Z']);
  });

  it('sends a last-day digest on the 31st, 30th, 28th or 29th as the month has', () => {
    expect(runsAfter(monthly('last', '09:00'), '2026-01-15T00:00:00Z', 4)).toEqual([
      '2026-01-31T09:00:00.000Z',
      '2026-02-28T09:00:00.000Z',
      '2026-03-31T08:00:00.000Z',
      '2026-04-30T08:00:00.000Z',
    ]);
    expect(runsAfter(monthly('last', '09:00'), '2028-02-01T00:00:00Z', 1)).toEqual(['2028-02-29T09:00:00.000Z']);
    expect(runsAfter(monthly('last', '23:30'), '2026-12-01T00:00:00Z', 2)).toEqual([
      '2026-12-31T23:30:00.000Z',
      '2027-01-31T23:30:00.000Z',
    ]);
  });

  it('applies the clock-change rules to a monthly digest that falls on a change', () => {
    // 25 October 2026 is the autumn change; 28 March 2027 the spring one.
    expect(runsAfter(monthly('25', '01:30'), '2026-10-01T00:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-11-25T01:30:00.000Z',
    ]);
    expect(runsAfter(monthly('28', '01:30'), '2027-03-01T00:00:00Z', 1)).toEqual(['2027-03-28T01:00:00.000Z']);
  });

  it('runs a typed cron the same as the weekly digest it spells', () => {
    expect(runsAfter(cron('0 9 * * 1'), '2026-01-01T00:00:00Z', 60)).toEqual(
      runsAfter(mondayNine, '2026-01-01T00:00:00Z', 60),
    );
  });

  it('always lands on the spec’s weekday and London time, with no run missed in between', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WEEKDAYS),
        // Hours clear of the 01:00–02:00 clock changes, where the rules above apply instead.
        fc.integer({ min: 3, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        (day, hour, minute, after) => {
          const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const run = nextRun(weekly(day, time), after);
          expect(run.getTime()).toBeGreaterThan(after.getTime());
          expect(londonClock(run)).toMatch(new RegExp(`^${day.slice(0, 3)} \\S+ ${time} (GMT|BST)$`));
          // The run a week earlier was at or before `after` (a week is 7 × 24 h, give or take the change).
          expect(run.getTime() - 7 * DAY - HOUR).toBeLessThanOrEqual(after.getTime());
        },
      ),
    );
  });
});

describe('describing a subscription', () => {
  it('says a weekly or monthly digest in plain words', () => {
    expect(describeSpec(weekly('mon', '9:00'))).toBe('every Monday at 09:00');
    expect(describeSpec(monthly('1', '08:30'))).toBe('on the 1st of each month at 08:30');
    expect(describeSpec(monthly('last', '17:00'))).toBe('on the last day of each month at 17:00');
  });

  it('writes day numbers as ordinals', () => {
    const ordinals = ['2', '3', '4', '11', '12', '13', '21', '22', '23', '28'].map((day) =>
      describeSpec(monthly(day, '09:00')).replace(/^on the (\S+) .*$/, '$1'),
    );
    expect(ordinals).toEqual(['2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '28th']);
  });

  it('explains a cron schedule that means a daily, weekly or monthly digest', () => {
    expect(describeSpec(cron('0 9 * * 1'))).toBe('cron 0 9 * * 1 (every Monday at 09:00)');
    expect(describeSpec(cron('0 9 * * mon'))).toBe('cron 0 9 * * MON (every Monday at 09:00)');
    expect(describeSpec(cron('15 17 * * 7'))).toBe('cron 15 17 * * 7 (every Sunday at 17:15)');
    expect(describeSpec(cron('30 8 * * *'))).toBe('cron 30 8 * * * (every day at 08:30)');
    expect(describeSpec(cron('30 8 1 * *'))).toBe('cron 30 8 1 * * (on the 1st of each month at 08:30)');
    expect(describeSpec(cron('0 16 L * *'))).toBe('cron 0 16 L * * (on the last day of each month at 16:00)');
  });

  it('shows other cron schedules as they were written', () => {
    for (const expression of ['0 9 * * 1-5', '0 9 * * MON#2', '0 9 1 * 1', '0 9 31 * *', '0 */2 * * *', '0 9 * 1 1']) {
      expect(describeSpec(cron(expression)), expression).toBe(`cron ${expression}`);
    }
  });
});

describe('catching up after the service was not running', () => {
  const mondayNine = weekly('Monday', '09:00');
  const lastRecorded = at('2026-11-23T09:00:00Z');

  it('sends a digest that is 2 hours late', () => {
    const result = catchUp(mondayNine, lastRecorded, at('2026-11-30T11:00:00Z'));
    expect(result).toEqual({ send: [at('2026-11-30T09:00:00Z')], skipped: [], next: at('2026-12-07T09:00:00Z') });
  });

  it('skips a digest that is 13 hours late, to be mentioned in the next one', () => {
    const result = catchUp(mondayNine, lastRecorded, at('2026-11-30T22:00:00Z'));
    expect(result).toEqual({ send: [], skipped: [at('2026-11-30T09:00:00Z')], next: at('2026-12-07T09:00:00Z') });
  });

  it('sends a digest due this very minute, and skips one exactly 12 hours late', () => {
    expect(catchUp(mondayNine, lastRecorded, at('2026-11-30T09:00:00Z')).send).toEqual([at('2026-11-30T09:00:00Z')]);
    const dueAt = at('2026-11-30T09:00:00Z').getTime();
    expect(catchUp(mondayNine, lastRecorded, new Date(dueAt + CATCH_UP_WINDOW_MS - 1)).send).toHaveLength(1);
    expect(catchUp(mondayNine, lastRecorded, new Date(dueAt + CATCH_UP_WINDOW_MS)).send).toHaveLength(0);
  });

  it('sends only the latest of several missed digests; the older ones are skipped', () => {
    const result = catchUp(mondayNine, at('2026-11-02T09:00:00Z'), at('2026-11-30T10:00:00Z'));
    expect(result.send).toEqual([at('2026-11-30T09:00:00Z')]);
    expect(result.skipped).toEqual([
      at('2026-11-09T09:00:00Z'),
      at('2026-11-16T09:00:00Z'),
      at('2026-11-23T09:00:00Z'),
    ]);
    expect(result.skippedSince).toBeUndefined();
  });

  it('has nothing to do when no run fell due since the last one', () => {
    expect(catchUp(mondayNine, lastRecorded, at('2026-11-29T23:59:00Z'))).toEqual({
      send: [],
      skipped: [],
      next: at('2026-11-30T09:00:00Z'),
    });
  });

  it('counts runs from when the subscription was made, not before', () => {
    // Subscribed at 09:30 on a Monday: that morning's 09:00 run was never owed.
    expect(catchUp(mondayNine, at('2026-11-30T09:30:00Z'), at('2026-11-30T12:00:00Z')).send).toEqual([]);
  });

  it('lists the most recent skipped runs and says since when runs were missed after a long stop', () => {
    const hourly = cron('0 * * * *');
    const result = catchUp(hourly, at('2026-11-20T12:00:00Z'), at('2026-11-27T12:20:00Z'));
    expect(result.send).toEqual([at('2026-11-27T12:00:00Z')]);
    expect(result.skipped).toHaveLength(SKIPPED_RUNS_LISTED);
    expect(result.skipped[0]).toEqual(at('2026-11-27T00:00:00Z'));
    expect(result.skipped.at(-1)).toEqual(at('2026-11-27T11:00:00Z'));
    expect(result.skippedSince).toEqual(at('2026-11-20T13:00:00Z'));
  });

  it('never sends more than one run, and sends and skips only runs due since the last one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(mondayNine, monthly('last', '17:00'), cron('0 */3 * * *'), weekly('Sunday', '01:30')),
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 90 * DAY }),
        (spec, since, gap) => {
          const now = new Date(since.getTime() + gap);
          const { send, skipped, next } = catchUp(spec, since, now);
          expect(send.length).toBeLessThanOrEqual(1);
          const handled = [...skipped, ...send].map((d) => d.getTime());
          expect(handled).toEqual([...handled].sort((a, b) => a - b));
          for (const due of handled) {
            expect(due).toBeGreaterThan(since.getTime());
            expect(due).toBeLessThanOrEqual(now.getTime());
          }
          for (const due of send) expect(now.getTime() - due.getTime()).toBeLessThan(CATCH_UP_WINDOW_MS);
          expect(next).toEqual(nextRun(spec, now));
          // Whatever was due is either sent or skipped: the first missed run is accounted for.
          const firstDue = nextRun(spec, since);
          if (firstDue.getTime() <= now.getTime()) expect(handled.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('run keys', () => {
  it('names a run by its subscription and due minute in UTC', () => {
    expect(runKey('D-2', at('2026-11-30T09:00:00Z'))).toBe('D-2|2026-11-30T09:00Z');
    expect(dueInstantKey(at('2026-03-30T08:00:00Z'))).toBe('2026-03-30T08:00Z');
  });

  it('gives the same key for the same run however it was computed', () => {
    const spec = weekly('Monday', '09:00');
    const fromOneProcess = runKey('D-2', nextRun(spec, at('2026-11-24T00:00:00Z')));
    const fromAnother = runKey('D-2', nextRun(spec, at('2026-11-29T23:59:59.999Z')));
    const fromCatchUp = runKey('D-2', catchUp(spec, at('2026-11-23T09:00:00Z'), at('2026-11-30T10:00:00Z')).send[0]!);
    expect(fromAnother).toBe(fromOneProcess);
    expect(fromCatchUp).toBe(fromOneProcess);
  });

  it('reads a key back into its subscription and due instant', () => {
    expect(parseRunKey('D-2|2026-11-30T09:00Z')).toEqual({ subscriptionId: 'D-2', due: at('2026-11-30T09:00:00Z') });
    for (const bad of [
      'D-2',
      'D-2|2026-11-30T09:00',
      '|2026-11-30T09:00Z',
      'D-2|2026-02-30T09:00Z',
      'D|2|2026-11-30T09:00Z',
    ]) {
      expect(parseRunKey(bad), bad).toBeUndefined();
    }
  });

  it('sorts the keys of one subscription in time order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 1) / MINUTE, max: Date.UTC(9999, 11, 31) / MINUTE }),
        fc.integer({ min: Date.UTC(1000, 0, 1) / MINUTE, max: Date.UTC(9999, 11, 31) / MINUTE }),
        (a, b) => {
          const keyA = runKey('D-7', new Date(a * MINUTE));
          const keyB = runKey('D-7', new Date(b * MINUTE));
          expect(Math.sign(keyA.localeCompare(keyB))).toBe(Math.sign(a - b));
          expect(parseRunKey(keyA)?.due.getTime()).toBe(a * MINUTE);
        },
      ),
    );
  });

  it('refuses a subscription id that would make keys ambiguous, and an instant off the minute', () => {
    expect(() => runKey('', at('2026-11-30T09:00:00Z'))).toThrow(RangeError);
    expect(() => runKey('D|2', at('2026-11-30T09:00:00Z'))).toThrow(RangeError);
    expect(() => runKey('D-2', at('2026-11-30T09:00:30Z'))).toThrow(RangeError);
    expect(() => runKey('D-2', new Date(NaN))).toThrow(RangeError);
  });
});

describe('outbox leases', () => {
  const now = at('2026-11-30T09:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const due: OutboxLease = { state: 'due', attempts: 0 };

  it('lets a process claim a due row', () => {
    expect(canClaim(due, now)).toBe(true);
  });

  it('holds a claimed row for its lease, then lets another process take it over', () => {
    const held = claim(due, now);
    expect(held).toEqual({ state: 'claimed', attempts: 1, leaseUntil: '2026-11-30T09:05:00.000Z' });
    expect(DEFAULT_LEASE_MS).toBe(5 * MINUTE);
    expect(canClaim(held, later(DEFAULT_LEASE_MS - 1))).toBe(false);
    expect(canClaim(held, later(DEFAULT_LEASE_MS))).toBe(true);
    expect(claim(held, later(DEFAULT_LEASE_MS)).attempts).toBe(2);
  });

  it('keeps the row’s other fields through a claim', () => {
    const row = { ...due, conversationId: '19:abc', runKey: 'D-2|2026-11-30T09:00Z' };
    expect(claim(row, now, 90_000)).toEqual({
      state: 'claimed',
      attempts: 1,
      leaseUntil: '2026-11-30T09:01:30.000Z',
      conversationId: '19:abc',
      runKey: 'D-2|2026-11-30T09:00Z',
    });
  });

  it('never lets a sent or failed row be claimed', () => {
    expect(canClaim({ state: 'sent', attempts: 1 }, now)).toBe(false);
    expect(canClaim({ state: 'failed', attempts: 2 }, now)).toBe(false);
    expect(() => claim({ state: 'sent', attempts: 1 }, now)).toThrow(RangeError);
  });

  it('waits after a failed attempt, doubling the wait each time', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs)).toEqual([1, 2, 4, 8, 16, 30, 30].map((m) => m * MINUTE));
    const failedOnce = afterFailedAttempt(claim(due, now), later(10_000));
    expect(failedOnce).toEqual({ state: 'due', attempts: 1, notBefore: '2026-11-30T09:01:10.000Z' });
    expect(canClaim(failedOnce, later(69_999))).toBe(false);
    expect(canClaim(failedOnce, later(70_000))).toBe(true);
    expect(claim(failedOnce, later(70_000))).not.toHaveProperty('notBefore');
  });

  it(`gives up after ${MAX_SEND_ATTEMPTS} attempts, within a quarter of an hour of sending time`, () => {
    let row: OutboxLease = due;
    let clock = now.getTime();
    const states: string[] = [];
    while (canClaim(row, new Date(clock))) {
      row = claim(row, new Date(clock));
      clock += 10_000;
      row = afterFailedAttempt(row, new Date(clock));
      states.push(row.state);
      if (row.notBefore) clock = Date.parse(row.notBefore);
    }
    expect(states).toEqual(['due', 'due', 'due', 'due', 'failed']);
    expect(row).toEqual({ state: 'failed', attempts: MAX_SEND_ATTEMPTS });
    expect(clock - now.getTime()).toBeLessThan(16 * MINUTE);
    expect(retryable(row)).toBe(false);
  });

  it('fails at once when the conversation is gone, since no retry can mend it', () => {
    expect(afterFailedAttempt(claim(due, now), now, { gone: true })).toEqual({ state: 'failed', attempts: 1 });
  });

  it('marks a claimed row sent, dropping its lease', () => {
    expect(markSent(claim(due, now))).toEqual({ state: 'sent', attempts: 1 });
    expect(() => markSent(due)).toThrow(RangeError);
    expect(() => afterFailedAttempt(due, now)).toThrow(RangeError);
  });

  it('renews a lease for its holder during a long fan-out, keeping the attempt count', () => {
    const held = claim(due, now);
    expect(renewLease(held, later(4 * MINUTE))).toEqual({
      state: 'claimed',
      attempts: 1,
      leaseUntil: '2026-11-30T09:09:00.000Z',
    });
    expect(() => renewLease(due, now)).toThrow(RangeError);
    expect(() => renewLease(held, now, 0)).toThrow(RangeError);
  });

  it('skips a run found too late, for good: it is never claimed again', () => {
    const skipped = markSkipped(claim(due, now));
    expect(skipped).toEqual({ state: 'skipped', attempts: 1 });
    expect(canClaim(skipped, later(DAY))).toBe(false);
    expect(retryable(skipped)).toBe(false);
    expect(() => markSkipped(due)).toThrow(RangeError);
  });

  it('counts attempts as retryable while some are left', () => {
    expect(retryable({ state: 'due', attempts: MAX_SEND_ATTEMPTS - 1 })).toBe(true);
    expect(retryable({ state: 'claimed', attempts: MAX_SEND_ATTEMPTS - 1, leaseUntil: now.toISOString() })).toBe(true);
    expect(retryable({ state: 'claimed', attempts: MAX_SEND_ATTEMPTS, leaseUntil: now.toISOString() })).toBe(false);
    expect(retryable({ state: 'sent', attempts: 1 })).toBe(false);
  });

  it('finds a last attempt whose holder vanished, so it can be marked failed', () => {
    const lastTry: OutboxLease = { state: 'claimed', attempts: MAX_SEND_ATTEMPTS, leaseUntil: now.toISOString() };
    expect(canClaim(lastTry, later(1))).toBe(false);
    expect(isAbandoned(lastTry, later(-1))).toBe(false);
    expect(isAbandoned(lastTry, now)).toBe(true);
    expect(isAbandoned({ ...lastTry, attempts: 1 }, now)).toBe(false);
  });

  it('refuses a lease that is not a real instant', () => {
    expect(() => canClaim({ state: 'claimed', attempts: 1, leaseUntil: 'soon' }, now)).toThrow(RangeError);
    expect(() => claim(due, now, 0)).toThrow(RangeError);
    expect(() => retryDelayMs(0)).toThrow(RangeError);
  });
});

describe('bank holidays in England and Wales', () => {
  const datesOf = (year: number) => bankHolidays(year).map((holiday) => holiday.date);

  it('are the eight published for 2026, Boxing Day moving to Monday 28 December', () => {
    expect(datesOf(2026)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28',
    ]);
    expect(bankHolidays(2026).at(-1)).toEqual({ date: '2026-12-28', name: 'Boxing Day (substitute day)' });
  });

  it('are the eight published for 2027, with Christmas on a Saturday', () => {
    expect(bankHolidays(2027)).toEqual([
      { date: '2027-01-01', name: "New Year's Day" },
      { date: '2027-03-26', name: 'Good Friday' },
      { date: '2027-03-29', name: 'Easter Monday' },
      { date: '2027-05-03', name: 'Early May bank holiday' },
      { date: '2027-05-31', name: 'Spring bank holiday' },
      { date: '2027-08-30', name: 'Summer bank holiday' },
      { date: '2027-12-27', name: 'Christmas Day (substitute day)' },
      { date: '2027-12-28', name: 'Boxing Day (substitute day)' },
    ]);
  });

  it('move New Year’s Day off a weekend, and keep Boxing Day on a Monday when Christmas is a Sunday', () => {
    expect(bankHolidays(2022)[0]).toEqual({ date: '2022-01-03', name: "New Year's Day (substitute day)" });
    expect(bankHolidays(2023)[0]).toEqual({ date: '2023-01-02', name: "New Year's Day (substitute day)" });
    expect(bankHolidays(2022).slice(-2)).toEqual([
      { date: '2022-12-26', name: 'Boxing Day' },
      { date: '2022-12-27', name: 'Christmas Day (substitute day)' },
    ]);
  });

  it('follow the years as published, including holidays moved or added by proclamation', () => {
    expect(datesOf(2020)).toEqual([
      '2020-01-01',
      '2020-04-10',
      '2020-04-13',
      '2020-05-08',
      '2020-05-25',
      '2020-08-31',
      '2020-12-25',
      '2020-12-28',
    ]);
    expect(datesOf(2021)).toEqual([
      '2021-01-01',
      '2021-04-02',
      '2021-04-05',
      '2021-05-03',
      '2021-05-31',
      '2021-08-30',
      '2021-12-27',
      '2021-12-28',
    ]);
    expect(datesOf(2022)).toEqual([
      '2022-01-03',
      '2022-04-15',
      '2022-04-18',
      '2022-05-02',
      '2022-06-02',
      '2022-06-03',
      '2022-08-29',
      '2022-09-19',
      '2022-12-26',
      '2022-12-27',
    ]);
    expect(datesOf(2023)).toEqual([
      '2023-01-02',
      '2023-04-07',
      '2023-04-10',
      '2023-05-01',
      '2023-05-08',
      '2023-05-29',
      '2023-08-28',
      '2023-12-25',
      '2023-12-26',
    ]);
    expect(datesOf(2025)).toEqual([
      '2025-01-01',
      '2025-04-18',
      '2025-04-21',
      '2025-05-05',
      '2025-05-26',
      '2025-08-25',
      '2025-12-25',
      '2025-12-26',
    ]);
  });

  it('take Good Friday and Easter Monday from Easter Sunday', () => {
    const easters: Record<number, string> = {
      2000: '2000-04-23',
      2008: '2008-03-23',
      2011: '2011-04-24',
      2019: '2019-04-21',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2038: '2038-04-25',
      2285: '2285-03-22',
    };
    for (const [year, easter] of Object.entries(easters)) expect(easterSunday(Number(year)), year).toBe(easter);
  });

  it('fall on weekdays, once each, with Easter on a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1978, max: 2400 }), (year) => {
        const holidays = bankHolidays(year);
        const dates = holidays.map((holiday) => holiday.date);
        expect(new Set(dates).size).toBe(dates.length);
        expect(dates.length).toBeGreaterThanOrEqual(8);
        for (const date of dates) {
          expect(date.startsWith(`${year}-`)).toBe(true);
          expect([1, 2, 3, 4, 5]).toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
        }
        const easter = easterSunday(year);
        expect(new Date(`${easter}T00:00:00Z`).getUTCDay()).toBe(0);
        expect(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25').toBe(true);
      }),
    );
  });

  it('are not working days, nor are weekends', () => {
    expect(isBankHoliday('2026-04-03')).toBe(true);
    expect(isBankHoliday('2026-04-02')).toBe(false);
    expect(isWorkingDay('2026-04-03')).toBe(false);
    expect(isWorkingDay('2026-04-04')).toBe(false);
    expect(isWorkingDay('2026-04-07')).toBe(true);
    expect(isWorkingDay('2026-12-28')).toBe(false);
  });

  it('are known only from 1978, when the present rules began', () => {
    expect(() => bankHolidays(1977)).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('30/11/2026')).toThrow(RangeError);
  });
});

describe('working days and KPI reminders', () => {
  it('steps over Good Friday, the weekend and Easter Monday', () => {
    expect(addWorkingDays('2026-04-02', 1)).toBe('2026-04-07');
    expect(addWorkingDays('2026-04-07', -1)).toBe('2026-04-02');
  });

  it('steps over Christmas, Boxing Day’s substitute and New Year', () => {
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(addWorkingDays('2027-12-24', 1)).toBe('2027-12-29');
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('gives the date itself for no working days, and refuses part days', () => {
    expect(addWorkingDays('2026-04-04', 0)).toBe('2026-04-04');
    expect(() => addWorkingDays('2026-04-04', 1.5)).toThrow(RangeError);
  });

  it('reminds a KPI owner on the fifth working day after the period ends', () => {
    // October 2026 ends on a Saturday: Monday 2 November is the first working day.
    expect(reminderDueDate('2026-10-31')).toBe('2026-11-06');
    // March 2026 (P12 2025/26) ends on a Tuesday, three days before Good Friday.
    expect(reminderDueDate('2026-03-31')).toBe('2026-04-09');
    // December 2026 (P9 2026/27, and Q3) ends on a Thursday, before New Year's Day.
    expect(reminderDueDate('2026-12-31')).toBe('2027-01-08');
  });

  it('lands on a working day, and adding in two steps is adding in one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1980, 0, 1) / DAY, max: Date.UTC(2090, 0, 1) / DAY }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (dayNumber, a, b) => {
          const start = new Date(dayNumber * DAY).toISOString().slice(0, 10);
          const once = addWorkingDays(start, a + b);
          expect(isWorkingDay(once)).toBe(true);
          expect(addWorkingDays(addWorkingDays(start, a), b)).toBe(once);
          expect(addWorkingDays(once, -(a + b)) <= start).toBe(true);
        },
      ),
    );
  });
});

describe('one reminder per person per week', () => {
  it('names the ISO week: Monday to Sunday, numbered in the year of its Thursday', () => {
    expect(isoWeekOfDate('2026-11-23')).toBe('2026-W48');
    expect(isoWeekOfDate('2026-11-29')).toBe('2026-W48');
    expect(isoWeekOfDate('2026-11-30')).toBe('2026-W49');
    expect(isoWeekOfDate('2026-01-01')).toBe('2026-W01');
    expect(isoWeekOfDate('2025-12-29')).toBe('2026-W01');
    expect(isoWeekOfDate('2026-12-31')).toBe('2026-W53');
    expect(isoWeekOfDate('2027-01-03')).toBe('2026-W53');
    expect(isoWeekOfDate('2027-01-04')).toBe('2027-W01');
    expect(isoWeekOfDate('2024-12-30')).toBe('2025-W01');
  });

  it('reads the week on the London calendar, so a new week starts at midnight in BST', () => {
    expect(londonDate(at('2026-06-28T23:30:00Z'))).toBe('2026-06-29');
    expect(isoWeekOf(at('2026-06-28T22:59:59Z'))).toBe('2026-W26');
    expect(isoWeekOf(at('2026-06-28T23:00:00Z'))).toBe('2026-W27');
    expect(isoWeekOf(at('2026-11-29T23:59:59Z'))).toBe('2026-W48');
  });

  it('keys a reminder by person and week', () => {
    expect(weeklyReminderKey('aad-7f3c', at('2026-11-25T10:00:00Z'))).toBe('aad-7f3c|2026-W48');
    expect(() => weeklyReminderKey('', at('2026-11-25T10:00:00Z'))).toThrow(RangeError);
  });

  it('gives the seven days of a week one key and the next Monday another', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1980, 0, 7) / DAY, max: Date.UTC(2090, 0, 1) / DAY }), (dayNumber) => {
        const monday = dayNumber - ((new Date(dayNumber * DAY).getUTCDay() + 6) % 7);
        const keys = Array.from({ length: 8 }, (_, i) =>
          isoWeekOfDate(new Date((monday + i) * DAY).toISOString().slice(0, 10)),
        );
        expect(new Set(keys.slice(0, 7)).size).toBe(1);
        expect(keys[7]).not.toBe(keys[0]);
        expect(keys[7]! > keys[0]!).toBe(true);
      }),
    );
  });
});

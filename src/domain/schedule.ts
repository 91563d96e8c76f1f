import { londonDate } from './calendar.js';
/**
 * Scheduled digests and reminders: subscription specs, next runs in London time, catch-up after a
 * stop, outbox run keys and leases, and working days for KPI reminders. Pure: no I/O, no clock.
 */
import { Cron, CronPattern, type CronOptions } from 'croner';
import { plural } from './vocabulary.js';

export const LONDON_TIME_ZONE = 'Europe/London';

const MINUTE_MS = 60_000;
const pad2 = (n: number): string => String(n).padStart(2, '0');
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

// ---------------------------------------------------------------------------------------------
// Subscription specs
// ---------------------------------------------------------------------------------------------

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A London wall-clock time on the 24-hour clock, always `HH:MM` (`09:00`, never `9:00`). */
export type WallTime = string & { readonly __brand: 'WallTime' };

/** A day of the month that every month has (1–28), or the last day of each month. */
export type MonthDay = number | 'last';

/** What a subscription stores: plain data, so it round-trips through JSON unchanged. */
export type ScheduleSpec =
  | { readonly kind: 'weekly'; readonly day: Weekday; readonly at: WallTime }
  | { readonly kind: 'monthly'; readonly day: MonthDay; readonly at: WallTime }
  | { readonly kind: 'cron'; readonly expression: string };

export type ScheduleSpecResult = { ok: true; spec: ScheduleSpec } | { ok: false; problem: string };

/** Days 29–31 are missing from some months, so a monthly digest names a day every month has. */
export const LAST_COMMON_MONTH_DAY = 28;

const refuse = (problem: string): ScheduleSpecResult => ({ ok: false, problem });

/** `Monday`, `monday`, `MON`, `Mon` → `Monday`; anything else → undefined. */
export function parseWeekday(text: string): Weekday | undefined {
  const lower = text.trim().toLowerCase();
  return WEEKDAYS.find((day) => lower === day.toLowerCase() || lower === day.slice(0, 3).toLowerCase());
}

/** `09:00`, `9:00`, `17:30` (24-hour clock) → `HH:MM`; `9am`, `24:00`, `9:5` → undefined. */
export function parseWallTime(text: string): WallTime | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return undefined;
  return `${pad2(hour)}:${pad2(minute)}` as WallTime;
}

const TIME_FORM = 'give at=HH:MM on the 24-hour clock, e.g. at=09:00';

function timeOrProblem(at: string | undefined): WallTime | string {
  if (at === undefined || at.trim() === '') return `no time was given: ${TIME_FORM}`;
  return parseWallTime(at) ?? `"${at.trim()}" is not a time: ${TIME_FORM}`;
}

/** `digest subscribe weekly day=Monday at=09:00`. */
export function parseWeeklySpec(day: string | undefined, at: string | undefined): ScheduleSpecResult {
  const dayForm = 'give day=Monday … day=Sunday (or Mon … Sun)';
  if (day === undefined || day.trim() === '') return refuse(`no day was given: ${dayForm}`);
  const weekday = parseWeekday(day);
  if (weekday === undefined) return refuse(`"${day.trim()}" is not a day of the week: ${dayForm}`);
  const time = timeOrProblem(at);
  if (!isWallTime(time)) return refuse(time);
  return { ok: true, spec: { kind: 'weekly', day: weekday, at: time } };
}

/** `digest subscribe monthly day=1 at=08:30`, or `day=last`; days 29–31 are refused with the reason. */
export function parseMonthlySpec(day: string | undefined, at: string | undefined): ScheduleSpecResult {
  const dayForm = `give a day from day=1 to day=${LAST_COMMON_MONTH_DAY}, or day=last for the last day of each month`;
  const cleaned = day?.trim() ?? '';
  if (cleaned === '') return refuse(`no day was given: ${dayForm}`);
  let monthDay: MonthDay;
  if (cleaned.toLowerCase() === 'last') {
    monthDay = 'last';
  } else {
    const number = /^\d{1,2}$/.test(cleaned) ? Number(cleaned) : NaN;
    if (number >= 29 && number <= 31) {
      return refuse(`not every month has a ${ordinal(number)}: ${dayForm}`);
    }
    if (!(number >= 1 && number <= LAST_COMMON_MONTH_DAY)) {
      return refuse(`"${cleaned}" is not a day of the month: ${dayForm}`);
    }
    monthDay = number;
  }
  const time = timeOrProblem(at);
  if (!isWallTime(time)) return refuse(time);
  return { ok: true, spec: { kind: 'monthly', day: monthDay, at: time } };
}

const CRON_FORM =
  'give five fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1 for 09:00 every Monday';

/**
 * Standard five-field cron: day-of-month and day-of-week combine with OR as in crontab; a list or
 * range of hours counts as fixed times, so each one keeps the clock-change rules of a single time.
 */
const CRON_OPTIONS = { mode: '5-part', fixedTimeRule: 'no-wildcard' } as const satisfies Pick<
  CronOptions,
  'mode' | 'fixedTimeRule'
>;

// A pattern that has no run after this instant has none at all: five-field cron has no year.
const NEVER_REFERENCE = new Date(Date.UTC(2000, 0, 1));

/** `digest subscribe cron="0 9 * * 1"`: five fields, at most one run an hour, and a date that exists. */
export function parseCronSpec(text: string | undefined): ScheduleSpecResult {
  const written = (text ?? '').trim().replace(/\s+/g, ' ');
  const expression = written.toUpperCase();
  if (expression === '') return refuse(`no cron schedule was given: ${CRON_FORM}`);
  if (expression.startsWith('@')) return refuse(`"${written}" is a shorthand: ${CRON_FORM}`);
  // croner fills ? with the current time, so the schedule would depend on when it was typed.
  if (expression.includes('?')) return refuse(`"?" cannot be used in a digest schedule: write * instead`);
  const fields = expression.split(' ').length;
  if (fields === 6 || fields === 7) {
    return refuse(`"${written}" has ${fields} fields: digests do not use seconds or years; ${CRON_FORM}`);
  }
  if (fields !== 5) return refuse(`"${written}" has ${plural(fields, 'field')}: ${CRON_FORM}`);

  let pattern: CronPattern;
  try {
    pattern = new CronPattern(expression, LONDON_TIME_ZONE, CRON_OPTIONS);
  } catch {
    return refuse(`"${written}" is not a cron schedule that can be read: ${CRON_FORM}`);
  }
  // One minute value means at most one run in any clock hour; more is surely a typing mistake.
  if (pattern.minute.filter(Boolean).length !== 1) {
    return refuse(
      `"${written}" would send a digest more than once an hour: give a single minute, e.g. 0 9 * * 1 for 09:00 every Monday`,
    );
  }
  if (cronFor(expression).nextRun(NEVER_REFERENCE) === null) {
    return refuse(`"${written}" never falls on a real date: ${CRON_FORM}`);
  }
  return { ok: true, spec: { kind: 'cron', expression } };
}

function isWallTime(value: string): value is WallTime {
  return /^\d{2}:\d{2}$/.test(value);
}

/** The cron expression a spec runs on; weekly and monthly specs use the same engine as typed cron. */
export function cronExpressionOf(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case 'weekly': {
      const [hour, minute] = wallTimeParts(spec.at);
      if (!WEEKDAYS.includes(spec.day)) throw new RangeError(`"${String(spec.day)}" is not a day of the week`);
      // cron counts weekdays from Sunday = 0.
      const weekday = (WEEKDAYS.indexOf(spec.day) + 1) % 7;
      return `${minute} ${hour} * * ${weekday}`;
    }
    case 'monthly': {
      const [hour, minute] = wallTimeParts(spec.at);
      const { day } = spec;
      if (day !== 'last' && !(Number.isInteger(day) && day >= 1 && day <= LAST_COMMON_MONTH_DAY)) {
        throw new RangeError(`a monthly digest runs on day 1 to ${LAST_COMMON_MONTH_DAY} or the last day, got ${day}`);
      }
      return `${minute} ${hour} ${day === 'last' ? 'L' : day} * *`;
    }
    case 'cron':
      return spec.expression;
  }
}

function wallTimeParts(at: string): [number, number] {
  const parsed = parseWallTime(at);
  if (parsed === undefined || parsed !== at) throw new RangeError(`"${at}" is not a HH:MM time`);
  return [Number(at.slice(0, 2)), Number(at.slice(3, 5))];
}

function cronFor(expression: string): Cron {
  try {
    return new Cron(expression, { ...CRON_OPTIONS, timezone: LONDON_TIME_ZONE, paused: true });
  } catch {
    throw new RangeError(`"${expression}" is not a valid schedule`);
  }
}

function assertInstant(date: Date, what: string): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError(`${what} must be a valid date`);
}

/** Whether the schedule has a run at exactly this instant (a due instant another process computed). */
export function runsAt(spec: ScheduleSpec, due: Date): boolean {
  assertInstant(due, 'runsAt: due');
  return nextRun(spec, new Date(due.getTime() - 1)).getTime() === due.getTime();
}

/**
 * The next due instant strictly after `after`, read on the London clock. A time that the spring
 * clock change skips runs at the first minute after the gap; a time that the autumn change repeats
 * runs once, at its first occurrence.
 */
export function nextRun(spec: ScheduleSpec, after: Date): Date {
  assertInstant(after, 'nextRun: after');
  const next = cronFor(cronExpressionOf(spec)).nextRun(after);
  if (next === null) throw new RangeError(`the schedule ${cronExpressionOf(spec)} never runs`);
  return next;
}

/** Plain words for cards and help: `every Monday at 09:00`, `on the 1st of each month at 08:30`. */
export function describeSpec(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case 'weekly':
      return `every ${spec.day} at ${spec.at}`;
    case 'monthly':
      return spec.day === 'last'
        ? `on the last day of each month at ${spec.at}`
        : `on the ${ordinal(spec.day)} of each month at ${spec.at}`;
    case 'cron': {
      const plain = plainSpecOf(spec.expression);
      return plain ? `cron ${spec.expression} (${describePlain(plain)})` : `cron ${spec.expression}`;
    }
  }
}

type PlainSpec = { kind: 'daily'; at: WallTime } | Exclude<ScheduleSpec, { kind: 'cron' }>;

function describePlain(plain: PlainSpec): string {
  return plain.kind === 'daily' ? `every day at ${plain.at}` : describeSpec(plain);
}

/** The fields that decide when a pattern runs, to tell whether two expressions mean the same. */
function runFieldsOf(expression: string): string | undefined {
  try {
    const p = new CronPattern(expression, LONDON_TIME_ZONE, CRON_OPTIONS);
    return JSON.stringify([
      p.minute,
      p.hour,
      p.day,
      p.month,
      p.dayOfWeek,
      p.lastDayOfMonth,
      p.lastWeekday,
      p.nearestWeekdays,
      p.starDOM,
      p.starDOW,
      p.useAndLogic,
    ]);
  } catch {
    return undefined;
  }
}

/** A typed cron that means the same as a daily, weekly or monthly digest, so it can be said in words. */
function plainSpecOf(expression: string): PlainSpec | undefined {
  let pattern: CronPattern;
  try {
    pattern = new CronPattern(expression, LONDON_TIME_ZONE, CRON_OPTIONS);
  } catch {
    return undefined;
  }
  const only = (flags: number[]): number | undefined => {
    const set = flags.flatMap((flag, i) => (flag ? [i] : []));
    return set.length === 1 ? set[0] : undefined;
  };
  const minute = only(pattern.minute);
  const hour = only(pattern.hour);
  if (minute === undefined || hour === undefined) return undefined;
  const at = `${pad2(hour)}:${pad2(minute)}` as WallTime;
  const fields = runFieldsOf(expression);
  const candidates: [string, PlainSpec][] = [[`${minute} ${hour} * * *`, { kind: 'daily', at }]];
  const weekday = only(pattern.dayOfWeek);
  if (weekday !== undefined) {
    const day = WEEKDAYS[(weekday + 6) % 7] ?? 'Monday';
    candidates.push([`${minute} ${hour} * * ${weekday}`, { kind: 'weekly', day, at }]);
  }
  const monthDay = only(pattern.day);
  if (monthDay !== undefined && monthDay + 1 <= LAST_COMMON_MONTH_DAY) {
    candidates.push([`${minute} ${hour} ${monthDay + 1} * *`, { kind: 'monthly', day: monthDay + 1, at }]);
  }
  candidates.push([`${minute} ${hour} L * *`, { kind: 'monthly', day: 'last', at }]);
  return candidates.find(([candidate]) => runFieldsOf(candidate) === fields)?.[1];
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = { 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

// ---------------------------------------------------------------------------------------------
// Catch-up after the service was not running
// ---------------------------------------------------------------------------------------------

/** A digest this late or later is stale: it is skipped and mentioned in the next one instead. */
export const CATCH_UP_WINDOW_MS = 12 * HOUR_MS;
/** Skipped runs are listed up to this many (the most recent); older ones are summed up by `skippedSince`. */
export const SKIPPED_RUNS_LISTED = 12;

export interface CatchUp {
  /** At most one run: the latest one due, when it is less than `CATCH_UP_WINDOW_MS` late. */
  readonly send: readonly Date[];
  /** Runs missed and not sent, oldest first; the most recent `SKIPPED_RUNS_LISTED` of them. */
  readonly skipped: readonly Date[];
  /** The first run missed, when there were more missed runs than `skipped` lists. */
  readonly skippedSince?: Date;
  /** The next run after `now`. */
  readonly next: Date;
}

/**
 * The runs due after `since` (the last recorded run, or when the subscription was made) up to and
 * including `now`: the latest is sent if less than 12 hours late, every other one is skipped, so a
 * subscription never gets more than one catch-up digest.
 */
export function catchUp(spec: ScheduleSpec, since: Date, now: Date, windowMs = CATCH_UP_WINDOW_MS): CatchUp {
  assertInstant(since, 'catchUp: since');
  assertInstant(now, 'catchUp: now');
  if (!(windowMs > 0)) throw new RangeError(`a catch-up window must be positive, got ${windowMs}`);
  const cron = cronFor(cronExpressionOf(spec));
  const next = cron.nextRun(now);
  if (next === null) throw new RangeError(`the schedule ${cronExpressionOf(spec)} never runs`);
  // previousRuns excludes its reference, so one millisecond on takes in a run due exactly now.
  const recent = cron
    .previousRuns(SKIPPED_RUNS_LISTED + 1, new Date(now.getTime() + 1))
    .filter((due) => due.getTime() > since.getTime())
    .reverse();
  const latest = recent.at(-1);
  const sendLatest = latest !== undefined && now.getTime() - latest.getTime() < windowMs;
  const send = sendLatest ? [latest] : [];
  const skipped = (sendLatest ? recent.slice(0, -1) : recent).slice(-SKIPPED_RUNS_LISTED);
  const firstMissed = cron.nextRun(since);
  const firstListed = skipped[0];
  const more = firstMissed !== null && firstListed !== undefined && firstMissed.getTime() < firstListed.getTime();
  return more ? { send, skipped, skippedSince: firstMissed, next } : { send, skipped, next };
}

// ---------------------------------------------------------------------------------------------
// Run keys
// ---------------------------------------------------------------------------------------------

const RUN_KEY_SEPARATOR = '|';

/** `2026-11-30T09:00Z`: UTC to the minute, fixed width, so string order is time order. */
export function dueInstantKey(due: Date): string {
  assertInstant(due, 'a due instant');
  if (due.getTime() % MINUTE_MS !== 0) throw new RangeError('a due instant falls on a whole minute');
  const year = due.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new RangeError(`a due instant must be in years 1000 to 9999, got ${year}`);
  return `${due.toISOString().slice(0, 16)}Z`;
}

/**
 * `D-2|2026-11-30T09:00Z`: the same (subscription, due instant) gives the same key in every
 * process, so two schedulers that compute one run write one outbox row.
 */
export function runKey(subscriptionId: string, due: Date): string {
  if (subscriptionId === '' || subscriptionId.includes(RUN_KEY_SEPARATOR)) {
    throw new RangeError(
      `a subscription id must be non-empty and without "${RUN_KEY_SEPARATOR}", got "${subscriptionId}"`,
    );
  }
  return `${subscriptionId}${RUN_KEY_SEPARATOR}${dueInstantKey(due)}`;
}

/** The subscription and due instant a run key was made from; undefined for anything else. */
export function parseRunKey(key: string): { subscriptionId: string; due: Date } | undefined {
  const match = /^([^|]+)\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})Z$/.exec(key);
  if (!match) return undefined;
  const due = new Date(`${match[2]}:00.000Z`);
  if (Number.isNaN(due.getTime()) || dueInstantKey(due) !== `${match[2]}Z`) return undefined;
  return { subscriptionId: match[1] ?? '', due };
}

// ---------------------------------------------------------------------------------------------
// Outbox leases
// ---------------------------------------------------------------------------------------------

/**
 * An outbox row's life:
 * - `due`: waiting to be sent; after a failed attempt it waits until `notBefore`.
 * - `claimed`: one process holds it until `leaseUntil`; if that process dies the lease runs out
 *   and another process may claim it (each claim is one attempt).
 * - `sent`: delivered; final.
 * - `failed`: attempts used up, or the conversation is gone (bot removed or blocked); final.
 * - `skipped`: found too late to send (see `catchUp`); final, and mentioned in the next digest.
 */
export type OutboxState = 'due' | 'claimed' | 'sent' | 'failed' | 'skipped';

export interface OutboxLease {
  readonly state: OutboxState;
  /** Claims so far: each claim is one attempt to send. */
  readonly attempts: number;
  /** ISO instant the claim runs out (state `claimed`). */
  readonly leaseUntil?: string;
  /** ISO instant before which a `due` row is not claimed again (after a failed attempt). */
  readonly notBefore?: string;
}

/** Longer than one send with its retries (the sender gives up after 60 s), with room for the digest's reads. */
export const DEFAULT_LEASE_MS = 5 * MINUTE_MS;
export const MAX_SEND_ATTEMPTS = 5;
/** Waits after failed attempts 1, 2, 3, 4: 1, 2, 4, 8 minutes, so a digest is given up within the quarter hour. */
export const RETRY_BASE_MS = MINUTE_MS;
export const RETRY_MAX_MS = 30 * MINUTE_MS;

function instantOf(iso: string | undefined): number {
  if (iso === undefined) return -Infinity;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`"${iso}" is not an ISO instant`);
  return ms;
}

/** Whether another attempt is allowed after the attempts made so far. */
export function retryable(row: OutboxLease): boolean {
  return (row.state === 'due' || row.state === 'claimed') && row.attempts < MAX_SEND_ATTEMPTS;
}

/** A process may claim a row that is due (and past its wait), or claimed with a lease that has run out. */
export function canClaim(row: OutboxLease, now: Date): boolean {
  assertInstant(now, 'canClaim: now');
  if (!retryable(row)) return false;
  const at = now.getTime();
  if (row.state === 'due') return instantOf(row.notBefore) <= at;
  return instantOf(row.leaseUntil) <= at;
}

/** A claim whose holder is gone and that has no attempt left: the scheduler marks it failed. */
export function isAbandoned(row: OutboxLease, now: Date): boolean {
  assertInstant(now, 'isAbandoned: now');
  return row.state === 'claimed' && !retryable(row) && instantOf(row.leaseUntil) <= now.getTime();
}

/** The row as a claim leaves it (written under the row's ETag, so only one claimant wins). */
export function claim<R extends OutboxLease>(row: R, now: Date, leaseMs = DEFAULT_LEASE_MS): R {
  if (!canClaim(row, now)) throw new RangeError(`a ${row.state} row with ${row.attempts} attempts cannot be claimed`);
  if (!(leaseMs > 0)) throw new RangeError(`a lease must be positive, got ${leaseMs}`);
  const { notBefore: _wait, ...rest } = row;
  return {
    ...rest,
    state: 'claimed',
    attempts: row.attempts + 1,
    leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
  } as R;
}

/** The wait before the next attempt after `attempts` failed ones: doubling from one minute, capped. */
export function retryDelayMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be 1 or more, got ${attempts}`);
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempts - 1, 30));
}

/**
 * The claim held a while longer by its holder, during a long fan-out; written under the row's
 * ETag, so a holder whose lease another process took over learns it here and stops.
 */
export function renewLease<R extends OutboxLease>(row: R, now: Date, leaseMs = DEFAULT_LEASE_MS): R {
  assertInstant(now, 'renewLease: now');
  if (row.state !== 'claimed') throw new RangeError(`only a claimed row has a lease to renew, not a ${row.state} one`);
  if (!(leaseMs > 0)) throw new RangeError(`a lease must be positive, got ${leaseMs}`);
  return { ...row, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() };
}

/** The row of a run found too late to send: final, without another attempt. */
export function markSkipped<R extends OutboxLease>(row: R): R {
  if (row.state !== 'claimed') throw new RangeError(`only a claimed row is skipped, not a ${row.state} one`);
  const { leaseUntil: _lease, notBefore: _wait, ...rest } = row;
  return { ...rest, state: 'skipped' } as R;
}

/** The row as a successful send leaves it. */
export function markSent<R extends OutboxLease>(row: R): R {
  if (row.state !== 'claimed') throw new RangeError(`only a claimed row is sent, not a ${row.state} one`);
  const { leaseUntil: _lease, notBefore: _wait, ...rest } = row;
  return { ...rest, state: 'sent' } as R;
}

/**
 * The row after a failed attempt: due again after the backoff while attempts remain, otherwise (or
 * when the conversation is gone, which no retry can mend) failed for good.
 */
export function afterFailedAttempt<R extends OutboxLease>(row: R, now: Date, options: { gone?: boolean } = {}): R {
  assertInstant(now, 'afterFailedAttempt: now');
  if (row.state !== 'claimed') throw new RangeError(`only a claimed row can fail an attempt, not a ${row.state} one`);
  const { leaseUntil: _lease, notBefore: _wait, ...rest } = row;
  if (options.gone === true || !retryable(row)) return { ...rest, state: 'failed' } as R;
  const notBefore = new Date(now.getTime() + retryDelayMs(row.attempts)).toISOString();
  return { ...rest, state: 'due', notBefore } as R;
}

// ---------------------------------------------------------------------------------------------
// Working days (England and Wales)
// ---------------------------------------------------------------------------------------------

export interface BankHoliday {
  readonly date: string;
  readonly name: string;
}

/** The rules below (early May holiday included) hold from 1978. */
export const FIRST_BANK_HOLIDAY_YEAR = 1978;

/** Holidays moved by royal proclamation: no rule computes them, so they are listed as they were announced. */
const PROCLAIMED_MOVES: Readonly<Record<string, string>> = {
  '1995-05-01': '1995-05-08',
  '2002-05-27': '2002-06-04',
  '2012-05-28': '2012-06-04',
  '2020-05-04': '2020-05-08',
  '2022-05-30': '2022-06-02',
};

/** Extra holidays proclaimed for one year only. */
const PROCLAIMED_EXTRAS: readonly BankHoliday[] = [
  { date: '1999-12-31', name: 'Millennium celebrations' },
  { date: '2002-06-03', name: 'Golden Jubilee bank holiday' },
  { date: '2011-04-29', name: 'Royal wedding' },
  { date: '2012-06-05', name: 'Diamond Jubilee bank holiday' },
  { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
  { date: '2022-09-19', name: 'State Funeral of Queen Elizabeth II' },
  { date: '2023-05-08', name: 'Coronation of King Charles III' },
];

/** Days since 1970-01-01 of an ISO date; RangeError if it is not a real date. */
function dayNumberOf(isoDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (Number.isNaN(ms) || isoDateOf(ms / DAY_MS) !== isoDate) throw new RangeError(`"${isoDate}" is not a date`);
  return ms / DAY_MS;
}

function isoDateOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
function weekdayOf(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCDay();
}

function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Easter Sunday by the Gregorian computus (the anonymous algorithm of Meeus, Jones and Butcher). */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError(`no Gregorian Easter for ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

function firstMonday(year: number, month: number): number {
  const first = dayNumber(year, month, 1);
  return first + ((8 - weekdayOf(first)) % 7);
}

function lastMonday(year: number, month: number): number {
  const last = dayNumber(year, month + 1, 0);
  return last - ((weekdayOf(last) + 6) % 7);
}

/** The first weekday on or after `day` that is not already a holiday. */
function substituteFor(day: number, taken: ReadonlySet<number>): number {
  let substitute = day;
  while (weekdayOf(substitute) === 0 || weekdayOf(substitute) === 6 || taken.has(substitute)) substitute++;
  return substitute;
}

const holidayCache = new Map<number, readonly BankHoliday[]>();

/** England and Wales bank holidays of a calendar year, in date order. */
export function bankHolidays(year: number): readonly BankHoliday[] {
  if (!Number.isInteger(year) || year < FIRST_BANK_HOLIDAY_YEAR || year > 9998) {
    throw new RangeError(`bank holidays are known from ${FIRST_BANK_HOLIDAY_YEAR} to 9998, got ${year}`);
  }
  const cached = holidayCache.get(year);
  if (cached) return cached;

  const days: { day: number; name: string }[] = [];
  const taken = new Set<number>();
  const add = (day: number, name: string) => {
    days.push({ day, name });
    taken.add(day);
  };
  const isWeekend = (day: number) => weekdayOf(day) === 0 || weekdayOf(day) === 6;
  // Fixed-date holidays on a weekday keep their date; the others take the next free weekdays in date order.
  const addFixed = (...holidays: [number, string][]) => {
    for (const [day, name] of holidays) if (!isWeekend(day)) add(day, name);
    for (const [day, name] of holidays) if (isWeekend(day)) add(substituteFor(day, taken), `${name} (substitute day)`);
  };

  addFixed([dayNumber(year, 1, 1), "New Year's Day"]);
  const easter = dayNumberOf(easterSunday(year));
  add(easter - 2, 'Good Friday');
  add(easter + 1, 'Easter Monday');
  add(firstMonday(year, 5), 'Early May bank holiday');
  add(lastMonday(year, 5), 'Spring bank holiday');
  add(lastMonday(year, 8), 'Summer bank holiday');
  addFixed([dayNumber(year, 12, 25), 'Christmas Day'], [dayNumber(year, 12, 26), 'Boxing Day']);

  const holidays = days
    .map(({ day, name }) => {
      const date = isoDateOf(day);
      return { date: PROCLAIMED_MOVES[date] ?? date, name };
    })
    .concat(PROCLAIMED_EXTRAS.filter((extra) => extra.date.startsWith(`${year}-`)))
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((holiday) => Object.freeze(holiday));
  Object.freeze(holidays);
  holidayCache.set(year, holidays);
  return holidays;
}

export function isBankHoliday(isoDate: string): boolean {
  dayNumberOf(isoDate);
  return bankHolidays(Number(isoDate.slice(0, 4))).some((holiday) => holiday.date === isoDate);
}

/** Monday to Friday and not a bank holiday in England and Wales. */
export function isWorkingDay(isoDate: string): boolean {
  const weekday = weekdayOf(dayNumberOf(isoDate));
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(isoDate);
}

/** The `n`th working day after `isoDate` (before it when `n` is negative); `n = 0` gives the date itself. */
export function addWorkingDays(isoDate: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`a number of working days must be whole, got ${n}`);
  let day = dayNumberOf(isoDate);
  const step = Math.sign(n);
  for (let left = Math.abs(n); left > 0;) {
    day += step;
    if (isWorkingDay(isoDateOf(day))) left--;
  }
  return isoDateOf(day);
}

/** Officers have this many working days after a period ends to record its KPI figures. */
export const KPI_REPORTING_WORKING_DAYS = 5;

/** The day a KPI owner is reminded when the figure for the period ending `periodEnd` is still missing. */
export function reminderDueDate(periodEnd: string): string {
  return addWorkingDays(periodEnd, KPI_REPORTING_WORKING_DAYS);
}

// ---------------------------------------------------------------------------------------------
// London calendar dates and weekly reminder keys
// ---------------------------------------------------------------------------------------------

/** ISO 8601 week of a date, e.g. `2026-W48`: weeks run Monday to Sunday and belong to the year of their Thursday. */
export function isoWeekOfDate(isoDate: string): string {
  const day = dayNumberOf(isoDate);
  const thursday = day + 3 - ((weekdayOf(day) + 6) % 7);
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1;
  return `${year}-W${pad2(week)}`;
}

/** The ISO week an instant falls in on the London calendar. */
export function isoWeekOf(instant: Date): string {
  return isoWeekOfDate(londonDate(instant));
}

/** `<person>|2026-W48`: a reminder written under this key reaches a person at most once a London week. */
export function weeklyReminderKey(personId: string, instant: Date): string {
  if (personId === '' || personId.includes(RUN_KEY_SEPARATOR)) {
    throw new RangeError(`a person id must be non-empty and without "${RUN_KEY_SEPARATOR}", got "${personId}"`);
  }
  return `${personId}${RUN_KEY_SEPARATOR}${isoWeekOf(instant)}`;
}

import { vocabulary, type ValueOf } from './vocabulary.js';

/** UK local government financial periods: the year starts on 1 April, P1 = April … P12 = March. */
export const FREQUENCIES = vocabulary(
  { monthly: ['month'], quarterly: ['quarter'], annual: ['yearly', 'year', 'annually'] },
  { annual: 'annually' },
);
export type Frequency = ValueOf<typeof FREQUENCIES>;

export interface FinancialPeriod {
  readonly frequency: Frequency;
  /** Calendar year in which the financial year starts: 2026 means 2026/27. */
  readonly fyStart: number;
  /** Month P1 (April) … P12 (March), quarter 1 … 4, or 1 for the year. */
  readonly index: number;
  readonly label: string;
  readonly sortKey: string;
}

const PERIODS_PER_YEAR: Record<Frequency, number> = { monthly: 12, quarterly: 4, annual: 1 };

// Four-digit years keep labels and sort keys fixed-width, so string order is time order.
const FIRST_YEAR = 1000;
const LAST_YEAR = 9998;

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function financialYearLabel(fyStart: number): string {
  return `${fyStart}/${pad2((fyStart + 1) % 100)}`;
}

/** Calendar year and month (1–12) of a monthly period index. */
function calendarMonthOf(fyStart: number, index: number): { year: number; month: number } {
  return index <= 9 ? { year: fyStart, month: index + 3 } : { year: fyStart + 1, month: index - 9 };
}

function periodIndexOfMonth(month: number): number {
  return month >= 4 ? month - 3 : month + 9;
}

function checkYear(fyStart: number): void {
  if (!Number.isInteger(fyStart) || fyStart < FIRST_YEAR || fyStart > LAST_YEAR) {
    throw new RangeError(`financial year must start between ${FIRST_YEAR} and ${LAST_YEAR}, got ${fyStart}`);
  }
}

export function financialPeriod(frequency: Frequency, fyStart: number, index: number): FinancialPeriod {
  checkYear(fyStart);
  if (!Number.isInteger(index) || index < 1 || index > PERIODS_PER_YEAR[frequency]) {
    throw new RangeError(`${frequency} period index must be 1 to ${PERIODS_PER_YEAR[frequency]}, got ${index}`);
  }
  let label: string;
  let sortKey: string;
  if (frequency === 'monthly') {
    const { year, month } = calendarMonthOf(fyStart, index);
    label = sortKey = `${year}-${pad2(month)}`;
  } else if (frequency === 'quarterly') {
    label = `${financialYearLabel(fyStart)} Q${index}`;
    sortKey = `${fyStart}Q${index}`;
  } else {
    label = financialYearLabel(fyStart);
    sortKey = String(fyStart);
  }
  return { frequency, fyStart, index, label, sortKey };
}

function monthPeriod(year: number, month: number): FinancialPeriod | undefined {
  if (month < 1 || month > 12) return undefined;
  const fyStart = month >= 4 ? year : year - 1;
  return tryPeriod('monthly', fyStart, periodIndexOfMonth(month));
}

function tryPeriod(frequency: Frequency, fyStart: number, index: number): FinancialPeriod | undefined {
  try {
    return financialPeriod(frequency, fyStart, index);
  } catch {
    return undefined;
  }
}

/**
 * The start year of a financial year as officers write it: `2026/27`, `2026-27`, `2026/2027`, `FY2026/27`
 * → 2026; undefined when the second year does not follow the first (`2026/28`) or the year is out of range.
 */
export function parseFinancialYear(text: string): number | undefined {
  const match = /^(?:fy\s?)?(\d{4})[/-](\d{2}|\d{4})$/i.exec(text.trim());
  if (!match) return undefined;
  const first = Number(match[1]);
  const second = match[2] ?? '';
  const follows = second.length === 2 ? Number(second) === (first + 1) % 100 : Number(second) === first + 1;
  return follows && first >= FIRST_YEAR && first <= LAST_YEAR ? first : undefined;
}

/**
 * A month of a known financial year as a budget line is typed: `P7`, `p7` or `P07` is October of that
 * year; P0, P13 and anything else give undefined.
 */
export function parsePeriodInYear(text: string, fyStart: number): FinancialPeriod | undefined {
  // A bad year is the caller's mistake and throws; a bad period number is the officer's and is refused.
  checkYear(fyStart);
  const match = /^p(\d{1,2})$/i.exec(text.trim());
  const index = Number(match?.[1]);
  return match && index >= 1 && index <= 12 ? financialPeriod('monthly', fyStart, index) : undefined;
}

function monthNumberOf(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower === 'sept') return 9;
  const found = MONTH_NAMES.findIndex(
    (full) => lower === full.toLowerCase() || lower === full.slice(0, 3).toLowerCase(),
  );
  return found === -1 ? undefined : found + 1;
}

/** A period as officers write it: `2026-10`, `Oct 2026`, `P7 2026/27`, `Q2 2026/27`, `2026-27`, `FY2026/27`, …; else undefined. */
export function parsePeriod(text: string): FinancialPeriod | undefined {
  // `FY 2026/27` is one token, like `FY2026/27`.
  const cleaned = text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\bfy (?=\d)/gi, 'FY');

  // `2026-10` is a month; `2026-27` cannot be, so it is read below as a financial year.
  const yearMonth = /^(\d{4})-(\d{2})$/.exec(cleaned);
  const month = Number(yearMonth?.[2]);
  if (yearMonth && month >= 1 && month <= 12) return monthPeriod(Number(yearMonth[1]), month);

  const namedMonth = /^([a-z]+)\.? (\d{4})$/i.exec(cleaned);
  if (namedMonth) {
    const month = monthNumberOf(namedMonth[1] ?? '');
    return month === undefined ? undefined : monthPeriod(Number(namedMonth[2]), month);
  }

  const parts = cleaned.split(' ');
  if (parts.length === 1) {
    const fyStart = parseFinancialYear(cleaned);
    return fyStart === undefined ? undefined : tryPeriod('annual', fyStart, 1);
  }
  if (parts.length === 2) {
    // The quarter or month number may come before or after the year.
    const [a = '', b = ''] = parts;
    const numbered = /^([qp])(\d{1,2})$/i;
    const [marker, yearText] = numbered.test(a) ? [a, b] : [b, a];
    const match = numbered.exec(marker);
    const fyStart = parseFinancialYear(yearText);
    if (!match || fyStart === undefined) return undefined;
    const frequency: Frequency = match[1]?.toLowerCase() === 'q' ? 'quarterly' : 'monthly';
    return tryPeriod(frequency, fyStart, Number(match[2]));
  }
  return undefined;
}

const LONDON_YEAR_MONTH = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
});

/** The period containing this instant as the clock reads in London. */
export function periodOf(frequency: Frequency, date: Date): FinancialPeriod {
  if (Number.isNaN(date.getTime())) throw new RangeError('periodOf needs a valid date');
  const parts = LONDON_YEAR_MONTH.formatToParts(date);
  const year = Number(parts.find((part) => part.type === 'year')?.value);
  const month = Number(parts.find((part) => part.type === 'month')?.value);
  const fyStart = month >= 4 ? year : year - 1;
  const monthIndex = periodIndexOfMonth(month);
  if (frequency === 'monthly') return financialPeriod('monthly', fyStart, monthIndex);
  if (frequency === 'quarterly') return financialPeriod('quarterly', fyStart, Math.ceil(monthIndex / 3));
  return financialPeriod('annual', fyStart, 1);
}

/** The periods one request needs, worked out once: the one in progress and the last complete one, per frequency. */
export interface PeriodsAt {
  readonly now: Date;
  readonly current: Readonly<Record<Frequency, FinancialPeriod>>;
  readonly lastComplete: Readonly<Record<Frequency, FinancialPeriod>>;
}

export function periodsAt(now: Date): PeriodsAt {
  const month = periodOf('monthly', now);
  const current = {
    monthly: month,
    quarterly: financialPeriod('quarterly', month.fyStart, Math.ceil(month.index / 3)),
    annual: financialPeriod('annual', month.fyStart, 1),
  };
  return {
    now,
    current,
    lastComplete: {
      monthly: previousPeriod(current.monthly),
      quarterly: previousPeriod(current.quarterly),
      annual: previousPeriod(current.annual),
    },
  };
}

const byLabel = new Map<string, FinancialPeriod | undefined>();

/** A stored canonical label read back as its period; labels are few, so each is parsed once per process. */
export function periodFromLabel(label: string): FinancialPeriod | undefined {
  if (byLabel.has(label)) return byLabel.get(label);
  const period = parsePeriod(label);
  if (byLabel.size > 50_000) byLabel.clear();
  byLabel.set(label, period);
  return period;
}

/** The latest period that has fully ended: the one before the period containing `now`. */
export function lastCompletePeriod(frequency: Frequency, now: Date): FinancialPeriod {
  return previousPeriod(periodOf(frequency, now));
}

function ordinalOf(p: FinancialPeriod): number {
  return p.fyStart * PERIODS_PER_YEAR[p.frequency] + (p.index - 1);
}

function fromOrdinal(frequency: Frequency, ordinal: number): FinancialPeriod {
  const perYear = PERIODS_PER_YEAR[frequency];
  return financialPeriod(frequency, Math.floor(ordinal / perYear), (ordinal % perYear) + 1);
}

export function previousPeriod(p: FinancialPeriod): FinancialPeriod {
  return fromOrdinal(p.frequency, ordinalOf(p) - 1);
}

export function nextPeriod(p: FinancialPeriod): FinancialPeriod {
  return fromOrdinal(p.frequency, ordinalOf(p) + 1);
}

export function samePeriodLastYear(p: FinancialPeriod): FinancialPeriod {
  return financialPeriod(p.frequency, p.fyStart - 1, p.index);
}

const FREQUENCY_ORDER: Record<Frequency, number> = { monthly: 0, quarterly: 1, annual: 2 };

/** Chronological order; periods of different lengths go by start date, shorter first. */
export function comparePeriods(a: FinancialPeriod, b: FinancialPeriod): number {
  if (a.frequency === b.frequency) return Math.sign(ordinalOf(a) - ordinalOf(b));
  const byStart = periodStart(a).localeCompare(periodStart(b));
  if (byStart !== 0) return Math.sign(byStart);
  return Math.sign(FREQUENCY_ORDER[a.frequency] - FREQUENCY_ORDER[b.frequency]);
}

/** The `n` periods ending with `p`, oldest first (for trends and sparklines). */
export function periodsBack(p: FinancialPeriod, n: number): FinancialPeriod[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`periodsBack needs a whole number of periods, got ${n}`);
  const last = ordinalOf(p);
  return Array.from({ length: n }, (_, i) => fromOrdinal(p.frequency, last - n + 1 + i));
}

/** Label for people: `Oct 2026`, `Q2 2026/27`, `2026/27`. */
export function shortLabel(p: FinancialPeriod): string {
  if (p.frequency === 'monthly') {
    const { year, month } = calendarMonthOf(p.fyStart, p.index);
    return `${MONTH_NAMES[month - 1]?.slice(0, 3)} ${year}`;
  }
  if (p.frequency === 'quarterly') return `Q${p.index} ${financialYearLabel(p.fyStart)}`;
  return financialYearLabel(p.fyStart);
}

function firstMonthOf(p: FinancialPeriod): { year: number; month: number } {
  if (p.frequency === 'monthly') return calendarMonthOf(p.fyStart, p.index);
  if (p.frequency === 'quarterly') return calendarMonthOf(p.fyStart, (p.index - 1) * 3 + 1);
  return calendarMonthOf(p.fyStart, 1);
}

function lastMonthOf(p: FinancialPeriod): { year: number; month: number } {
  if (p.frequency === 'monthly') return calendarMonthOf(p.fyStart, p.index);
  if (p.frequency === 'quarterly') return calendarMonthOf(p.fyStart, p.index * 3);
  return calendarMonthOf(p.fyStart, 12);
}

/** First day of the period as an ISO date, e.g. `2026-10-01`. */
export function periodStart(p: FinancialPeriod): string {
  const { year, month } = firstMonthOf(p);
  return `${year}-${pad2(month)}-01`;
}

/** Last day of the period as an ISO date, e.g. `2026-10-31`. */
export function periodEnd(p: FinancialPeriod): string {
  const { year, month } = lastMonthOf(p);
  // Day 0 of the next month is the last day of this one; UTC avoids any clock change.
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad2(month)}-${pad2(lastDay)}`;
}

/**
 * A period as officers write it, with a month named alone (`September`, `Sept`) read as the latest
 * such month that has begun by `now` (in November 2026, September is Sep 2026; in March 2027 it is
 * Sep 2026 too); anything `parsePeriod` reads is read as it reads it.
 */
export function parsePeriodNear(text: string, now: Date): FinancialPeriod | undefined {
  const period = parsePeriod(text);
  if (period) return period;
  const month = monthNumberOf(text.trim().replace(/\.$/, ''));
  if (month === undefined) return undefined;
  const current = periodOf('monthly', now);
  const { year, month: currentMonth } = calendarMonthOf(current.fyStart, current.index);
  return monthPeriod(month <= currentMonth ? year : year - 1, month);
}

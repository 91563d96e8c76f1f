/** Calendar days as the clock reads in London: due dates, deadlines and the age of reports. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written `2026-10-31`; `2026-02-30` is not one. */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function requireIsoDate(date: string): [number, number, number] {
  if (!isIsoDate(date)) throw new RangeError(`expected a date written YYYY-MM-DD, got "${date}"`);
  const [year = '', month = '', day = ''] = date.split('-');
  return [Number(year), Number(month), Number(day)];
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function isoOfUtc(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The date `days` after (or before, when negative) `date`; whole calendar days, so no clock change shifts it. */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`addDays needs a whole number of days, got ${days}`);
  const [year, month, day] = requireIsoDate(date);
  return isoOfUtc(new Date(Date.UTC(year, month - 1, day + days)));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Calendar months later, kept within the month: 31 January + 1 month is 28 (or 29) February. */
export function addMonths(date: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`addMonths needs a whole number of months, got ${months}`);
  const [year, month, day] = requireIsoDate(date);
  const total = year * 12 + (month - 1) + months;
  const toYear = Math.floor(total / 12);
  const toMonth = (total % 12) + 1;
  if (toYear < 1000 || toYear > 9999) throw new RangeError(`${date} + ${months} months is out of range`);
  return `${pad(toYear, 4)}-${pad(toMonth)}-${pad(Math.min(day, daysInMonth(toYear, toMonth)))}`;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

function londonParts(instant: Date): { year: number; month: number; day: number; wallClockMs: number } {
  if (Number.isNaN(instant.getTime())) throw new RangeError('expected a valid date and time');
  const parts = LONDON.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const [year, month, day] = [part('year'), part('month'), part('day')];
  const wallClockMs = Date.UTC(year, month - 1, day, part('hour'), part('minute'), part('second'));
  return { year, month, day, wallClockMs };
}

/** The date in London at this instant: 23:30 UTC on 14 July is already 15 July there (BST). */
export function londonDate(instant: Date): string {
  const { year, month, day } = londonParts(instant);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/**
 * The instant a London day begins. Clocks change at 01:00 UTC, never at midnight, so local midnight
 * always exists once; the offset read at midnight UTC of that date is the one in force at local midnight.
 */
export function startOfLondonDay(date: string): Date {
  const [year, month, day] = requireIsoDate(date);
  const midnightUtc = Date.UTC(year, month - 1, day);
  const offsetMs = londonParts(new Date(midnightUtc)).wallClockMs - midnightUtc;
  return new Date(midnightUtc - offsetMs);
}

/** The first instant after the London day: something due on `date` is late from here on. */
export function endOfLondonDay(date: string): Date {
  return startOfLondonDay(addDays(date, 1));
}

import { formatMoney, parseMoney, pence } from './money.js';
import type { Rag, RagStatus, Trend } from './rag.js';
import { vocabulary, type ValueOf } from './vocabulary.js';
import { foldAccents, MINOR_WORDS } from './names.js';

export const KPI_UNITS = vocabulary(
  {
    '%': ['percent', 'percentage'],
    count: ['number'],
    '£': ['gbp', 'pounds', 'money'],
    days: ['day'],
    hours: ['hour'],
    score: [],
  },
  { '%': '% (percentage)', '£': '£ (money)' },
);
export type KpiUnit = ValueOf<typeof KPI_UNITS>;

/** Whether a higher or a lower value is better (more first-time fixes, fewer major incidents). */
export const POLARITIES = vocabulary(
  { higher: ['high', 'up'], lower: ['low', 'down'] },
  { higher: 'higher (e.g. first time fix)', lower: 'lower (e.g. major incidents)' },
);
export type Polarity = ValueOf<typeof POLARITIES>;
export type KpiStatus = RagStatus;

/** How far a KPI may miss its target and still be Amber rather than Red. */
export type Tolerance = { kind: 'percent'; value: number } | { kind: 'absolute'; value: number };

export const DEFAULT_TOLERANCE: Tolerance = { kind: 'percent', value: 5 };

// Decimals are compared as integers of millionths, so 68.685 against 72.3 − 5% is exact.
const MICRO_DIGITS = 6;

/** Millionths read from the number's decimal text, so 68.685 is 68685000 and not the float just below it. */
function toMicros(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`a KPI figure must be a finite number, got ${x}`);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!match) throw new RangeError(`cannot read ${x} as a decimal`);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const shift = MICRO_DIGITS + Number(exponent) - fraction.length;
  const digits = BigInt(whole + fraction);
  let micros: bigint;
  if (shift >= 0) {
    micros = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    micros = (digits + divisor / 2n) / divisor;
  }
  return sign ? -micros : micros;
}

const abs = (n: bigint): bigint => (n < 0n ? -n : n);

const DECIMAL = /^\d+(?:\.\d+)?$/;

/** `5%`, `2.5%` (of the target) or `3` (in the KPI's own unit: pence for £ KPIs, typed as £2,000); negative tolerances are refused. */
export function parseTolerance(text: string, unit?: KpiUnit): Tolerance | undefined {
  const cleaned = text.trim();
  if (unit === '£' && !cleaned.endsWith('%')) {
    const amount = parseMoney(cleaned);
    return amount === undefined || amount < 0 ? undefined : { kind: 'absolute', value: amount };
  }
  const percent = /^(.*?)\s*%$/.exec(cleaned);
  const number = percent ? (percent[1] ?? '') : cleaned;
  if (!DECIMAL.test(number)) return undefined;
  return { kind: percent ? 'percent' : 'absolute', value: Number(number) };
}

export function formatTolerance(tolerance: Tolerance, unit?: KpiUnit): string {
  if (unit === '£' && tolerance.kind === 'absolute') return formatMoney(pence(Math.round(tolerance.value)));
  const number = formatDecimal(tolerance.value, MICRO_DIGITS);
  return tolerance.kind === 'percent' ? `${number}%` : number;
}

/** The council's rule: on target Green, within tolerance Amber, else Red; a boundary counts as the better band. */
export function ragFor(input: { value: number; target: number; tolerance: Tolerance; polarity: Polarity }): Rag {
  const { value, target, tolerance, polarity } = input;
  if (!(tolerance.value >= 0)) throw new RangeError(`a tolerance cannot be negative, got ${tolerance.value}`);

  // Common scale 10^14: micros × 10^8 for figures, micros × micros for target × percent ÷ 100.
  const scale = 100_000_000n;
  const v = toMicros(value) * scale;
  const t = toMicros(target) * scale;
  const band =
    tolerance.kind === 'percent'
      ? abs(toMicros(target)) * toMicros(tolerance.value)
      : toMicros(tolerance.value) * scale;

  if (polarity === 'higher') {
    if (v >= t) return 'Green';
    return v >= t - band ? 'Amber' : 'Red';
  }
  if (v <= t) return 'Green';
  return v <= t + band ? 'Amber' : 'Red';
}

/** The last value that is still Amber (target − tolerance, or + when lower is better), exact to the millionth. */
export function amberLimit(input: { target: number; tolerance: Tolerance; polarity: Polarity }): number {
  const { target, tolerance, polarity } = input;
  const band =
    tolerance.kind === 'percent'
      ? (abs(toMicros(target)) * toMicros(tolerance.value)) / 100_000_000n
      : toMicros(tolerance.value);
  const limit = polarity === 'higher' ? toMicros(target) - band : toMicros(target) + band;
  return Number(limit) / 1_000_000;
}

/** Direction of travel since the previous reading, in terms of the KPI's polarity. */
export function trendOf(current: number, previous: number | undefined, polarity: Polarity): Trend | undefined {
  if (previous === undefined) return undefined;
  const now = toMicros(current);
  const before = toMicros(previous);
  if (now === before) return 'same';
  return now > before === (polarity === 'higher') ? 'better' : 'worse';
}

const MAX_CODE_LENGTH = 10;

/**
 * Initials (`First time fix` → `FTF`, `Priority 1 incidents` → `P1I`), one word's first three letters, then 2, 3, …
 * if taken; `taken` holds the codes in use and the words the command reads itself.
 */
export function deriveKpiCode(name: string, taken: ReadonlySet<string>): string {
  const words = foldAccents(name)
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((word) => word !== '');
  const significant = words.filter((word) => !MINOR_WORDS.has(word.toLowerCase()));
  const chosen = significant.length > 0 ? significant : words;

  let base =
    chosen.length === 1
      ? (chosen[0] ?? '').slice(0, 3)
      : chosen.map((word) => /^\d+/.exec(word)?.[0] ?? word.charAt(0)).join('');
  // A code starts with a letter, so a leading number gets a K (for KPI) in front.
  if (/^\d/.test(base)) base = `K${base}`;
  base = base.slice(0, MAX_CODE_LENGTH);
  if (base.length < 2) base = 'KPI';

  const takenCodes = new Set([...taken].map((code) => code.toUpperCase()));
  if (!takenCodes.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = String(n);
    const candidate = base.slice(0, MAX_CODE_LENGTH - suffix.length) + suffix;
    if (!takenCodes.has(candidate)) return candidate;
  }
}

export function isValidKpiCode(code: string): boolean {
  return /^[A-Z][A-Z0-9]{0,9}$/.test(code.toUpperCase());
}

export type KpiValueResult = { ok: true; value: number } | { ok: false; problem: string };

const EXAMPLE: Record<KpiUnit, string> = {
  '%': '72.5',
  count: '8',
  '£': '£845,000',
  days: '3.5',
  hours: '4',
  score: '7.2',
};

const PLAIN_NUMBER = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/** Reads a KPI reading in its unit; a problem is a sentence telling the officer the right form. */
export function parseKpiValue(unit: KpiUnit, text: string): KpiValueResult {
  const cleaned = text.trim();
  const example = EXAMPLE[unit];
  if (cleaned === '') return { ok: false, problem: `no value was given: give the value as a number, e.g. ${example}` };

  if (unit === '£') {
    const amount = parseMoney(cleaned);
    return amount === undefined
      ? {
          ok: false,
          problem: `"${cleaned}" is not an amount of money: give it in pounds, e.g. £845,000, £845k or £1.2m`,
        }
      : { ok: true, value: amount };
  }

  const number = unit === '%' ? cleaned.replace(/\s*%$/, '') : cleaned;
  if (!PLAIN_NUMBER.test(number)) {
    return { ok: false, problem: `"${cleaned}" is not a number: give the value as a number, e.g. ${example}` };
  }
  const value = Number(number.replace(/,/g, ''));
  const refuse = (problem: string): KpiValueResult => ({ ok: false, problem });
  if (!Number.isFinite(value))
    return refuse(`"${cleaned}" is too large to record: give the value as a number, e.g. ${example}`);

  switch (unit) {
    case '%':
      if (value < 0) return refuse(`a percentage cannot be below 0: give a value from 0 to 100, e.g. ${example}`);
      if (value > 100) return refuse(`a percentage cannot be over 100: give a value from 0 to 100, e.g. ${example}`);
      break;
    case 'count':
      if (value < 0) return refuse(`a count cannot be negative: give a whole number of 0 or more, e.g. ${example}`);
      if (!Number.isInteger(value)) return refuse(`a count must be a whole number: give e.g. ${example}`);
      break;
    case 'days':
    case 'hours':
      if (value < 0) return refuse(`a number of ${unit} cannot be negative: give 0 or more, e.g. ${example}`);
      break;
    case 'score':
      break;
  }
  return { ok: true, value: value === 0 ? 0 : value };
}

/** Decimal text with at most `maxDecimals` places, trailing zeros trimmed and thousands grouped. */
function formatDecimal(x: number, maxDecimals: number): string {
  const divisor = 10n ** BigInt(MICRO_DIGITS - maxDecimals);
  const micros = toMicros(x);
  const rounded = (abs(micros) + divisor / 2n) / divisor;
  const digits = rounded.toString().padStart(maxDecimals + 1, '0');
  const whole = digits.slice(0, digits.length - maxDecimals).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits.slice(digits.length - maxDecimals).replace(/0+$/, '');
  const negative = micros < 0n && rounded !== 0n;
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** A reading as people read it: `72.5%`, `8`, `£845,000`, `3.5 days`, `4 hours`, `7.2`. */
export function formatKpiValue(unit: KpiUnit, value: number): string {
  if (unit === '£') return formatMoney(pence(Math.round(value)));
  const number = formatDecimal(value, 2);
  switch (unit) {
    case '%':
      return `${number}%`;
    case 'days':
      return number === '1' ? '1 day' : `${number} days`;
    case 'hours':
      return number === '1' ? '1 hour' : `${number} hours`;
    default:
      return number;
  }
}

/** Money is held as integer pence so that sums and shares never drift by a fraction of a penny. */
export type Pence = number & { readonly __brand: 'Pence' };

export function pence(n: number): Pence {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`an amount of money must be a whole number of pence, got ${n}`);
  }
  // Normalise -0 so that formatting never shows "-£0".
  return (n === 0 ? 0 : n) as Pence;
}

// Teams and pasted text bring no-break, thin and zero-width spaces along with the figure.
const SPACE = '[\\s\\u00a0\\u2000-\\u200b\\u202f\\u205f\\u3000\\ufeff]';
const ODD_WHITESPACE = new RegExp(`^${SPACE}+|${SPACE}+$`, 'g');

const MONEY = /^(-?)£?(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?([km]?)$/i;

const PENCE_PER_POUND = 100n;
const PENCE_PER_THOUSAND = 100_000n;
const PENCE_PER_MILLION = 100_000_000n;

function pencePerUnit(suffix: string): bigint {
  if (suffix === 'k') return PENCE_PER_THOUSAND;
  if (suffix === 'm') return PENCE_PER_MILLION;
  return PENCE_PER_POUND;
}

// Accounts show a negative amount in brackets: `(£50k)` is minus £50,000.
const BRACKETED = /^\((.*)\)$/;

/**
 * Exact pence from an amount as officers write it (`£1.2m`, `£845k`, `£1,040,616`, `-£50k`, or `(£50k)`
 * for a negative amount as accounts show it), else undefined.
 */
export function parseMoney(text: string): Pence | undefined {
  const trimmed = text.replace(ODD_WHITESPACE, '');
  const bracketed = BRACKETED.exec(trimmed);
  const inner = bracketed ? (bracketed[1] ?? '').replace(ODD_WHITESPACE, '') : trimmed;
  const match = MONEY.exec(inner);
  if (!match) return undefined;
  const [, signBefore = '', signAfter = '', whole = '', fraction = '', suffixText = ''] = match;
  if (signBefore && signAfter) return undefined;
  // `(-£50k)` says minus twice; it is refused like `-£-50k`.
  if (bracketed && (signBefore || signAfter)) return undefined;
  const suffix = suffixText.toLowerCase();
  if (suffix === '' && fraction.length > 2) return undefined;

  // Decimal-string arithmetic: digits × pence-per-unit ÷ 10^decimals, exact or refused.
  const digits = BigInt(whole.replace(/,/g, '') + fraction);
  const scaled = digits * pencePerUnit(suffix);
  const divisor = 10n ** BigInt(fraction.length);
  if (scaled % divisor !== 0n) return undefined;
  const magnitude = scaled / divisor;
  if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;

  const signed = Number(magnitude);
  return pence(signBefore || signAfter || bracketed ? -signed : signed);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `£1,040,616`, `£1,040,616.50`, `-£845,000`; pennies shown when non-zero unless asked always. */
export function formatMoney(p: Pence, opts?: { pennies?: 'auto' | 'always' }): string {
  const amount = pence(p);
  const magnitude = Math.abs(amount);
  const pounds = Math.floor(magnitude / 100);
  const pennies = magnitude % 100;
  const showPennies = opts?.pennies === 'always' || pennies !== 0;
  const text = `£${groupThousands(String(pounds))}${showPennies ? `.${String(pennies).padStart(2, '0')}` : ''}`;
  return amount < 0 ? `-${text}` : text;
}

/** Rounds |pence| to three significant figures of the unit (at least the whole units), half away from zero. */
function shortIn(magnitude: bigint, penceInUnit: bigint): { units: bigint; decimals: number } {
  const wholeDigits = (magnitude / penceInUnit).toString().length;
  const decimals = Math.max(0, 3 - wholeDigits);
  const step = penceInUnit / 10n ** BigInt(decimals);
  return { units: (magnitude + step / 2n) / step, decimals };
}

function decimalText(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return groupThousands(whole) + (fraction ? `.${fraction}` : '');
}

/** Compact amount for cards: `£845k`, `£1.89m`, `£5.1m`; amounts under £1,000 in full. */
export function formatMoneyShort(p: Pence): string {
  const amount = pence(p);
  const magnitude = BigInt(Math.abs(amount));
  if (magnitude < 100_000n) return formatMoney(amount);

  let text: string;
  const inThousands = shortIn(magnitude, PENCE_PER_THOUSAND);
  // £999,999 would round to "£1000k"; say "£1m" instead.
  if (inThousands.units < 1000n * 10n ** BigInt(inThousands.decimals)) {
    text = `£${decimalText(inThousands.units, inThousands.decimals)}k`;
  } else {
    const inMillions = shortIn(magnitude, PENCE_PER_MILLION);
    text = `£${decimalText(inMillions.units, inMillions.decimals)}m`;
  }
  return amount < 0 ? `-${text}` : text;
}

/** The sum of amounts, refused (RangeError) if it leaves exact pence. */
export function sumPence(amounts: Iterable<Pence>): Pence {
  let total = 0;
  for (const amount of amounts) total += amount;
  return pence(total);
}

function checkWhole(n: number, what: string): bigint {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number, got ${n}`);
  return BigInt(n);
}

/** a ÷ b to the nearest whole number, halves away from zero (b ≠ 0). */
function divideHalfAwayFromZero(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  const rounded = (2n * x + y) / (2n * y);
  return negative ? -rounded : rounded;
}

/**
 * `amount × numerator ÷ denominator` to the penny, halves away from zero, so that one division
 * carries the only rounding (at most half a penny) and −x gives exactly −(x).
 */
export function prorate(amount: Pence, numerator: number, denominator: number): Pence {
  const n = checkWhole(numerator, 'a pro-rata numerator');
  const d = checkWhole(denominator, 'a pro-rata denominator');
  if (d === 0n) throw new RangeError('a pro-rata denominator must not be zero');
  const result = divideHalfAwayFromZero(BigInt(pence(amount)) * n, d);
  if (result > BigInt(Number.MAX_SAFE_INTEGER) || result < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('a pro-rata amount is beyond exact pence');
  }
  return pence(Number(result));
}

/**
 * Splits an amount in proportion to whole-number weights, to the penny, by largest remainder: each
 * part is the exact share rounded down, then the pennies left over go one each to the parts with the
 * largest fractions (the earlier weight first on a tie). The parts always add back to the amount,
 * each is within a penny of its exact share, and a negative amount splits as the mirror of its size.
 */
export function allocate(amount: Pence, weights: readonly number[]): Pence[] {
  const whole = BigInt(pence(amount));
  const ws = weights.map((w) => {
    const b = checkWhole(w, 'a weight');
    if (b < 0n) throw new RangeError(`a weight must not be negative, got ${w}`);
    return b;
  });
  const totalWeight = ws.reduce((sum, w) => sum + w, 0n);
  if (totalWeight === 0n)
    throw new RangeError('an amount can only be split between weights that add up to more than 0');

  const magnitude = whole < 0n ? -whole : whole;
  const parts = ws.map((w, i) => ({
    i,
    floor: (magnitude * w) / totalWeight,
    remainder: (magnitude * w) % totalWeight,
  }));
  let left = magnitude - parts.reduce((sum, p) => sum + p.floor, 0n);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1,
  );
  for (const part of byRemainder) {
    if (left === 0n) break;
    if (part.remainder === 0n) continue;
    part.floor += 1n;
    left -= 1n;
  }
  return parts.map((p) => pence(Number(whole < 0n ? -p.floor : p.floor)));
}

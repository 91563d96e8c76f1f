import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  formatMoney,
  formatMoneyShort,
  parseMoney,
  pence,
  prorate,
  sumPence,
} from '../../src/domain/money.js';

describe('pence', () => {
  it('accepts whole numbers of pence', () => {
    expect(pence(104061600)).toBe(104061600);
    expect(pence(-84500000)).toBe(-84500000);
  });

  it('refuses fractions of a penny, infinities and unsafe integers', () => {
    expect(() => pence(1.5)).toThrow(RangeError);
    expect(() => pence(Number.NaN)).toThrow(RangeError);
    expect(() => pence(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => pence(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });
});

describe('reading money as officers write it', () => {
  it.each([
    ['£1.2m', 120_000_000],
    ['£845k', 84_500_000],
    ['£1,040,616', 104_061_600],
    ['1040616', 104_061_600],
    ['£1,040,616.50', 104_061_650],
    ['£1.89m', 189_000_000],
    ['£5.1M', 510_000_000],
    ['845K', 84_500_000],
    ['£2.67m', 267_000_000],
    ['£0.5m', 50_000_000],
    ['£1.0406165m', 104_061_650],
    ['£1.23456k', 123_456],
    ['£12.5k', 1_250_000],
    ['£0', 0],
    ['£0.01', 1],
    ['£7.5', 750],
    ['-£845,000', -84_500_000],
    ['-845k', -84_500_000],
    ['£-845k', -84_500_000],
    ['-£50k', -5_000_000],
    ['(£50k)', -5_000_000],
    ['(£845,000)', -84_500_000],
    ['(1040616)', -104_061_600],
    ['( £1.89m )', -189_000_000],
  ])('reads %s as %s pence', (text, expected) => {
    expect(parseMoney(text)).toBe(expected);
  });

  it('is exact where floating point is not (0.07 × 100 = 7.000000000000001)', () => {
    expect(parseMoney('£0.07')).toBe(7);
    expect(parseMoney('£1.15m')).toBe(115_000_000);
    expect(parseMoney('£4.35k')).toBe(435_000);
  });

  it('trims ordinary, no-break, thin and zero-width spaces', () => {
    expect(parseMoney('  £845k ')).toBe(84_500_000);
    expect(parseMoney('\u00a0£1,040,616\u202f')).toBe(104_061_600);
    expect(parseMoney('\u200b£1.2m\ufeff')).toBe(120_000_000);
  });

  it.each([
    ['more than two decimals without a suffix', '£1,040,616.505'],
    ['fractions of a penny in millions', '£1.040616555m'],
    ['fractions of a penny in thousands', '£1.234567k'],
    ['commas in the wrong place', '£10,40,616'],
    ['a lone comma group', '£1,04'],
    ['billions', '£0.5bn'],
    ['other currencies', '$845k'],
    ['words', 'lots'],
    ['an empty string', ''],
    ['only a pound sign', '£'],
    ['a bare decimal point', '£.5m'],
    ['a trailing decimal point', '£845.'],
    ['two minus signs', '-£-845'],
    ['a plus sign', '+£845'],
    ['exponents', '1e6'],
    ['amounts beyond exact pence', '£999999999999999'],
    ['two decimal points', '£1.2.3m'],
    ['two decimal points in brackets', '(£1.2.3m)'],
    ['a minus sign inside brackets', '(-£50k)'],
    ['a minus sign before brackets', '-(£50k)'],
    ['an opening bracket alone', '(£50k'],
    ['a closing bracket alone', '£50k)'],
    ['empty brackets', '()'],
    ['brackets twice', '((£50k))'],
  ])('refuses %s', (_, text) => {
    expect(parseMoney(text)).toBeUndefined();
  });
});

describe('formatting money', () => {
  it('shows pounds with thousands separators and pennies only when there are some', () => {
    expect(formatMoney(pence(104_061_600))).toBe('£1,040,616');
    expect(formatMoney(pence(104_061_650))).toBe('£1,040,616.50');
    expect(formatMoney(pence(5))).toBe('£0.05');
    expect(formatMoney(pence(0))).toBe('£0');
  });

  it('shows pennies always when asked', () => {
    expect(formatMoney(pence(104_061_600), { pennies: 'always' })).toBe('£1,040,616.00');
  });

  it('puts the minus sign before the pound sign', () => {
    expect(formatMoney(pence(-84_500_000))).toBe('-£845,000');
    expect(formatMoney(pence(-1))).toBe('-£0.01');
  });

  it('never shows minus zero', () => {
    expect(formatMoney(pence(-0))).toBe('£0');
  });
});

describe('short money for cards', () => {
  it.each([
    [84_500_000, '£845k'],
    [189_000_000, '£1.89m'],
    [510_000_000, '£5.1m'],
    [267_000_000, '£2.67m'],
    [104_061_600, '£1.04m'],
    [100_000, '£1k'],
    [1_250_000, '£12.5k'],
    [123_456, '£1.23k'],
    [99_999_900, '£1m'],
    [99_940_000, '£999k'],
    [1_234_567_800_000, '£12,346m'],
    [-84_500_000, '-£845k'],
    [99_999, '£999.99'],
    [84_500, '£845'],
    [0, '£0'],
  ])('shows %s pence as %s', (amount, expected) => {
    expect(formatMoneyShort(pence(amount))).toBe(expected);
  });
});

describe('money properties', () => {
  const anyPence = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }).map(pence);

  it('reads back every formatted amount exactly', () => {
    fc.assert(
      fc.property(anyPence, (p) => {
        expect(parseMoney(formatMoney(p))).toBe(p);
        expect(parseMoney(formatMoney(p, { pennies: 'always' }))).toBe(p);
      }),
    );
  });

  it('reads an amount in brackets as the negative amount', () => {
    fc.assert(
      fc.property(anyPence, (p) => {
        fc.pre(p > 0);
        expect(parseMoney(`(${formatMoney(p)})`)).toBe(-Number(p));
        expect(parseMoney(`(${formatMoneyShort(p)})`)).toBe(parseMoney(`-${formatMoneyShort(p)}`));
      }),
    );
  });

  it('shows exact amounts under £1,000 in short form, and reads them back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999, max: 99_999 }).map(pence), (p) => {
        expect(parseMoney(formatMoneyShort(p))).toBe(p);
      }),
    );
  });

  it('reads back a short amount to within half of its last digit shown, and never more than 0.51% out', () => {
    // Up to £90 trillion, so that rounding up to the nearest £1m stays within exact pence.
    const belowTheTop = fc.integer({ min: -9e15, max: 9e15 }).map(pence);
    fc.assert(
      fc.property(belowTheTop, (p) => {
        const short = formatMoneyShort(p);
        const read = parseMoney(short);
        expect(read).toBeDefined();
        const error = Math.abs((read ?? 0) - p);
        // `£1.89m` shows tens of thousands of pounds, so it can be out by up to £5,000.
        const [, decimals = '', suffix = ''] = /(?:\.(\d+))?([km]?)$/.exec(short) ?? [];
        const unit = suffix === 'm' ? 100_000_000 : suffix === 'k' ? 100_000 : 1;
        const lastDigit = unit / 10 ** decimals.length;
        expect(error * 2).toBeLessThanOrEqual(lastDigit);
        expect(error * 10_000).toBeLessThanOrEqual(Math.abs(p) * 51);
        if (p !== 0) expect(Math.sign(read ?? 0)).toBe(Math.sign(p));
      }),
    );
  });

  it('never reads a fraction of a penny, whatever the text', () => {
    const moneyish = fc.stringMatching(/^-?£?[0-9,.]{1,14}[kKmM]?$/);
    fc.assert(
      fc.property(fc.oneof(moneyish, fc.string()), (text) => {
        const result = parseMoney(text);
        if (result !== undefined) expect(Number.isSafeInteger(result)).toBe(true);
      }),
    );
  });

  it('reads k and m amounts as exactly 1,000 and 1,000,000 pounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 99 }), (whole, hundredths) => {
        const decimal = `${whole}.${String(hundredths).padStart(2, '0')}`;
        expect(parseMoney(`£${decimal}k`)).toBe(whole * 100_000 + hundredths * 1_000);
        expect(parseMoney(`£${decimal}m`)).toBe(whole * 100_000_000 + hundredths * 1_000_000);
      }),
    );
  });
});

describe('sums, pro rata and shares of money', () => {
  it('adds amounts, refusing a sum beyond exact pence', () => {
    expect(sumPence([pence(84_500_000), pence(-104_061_600)])).toBe(-19_561_600);
    expect(sumPence([])).toBe(0);
    expect(() => sumPence([pence(Number.MAX_SAFE_INTEGER), pence(1)])).toThrow(RangeError);
  });

  it('takes a proportion to the penny, halves away from zero', () => {
    expect(prorate(pence(100), 1, 3)).toBe(33);
    expect(prorate(pence(100), 2, 3)).toBe(67);
    expect(prorate(pence(1), 1, 2)).toBe(1);
    expect(prorate(pence(-1), 1, 2)).toBe(-1);
    expect(prorate(pence(-100), 2, 3)).toBe(-67);
    expect(prorate(pence(5), 6, -4)).toBe(-8);
    expect(() => prorate(pence(1), 1, 0)).toThrow(RangeError);
    expect(() => prorate(pence(1), 0.5, 1)).toThrow(RangeError);
    expect(() => prorate(pence(Number.MAX_SAFE_INTEGER), 2, 1)).toThrow(RangeError);
  });

  it('is within half a penny of the exact proportion, and −x gives exactly −(x)', () => {
    // Up to £5 trillion, so that twelve times it is still exact pence.
    const amount = fc.integer({ min: -5e14, max: 5e14 }).map(pence);
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 12 }), (p, n, d) => {
        const result = prorate(p, n, d);
        const twiceError = (BigInt(result) * BigInt(d) - BigInt(p) * BigInt(n)) * 2n;
        expect(twiceError <= BigInt(d) && twiceError >= -BigInt(d)).toBe(true);
        expect(prorate(pence(0 - p), n, d)).toBe(pence(0 - result));
      }),
    );
  });

  it('splits by weights, the parts adding back and each within a penny of its exact share', () => {
    expect(allocate(pence(100), [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(pence(-100), [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(pence(5), [0, 1])).toEqual([0, 5]);
    expect(() => allocate(pence(5), [0, 0])).toThrow(RangeError);
    expect(() => allocate(pence(5), [-1, 2])).toThrow(RangeError);
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }).map(pence),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const parts = allocate(total, weights);
          const sumWeights = BigInt(weights.reduce((a, b) => a + b, 0));
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((part, i) => {
            const gap = BigInt(part) * sumWeights - BigInt(total) * BigInt(weights[i]!);
            expect(gap < sumWeights && gap > -sumWeights).toBe(true);
          });
        },
      ),
    );
  });
});

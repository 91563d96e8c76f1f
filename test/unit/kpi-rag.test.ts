import fc from 'fast-check';
import { countRag, ragOrder, type Rag } from '../../src/domain/rag.js';
import { describe, expect, it } from 'vitest';
import {
  amberLimit,
  DEFAULT_TOLERANCE,
  deriveKpiCode,
  formatKpiValue,
  formatTolerance,
  isValidKpiCode,
  parseKpiValue,
  parseTolerance,
  ragFor,
  trendOf,
  type KpiStatus,
  type Polarity,
  type Tolerance,
} from '../../src/domain/kpi.js';

const percent = (value: number): Tolerance => ({ kind: 'percent', value });
const absolute = (value: number): Tolerance => ({ kind: 'absolute', value });
const higher = (value: number, target: number, tolerance: Tolerance = DEFAULT_TOLERANCE): Rag =>
  ragFor({ value, target, tolerance, polarity: 'higher' });
const lower = (value: number, target: number, tolerance: Tolerance = DEFAULT_TOLERANCE): Rag =>
  ragFor({ value, target, tolerance, polarity: 'lower' });

describe('KPI RAG', () => {
  describe('when higher is better (first time fix 90%, tolerance 5% of target = 4.5)', () => {
    it('is Green exactly on target', () => expect(higher(90, 90)).toBe('Green'));
    it('is Green above target', () => expect(higher(90.000001, 90)).toBe('Green'));
    it('is Amber just below target', () => expect(higher(89.999999, 90)).toBe('Amber'));
    it('is Amber exactly on the tolerance boundary when higher is better', () =>
      expect(higher(85.5, 90)).toBe('Amber'));
    it('is Red just beyond the tolerance boundary', () => expect(higher(85.499999, 90)).toBe('Red'));
    it('is Red far below target', () => expect(higher(0, 90)).toBe('Red'));
  });

  describe('when lower is better (major incidents target 10, tolerance 2 incidents)', () => {
    const two = absolute(2);
    it('is Green exactly on target', () => expect(lower(10, 10, two)).toBe('Green'));
    it('is Green below target', () => expect(lower(9.999999, 10, two)).toBe('Green'));
    it('is Amber just above target', () => expect(lower(10.000001, 10, two)).toBe('Amber'));
    it('is Amber exactly on the tolerance boundary when lower is better', () =>
      expect(lower(12, 10, two)).toBe('Amber'));
    it('is Red just beyond the tolerance boundary', () => expect(lower(12.000001, 10, two)).toBe('Red'));
  });

  describe('percent tolerance when lower is better (target 20 days, 5% = 1 day)', () => {
    it('is Green exactly on target', () => expect(lower(20, 20)).toBe('Green'));
    it('is Amber exactly on the tolerance boundary', () => expect(lower(21, 20)).toBe('Amber'));
    it('is Red just beyond it', () => expect(lower(21.000001, 20)).toBe('Red'));
  });

  describe('absolute tolerance when higher is better (target 90, tolerance 3)', () => {
    it('is Amber exactly on the tolerance boundary', () => expect(higher(87, 90, absolute(3))).toBe('Amber'));
    it('is Red just beyond it', () => expect(higher(86.999999, 90, absolute(3))).toBe('Red'));
  });

  describe('decimal boundaries are exact', () => {
    it('makes 68.685 Amber and 68.684 Red against 72.3 with 5% when higher is better', () => {
      expect(higher(68.685, 72.3)).toBe('Amber');
      expect(higher(68.684, 72.3)).toBe('Red');
    });
    it('makes 75.915 Amber and 75.916 Red against 72.3 with 5% when lower is better', () => {
      expect(lower(75.915, 72.3)).toBe('Amber');
      expect(lower(75.916, 72.3)).toBe('Red');
    });
    it('makes 0.9 Amber against 1.1 with tolerance 0.2, where 1.1 − 0.2 in floating point is 0.9000000000000001', () => {
      expect(higher(0.9, 1.1, absolute(0.2))).toBe('Amber');
      expect(lower(1.3, 1.1, absolute(0.2))).toBe('Amber');
    });
    it('uses a fractional percentage exactly: 2.5% of 80 is 2', () => {
      expect(higher(78, 80, percent(2.5))).toBe('Amber');
      expect(higher(77.999999, 80, percent(2.5))).toBe('Red');
    });
  });

  describe('a zero target', () => {
    it('has no Amber band with a percent tolerance when higher is better', () => {
      expect(higher(0, 0)).toBe('Green');
      expect(higher(-0.000001, 0)).toBe('Red');
    });
    it('has no Amber band with a percent tolerance when lower is better', () => {
      expect(lower(0, 0)).toBe('Green');
      expect(lower(0.000001, 0)).toBe('Red');
    });
    it('keeps an absolute Amber band', () => {
      expect(higher(-2, 0, absolute(2))).toBe('Amber');
      expect(higher(-2.000001, 0, absolute(2))).toBe('Red');
      expect(lower(2, 0, absolute(2))).toBe('Amber');
      expect(lower(2.000001, 0, absolute(2))).toBe('Red');
    });
  });

  describe('a negative target (a net budget variance of −10, tolerance 5% of 10 = 0.5)', () => {
    it('is Green on target and Amber exactly on the boundary when higher is better', () => {
      expect(higher(-10, -10)).toBe('Green');
      expect(higher(-10.5, -10)).toBe('Amber');
      expect(higher(-10.500001, -10)).toBe('Red');
    });
    it('is Green on target and Amber exactly on the boundary when lower is better', () => {
      expect(lower(-10, -10)).toBe('Green');
      expect(lower(-9.5, -10)).toBe('Amber');
      expect(lower(-9.499999, -10)).toBe('Red');
    });
  });

  describe('a zero tolerance', () => {
    it('goes straight from Green to Red', () => {
      expect(higher(90, 90, percent(0))).toBe('Green');
      expect(higher(89.999999, 90, percent(0))).toBe('Red');
      expect(lower(10.000001, 10, absolute(0))).toBe('Red');
    });
  });

  it('refuses a negative tolerance and figures that are not numbers', () => {
    expect(() => higher(90, 90, percent(-5))).toThrow(RangeError);
    expect(() => higher(Number.NaN, 90)).toThrow(RangeError);
    expect(() => lower(1, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  describe('properties', () => {
    const goodness: Record<Rag, number> = { Red: 0, Amber: 1, Green: 2 };
    const figure = fc.double({ min: -1e9, max: 1e9, noNaN: true });
    const tolerance = fc.oneof(
      fc.double({ min: 0, max: 100, noNaN: true }).map(percent),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map(absolute),
    );
    const polarity = fc.constantFrom<Polarity>('higher', 'lower');

    it('never makes the RAG worse when the value improves', () => {
      fc.assert(
        fc.property(figure, figure, figure, tolerance, polarity, (a, b, target, tol, pol) => {
          const [worse, better] = a <= b === (pol === 'higher') ? [a, b] : [b, a];
          const before = ragFor({ value: worse, target, tolerance: tol, polarity: pol });
          const after = ragFor({ value: better, target, tolerance: tol, polarity: pol });
          expect(goodness[after]).toBeGreaterThanOrEqual(goodness[before]);
        }),
      );
    });

    it('gives the same RAG when the figures are negated and the polarity flipped', () => {
      fc.assert(
        fc.property(figure, figure, tolerance, polarity, (value, target, tol, pol) => {
          const flipped: Polarity = pol === 'higher' ? 'lower' : 'higher';
          expect(ragFor({ value: -value, target: -target, tolerance: tol, polarity: flipped })).toBe(
            ragFor({ value, target, tolerance: tol, polarity: pol }),
          );
        }),
      );
    });

    it('is Green exactly when the target is met, whatever the tolerance', () => {
      fc.assert(
        fc.property(fc.integer(), fc.integer(), tolerance, (value, target, tol) => {
          expect(higher(value, target, tol) === 'Green').toBe(value >= target);
          expect(lower(value, target, tol) === 'Green').toBe(value <= target);
        }),
      );
    });
  });
});

describe('KPI tolerance', () => {
  it.each([
    ['5%', percent(5)],
    ['2.5%', percent(2.5)],
    [' 10 % ', percent(10)],
    ['3', absolute(3)],
    ['0', absolute(0)],
    ['0%', percent(0)],
  ])('reads %s', (text, expected) => {
    expect(parseTolerance(text)).toEqual(expected);
  });

  it.each(['-5%', '-3', 'five', '', '%', '5%%', '1e3'])('refuses %j', (text) => {
    expect(parseTolerance(text)).toBeUndefined();
  });

  it('is 5% unless set', () => {
    expect(DEFAULT_TOLERANCE).toEqual(percent(5));
  });

  it('writes tolerances the way they are read', () => {
    expect(formatTolerance(percent(5))).toBe('5%');
    expect(formatTolerance(percent(2.5))).toBe('2.5%');
    expect(formatTolerance(absolute(3))).toBe('3');
    expect(formatTolerance(absolute(0.25))).toBe('0.25');
    for (const text of ['5%', '2.5%', '3', '0.125']) expect(formatTolerance(parseTolerance(text)!)).toBe(text);
  });

  describe('of a £ KPI, where an amount is money', () => {
    it.each([
      ['£5,000', absolute(500_000)],
      ['5000', absolute(500_000)],
      ['5,000', absolute(500_000)],
      ['£5k', absolute(500_000)],
      ['£0.50', absolute(50)],
      ['5%', percent(5)],
    ])('reads %s', (text, expected) => {
      expect(parseTolerance(text, '£')).toEqual(expected);
    });

    it.each(['-£5', '-5000', 'five pounds', ''])('refuses %j', (text) => {
      expect(parseTolerance(text, '£')).toBeUndefined();
    });

    it('writes an amount as money and a percentage as a percentage', () => {
      expect(formatTolerance(absolute(500_000), '£')).toBe('£5,000');
      expect(formatTolerance(parseTolerance('5000', '£')!, '£')).toBe('£5,000');
      expect(formatTolerance(percent(5), '£')).toBe('5%');
    });

    it('still reads a plain number in the unit of other KPIs', () => {
      expect(parseTolerance('5000', 'count')).toEqual(absolute(5000));
      expect(formatTolerance(absolute(3), 'days')).toBe('3');
    });
  });
});

describe('the Amber limit', () => {
  it('is the target less the tolerance when higher is better', () => {
    expect(amberLimit({ target: 80, tolerance: percent(5), polarity: 'higher' })).toBe(76);
    expect(amberLimit({ target: 90, tolerance: absolute(3), polarity: 'higher' })).toBe(87);
  });

  it('is the target plus the tolerance when lower is better', () => {
    expect(amberLimit({ target: 2, tolerance: absolute(1), polarity: 'lower' })).toBe(3);
    expect(amberLimit({ target: 20, tolerance: percent(5), polarity: 'lower' })).toBe(21);
  });

  it('is £95,000 for a target of £100,000 and a tolerance of £5,000 (in pence)', () => {
    expect(amberLimit({ target: 10_000_000, tolerance: absolute(500_000), polarity: 'higher' })).toBe(9_500_000);
    expect(
      formatKpiValue('£', amberLimit({ target: 10_000_000, tolerance: absolute(500_000), polarity: 'higher' })),
    ).toBe('£95,000');
  });

  it('is exact with decimals: 72.3 less 5% is 68.685', () => {
    expect(amberLimit({ target: 72.3, tolerance: percent(5), polarity: 'higher' })).toBe(68.685);
  });

  it('is the last value that is still Amber', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.constantFrom<Polarity>('higher', 'lower'),
        (target, tolerance, polarity) => {
          const limit = amberLimit({ target, tolerance: absolute(tolerance), polarity });
          expect(ragFor({ value: limit, target, tolerance: absolute(tolerance), polarity })).not.toBe('Red');
          const beyond = polarity === 'higher' ? limit - 0.001 : limit + 0.001;
          expect(ragFor({ value: beyond, target, tolerance: absolute(tolerance), polarity })).toBe('Red');
        },
      ),
    );
  });
});

describe('KPI trend', () => {
  it('is better when a higher-is-better KPI rises and worse when it falls', () => {
    expect(trendOf(75, 72.5, 'higher')).toBe('better');
    expect(trendOf(70, 72.5, 'higher')).toBe('worse');
  });

  it('counts fewer major incidents as better', () => {
    expect(trendOf(6, 8, 'lower')).toBe('better');
    expect(trendOf(9, 8, 'lower')).toBe('worse');
  });

  it('is the same when nothing changed, even through floating point noise', () => {
    expect(trendOf(8, 8, 'lower')).toBe('same');
    expect(trendOf(0.1 + 0.2, 0.3, 'higher')).toBe('same');
  });

  it('is unknown without a previous reading', () => {
    expect(trendOf(8, undefined, 'higher')).toBeUndefined();
  });
});

describe('KPI codes', () => {
  const none = new Set<string>();

  it.each([
    ['Major incidents', 'MI'],
    ['First time fix', 'FTF'],
    ['Portal vs telephone channel shift', 'PTCS'],
    ['Percentage of calls answered within 60 seconds', 'PCAW60S'],
    ['Availability of the network', 'AN'],
    ['Availability', 'AVA'],
    ['IT', 'IT'],
    ['Priority 1 incidents', 'P1I'],
    ['24x7 service desk', 'K24SD'],
    ['Résumé checks', 'RC'],
    ['user-satisfaction score', 'USS'],
    ['The', 'THE'],
    ['x', 'KPI'],
    ['', 'KPI'],
    ['one two three four five six seven eight nine ten eleven', 'OTTFFSSENT'],
  ])('derives %j as %s', (name, code) => {
    expect(deriveKpiCode(name, none)).toBe(code);
  });

  it('appends 2, 3, … when the code is taken, ignoring case', () => {
    expect(deriveKpiCode('Major incidents', new Set(['MI']))).toBe('MI2');
    expect(deriveKpiCode('Major incidents', new Set(['mi', 'MI2']))).toBe('MI3');
  });

  it('never derives a word it is told the kpi command reads itself: Reductions is RED2, not RED', () => {
    const reserved = new Set(['RED', 'AMBER', 'ADD']);
    expect(deriveKpiCode('Reductions', reserved)).toBe('RED2');
    expect(deriveKpiCode('Reductions', new Set([...reserved, 'RED2']))).toBe('RED3');
    expect(deriveKpiCode('Additions', reserved)).toBe('ADD2');
    expect(deriveKpiCode('Amber Mapping Building Estate Register', reserved)).toBe('AMBER2');
  });

  it('keeps a numbered code to 10 characters', () => {
    const name = 'one two three four five six seven eight nine ten';
    expect(deriveKpiCode(name, new Set(['OTTFFSSENT']))).toBe('OTTFFSSEN2');
  });

  it('always derives a valid code that is not taken', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.uniqueArray(fc.stringMatching(/^[A-Z]{1,4}[0-9]?$/), { maxLength: 20 }),
        (name, taken) => {
          const code = deriveKpiCode(name, new Set(taken));
          expect(isValidKpiCode(code)).toBe(true);
          expect(code.length).toBeGreaterThanOrEqual(2);
          expect(code.length).toBeLessThanOrEqual(10);
          expect(taken).not.toContain(code);
        },
      ),
    );
  });

  it.each(['MI', 'ftf', 'P1I', 'A', 'ABCDEFGHIJ'])('accepts %s as a code', (code) => {
    expect(isValidKpiCode(code)).toBe(true);
  });

  it.each(['1MI', 'ABCDEFGHIJK', 'M I', 'MI-2', '', 'É'])('refuses %j as a code', (code) => {
    expect(isValidKpiCode(code)).toBe(false);
  });
});

describe('KPI readings', () => {
  it.each([
    ['%', '72.5', 72.5],
    ['%', '72.5%', 72.5],
    ['%', ' 100 % ', 100],
    ['%', '0', 0],
    ['count', '8', 8],
    ['count', '1,200', 1200],
    ['days', '3.5', 3.5],
    ['hours', '0', 0],
    ['score', '-2.5', -2.5],
    ['score', '+7.2', 7.2],
    ['£', '£845k', 84_500_000],
    ['£', '-£1,040,616', -104_061_600],
  ] as const)('reads a %s reading of %j as %s', (unit, text, value) => {
    expect(parseKpiValue(unit, text)).toEqual({ ok: true, value });
  });

  it.each([
    ['%', 'abc', '"abc" is not a number: give the value as a number, e.g. 72.5'],
    ['%', '100.1', 'a percentage cannot be over 100: give a value from 0 to 100, e.g. 72.5'],
    ['%', '-1', 'a percentage cannot be below 0: give a value from 0 to 100, e.g. 72.5'],
    ['count', '8.5', 'a count must be a whole number: give e.g. 8'],
    ['count', '-1', 'a count cannot be negative: give a whole number of 0 or more, e.g. 8'],
    ['count', '8%', '"8%" is not a number: give the value as a number, e.g. 8'],
    ['days', '-0.5', 'a number of days cannot be negative: give 0 or more, e.g. 3.5'],
    ['hours', '-4', 'a number of hours cannot be negative: give 0 or more, e.g. 4'],
    ['score', '1e3', '"1e3" is not a number: give the value as a number, e.g. 7.2'],
    ['score', '', 'no value was given: give the value as a number, e.g. 7.2'],
    ['£', 'lots', '"lots" is not an amount of money: give it in pounds, e.g. £845,000, £845k or £1.2m'],
    ['£', '£1.001', '"£1.001" is not an amount of money: give it in pounds, e.g. £845,000, £845k or £1.2m'],
  ] as const)('refuses a %s reading of %j, saying what to give instead', (unit, text, problem) => {
    expect(parseKpiValue(unit, text)).toEqual({ ok: false, problem });
  });

  it('refuses a number too large to hold', () => {
    const result = parseKpiValue('score', '9'.repeat(400));
    expect(result.ok).toBe(false);
  });

  it.each([
    ['%', 72.5, '72.5%'],
    ['%', 100, '100%'],
    ['count', 8, '8'],
    ['count', 1200, '1,200'],
    ['£', 84_500_000, '£845,000'],
    ['£', 104_061_650, '£1,040,616.50'],
    ['days', 3.5, '3.5 days'],
    ['days', 1, '1 day'],
    ['hours', 4, '4 hours'],
    ['hours', 1, '1 hour'],
    ['score', 7.2, '7.2'],
    ['score', 7.2345, '7.23'],
    ['score', 1.005, '1.01'],
    ['score', -0.001, '0'],
    ['score', 7.1, '7.1'],
    ['%', 66.666666, '66.67%'],
  ] as const)('shows a %s reading of %s as %s', (unit, value, text) => {
    expect(formatKpiValue(unit, value)).toBe(text);
  });
});

describe('RAG summary and order', () => {
  it('counts each status, as in "3 KPIs: 2 green, 0 amber, 1 red"', () => {
    const statuses: KpiStatus[] = ['Green', 'Red', 'Green'];
    expect(countRag(statuses)).toEqual({ Green: 2, Amber: 0, Red: 1, 'No data': 0, total: 3 });
    expect(countRag([])).toEqual({ Green: 0, Amber: 0, Red: 0, 'No data': 0, total: 0 });
    expect(countRag(['No data', 'Amber'])).toMatchObject({ Amber: 1, 'No data': 1, total: 2 });
  });

  it('lists Red first, then Amber, then Green, then KPIs with no data', () => {
    const statuses: KpiStatus[] = ['Green', 'No data', 'Amber', 'Red', 'Green'];
    expect([...statuses].sort((a, b) => ragOrder(a) - ragOrder(b))).toEqual([
      'Red',
      'Amber',
      'Green',
      'Green',
      'No data',
    ]);
  });
});

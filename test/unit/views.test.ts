import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bar, GAP, naturalCompare, sparkline } from '../../src/cards/views.js';

describe('sparkline', () => {
  const BARS = '▁▂▃▄▅▆▇█';

  it('draws nothing for no readings', () => {
    expect(sparkline([])).toBe('');
  });

  it('draws one bar per reading, lowest ▁ and highest █', () => {
    expect(sparkline([70, 72, 74, 71, 75, 78, 76.5, 77, 79, 80, 81, 84])).toBe('▁▂▃▂▄▅▄▅▆▆▇█');
  });

  it('draws a level line in the middle when nothing changed', () => {
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([82])).toBe('▄');
  });

  it('copes with negative values', () => {
    expect(sparkline([-10, 0, 10])).toBe('▁▅█');
  });

  it('always has one bar per value, ▁ for the lowest and █ for the highest, and keeps their order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 24,
        }),
        (values) => {
          const line = [...sparkline(values)];
          expect(line).toHaveLength(values.length);
          const min = Math.min(...values);
          const max = Math.max(...values);
          if (min === max) return;
          values.forEach((v, i) => {
            if (v === min) expect(line[i]).toBe('▁');
            if (v === max) expect(line[i]).toBe('█');
            values.forEach((w, j) => {
              if (v < w) expect(BARS.indexOf(line[i]!)).toBeLessThanOrEqual(BARS.indexOf(line[j]!));
            });
          });
        },
      ),
    );
  });
});

describe('sparkline gaps', () => {
  it('draws a period with no figure as a gap, not as a low value', () => {
    expect(sparkline([70, undefined, 80])).toBe(`▁${GAP}█`);
  });

  it('draws nothing when no period has a figure', () => {
    expect(sparkline([undefined, undefined])).toBe('');
  });
});

describe('bars', () => {
  it('fills the width for the largest value and nothing for zero', () => {
    expect(bar(100, 100, 10)).toBe('█'.repeat(10));
    expect(bar(0, 100, 10)).toBe('');
  });

  it('shows half as half the width, in eighths of a character', () => {
    expect(bar(50, 100, 10)).toBe('█████');
    expect(bar(5, 100, 10)).toBe('▌');
  });

  it('never draws beyond the width', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        (v, max) => {
          expect([...bar(v, max, 20)].length).toBeLessThanOrEqual(20);
        },
      ),
    );
  });
});

describe('natural order of codes', () => {
  it('puts 2 before 10, as people count', () => {
    expect(['KPI10', 'KPI2', 'KPI1'].sort(naturalCompare)).toEqual(['KPI1', 'KPI2', 'KPI10']);
    expect(['R-10', 'R-2'].sort(naturalCompare)).toEqual(['R-2', 'R-10']);
  });
});

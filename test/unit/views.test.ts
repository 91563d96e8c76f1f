import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bar, clipped, GAP, pageOf, sparkline } from '../../src/cards/views.js';

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

describe('a page of a list', () => {
  const items = Array.from({ length: 57 }, (_, i) => i + 1);

  it('says nothing of pages when the list fits on one', () => {
    const page = pageOf(items.slice(0, 20), 0, 20);
    expect(page.items).toHaveLength(20);
    expect(page.view).toEqual({ hasRows: true });
    expect(page.next).toBeUndefined();
    expect(page.showing).toEqual([]);
  });

  it('shows 21–40 of 57 on the second page and offers the third', () => {
    const page = pageOf(items, 20, 20);
    expect(page.items[0]).toBe(21);
    expect(page.view).toEqual({ hasRows: true, range: '21–40', total: 57 });
    expect(page.next).toBe(40);
    expect(page.showing).toEqual(['Showing 21–40 of 57.']);
  });

  it('ends at the last item on the last page and offers no more', () => {
    const page = pageOf(items, 40, 20);
    expect(page.items).toHaveLength(17);
    expect(page.view.range).toBe('41–57');
    expect(page.next).toBeUndefined();
  });

  it('has no rows past the end', () => {
    expect(pageOf([], 0, 20).view).toEqual({ hasRows: false });
  });

  it('covers every item once, page by page, for any length and page size', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.integer({ min: 1, max: 30 }), (length, size) => {
        const all = Array.from({ length }, (_, i) => i);
        const seen: number[] = [];
        let offset: number | undefined = 0;
        while (offset !== undefined) {
          const page: ReturnType<typeof pageOf<number>> = pageOf(all, offset, size);
          seen.push(...page.items);
          offset = page.next;
        }
        expect(seen).toEqual(all);
      }),
    );
  });
});

describe('a long remark on a card', () => {
  it('is whole when it fits', () => {
    expect(clipped('Mailbox moves behind', 20)).toBe('Mailbox moves behind');
  });

  it('is cut with an ellipsis, never longer than its room', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 300 }), (text, max) => {
        const shown = clipped(text, max);
        expect(shown.length).toBeLessThanOrEqual(max);
        if (text.length > max) expect(shown).toBe(`${text.slice(0, max - 1).trimEnd()}…`);
        else expect(shown).toBe(text);
      }),
    );
  });
});

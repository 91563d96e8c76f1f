import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance, foldAccents, MINOR_WORDS, naturalCompare } from '../../src/domain/names.js';

describe('edits between two names', () => {
  it.each([
    ['kitten', 'sitting', 3],
    ['kpi', 'kpi', 0],
    ['', 'kpi', 3],
    ['kpi', '', 3],
    ['kpj', 'kpi', 1],
    ['risk', 'risks', 1],
    ['centre', 'center', 1],
    ['hlep', 'help', 1],
    ['FFT', 'FTF', 1],
  ])('from %s to %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('is the same both ways, zero only between equal names, and never more than the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(editDistance(b, a)).toBe(d);
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });

  it('counts one more letter as one edit wherever it goes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (a, at, ch) => {
        const i = at % (a.length + 1);
        expect(editDistance(a, a.slice(0, i) + ch + a.slice(i))).toBe(1);
      }),
    );
  });
});

describe('names compared as people type them', () => {
  it('sets accents aside', () => {
    expect(foldAccents('Café Ōtautahi')).toBe('Cafe Otautahi');
  });

  it('treats the small words of a name as small', () => {
    expect(['the', 'and', 'of', 'vs'].every((word) => MINOR_WORDS.has(word))).toBe(true);
    expect(MINOR_WORDS.has('fix')).toBe(false);
  });
});

describe('natural order of codes', () => {
  it('puts 2 before 10, as people count', () => {
    expect(['KPI10', 'KPI2', 'KPI1'].sort(naturalCompare)).toEqual(['KPI1', 'KPI2', 'KPI10']);
    expect(['R-10', 'R-2'].sort(naturalCompare)).toEqual(['R-2', 'R-10']);
  });

  it('takes no notice of case or accents', () => {
    expect(naturalCompare('Démarche', 'demarche')).toBe(0);
    expect(['zeta', 'Alpha', 'écoles'].sort(naturalCompare)).toEqual(['Alpha', 'écoles', 'zeta']);
  });

  it('orders codes and names as a numeric collator does', () => {
    const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });
    const text = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 -]{0,12}$/);
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(naturalCompare(a, b))).toBe(Math.sign(collator.compare(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});

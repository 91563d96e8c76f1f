import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonParts, readJsonParts, RowFault } from '../../src/storage/rows.js';

const row = (parts: Record<string, unknown>) => ({ partitionKey: 'p', rowKey: 'approval|A-1', ...parts });

describe('JSON kept in several properties', () => {
  it('keeps a short value in one property', () => {
    expect(jsonParts('trail', { votes: [] })).toEqual({ trail0: '{"votes":[]}', trailParts: 1 });
  });

  it('cuts a long vote trail into properties of at most 30,000 characters and reads it back', () => {
    const comments = Array.from({ length: 60 }, (_, i) => `${'objection '.repeat(90)}${i}`);
    const parts = jsonParts('trail', comments);
    expect(parts.trailParts).toBeGreaterThan(1);
    for (const [key, value] of Object.entries(parts)) {
      if (key !== 'trailParts') expect(String(value).length).toBeLessThanOrEqual(30_000);
    }
    expect(readJsonParts(z.array(z.string()), row(parts), 'trail')).toEqual(comments);
  });

  it('never cuts a character outside the BMP in two, wherever the cut falls', () => {
    fc.assert(
      fc.property(fc.integer({ min: 29_990, max: 30_010 }), (length) => {
        const text = `${'a'.repeat(length - 30_000 + 29_995)}😀😀😀😀😀😀`;
        const parts = jsonParts('t', text);
        for (const [key, value] of Object.entries(parts)) {
          if (key !== 'tParts') expect(String(value)).not.toMatch(/[\ud800-\udbff]$|^[\udc00-\udfff]/);
        }
        expect(readJsonParts(z.string(), row(parts), 't')).toBe(text);
      }),
      { numRuns: 21 },
    );
  });

  it('names the row when the value is missing or does not match its schema', () => {
    expect(() => readJsonParts(z.string(), row({}), 'trail')).toThrow(RowFault);
    expect(() => readJsonParts(z.string(), row(jsonParts('trail', 3)), 'trail')).toThrow(/approval\|A-1/);
  });
});

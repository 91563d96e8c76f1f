/** Storage keys (issue point 9): one id can never read as another, or as two key parts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversationKey, escapeKey, keys } from '../../src/storage/keys.js';

describe('storage keys', () => {
  it.each(['|', '/', '\\', '#', '?', '%', '\u0000', '\u001f', '\u007f', '\u0085'])(
    'escapes %j, so no key part holds it',
    (ch) => {
      expect(escapeKey(`29:1zed${ch}admin`)).not.toContain(ch);
    },
  );

  it('gives different ids different keys, whatever they hold', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        fc.pre(a !== b);
        expect(escapeKey(a)).not.toBe(escapeKey(b));
      }),
      { numRuns: 5_000 },
    );
  });

  it('never lets an id add a part to a role row, so one person cannot pass for another', () => {
    const forged = keys.roleRow('29:1zed|admin|*', 'editor', undefined);
    expect(forged.startsWith(keys.rolesOfPrefix('29:1zed'))).toBe(false);
    expect(forged.split('|')).toHaveLength(4);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(keys.roleRow(b, 'editor', undefined).startsWith(keys.rolesOfPrefix(a))).toBe(false);
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps a team and a conversation of the same id apart', () => {
    expect(conversationKey({ kind: 'team', teamId: '19:x' })).not.toBe(
      conversationKey({ kind: 'conversation', conversationId: '19:x' }),
    );
  });
});

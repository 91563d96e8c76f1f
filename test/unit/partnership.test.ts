import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCouncil, formatShare, isValidPartnershipName, MAX_COUNCILS, MIN_COUNCILS, parseCouncilShares, partnershipIdFor, type Council } from '../../src/domain/partnership.js';
import { describeRole, holdsRole, isRole, ROLES, type Role } from '../../src/domain/roles.js';

const councilsOf = (text: string): Council[] => {
  const result = parseCouncilShares(text);
  if (!result.ok) throw new Error(`expected ${text} to be read, but: ${result.problem}`);
  return result.councils;
};
const problemWith = (text: string): string => {
  const result = parseCouncilShares(text);
  if (result.ok) throw new Error(`expected ${text} to be refused, got ${JSON.stringify(result.councils)}`);
  return result.problem;
};
/** Distinct valid council codes: AA, AB, … */
const codeNumber = (i: number) => `C${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`;

describe('council cost shares', () => {
  it('reads two councils sharing half and half', () => {
    expect(councilsOf('CEC:50,CWAC:50')).toEqual([
      { code: 'CEC', shareBasisPoints: 5000 },
      { code: 'CWAC', shareBasisPoints: 5000 },
    ]);
  });

  it('reads decimal shares exactly (37.5 + 37.5 + 25)', () => {
    expect(councilsOf('LBHF:37.5,RBKC:37.5,WCC:25')).toEqual([
      { code: 'LBHF', shareBasisPoints: 3750 },
      { code: 'RBKC', shareBasisPoints: 3750 },
      { code: 'WCC', shareBasisPoints: 2500 },
    ]);
  });

  it('reads thirds written to two decimals as exactly 100% (33.33 + 33.33 + 33.34)', () => {
    expect(councilsOf('AA:33.33,BB:33.33,CC:33.34').map((c) => c.shareBasisPoints)).toEqual([3333, 3333, 3334]);
  });

  it('accepts spaces around codes, colons and commas, and a % after a share', () => {
    expect(councilsOf(' CEC : 50% , CWAC:50 % ')).toEqual([
      { code: 'CEC', shareBasisPoints: 5000 },
      { code: 'CWAC', shareBasisPoints: 5000 },
    ]);
  });

  it('upper-cases council codes', () => {
    expect(councilsOf('cec:50,Cwac:50').map((c) => c.code)).toEqual(['CEC', 'CWAC']);
  });

  it('refuses shares that do not add up to 100%, saying what they add up to', () => {
    expect(problemWith('CEC:50,CWAC:40')).toBe('the shares add up to 90%, not 100%');
    expect(problemWith('CEC:60,CWAC:50')).toBe('the shares add up to 110%, not 100%');
    expect(problemWith('AA:33.33,BB:33.33,CC:33.33')).toBe('the shares add up to 99.99%, not 100%');
  });

  it(`refuses fewer than ${MIN_COUNCILS} or more than ${MAX_COUNCILS} councils, saying how many were given`, () => {
    expect(problemWith('CEC:100')).toBe('a partnership has 2 to 10 councils; 1 given');
    expect(problemWith('')).toBe('a partnership has 2 to 10 councils; 0 given');
    const eleven = Array.from({ length: 11 }, (_, i) => `${codeNumber(i)}:${i === 0 ? 10 : 9}`).join(',');
    expect(problemWith(eleven)).toBe('a partnership has 2 to 10 councils; 11 given');
  });

  it('reads ten councils, the most a partnership may have', () => {
    expect(councilsOf(Array.from({ length: 10 }, (_, i) => `${codeNumber(i)}:10`).join(','))).toHaveLength(10);
  });

  it('refuses a part that is not CODE:percent, showing the form', () => {
    for (const part of ['CEC=50', 'CEC', '50:CEC', 'CEC:-10', 'CEC:fifty', 'CEC:33.333', '1CEC:50', 'C-EC:50']) {
      expect(problemWith(`${part},CWAC:50`), part).toBe(`"${part}" is not a council and its share: write CODE:percent, e.g. CEC:50`);
    }
  });

  it('refuses a council code shorter than 2 or longer than 10 characters', () => {
    expect(problemWith('C:50,CWAC:50')).toBe('council code "C" must be 2 to 10 letters or digits, starting with a letter');
    expect(problemWith('ABCDEFGHIJK:50,CWAC:50')).toMatch(/council code "ABCDEFGHIJK" must be 2 to 10/);
  });

  it('refuses a council listed twice, in any case', () => {
    expect(problemWith('CEC:50,cec:50')).toBe('council CEC is listed twice');
  });

  it('keeps SHARED for things every council owns', () => {
    expect(problemWith('SHARED:50,CEC:50')).toBe('"shared" is reserved for things owned by every council');
    expect(problemWith('CEC:50,shared:50')).toBe('"shared" is reserved for things owned by every council');
  });

  it('refuses a council with no share', () => {
    expect(problemWith('CEC:0,CWAC:100')).toBe('council CEC needs a share above 0%');
    expect(problemWith('CEC:100,CWAC:0.00')).toBe('council CWAC needs a share above 0%');
  });

  it('reads back any split of 100% into 2 to 10 positive shares written as formatShare writes them', () => {
    const split = fc
      .array(fc.integer({ min: 1, max: 10_000 }), { minLength: MIN_COUNCILS - 1, maxLength: MAX_COUNCILS - 1 })
      .map((cuts) => [...new Set(cuts.filter((c) => c < 10_000))].sort((a, b) => a - b))
      .filter((cuts) => cuts.length >= MIN_COUNCILS - 1)
      .map((cuts) => [...cuts, 10_000].map((cut, i, all) => cut - (i === 0 ? 0 : all[i - 1]!)));
    fc.assert(
      fc.property(split, (shares) => {
        const text = shares.map((bp, i) => `${codeNumber(i)}:${formatShare(bp)}`).join(',');
        expect(councilsOf(text)).toEqual(shares.map((bp, i) => ({ code: codeNumber(i), shareBasisPoints: bp })));
      }),
    );
  });
});

describe('showing a share', () => {
  it.each([
    [5000, '50%'],
    [10000, '100%'],
    [3750, '37.5%'],
    [3333, '33.33%'],
    [3305, '33.05%'],
    [3350, '33.5%'],
    [1, '0.01%'],
    [10, '0.1%'],
    [9999, '99.99%'],
  ])('shows %i basis points as %s', (bp, shown) => {
    expect(formatShare(bp)).toBe(shown);
  });
});

describe('finding a council', () => {
  it('finds a council by its code in any case', () => {
    const partnership = { councils: councilsOf('CEC:50,CWAC:50') };
    expect(findCouncil(partnership, 'cwac')).toEqual({ code: 'CWAC', shareBasisPoints: 5000 });
    expect(findCouncil(partnership, 'WCC')).toBeUndefined();
  });
});

describe('partnership ids', () => {
  it('is a stable slug of the name', () => {
    expect(partnershipIdFor('Cheshire ICT Shared Service')).toBe('cheshire-ict-shared-service');
    expect(partnershipIdFor('Cheshire ICT Shared Service')).toBe(partnershipIdFor('Cheshire ICT Shared Service'));
  });

  it('gives one id for names that differ only in case, spaces and punctuation', () => {
    expect(partnershipIdFor('  cheshire   ICT shared-service! ')).toBe('cheshire-ict-shared-service');
    expect(partnershipIdFor('CHESHIRE ICT SHARED SERVICE')).toBe('cheshire-ict-shared-service');
  });

  it('writes & as and', () => {
    expect(partnershipIdFor('Tri-borough & Westminster ICT')).toBe('tri-borough-and-westminster-ict');
    expect(partnershipIdFor('Fish&Chips')).toBe('fish-and-chips');
  });

  it('drops accents', () => {
    expect(partnershipIdFor('Ynys Môn & Gwynedd')).toBe('ynys-mon-and-gwynedd');
    expect(partnershipIdFor('Café Rhôndda')).toBe('cafe-rhondda');
  });

  it('is at most 60 characters', () => {
    expect(partnershipIdFor('a'.repeat(100))).toHaveLength(60);
  });

  it('never ends in a hyphen when a long name is cut at 60 characters', () => {
    expect(partnershipIdFor(`${'a'.repeat(59)} shared service`)).toBe('a'.repeat(59));
  });

  it('is always lower-case letters and digits joined by single hyphens, at most 60 long', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 90 }), fc.array(fc.stringMatching(/^[A-Za-z&]{1,9}$/), { maxLength: 14 }).map((w) => w.join(' '))), (name) => {
        const id = partnershipIdFor(name);
        expect(id.length).toBeLessThanOrEqual(60);
        if (id !== '') expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a name of 3 to 80 characters that gives an id of at least 2', () => {
    expect(isValidPartnershipName('Cheshire ICT Shared Service')).toBe(true);
    expect(isValidPartnershipName('ab')).toBe(false);
    expect(isValidPartnershipName('!!!!')).toBe(false);
    expect(isValidPartnershipName('x'.repeat(81))).toBe(false);
  });
});

describe('roles', () => {
  const held = (...roles: Role[]) => new Set<Role>(roles);

  it('lets an admin do everything', () => {
    for (const required of ROLES) expect(holdsRole(held('admin'), required), required).toBe(true);
  });

  it('lets an editor edit but not approve or administer', () => {
    expect(holdsRole(held('editor'), 'editor')).toBe(true);
    expect(holdsRole(held('editor'), 'approver')).toBe(false);
    expect(holdsRole(held('editor'), 'admin')).toBe(false);
  });

  it('lets an approver approve but not edit or administer', () => {
    expect(holdsRole(held('approver'), 'approver')).toBe(true);
    expect(holdsRole(held('approver'), 'editor')).toBe(false);
    expect(holdsRole(held('approver'), 'admin')).toBe(false);
  });

  it('lets everyone view, even with no role recorded', () => {
    expect(holdsRole(held(), 'viewer')).toBe(true);
    expect(holdsRole(held('viewer'), 'viewer')).toBe(true);
    expect(holdsRole(held('viewer'), 'editor')).toBe(false);
  });

  it('knows its four roles and describes each', () => {
    expect(ROLES.filter(isRole)).toEqual(['admin', 'approver', 'editor', 'viewer']);
    expect(isRole('owner')).toBe(false);
    expect(isRole('Admin')).toBe(false);
    for (const role of ROLES) expect(describeRole(role)).toMatch(new RegExp(`^${role} \\(.+\\)$`));
  });
});

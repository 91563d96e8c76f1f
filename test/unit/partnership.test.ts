import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findCouncil,
  formatShare,
  isValidPartnershipName,
  MAX_COUNCILS,
  MIN_COUNCILS,
  parseCouncilShares,
  partnershipIdFor,
  type Council,
} from '../../src/domain/partnership.js';
import { Access, describeRole, ROLES, type Role, type RoleGrant } from '../../src/domain/roles.js';

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
const codeNumber = (i: number) =>
  `C${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`;

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
      expect(problemWith(`${part},CWAC:50`), part).toBe(
        `"${part}" is not a council and its share: write CODE:percent, e.g. CEC:50`,
      );
    }
  });

  it('refuses a council code shorter than 2 or longer than 10 characters', () => {
    expect(problemWith('C:50,CWAC:50')).toBe(
      'council code "C" must be 2 to 10 letters or digits, starting with a letter',
    );
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
  const TENANT = '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70';
  const OTHER_TENANT = 'c0ffee00-1d2e-4f3a-8b4c-5d6e7f809123';
  /** The name part of an id, before the tenant's part. */
  const slugOf = (name: string) => partnershipIdFor(name, TENANT).replace(/\.6f1c2a7e3b4d4e8f9a102b3c4d5e6f70$/, '');

  it('is a stable slug of the name, followed by the tenant', () => {
    expect(partnershipIdFor('Cheshire ICT Shared Service', TENANT)).toBe(
      'cheshire-ict-shared-service.6f1c2a7e3b4d4e8f9a102b3c4d5e6f70',
    );
    expect(partnershipIdFor('Cheshire ICT Shared Service', TENANT)).toBe(
      partnershipIdFor('Cheshire ICT Shared Service', TENANT),
    );
  });

  it('gives two tenants different ids for the same name, so each may use it', () => {
    expect(partnershipIdFor('Cheshire ICT Shared Service', OTHER_TENANT)).toBe(
      'cheshire-ict-shared-service.c0ffee001d2e4f3a8b4c5d6e7f809123',
    );
    expect(partnershipIdFor('Cheshire ICT Shared Service', OTHER_TENANT)).not.toBe(
      partnershipIdFor('Cheshire ICT Shared Service', TENANT),
    );
  });

  it('reads the tenant in any case and without its hyphens, and has a part for no tenant at all', () => {
    expect(partnershipIdFor('Cheshire ICT', TENANT.toUpperCase())).toBe(partnershipIdFor('Cheshire ICT', TENANT));
    expect(partnershipIdFor('Cheshire ICT', '6f1c-2a7e-3b4d')).toBe('cheshire-ict.6f1c2a7e3b4d');
    expect(partnershipIdFor('Cheshire ICT', '')).toBe('cheshire-ict.local');
  });

  it('gives one id for names that differ only in case, spaces and punctuation', () => {
    expect(slugOf('  cheshire   ICT shared-service! ')).toBe('cheshire-ict-shared-service');
    expect(slugOf('CHESHIRE ICT SHARED SERVICE')).toBe('cheshire-ict-shared-service');
  });

  it('writes & as and', () => {
    expect(slugOf('Tri-borough & Westminster ICT')).toBe('tri-borough-and-westminster-ict');
    expect(slugOf('Fish&Chips')).toBe('fish-and-chips');
  });

  it('drops accents', () => {
    expect(slugOf('Ynys Môn & Gwynedd')).toBe('ynys-mon-and-gwynedd');
    expect(slugOf('Café Rhôndda')).toBe('cafe-rhondda');
  });

  it('keeps the name part to at most 60 characters', () => {
    expect(slugOf('a'.repeat(100))).toHaveLength(60);
  });

  it('never ends the name part in a hyphen when a long name is cut at 60 characters', () => {
    expect(slugOf(`${'a'.repeat(59)} shared service`)).toBe('a'.repeat(59));
  });

  it('is always lower-case letters and digits joined by single hyphens (at most 60), a dot, and the tenant part', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 90 }),
          fc.array(fc.stringMatching(/^[A-Za-z&]{1,9}$/), { maxLength: 14 }).map((w) => w.join(' ')),
        ),
        fc.oneof(fc.constant(TENANT), fc.uuid(), fc.string({ maxLength: 40 })),
        (name, tenant) => {
          const id = partnershipIdFor(name, tenant);
          const [slug = '', tenantPart = '', ...rest] = id.split('.');
          expect(rest).toEqual([]);
          expect(slug.length).toBeLessThanOrEqual(60);
          if (slug !== '') expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
          expect(tenantPart).toMatch(/^[a-z0-9]{1,32}$/);
        },
      ),
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
  type Grant = Pick<RoleGrant, 'role' | 'council'>;
  const grant = (role: RoleGrant['role'], council?: string): Grant => ({ role, council });
  const access = (...grants: Grant[]) => new Access(grants);

  it('lets an admin do everything, for every council', () => {
    for (const required of ROLES) {
      expect(access(grant('admin')).holds(required), required).toBe(true);
      expect(access(grant('admin')).holds(required, 'CEC'), `${required} for CEC`).toBe(true);
    }
  });

  it('lets an editor edit but not approve or administer', () => {
    expect(access(grant('editor')).holds('editor')).toBe(true);
    expect(access(grant('editor')).holds('approver')).toBe(false);
    expect(access(grant('editor')).holds('admin')).toBe(false);
  });

  it('lets an approver approve but not edit or administer', () => {
    expect(access(grant('approver')).holds('approver')).toBe(true);
    expect(access(grant('approver')).holds('editor')).toBe(false);
    expect(access(grant('approver')).holds('admin')).toBe(false);
  });

  it('lets everyone view, even with no role recorded', () => {
    expect(access().holds('viewer')).toBe(true);
    expect(access().holds('viewer', 'CEC')).toBe(true);
    expect(access().holds('editor')).toBe(false);
  });

  it("lets an editor for every council edit any council's items", () => {
    expect(access(grant('editor')).holds('editor', 'CEC')).toBe(true);
    expect(access(grant('editor')).holds('editor', 'CWAC')).toBe(true);
  });

  it("lets an editor for CEC edit CEC's items only", () => {
    const cecEditor = access(grant('editor', 'CEC'));
    expect(cecEditor.holds('editor', 'CEC')).toBe(true);
    expect(cecEditor.holds('editor', 'CWAC')).toBe(false);
    expect(cecEditor.holds('approver', 'CEC')).toBe(false);
    // Asked without a council (may they use the command at all?), any grant of the role will do.
    expect(cecEditor.holds('editor')).toBe(true);
  });

  it('keeps an approver for two councils an approver for both, and for no third', () => {
    const approver = access(grant('approver', 'CEC'), grant('approver', 'CWAC'));
    expect(approver.holds('approver', 'CEC')).toBe(true);
    expect(approver.holds('approver', 'CWAC')).toBe(true);
    expect(approver.holds('approver', 'HBC')).toBe(false);
  });

  it('makes a bootstrap admin (ADMIN_USER_IDS) an admin with no grant at all', () => {
    const bootstrap = new Access([], true);
    expect(bootstrap.holds('admin')).toBe(true);
    expect(bootstrap.holds('editor', 'CWAC')).toBe(true);
    expect(bootstrap.describe()).toBe('admin');
  });

  it('describes the roles held, with their councils, and viewer when none', () => {
    expect(access().describe()).toBe('viewer');
    expect(access(grant('admin')).describe()).toBe('admin');
    expect(access(grant('approver', 'CEC'), grant('approver', 'CWAC'), grant('editor')).describe()).toBe(
      'approver for CEC, approver for CWAC, editor',
    );
    expect(new Access([grant('admin')], true).describe()).toBe('admin');
    expect(new Access([grant('editor', 'CEC')], true).describe()).toBe('admin, editor for CEC');
  });

  it('knows its four roles and describes each', () => {
    expect([...ROLES]).toEqual(['admin', 'approver', 'editor', 'viewer'] satisfies Role[]);
    for (const role of ROLES) expect(describeRole(role)).toMatch(new RegExp(`^${role} \\(.+\\)$`));
  });
});

import fc from 'fast-check';
import type { z } from 'zod';
import { vocabulary } from '../../src/domain/vocabulary.js';
import { describe, expect, it } from 'vitest';
import { choice, isUserRef, itemId, money, number, people, text, user } from '../../src/commands/kit/fields.js';
import { parseApprovalId } from '../../src/domain/approvals.js';
import type { UserRef } from '../../src/commands/types.js';

const sam: UserRef = { kind: 'user', id: '29:1sam', name: 'Sam Jones', aadObjectId: undefined };

/** The one message a person would see, or a failure when the value was accepted. */
function problemWith(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success)
    throw new Error(`expected ${JSON.stringify(value)} to be refused, got ${JSON.stringify(result.data)}`);
  expect(result.error.issues).toHaveLength(1);
  return result.error.issues[0]!.message;
}

describe('a text argument', () => {
  const name = text('the KPI name', 'kpi add "First time fix"');

  it('is the trimmed text', () => {
    expect(name.parse('  First time fix ')).toBe('First time fix');
  });

  it('says it is missing, with an example, when it is not given', () => {
    expect(problemWith(name, undefined)).toBe('the KPI name is missing: e.g. kpi add "First time fix"');
  });

  it('says it is empty, with an example, when it is only spaces', () => {
    expect(problemWith(name, '')).toBe('the KPI name is empty: e.g. kpi add "First time fix"');
    expect(problemWith(name, '   ')).toBe('the KPI name is empty: e.g. kpi add "First time fix"');
  });

  it('says it must be text, with an example, when a person is mentioned instead', () => {
    expect(problemWith(name, sam)).toBe('the KPI name must be text: e.g. kpi add "First time fix"');
  });
});

describe('a number argument', () => {
  const value = number('the value', 'kpi record FTF 72.5');

  it.each([
    ['72.5', 72.5],
    ['72', 72],
    ['-3', -3],
    ['+4', 4],
    ['.5', 0.5],
    ['0', 0],
    [' 80 ', 80],
    ['1,234', 1234],
    ['1,040,616', 1040616],
  ])('reads %s as %s', (written, expected) => {
    expect(value.parse(written)).toBe(expected);
  });

  it.each(['abc', '72%', '1e3', 'Infinity', 'NaN', '7 2', '72.', '£72', '--3'])(
    'refuses %s, saying it is not a number and showing one',
    (written) => {
      expect(problemWith(value, written)).toBe(
        `"${written}" is not a number: give the value as a number, e.g. kpi record FTF 72.5`,
      );
    },
  );

  it.each(['72,5', '1,,2', '12,34', '1,2345', ',5'])(
    'refuses %s: a comma only groups thousands, so 72,5 is never read as 725',
    (written) => {
      expect(problemWith(value, written)).toBe(
        `"${written}" is not a number: give the value as a number, e.g. kpi record FTF 72.5`,
      );
    },
  );

  it('refuses an empty value, showing a number', () => {
    expect(problemWith(value, '')).toContain('e.g. kpi record FTF 72.5');
  });

  it('says it is missing, with an example, when it is not given', () => {
    expect(problemWith(value, undefined)).toBe('the value is missing: e.g. kpi record FTF 72.5');
  });

  it('says it must be a number when a person is mentioned instead', () => {
    expect(problemWith(value, sam)).toBe('the value must be a number: e.g. kpi record FTF 72.5');
  });

  it('reads back any finite decimal it is given', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 99 }),
        (whole, cents) => {
          const written = `${whole}.${String(cents).padStart(2, '0')}`;
          expect(value.parse(written)).toBe(Number(written));
        },
      ),
    );
  });
});

describe('a money argument', () => {
  const amount = money('the amount', 'budget forecast set £845k', { negative: true });

  it.each([
    ['£1.2m', 120_000_000],
    ['£845k', 84_500_000],
    ['£1,040,616', 104_061_600],
    ['1040616', 104_061_600],
    ['£1.89m', 189_000_000],
    ['£5.1M', 510_000_000],
    ['-£845,000', -84_500_000],
    ['£0.01', 1],
  ])('reads %s as %i pence', (written, pence) => {
    expect(amount.parse(written)).toBe(pence);
  });

  it('always gives whole pence', () => {
    for (const written of ['£1.2m', '£845k', '£1,040,616', '£2.67m', '£0.07'])
      expect(Number.isSafeInteger(amount.parse(written))).toBe(true);
  });

  it.each(['lots', '£', '1.2bn', '£1,04,0616', '£0.001', 'twelve pounds'])(
    'refuses %s, saying it is not money and showing how to write it',
    (written) => {
      expect(problemWith(amount, written)).toBe(
        `the amount "${written}" is not an amount of money: write it like £845k, £1.2m, £1,040,616 or 1040616`,
      );
    },
  );

  it('says it is missing, with an example, when it is not given', () => {
    expect(problemWith(amount, undefined)).toBe('the amount is missing: e.g. budget forecast set £845k');
  });

  it('says it must be an amount when a person is mentioned instead', () => {
    expect(problemWith(amount, sam)).toBe('the amount must be an amount: e.g. budget forecast set £845k');
  });

  it('names an option as typed, and refuses a negative amount unless the field takes one', () => {
    const budget = money('budget=', 'budget=£16.8m');
    expect(problemWith(budget, '£1.2.3m')).toMatch(/^budget=£1\.2\.3m is not an amount of money/);
    expect(problemWith(budget, '-£5k')).toMatch(/^budget= must not be negative/);
  });
});

describe("an item's id", () => {
  const approval = itemId('approval', 'A-4', parseApprovalId, 'approval show A-4');

  it('is the id in its one form, however it was typed', () => {
    expect(approval.parse(' a4 ')).toBe('A-4');
  });

  it('names the kind of item and its shape when it is not one', () => {
    expect(problemWith(approval, 'P-2')).toBe('"P-2" is not an approval id: write it like A-4, e.g. approval show A-4');
  });

  it('says it is missing, with an example, when it is not given', () => {
    expect(problemWith(approval, undefined)).toBe('the approval id is missing: e.g. approval show A-4');
  });
});

describe('a choice argument', () => {
  const polarity = choice('polarity', vocabulary({ higher: [], lower: [] }));

  it('accepts each choice in any case, as lower case', () => {
    expect(polarity.parse('higher')).toBe('higher');
    expect(polarity.parse('Higher')).toBe('higher');
    expect(polarity.parse('LOWER')).toBe('lower');
  });

  it('refuses anything else, naming every choice', () => {
    expect(problemWith(polarity, 'sideways')).toBe('"sideways" is not a polarity: use higher or lower');
  });

  it('says "an" before a word that starts with a vowel', () => {
    const effectiveness = choice('effectiveness', vocabulary({ good: [], weak: [] }), { option: true });
    expect(problemWith(effectiveness, 'great')).toBe('effectiveness=great is not an effectiveness: use good or weak');
    const unit = choice('unit', vocabulary({ count: [], days: [] }), { option: true });
    expect(problemWith(unit, 'furlongs')).toBe('unit=furlongs is not a unit: use count or days');
  });

  it('says it is missing, naming every choice, when it is not given', () => {
    expect(problemWith(polarity, undefined)).toBe('polarity is missing: use higher or lower');
  });

  it('names every choice when a person is mentioned instead', () => {
    expect(problemWith(polarity, sam)).toBe('polarity must be higher or lower');
  });
});

describe('a person argument', () => {
  const owner = user('the owner');

  it('accepts a person mentioned with @', () => {
    expect(owner.parse(sam)).toEqual(sam);
    expect(isUserRef(sam)).toBe(true);
  });

  it('refuses a typed name, saying to pick the person so that Teams links them', () => {
    expect(problemWith(owner, 'Sam')).toBe(
      '"Sam" is not a mention: type @ and pick the person from the list, so that Teams links them',
    );
    expect(problemWith(owner, '@Sam')).toContain('type @ and pick the person');
  });

  it('says it is missing, showing an @mention, when it is not given', () => {
    expect(problemWith(owner, undefined)).toBe('the owner is missing: @mention the person, e.g. @Sam');
  });

  it('does not take an object that merely looks like a person for one', () => {
    expect(isUserRef(null)).toBe(false);
    expect(isUserRef({ id: '29:1sam', name: 'Sam' })).toBe(false);
    expect(owner.safeParse({ kind: 'word', text: 'Sam' }).success).toBe(false);
  });
});

describe('a list of people', () => {
  const approvers = people('approvers=');
  const jo: UserRef = { kind: 'user', id: '29:1jo', name: 'Jo Williams', aadObjectId: undefined };

  it('reads one person or several listed with commas as a list', () => {
    expect(approvers.parse(sam)).toEqual([sam]);
    expect(approvers.parse([sam, jo])).toEqual([sam, jo]);
  });

  it('refuses typed names, and says so when none is given', () => {
    expect(problemWith(approvers, 'Sam')).toContain('is not a list of people: type @ and pick each person');
    expect(problemWith(approvers, undefined)).toBe('approvers= is missing: @mention the people, e.g. @Priya,@Jo');
  });
});

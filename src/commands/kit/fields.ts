import { z } from 'zod';
import { parseMoney, type Pence } from '../../domain/money.js';
import { findCouncil, SHARED, type Partnership } from '../../domain/partnership.js';
import { parseFinancialYear, parsePeriod, type FinancialPeriod } from '../../domain/periods.js';
import { listed, type Vocabulary } from '../../domain/vocabulary.js';
import { MAX_ROWS } from '../lines.js';
import type { UserRef } from '../types.js';

/**
 * The one place where a field a person typed is checked and converted. Each schema takes the text
 * as typed (a command's option, a form's input) and gives the typed value, or an issue that says
 * what is wrong and the right form, in plain words. The router reports every issue at once.
 */

type Issue = { input: unknown };
const missingOr = (missing: string, wrong: string) => (issue: Issue) => (issue.input === undefined ? missing : wrong);
const shown = (input: unknown) => (typeof input === 'string' ? input : 'that');

/** Text converted with `read`; `undefined` from it is the issue `problem(text)`. The base of a family's own field. */
export function readWith<T>(
  what: string,
  example: string,
  read: (text: string) => T | undefined,
  problem: (t: string) => string,
  mustBe = 'text',
) {
  return z
    .string({ error: missingOr(`${what} is missing: e.g. ${example}`, `${what} must be ${mustBe}: e.g. ${example}`) })
    .trim()
    .transform((s, ctx): T => {
      const value = s === '' ? undefined : read(s);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: s === '' ? `${what} is empty: e.g. ${example}` : problem(s) });
        return z.NEVER;
      }
      return value;
    });
}

export function text(what: string, example: string, max = 200) {
  return z
    .string({ error: missingOr(`${what} is missing: e.g. ${example}`, `${what} must be text: e.g. ${example}`) })
    .trim()
    .min(1, `${what} is empty: e.g. ${example}`)
    .max(max, `${what} is too long: keep it under ${max.toLocaleString('en-GB')} characters`);
}

/** Text given as `key=…`: a mention or an over-long value is refused with its name and the right form; pipe it on to check more. */
export function option(key: string, max = 60, missing = `${key}= is missing`) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined ? missing : `${key}= takes text, not a person: @mentions go in owner= only`,
    })
    .max(max, `${key}= is too long: keep it under ${max.toLocaleString('en-GB')} characters`);
}

export function optionalText(key: string, max = 60) {
  return option(key, max).trim().optional();
}

const NUMBER = /^[-+]?((\d{1,3}(,\d{3})+|\d+)(\.\d+)?|\.\d+)$/;

export function number(what: string, example: string) {
  return readWith(
    what,
    example,
    (s) => (NUMBER.test(s) ? Number(s.replace(/,/g, '')) : undefined),
    (s) => `"${s}" is not a number: give ${what} as a number, e.g. ${example}`,
    'a number',
  );
}

/** A whole number from `min` to `max` (likelihood 1–5, a day of the month). */
export function whole(what: string, min: number, max: number, example = String(min)) {
  return readWith(
    what,
    example,
    (s) => (/^\d+$/.test(s) && Number(s) >= min && Number(s) <= max ? Number(s) : undefined),
    (s) => `${what} is ${min} to ${max}, a whole number: "${s}" is not, e.g. ${example}`,
  );
}

/** How to write an amount, for every problem with one. */
export const MONEY_FORM = 'write it like £845k, £1.2m, £1,040,616 or 1040616';

/**
 * An amount of money as officers type it, named as `what` in every problem (`budget=£1.2.3m`, `the
 * amount "£1.2.3m"`). Negative amounts are refused unless the field takes them: amounts are typed
 * as positive, income as the money coming in.
 */
export function money(what: string, example: string, options: { negative?: boolean } = {}) {
  const typed = (s: string) => (what.endsWith('=') ? `${what}${s}` : `${what} "${s}"`);
  return readWith<Pence>(
    what,
    example,
    parseMoney,
    (s) => `${typed(s)} is not an amount of money: ${MONEY_FORM}`,
    'an amount',
  ).refine(
    (amount) => options.negative === true || amount >= 0,
    `${what} must not be negative: type amounts as positive, income as the money coming in, e.g. ${example}`,
  );
}

/** A financial year as officers write it (`2026/27`, `2026-27`, `FY2026/27`): its first year, 2026. */
export function financialYear(what = 'year=') {
  return readWith(
    what,
    `${what}2026/27`,
    parseFinancialYear,
    (s) =>
      `${what}${s} is not a financial year: write it as YYYY/YY, the second year following the first, e.g. ${what}2026/27`,
  );
}

/** `an effectiveness`, `a unit`: the article as the word is said. */
export function article(word: string): 'a' | 'an' {
  return /^([aeio]|u(?!ni|s[eu]))/i.test(word) ? 'an' : 'a';
}

/**
 * One of a closed list of words, or a synonym people type for one (`percent` for `%`). As an
 * option (`unit=`), a problem names the option as typed: `unit=furlongs is not a unit`.
 */
export function choice<V extends string>(what: string, words: Vocabulary<V>, options: { option?: boolean } = {}) {
  const typed = (s: string) => (options.option ? `${what}=${s}` : `"${s}"`);
  const name = options.option ? `${what}=` : what;
  return z
    .string({ error: missingOr(`${name} is missing: use ${words.listed}`, `${name} must be ${words.listed}`) })
    .transform((s, ctx): V => {
      const value = words.read(s);
      if (value === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `${typed(s)} is not ${article(what)} ${what}: use ${words.listed}`,
        });
        return z.NEVER;
      }
      return value;
    });
}

export function isUserRef(value: unknown): value is UserRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'user';
}

export function user(what: string) {
  return z.custom<UserRef>(isUserRef, {
    error: (issue) =>
      issue.input === undefined
        ? `${what} is missing: @mention the person, e.g. @Sam`
        : `"${shown(issue.input)}" is not a mention: type @ and pick the person from the list, so that Teams links them`,
  });
}

/**
 * An item's number as people write it (`P-2`, `a4`, `R-3`), given in its one form by `read`; a
 * problem names the kind of item and its shape.
 */
export function itemId<Id>(what: string, shape: string, read: (text: string) => Id | undefined, example: string) {
  const article = /^[aeiou]/i.test(what) ? 'an' : 'a';
  return text(`the ${what} id`, example, 20).transform((s, ctx): Id => {
    const id = read(s);
    if (id !== undefined) return id;
    ctx.addIssue({
      code: 'custom',
      message: `"${s}" is not ${article} ${what} id: write it like ${shape}, e.g. ${example}`,
    });
    return z.NEVER;
  });
}

/** One person or several listed with commas (`approvers=@Priya,@Jo`), as a list. */
export function people(what: string) {
  return z.union([user(what).transform((one) => [one]), z.array(user(what)).min(1)], {
    error: (issue) =>
      issue.input === undefined
        ? `${what} is missing: @mention the people, e.g. @Priya,@Jo`
        : `"${shown(issue.input)}" is not a list of people: type @ and pick each person, with commas between them`,
  });
}

/** A period as officers write it (`2026-10`, `Oct 2026`, `"2026/27 Q2"`, `2026/27`). */
export function period(what = 'period=') {
  return readWith<FinancialPeriod>(
    what,
    '2026-10',
    parsePeriod,
    (s) =>
      `${what}${s} is not a period: write a month as ${what}2026-10, a quarter as ${what}"2026/27 Q2", a year as ${what}2026/27`,
  );
}

/** A calendar date, `YYYY-MM-DD`, that exists. */
export function date(what: string, example = '2026-12-31') {
  return readWith(
    what,
    example,
    (s) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      if (!match) return undefined;
      const d = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
      return d.toISOString().slice(0, 10) === s ? s : undefined;
    },
    (s) => `${what}${s} is not a date: write it as YYYY-MM-DD, e.g. ${example}`,
  );
}

/** A council of the partnership, by its code, or `shared` for items of every council when `shared` is allowed. */
export function council(
  partnership: Partnership | undefined,
  options: { shared?: boolean; what?: string; alsoListed?: readonly string[] } = {},
) {
  const what = options.what ?? 'council=';
  const codes = partnership?.councils.map((c) => c.code) ?? [];
  const allowed = [...codes, ...(options.shared ? ['shared'] : []), ...(options.alsoListed ?? [])];
  return readWith(
    what,
    `${what}${codes[0] ?? 'CEC'}`,
    (s) => (options.shared && s.toLowerCase() === 'shared' ? SHARED : partnership && findCouncil(partnership, s)?.code),
    (s) => `${what}${s} is not a council of ${partnership?.name ?? 'this partnership'}: use ${listed(allowed)}`,
  );
}

/**
 * The rows pasted under a command that takes a table (`takesRows`): each line as typed, tabs kept.
 * The router puts them here; typed as an option (`rows=`), they are refused.
 */
export function rows(example: string, max = MAX_ROWS) {
  return z
    .array(z.string(), {
      error: `rows= is not an option: paste the rows on the lines under the command, e.g.\n${example}`,
    })
    .max(max, `that is more than ${max} rows: paste at most ${max} at a time`);
}

import { z } from 'zod';
import { parseMoney, type Pence } from '../domain/money.js';
import type { UserRef } from './types.js';

/** Argument schemas whose messages say what is wrong and the right form, in plain words. */

const missingOr = (missing: string, wrong: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? missing : wrong;

export function text(what: string, example: string) {
  return z
    .string({ error: missingOr(`${what} is missing: e.g. ${example}`, `${what} must be text: e.g. ${example}`) })
    .trim()
    .min(1, `${what} is empty: e.g. ${example}`);
}

export function number(what: string, example: string) {
  return z
    .string({ error: missingOr(`${what} is missing: e.g. ${example}`, `${what} must be a number: e.g. ${example}`) })
    .trim()
    .refine((s) => /^[-+]?((\d{1,3}(,\d{3})+|\d+)(\.\d+)?|\.\d+)$/.test(s), {
      error: (issue) => `"${String(issue.input)}" is not a number: give ${what} as a number, e.g. ${example}`,
    })
    .transform((s) => Number(s.replace(/,/g, '')));
}

export function money(what: string, example: string) {
  return z
    .string({ error: missingOr(`${what} is missing: e.g. ${example}`, `${what} must be an amount: e.g. ${example}`) })
    .transform((s, ctx): Pence => {
      const pence = parseMoney(s);
      if (pence === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"${s}" is not an amount of money: write it like £845k, £1.2m or £1,040,616`,
        });
        return z.NEVER;
      }
      return pence;
    });
}

export function choice<const T extends readonly [string, ...string[]]>(what: string, values: T) {
  return z
    .string({
      error: missingOr(
        `${what} is missing: it is one of ${values.join(', ')}`,
        `${what} must be one of ${values.join(', ')}`,
      ),
    })
    .transform((s) => s.toLowerCase())
    .pipe(
      z.enum(values, {
        error: (issue) => `"${String(issue.input)}" is not a ${what}: use one of ${values.join(', ')}`,
      }),
    );
}

export function isUserRef(value: unknown): value is UserRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'user';
}

export function user(what: string) {
  return z.custom<UserRef>(isUserRef, {
    error: (issue) =>
      issue.input === undefined
        ? `${what} is missing: @mention the person, e.g. @Sam`
        : `"${typeof issue.input === 'string' ? issue.input : 'that'}" is not a mention: type @ and pick the person from the list, so that Teams links them`,
  });
}

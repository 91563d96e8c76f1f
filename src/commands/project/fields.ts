import { z } from 'zod';
import {
  gatewayGaps,
  parseProjectId,
  projectProblems,
  type GatewayField,
  type ProjectStatus,
} from '../../domain/portfolio.js';
import { isIsoDate } from '../../domain/calendar.js';
import type { Pence } from '../../domain/money.js';
import type { Partnership } from '../../domain/partnership.js';
import type { Rag } from '../../domain/rag.js';
import { vocabulary } from '../../domain/vocabulary.js';
import * as field from '../kit/fields.js';
import type { UserRef } from '../types.js';

/** The words of the project commands, as typed: ids, statuses, RAG, and a new project's gateway fields. */

export const RAG_WORDS = vocabulary<Rag>({ Red: ['r'], Amber: ['a', 'yellow'], Green: ['g'] });

/** The statuses `project list` filters by. */
const LIST_STATUSES = vocabulary<ProjectStatus>({
  active: ['live'],
  proposed: ['pending'],
  closed: ['done', 'complete'],
  rejected: [],
});

export function projectIdField(example: string) {
  return field.itemId('project', 'P-2', parseProjectId, example);
}

/** What the gateway says when a field is missing: `the gateway needs a sponsor: add sponsor=@name`. */
const MISSING: Record<GatewayField, string> = Object.fromEntries(
  gatewayGaps({
    manager: undefined,
    sponsor: undefined,
    scope: undefined,
    budget: undefined,
    start: undefined,
    end: undefined,
  }).map((gap) => [gap.field, `the gateway needs ${gap.label}: add ${gap.form}`]),
) as Record<GatewayField, string>;

const EXAMPLE =
  'project add "SOC partner procurement" manager=@Sam sponsor=@Priya scope="…" budget=£250k start=2026-04-01 end=2027-03-31';

/** The timeline and budget as far as they were read: a field that could not be read is left out. */
function givenValues(value: unknown): { start?: string; end?: string; budget?: Pence } {
  const { start, end, budget } = (value ?? {}) as Record<string, unknown>;
  return {
    ...(typeof start === 'string' && isIsoDate(start) ? { start } : {}),
    ...(typeof end === 'string' && isIsoDate(end) ? { end } : {}),
    ...(typeof budget === 'number' ? { budget: budget as Pence } : {}),
  };
}

/** A person the gateway needs (`manager=@Sam`): missing, it is named as the gateway names it. */
function gatewayPerson(key: 'manager' | 'sponsor') {
  // A transform's issue does not stop the timeline being checked too, as a custom schema's would.
  return z.unknown().transform((value, ctx): UserRef => {
    if (field.isUserRef(value)) return value;
    ctx.addIssue({
      code: 'custom',
      message:
        value === undefined
          ? MISSING[key]
          : `${key}= must be a person: type @ and pick them from the list, e.g. ${key}=@Sam`,
    });
    return z.NEVER;
  });
}

/** `project add`: every field the gateway needs, each missing one named with its form, and the timeline checked. */
export function addProjectArgs(partnership: Partnership | undefined) {
  return z
    .strictObject({
      name: field
        .text('the project name', EXAMPLE, 100)
        .refine((s) => s.length >= 3, 'the project name needs 3 to 100 characters'),
      manager: gatewayPerson('manager'),
      sponsor: gatewayPerson('sponsor'),
      scope: field
        .option('scope', 1000, MISSING.scope)
        .trim()
        .refine((s) => s !== '', MISSING.scope),
      budget: field.option('budget', 30, MISSING.budget).pipe(field.money('budget=', '£250k', { negative: true })),
      start: field.option('start', 30, MISSING.start).pipe(field.date('start=', '2026-04-01')),
      end: field.option('end', 30, MISSING.end).pipe(field.date('end=', '2027-03-31')),
      council: field
        .option('council')
        .pipe(field.council(partnership, { shared: true }))
        .optional(),
    })
    .superRefine(
      (_, ctx) => {
        for (const problem of projectProblems(givenValues(ctx.value))) {
          ctx.addIssue({
            code: 'custom',
            message: problem.reason,
            path: [problem.kind === 'negative-budget' ? 'budget' : 'end'],
          });
        }
      },
      // Checked even when other fields are wrong or missing, so every problem is told at once.
      { when: ({ value }) => projectProblems(givenValues(value)).length > 0 },
    );
}
export type AddProjectArgs = z.infer<ReturnType<typeof addProjectArgs>>;

/** `project list [active|proposed|closed] [red|amber|green]`: the two filters in either order. */
export const listArgs = z
  .strictObject({ first: z.string().optional(), second: z.string().optional() })
  .transform((words, ctx) => {
    let status: ProjectStatus | undefined;
    let rag: Rag | undefined;
    for (const word of [words.first, words.second]) {
      if (word === undefined) continue;
      const asStatus = LIST_STATUSES.read(word);
      const asRag = RAG_WORDS.read(word);
      if (asStatus && !status) status = asStatus;
      else if (asRag && !rag) rag = asRag;
      else
        ctx.addIssue({
          code: 'custom',
          message: `"${word}" is not a filter: use a status (${LIST_STATUSES.listed}) and or a RAG (red, amber or green)`,
        });
    }
    return { status, rag };
  });

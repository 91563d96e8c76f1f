import { z } from 'zod';
import {
  parseCronSpec,
  parseMonthlySpec,
  parseWeeklySpec,
  type ScheduleSpec,
  type ScheduleSpecResult,
} from '../../domain/schedule.js';
import * as field from '../kit/fields.js';
import { ALL_SECTIONS, SECTION_WORDS, type SectionKey } from './build.js';

/** The fields of the digest commands, checked once here; every problem names the field and its right form. */

const FORMS = 'weekly day=Monday at=09:00, monthly day=1 at=08:30, or cron="0 9 * * 1"';

/** `sections=kpi,risk`: a comma-separated list of section words; all of them when not given. */
export const sections = field.option('sections', 120).transform((text, ctx): SectionKey[] => {
  const words = text
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  const unknown = words.filter((w) => SECTION_WORDS.read(w) === undefined);
  if (words.length === 0 || unknown.length > 0) {
    const what = unknown.length > 0 ? `"${unknown.join('", "')}" is not a section` : 'no section was given';
    ctx.addIssue({
      code: 'custom',
      message: `sections=${text}: ${what}: use ${SECTION_WORDS.listed}, e.g. sections=kpi,risk`,
    });
    return z.NEVER;
  }
  const chosen = new Set(words.map((w) => SECTION_WORDS.read(w)!));
  return ALL_SECTIONS.filter((key) => chosen.has(key));
});

export const subscribeArgs = z
  .strictObject({
    /** `weekly` or `monthly`, as typed (by position). */
    kind: z.string({ error: 'say how often with a word, not a person: e.g. weekly day=Monday at=09:00' }).optional(),
    day: field.optionalText('day', 20),
    at: field.optionalText('at', 20),
    cron: field.optionalText('cron', 100),
    sections: sections.optional(),
  })
  .transform((args, ctx): { spec: ScheduleSpec; sections: readonly SectionKey[] } => {
    const result = specOf(args);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }
    return { spec: result.spec, sections: args.sections ?? ALL_SECTIONS };
  });
export type SubscribeArgs = z.output<typeof subscribeArgs>;

function specOf(args: { kind?: string; day?: string; at?: string; cron?: string }): ScheduleSpecResult {
  const kind = args.kind?.trim().toLowerCase();
  if (args.cron !== undefined) {
    if (kind) {
      // `cron=0 9 * * 1` without quotes leaves `0` in cron= and the rest as words.
      return /^[\d*/,\-\sA-Z?L#]+$/i.test(kind) && kind !== 'weekly' && kind !== 'monthly'
        ? refuse(`put the cron schedule in quotes: cron="${args.cron} ${args.kind!.trim()}"`)
        : refuse(`give either ${kind} with day= and at=, or cron="…", not both`);
    }
    if (args.day !== undefined || args.at !== undefined) {
      return refuse('day= and at= go with weekly or monthly; a cron schedule carries its own day and time');
    }
    return parseCronSpec(args.cron);
  }
  if (kind === undefined || kind === '') return refuse(`say how often the digest comes: ${FORMS}`);
  if (kind === 'weekly') return parseWeeklySpec(args.day, args.at);
  if (kind === 'monthly') return parseMonthlySpec(args.day, args.at);
  if (kind === 'cron') return refuse('write the cron schedule as cron="0 9 * * 1", with = and quotes');
  return refuse(`"${args.kind!.trim()}" is not a schedule: use ${FORMS}`);
}

function refuse(problem: string): ScheduleSpecResult {
  return { ok: false, problem };
}

/** `D-2` as typed (`d-2`, `D2`, `2`) → `D-2`; undefined when it is not a digest number. */
export function digestId(text: string): string | undefined {
  const match = /^(?:d-?)?(\d{1,6})$/i.exec(text.trim());
  return match ? `D-${Number(match[1])}` : undefined;
}

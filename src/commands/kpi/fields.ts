import { z } from 'zod';
import type { KpiDefinition, KpiOwner, KpiRules } from '../../domain/kpi-assessment.js';
import { firstTargets, setYearTarget, targetIn } from '../../domain/kpi-targets.js';
import {
  DEFAULT_TOLERANCE,
  isValidKpiCode,
  KPI_UNITS,
  parseKpiValue,
  parseTolerance,
  POLARITIES,
  type KpiUnit,
  type Tolerance,
} from '../../domain/kpi.js';
import { parseMoney } from '../../domain/money.js';
import { SHARED, type Partnership } from '../../domain/partnership.js';
import { financialYearLabel, FREQUENCIES, parseFinancialYear, periodOf } from '../../domain/periods.js';
import * as field from '../kit/fields.js';
import type { UserRef } from '../types.js';
import type { Vocabulary } from '../../domain/vocabulary.js';

/** A KPI's fields as typed: the same checks for `kpi add` and `kpi edit` options and the add form's inputs. */

const isFigure = (s: string) =>
  s !== '' && (parseKpiValue('score', s.replace(/\s*%$/, '')).ok || parseMoney(s) !== undefined);

/** A figure whose meaning depends on the unit (`80`, `72.5%`, `£845k`): checked for its form here, for its unit below. */
function figure(key: string, example: string, missing?: string) {
  return field
    .option(key, 60, missing)
    .trim()
    .superRefine((s, ctx) => {
      if (!isFigure(s))
        ctx.addIssue({ code: 'custom', message: `${key}=${s} is not a number: e.g. ${key}=${example}` });
    });
}

const toleranceField = field
  .option('tolerance')
  .trim()
  .superRefine((s, ctx) => {
    if (isFigure(s)) return;
    ctx.addIssue({
      code: 'custom',
      message: `tolerance=${s} is not a tolerance: give a percentage of the target (tolerance=5%) or an amount in the KPI's unit (tolerance=2, or tolerance=£5,000 for a £ KPI)`,
    });
  });

const codeField = (reserved: ReadonlySet<string>) =>
  field
    .option('code', 10)
    .trim()
    .superRefine((s, ctx) => {
      if (!isValidKpiCode(s)) {
        ctx.addIssue({
          code: 'custom',
          message: `code=${s} is not a KPI code: 1 to 10 letters or digits starting with a letter, e.g. code=FTF`,
        });
      } else if (reserved.has(s.toUpperCase())) {
        ctx.addIssue({
          code: 'custom',
          message: `code=${s} is a word the kpi command uses itself: choose another code`,
        });
      }
    })
    .transform((s) => s.toUpperCase());

/** Each field of a KPI on its own; `required` names those a new KPI must have. */
function shape(partnership: Partnership | undefined, reserved: ReadonlySet<string>, required: boolean) {
  const need = <T extends z.ZodType>(schema: T) => (required ? schema : schema.optional());
  const word = <V extends string>(key: string, words: Vocabulary<V>, missing: string) =>
    field.option(key, 60, missing).pipe(field.choice(key, words, { option: true }));
  return {
    name: need(
      field
        .option('name', 80, 'the KPI name is missing: e.g. "First time fix"')
        .trim()
        .refine((s) => s.length >= 2, 'the KPI name needs 2 to 80 characters: e.g. "First time fix"'),
    ),
    target: need(figure('target', '80', 'target= is missing: e.g. target=80')),
    unit: need(word('unit', KPI_UNITS, `unit= is missing: e.g. unit=% (one of ${KPI_UNITS.listed})`)),
    polarity: need(word('polarity', POLARITIES, 'polarity= is missing: e.g. polarity=higher or polarity=lower')),
    code: codeField(reserved).optional(),
    tolerance: toleranceField.optional(),
    frequency: word('frequency', FREQUENCIES, 'frequency= is missing').optional(),
    council: field
      .option('council')
      .pipe(field.council(partnership, { shared: true }))
      .optional(),
    description: field.optionalText('description', 500),
    owner: field.user('owner=').optional(),
  };
}

export type KpiChanges = Partial<{
  name: string;
  target: string;
  unit: KpiUnit;
  polarity: KpiRules['polarity'];
  code: string;
  tolerance: string;
  frequency: KpiRules['frequency'];
  council: string;
  description: string;
  owner: UserRef;
}>;

/** What a change makes of a KPI, before its code is settled (a new KPI's code may be derived from its name). */
export type KpiDraft = Omit<KpiDefinition, 'code' | 'createdAt' | 'createdBy'> & { readonly code: string | undefined };

export function ownerOf(user: UserRef): KpiOwner {
  return { id: user.id, name: user.name, aadObjectId: user.aadObjectId };
}

/** Which year a change of target is for, and which year it is now (targets are kept per financial year). */
export interface TargetYears {
  readonly year: number;
  readonly current: number;
}

/**
 * The KPI that `changes` make of `base` (or a new KPI when there is none), with the checks that
 * depend on more than one field: the target and tolerance in the KPI's unit, set for `years.year`.
 */
function draftOf(
  changes: KpiChanges,
  base: KpiDefinition | undefined,
  years: TargetYears,
  ctx: z.RefinementCtx,
): KpiDraft {
  const unit = changes.unit ?? base?.unit ?? '%';
  const unitChanges = base !== undefined && unit !== base.unit;
  const was = base ? targetIn(base.targets, years.year) : undefined;
  let target: number | undefined;
  if (changes.target !== undefined) {
    const read = parseKpiValue(unit, changes.target);
    if (read.ok) target = read.value;
    else
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: `target=${changes.target}: ${read.problem.replace('the value', 'the target')}`,
      });
  } else if (unitChanges) {
    ctx.addIssue({
      code: 'custom',
      path: ['target'],
      message: `the unit changes, so give the target in ${unit} too: e.g. target=80`,
    });
  }
  let tolerance: Tolerance | undefined;
  if (changes.tolerance !== undefined) {
    tolerance = parseTolerance(changes.tolerance, unit);
    if (!tolerance) {
      const amount = unit === '£' ? 'tolerance=£5,000' : 'tolerance=2';
      ctx.addIssue({
        code: 'custom',
        path: ['tolerance'],
        message: `tolerance=${changes.tolerance} is not a tolerance: give a percentage of the target (tolerance=5%) or an amount in the KPI's unit (${amount})`,
      });
    }
  } else if (unitChanges && base.targets.some((t) => t.tolerance.kind === 'absolute')) {
    ctx.addIssue({
      code: 'custom',
      path: ['tolerance'],
      message: `the unit changes, so give the tolerance in ${unit} too (or as a percentage): e.g. tolerance=5%`,
    });
  }
  // A new KPI, or one whose unit changes (only before any reading), has the one target given.
  const targets =
    !base || unitChanges
      ? firstTargets(years.year, target ?? 0, tolerance ?? was?.tolerance ?? DEFAULT_TOLERANCE)
      : target === undefined && tolerance === undefined
        ? base.targets
        : setYearTarget(
            base.targets,
            years.year,
            { ...(target !== undefined ? { target } : {}), ...(tolerance ? { tolerance } : {}) },
            years.current,
          );
  return {
    code: changes.code ?? base?.code,
    name: changes.name ?? base?.name ?? '',
    description: changes.description ?? base?.description ?? '',
    unit,
    polarity: changes.polarity ?? base?.polarity ?? 'higher',
    targets,
    frequency: changes.frequency ?? base?.frequency ?? 'monthly',
    owner: changes.owner ? ownerOf(changes.owner) : base?.owner,
    council: changes.council ?? base?.council ?? SHARED,
  };
}

/** `kpi add` options and the add form's inputs: every field checked, the new KPI as the result. */
export function newKpiArgs(partnership: Partnership | undefined, reserved: ReadonlySet<string>, now: Date) {
  const current = periodOf('annual', now).fyStart;
  return z
    .strictObject(shape(partnership, reserved, true))
    .transform((changes, ctx) => draftOf(changes, undefined, { year: current, current }, ctx));
}

/** `kpi edit` options: each field checked on its own; `editedKpi` checks them against the KPI they change. */
export function kpiChangeArgs(partnership: Partnership | undefined, reserved: ReadonlySet<string>, now: Date) {
  return z.strictObject({ ...shape(partnership, reserved, false), year: targetYear(now).optional() });
}

export function editedKpi(base: KpiDefinition, years: TargetYears) {
  return z.custom<KpiChanges>().transform((changes, ctx) => draftOf(changes, base, years, ctx));
}

/** `year=2026/27`: the financial year a target is set for; at most next year, set in advance. */
function targetYear(now: Date) {
  const next = periodOf('annual', now).fyStart + 1;
  return field
    .option('year', 20)
    .trim()
    .transform((s, ctx) => {
      const year = parseFinancialYear(s);
      if (year === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `year=${s} is not a financial year: write it as year=${financialYearLabel(next - 1)}`,
        });
        return z.NEVER;
      }
      if (year > next) {
        ctx.addIssue({
          code: 'custom',
          message: `year=${s} is too far ahead: targets can be set up to next year, year=${financialYearLabel(next)}`,
        });
        return z.NEVER;
      }
      return year;
    });
}

/** A reading typed for a KPI of this unit. */
export function readingValue(kpi: { code: string; unit: KpiUnit }) {
  return z.string().transform((text, ctx) => {
    const read = parseKpiValue(kpi.unit, text);
    if (read.ok) return read.value;
    ctx.addIssue({ code: 'custom', message: `${kpi.code} (${kpi.unit}): ${read.problem}.` });
    return z.NEVER;
  });
}

/** The form's inputs: empty inputs are fields not given. */
export function givenInputs(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''),
  );
}

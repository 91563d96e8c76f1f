import { z } from 'zod';
import { kpiFormCard, type KpiFormData } from '../../cards/kpi.js';
import type { KpiDefinition } from '../../domain/kpi-assessment.js';
import { targetIn } from '../../domain/kpi-targets.js';
import { deriveKpiCode, formatTolerance, KPI_UNITS, POLARITIES } from '../../domain/kpi.js';
import { councilLabel, SHARED } from '../../domain/partnership.js';
import { financialYearLabel, FREQUENCIES, periodOf } from '../../domain/periods.js';
import { ConflictError, retryOnConflict } from '../../storage/errors.js';
import { auditOf, changesAnything, figure, type AuditFields } from '../audit-trail.js';
import { NotAuthorised, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { sameName } from '../kit/resolve.js';
import { done } from '../kit/replies.js';
import { parseArgs, problemsOf } from '../router.js';
import { cardReply, type BoundContext, type CommandRequest, type Reply } from '../types.js';
import { editedKpi, givenInputs, newKpiArgs, type KpiChanges, type KpiDraft } from './fields.js';
import { findKpi, type KpiLookup } from './read.js';
import { yearTargetText } from './views.js';

/** Changing the KPIs: add (by command or form), edit, remove. Each change is audited in its batch. */

export interface KpiChanging extends KpiLookup {
  /** Words the kpi command reads itself, which no KPI may take as its code. */
  readonly reserved: ReadonlySet<string>;
}

/** The years a change of targets may touch: each year that has a target of its own, before or after. */
function yearsOf(...kpis: KpiDefinition[]): number[] {
  return [...new Set(kpis.flatMap((k) => k.targets.map((t) => t.from)))].sort((a, b) => a - b);
}

/** What a KPI looks like in the audit, field by field: its definition, and the target of each year that has one. */
function snapshot(kpi: KpiDefinition, years: readonly number[] = yearsOf(kpi)): AuditFields {
  const targets = Object.fromEntries(
    years.flatMap((year) => {
      const t = targetIn(kpi.targets, year);
      const label = financialYearLabel(year);
      return [
        [`target ${label}`, figure(t.target, kpi.unit)],
        [`tolerance ${label}`, formatTolerance(t.tolerance, kpi.unit)],
      ];
    }),
  );
  return {
    name: kpi.name,
    unit: kpi.unit,
    polarity: kpi.polarity,
    ...targets,
    frequency: kpi.frequency,
    council: councilLabel(kpi.council),
    owner: kpi.owner?.name ?? null,
    description: kpi.description,
  };
}

function forCouncil(council: string): string {
  return council === SHARED ? 'every council' : council;
}

export function kpiChanges(kit: KpiChanging) {
  const { kpis } = kit;

  /** Adds the KPI, deriving its code from its name unless one was given; a name or code taken meanwhile is refused. */
  async function add(ctx: BoundContext, draft: KpiDraft): Promise<KpiDefinition> {
    if (!ctx.access.mayEdit(draft.council)) {
      throw new NotAuthorised(
        'editor',
        `add a KPI for ${forCouncil(draft.council)}`,
        '(an editor for one council adds KPIs of that council only)',
      );
    }
    const existing = await kpis.list(ctx.partnership.id);
    if (existing.some((k) => sameName(k.name, draft.name))) {
      throw new UsageError(
        `A KPI called "${draft.name}" exists already: choose another name, or change it with kpi edit.`,
        ['kpi', 'add'],
      );
    }
    const taken = new Set([...existing.map((k) => k.code), ...kit.reserved]);
    if (draft.code && taken.has(draft.code)) {
      throw new UsageError(
        `code ${draft.code} is taken by another KPI (or was used by a removed one): choose another code`,
        ['kpi', 'add'],
      );
    }
    return retryOnConflict(
      async () => {
        const kpi: KpiDefinition = {
          ...draft,
          code: draft.code ?? deriveKpiCode(draft.name, taken),
          createdAt: ctx.now.toISOString(),
          createdBy: ctx.actor.name,
        };
        try {
          await kpis.add(ctx.partnership.id, kpi, auditOf(ctx, `kpi ${kpi.code}`, null, snapshot(kpi)));
          return kpi;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          // A removed KPI keeps its code and a name may be claimed meanwhile: find out which, or derive again.
          const stored = await kpis.get(ctx.partnership.id, kpi.code);
          if (!stored) {
            throw new UsageError(`A KPI called "${kpi.name}" was added a moment ago: choose another name.`, [
              'kpi',
              'add',
            ]);
          }
          if (draft.code) {
            const why = stored.removed ? 'is taken (it was used by a removed KPI)' : 'was taken a moment ago';
            throw new UsageError(`code ${kpi.code} ${why}: choose another code`, ['kpi', 'add']);
          }
          taken.add(kpi.code);
          throw error;
        }
      },
      { deadline: ctx.deadline },
    );
  }

  function added(kpi: KpiDefinition): Reply {
    const year = kpi.targets.at(-1)!;
    return done(
      `KPI added: ${kpi.name} (${kpi.code})`,
      `Record its first reading with: kpi record ${kpi.code} <value>`,
      {
        facts: [
          {
            title: `Target ${financialYearLabel(year.from)}`,
            value: `${yearTargetText(kpi, year)} (${kpi.polarity} is better)`,
          },
          { title: 'Tolerance', value: formatTolerance(year.tolerance, kpi.unit) },
          { title: 'Frequency', value: kpi.frequency },
          { title: 'Owner', value: kpi.owner?.name ?? 'not set' },
          { title: 'Council', value: councilLabel(kpi.council) },
        ],
      },
    );
  }

  /** The add form, with what was typed and every problem found. */
  function form(ctx: BoundContext, values: Record<string, string>, errors: readonly string[]): Reply {
    const data: KpiFormData = {
      errors,
      hasErrors: errors.length > 0,
      values: {
        name: '',
        target: '',
        unit: '%',
        polarity: 'higher',
        code: '',
        tolerance: '5%',
        frequency: 'monthly',
        council: 'shared',
        description: '',
        ...values,
      },
      unitChoices: KPI_UNITS.choices,
      polarityChoices: POLARITIES.choices,
      frequencyChoices: FREQUENCIES.choices,
      councilChoices: [
        { title: 'Shared by all councils', value: 'shared' },
        ...ctx.partnership.councils.map((c) => ({ title: c.code, value: c.code })),
      ],
    };
    const text = [
      'Add a KPI',
      ...errors,
      'Or type: kpi add "<name>" target=<n> unit=<unit> polarity=<higher|lower>',
    ].join('\n');
    return cardReply(kpiFormCard, data, text);
  }

  async function addCommand(ctx: CommandRequest<KpiDraft>): Promise<Reply> {
    return added(await add(ctx, ctx.args));
  }

  /** The form's button: the same checks as the command, with the problems shown on the form. */
  async function addFromForm(ctx: CommandRequest<Record<string, unknown>>): Promise<Reply> {
    const values = givenInputs(ctx.args);
    const parsed = newKpiArgs(ctx.partnership, kit.reserved, ctx.now).safeParse(values);
    if (!parsed.success) return form(ctx, values, problemsOf(parsed.error));
    try {
      return added(await add(ctx, parsed.data));
    } catch (error) {
      if (error instanceof UsageError) return form(ctx, values, error.problems);
      throw error;
    }
  }

  /** A change of definition; a target or tolerance is set for one financial year (this year unless `year=` says). */
  async function edit(ctx: CommandRequest<KpiChanges & { code: string; year?: number }>): Promise<Reply> {
    const { code, year: given, ...changes } = ctx.args;
    if (Object.values(changes).every((v) => v === undefined)) {
      const what = given === undefined ? '' : ` for ${financialYearLabel(given)}`;
      throw new UsageError(
        `Say what to change${what}, e.g. kpi edit ${code} target=85${given === undefined ? '' : ` year=${financialYearLabel(given)}`}.`,
        ['kpi', 'edit'],
      );
    }
    if (given !== undefined && changes.target === undefined && changes.tolerance === undefined) {
      throw new UsageError(
        'year= is the year of a target: give it with target= or tolerance=, e.g. target=85 year=2026/27.',
        ['kpi', 'edit'],
      );
    }
    const entry = await findKpi(ctx, kit, code, false);
    const stored = await kpis.get(ctx.partnership.id, entry.code);
    if (!stored) throw new UsageError(`${entry.code} was removed a moment ago; nothing was changed.`, ['kpi', 'edit']);
    const kpi = stored.definition;
    const current = periodOf('annual', ctx.now).fyStart;
    const year = given ?? current;
    const draft = parseArgs(editedKpi(kpi, { year, current }), ctx, changes, ['kpi', 'edit']);
    const problems: string[] = [];
    if ((draft.unit !== kpi.unit || draft.frequency !== kpi.frequency) && entry.recent.length > 0) {
      problems.push(`${kpi.code} has readings, so its unit and frequency cannot change: add a new KPI instead`);
    }
    if (
      !sameName(draft.name, kpi.name) &&
      (await kpis.list(ctx.partnership.id)).some((k) => k.code !== kpi.code && sameName(k.name, draft.name))
    ) {
      problems.push(`a KPI called "${draft.name}" exists already: choose another name`);
    }
    if (problems.length > 0) throw new UsageError(problems, ['kpi', 'edit']);
    for (const council of new Set([kpi.council, draft.council])) {
      if (!ctx.access.mayEdit(council)) {
        throw new NotAuthorised(
          'editor',
          `change KPIs of ${forCouncil(council)}`,
          '(an editor for one council changes KPIs of that council only)',
          council === SHARED ? undefined : `council=${council}`,
        );
      }
    }
    const next: KpiDefinition = { ...kpi, ...draft, code: kpi.code };
    const years = yearsOf(kpi, next);
    const [before, after] = [snapshot(kpi, years), snapshot(next, years)];
    const target = `Target ${financialYearLabel(year)} ${yearTargetText(next, targetIn(next.targets, year))}, ${next.polarity} is better.`;
    if (!changesAnything(before, after)) {
      return done(`${kpi.name} (${kpi.code}) is like that already`, `${target} Nothing was changed.`);
    }
    await conflictAs(
      kpis.update(ctx.partnership.id, stored, next, auditOf(ctx, `kpi ${kpi.code}`, before, after)),
      `${kpi.code} was changed by someone else a moment ago; nothing was changed. Check it with kpi ${kpi.code} and try again.`,
      ['kpi', 'edit'],
    );
    const kept =
      changes.target !== undefined || changes.tolerance !== undefined
        ? year < current
          ? ' Other years keep their targets.'
          : ` Earlier years keep theirs; later years follow it until changed.`
        : '';
    return done(`${next.name} (${next.code}) updated`, `${target}${kept}`);
  }

  async function remove(ctx: CommandRequest<{ code: string }>): Promise<Reply> {
    const entry = await findKpi(ctx, kit, ctx.args.code, false);
    const stored = await kpis.get(ctx.partnership.id, entry.code);
    if (!stored || stored.removed)
      return done(`${entry.name} (${entry.code}) is removed already`, 'Nothing was changed.');
    const audit = auditOf(ctx, `kpi ${stored.definition.code}`, snapshot(stored.definition), null);
    await conflictAs(
      kpis.remove(ctx.partnership.id, stored, { at: ctx.now.toISOString(), by: ctx.actor.name }, audit),
      `${stored.definition.code} was changed by someone else a moment ago; nothing was removed. Try again.`,
      ['kpi', 'remove'],
    );
    return done(
      `${stored.definition.name} (${stored.definition.code}) removed`,
      'It no longer shows in kpi; its readings and history stay in the audit.',
    );
  }

  return {
    addCommand,
    addForm: (ctx: BoundContext) => Promise.resolve(form(ctx, {}, [])),
    addFromForm,
    edit,
    remove,
  };
}

/** The add form's inputs as they arrive from the card: text, or nothing. */
export const formInputs = z.record(z.string(), z.unknown());

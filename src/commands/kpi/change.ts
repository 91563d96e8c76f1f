import { z } from 'zod';
import { kpiFormCard, type KpiFormData } from '../../cards/kpi.js';
import { ragOf, type KpiDefinition, type KpiReading } from '../../domain/kpi-assessment.js';
import { deriveKpiCode, formatKpiValue, formatTolerance, KPI_UNITS, POLARITIES } from '../../domain/kpi.js';
import { councilLabel, SHARED } from '../../domain/partnership.js';
import { FREQUENCIES, periodsAt, shortLabel, type FinancialPeriod } from '../../domain/periods.js';
import { ConflictError, retryOnConflict } from '../../storage/errors.js';
import type { KpiEntry } from '../../storage/kpis.js';
import { auditOf } from '../audit-trail.js';
import { NotAuthorised, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { sameName } from '../kit/resolve.js';
import { done, notice } from '../kit/replies.js';
import { parseArgs, problemsOf } from '../router.js';
import { cardReply, type BoundContext, type CommandRequest, type Reply } from '../types.js';
import { editedKpi, givenInputs, newKpiArgs, readingValue, type KpiChanges, type KpiDraft } from './fields.js';
import { findKpi, type KpiLookup } from './read.js';
import { targetText } from './views.js';

/** Changing the KPIs: add (by command or form), record a reading, edit, remove. Each change is audited in its batch. */

export interface KpiChanging extends KpiLookup {
  /** Words the kpi command reads itself, which no KPI may take as its code. */
  readonly reserved: ReadonlySet<string>;
}

/** What a KPI looks like in the audit: its definition as the cards show it. */
function snapshot(kpi: KpiDefinition): Record<string, unknown> {
  return {
    name: kpi.name,
    target: formatKpiValue(kpi.unit, kpi.target),
    unit: kpi.unit,
    polarity: kpi.polarity,
    tolerance: formatTolerance(kpi.tolerance, kpi.unit),
    frequency: kpi.frequency,
    council: kpi.council,
    owner: kpi.owner?.name ?? null,
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
    return done(
      `KPI added: ${kpi.name} (${kpi.code})`,
      `Record its first reading with: kpi record ${kpi.code} <value>`,
      {
        facts: [
          { title: 'Target', value: `${targetText(kpi)} (${kpi.polarity} is better)` },
          { title: 'Tolerance', value: formatTolerance(kpi.tolerance, kpi.unit) },
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
    const parsed = newKpiArgs(ctx.partnership, kit.reserved).safeParse(values);
    if (!parsed.success) return form(ctx, values, problemsOf(parsed.error));
    try {
      return added(await add(ctx, parsed.data));
    } catch (error) {
      if (error instanceof UsageError) return form(ctx, values, error.problems);
      throw error;
    }
  }

  /** The period a reading is for: given, or the last complete one; at most the period in progress. */
  function readingPeriod(ctx: BoundContext, entry: KpiEntry, given: FinancialPeriod | undefined): FinancialPeriod {
    const at = periodsAt(ctx.now);
    if (given === undefined) return at.lastComplete[entry.frequency];
    const latest = at.current[entry.frequency];
    if (given.frequency !== entry.frequency) {
      const example = at.lastComplete[entry.frequency].label;
      const what = { monthly: 'month', quarterly: 'quarter', annual: 'year' }[entry.frequency];
      throw new UsageError(
        `${entry.code} is recorded ${entry.frequency}: give a ${what} such as period=${example.includes(' ') ? `"${example}"` : example}.`,
        ['kpi', 'record'],
      );
    }
    if (given.sortKey > latest.sortKey) {
      throw new UsageError(
        `period=${given.label} is in the future: the latest period you can record is ${shortLabel(latest)} (period=${latest.label}).`,
        ['kpi', 'record'],
      );
    }
    return given;
  }

  function recorded(
    entry: KpiEntry,
    value: number,
    period: FinancialPeriod,
    before: KpiReading | undefined,
    commentary: string,
  ) {
    const shown = (v: number) => formatKpiValue(entry.unit, v);
    const rag = ragOf(entry, value);
    const tone = rag === 'Green' ? 'good' : rag === 'Amber' ? 'warning' : 'attention';
    return notice(
      tone,
      `${entry.name}: ${shown(value)} for ${shortLabel(period)} is ${rag}`,
      before
        ? `Replaced ${shown(before.value)} recorded by ${before.recordedBy}; the old value is kept in the audit.`
        : `Recorded for ${entry.code}.`,
      {
        facts: [
          { title: 'Target', value: targetText(entry) },
          { title: 'Status', value: rag },
          ...(commentary ? [{ title: 'Commentary', value: commentary }] : []),
        ],
      },
    );
  }

  /** Records one reading; the KPI and the right to record it are checked again on every attempt. */
  async function record(
    ctx: CommandRequest<{ code: string; value: string; period?: FinancialPeriod; commentary?: string }>,
  ): Promise<Reply> {
    return conflictAs(
      retryOnConflict(
        async () => {
          const entry = await findKpi(ctx, kit, ctx.args.code, false);
          if (!ctx.access.mayEdit(entry.council) && entry.owner?.id !== ctx.actor.id) {
            throw new NotAuthorised(
              'editor',
              `record ${entry.code}`,
              `for ${forCouncil(entry.council)}, or being the KPI's owner (${entry.owner?.name ?? 'no owner set'})`,
            );
          }
          const value = parseArgs(readingValue(entry), ctx, ctx.args.value, ['kpi', 'record']);
          const period = readingPeriod(ctx, entry, ctx.args.period);
          const before = await kpis.getReading(ctx.partnership.id, entry.code, period);
          const commentary = ctx.args.commentary ?? '';
          const shown = (v: number) => formatKpiValue(entry.unit, v);
          const audit = auditOf(
            ctx,
            `kpi ${entry.code} ${period.label}`,
            before ? { value: shown(before.value), commentary: before.commentary, by: before.recordedBy } : null,
            { value: shown(value), commentary },
          );
          const reading = {
            value,
            commentary,
            recordedBy: ctx.actor.name,
            recordedById: ctx.actor.id,
            recordedAt: ctx.now.toISOString(),
          };
          await kpis.recordReading(ctx.partnership.id, entry, period, reading, audit, {
            before: before ?? null,
            deadline: ctx.deadline,
          });
          return recorded(entry, value, period, before, commentary);
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ['kpi', 'record'],
    );
  }

  async function edit(ctx: CommandRequest<KpiChanges & { code: string }>): Promise<Reply> {
    const { code, ...changes } = ctx.args;
    if (Object.values(changes).every((v) => v === undefined)) {
      throw new UsageError('Say what to change, e.g. kpi edit FTF target=85.', ['kpi', 'edit']);
    }
    const entry = await findKpi(ctx, kit, code, false);
    const stored = await kpis.get(ctx.partnership.id, entry.code);
    if (!stored) throw new UsageError(`${entry.code} was removed a moment ago; nothing was changed.`, ['kpi', 'edit']);
    const kpi = stored.definition;
    const draft = parseArgs(editedKpi(kpi), ctx, changes, ['kpi', 'edit']);
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
        );
      }
    }
    const next: KpiDefinition = { ...kpi, ...draft, code: kpi.code };
    await conflictAs(
      kpis.update(ctx.partnership.id, stored, next, auditOf(ctx, `kpi ${kpi.code}`, snapshot(kpi), snapshot(next))),
      `${kpi.code} was changed by someone else a moment ago; nothing was changed. Check it with kpi ${kpi.code} and try again.`,
      ['kpi', 'edit'],
    );
    return done(`${next.name} (${next.code}) updated`, `Target ${targetText(next)}, ${next.polarity} is better.`);
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
    record,
    edit,
    remove,
  };
}

/** The add form's inputs as they arrive from the card: text, or nothing. */
export const formInputs = z.record(z.string(), z.unknown());

import { formatMoney, pence, type Pence } from '../../domain/money.js';
import { SHARED } from '../../domain/partnership.js';
import { financialYearLabel } from '../../domain/periods.js';
import { formatYearAmounts, paybackOf, programmeProblem, type YearAmount } from '../../domain/programme.js';
import { retryOnConflict } from '../../storage/errors.js';
import type { ProgrammeRecord, ProgrammeRepository, StoredProgramme } from '../../storage/programmes.js';
import { auditOf, money, type AuditFields } from '../audit-trail.js';
import { NotAuthorised, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { done } from '../kit/replies.js';
import { resolveByCodeOrName } from '../kit/resolve.js';
import type { BoundContext, CommandRequest, Reply } from '../types.js';
import { paybackText, programmeReply, programmesReply } from './programme-views.js';

/** Programmes: the list, one programme's payback, adding one and recording its spend to date. */

export interface NewProgrammeArgs {
  readonly name: string;
  readonly budget: Pence;
  readonly benefits?: YearAmount[] | undefined;
  readonly start: number;
  readonly spend?: Pence | undefined;
}

function snapshot(p: ProgrammeRecord): AuditFields {
  return {
    budget: money(p.totalBudget),
    spend: money(p.spendToDate),
    start: financialYearLabel(p.startYear),
    benefits: formatYearAmounts(p.benefits),
  };
}

/** Programmes belong to the whole partnership: changing one takes an editor for every council. */
function mayChange(ctx: BoundContext, what: string): void {
  if (!ctx.access.mayEdit(SHARED))
    throw new NotAuthorised('editor', what, 'for every council, as programmes are shared');
}

export function programmeCommands(programmes: ProgrammeRepository) {
  /** The programme a person means: its exact name, or a unique part of one when reading. */
  async function find(ctx: BoundContext, query: string, partial: boolean): Promise<StoredProgramme> {
    const all = await programmes.list(ctx.partnership.id);
    const items = all.map((s) => ({ code: s.programme.name, name: s.programme.name, stored: s }));
    const found = await resolveByCodeOrName(query, items, {
      kind: 'programme',
      listCommand: 'programme',
      within: ctx.partnership.name,
      partial,
      // A programme has a name and no code: it is shown by its name.
      suggestion: (item) => `programme show "${item.name}"`,
    });
    return found.stored;
  }

  /** `programme` lists them all; `programme <name>` shows one. */
  async function programmeCommand(ctx: CommandRequest<{ name?: string }>): Promise<Reply> {
    if (ctx.args.name === undefined) {
      const all = await programmes.list(ctx.partnership.id);
      return programmesReply(
        ctx.partnership.name,
        all.map((s) => s.programme),
      );
    }
    return programmeReply((await find(ctx, ctx.args.name, true)).programme);
  }

  /** `programme show "<name>"`. */
  async function show(ctx: CommandRequest<{ name: string }>): Promise<Reply> {
    return programmeReply((await find(ctx, ctx.args.name, true)).programme);
  }

  /** `programme add "<name>" budget=£… [benefits="2024/25:£0.8m,…"] [start=2023/24] [spend=£…]`. */
  async function add(ctx: CommandRequest<NewProgrammeArgs>): Promise<Reply> {
    mayChange(ctx, 'add a programme');
    const { name, budget, benefits, start, spend } = ctx.args;
    const programme: ProgrammeRecord = {
      name,
      totalBudget: budget,
      spendToDate: spend ?? pence(0),
      startYear: start,
      benefits: benefits ?? [],
      costPhasing: undefined,
      createdAt: ctx.now.toISOString(),
      createdBy: ctx.actor.name,
    };
    const problem = programmeProblem(programme);
    if (problem) {
      const hint = problem.includes('before the programme starts') ? `; add start=<year> for an earlier start` : '';
      throw new UsageError(`Nothing was added: ${problem}${hint}.`, ['programme', 'add']);
    }
    if (await programmes.get(ctx.partnership.id, name)) {
      throw new UsageError(`A programme called "${name}" exists already: see it with programme show "${name}".`, [
        'programme',
        'add',
      ]);
    }
    await conflictAs(
      programmes.add(ctx.partnership.id, programme, auditOf(ctx, `programme ${name}`, null, snapshot(programme))),
      `A programme called "${name}" was added a moment ago: see it with programme show "${name}".`,
      ['programme', 'add'],
    );
    return done(`Programme added: ${name}`, `Payback ${paybackText(paybackOf(programme))}.`, {
      facts: [
        { title: 'Budget', value: formatMoney(budget) },
        { title: 'Starts', value: financialYearLabel(start) },
      ],
    });
  }

  /** `programme spend "<name>" £…`: the spend to date as finance reports it, replacing the figure before. */
  async function spend(ctx: CommandRequest<{ name: string; amount: Pence }>): Promise<Reply> {
    mayChange(ctx, 'record programme spend');
    const { before, programme } = await conflictAs(
      retryOnConflict(
        async () => {
          const stored = await find(ctx, ctx.args.name, false);
          const next: ProgrammeRecord = {
            ...stored.programme,
            spendToDate: ctx.args.amount,
            spendRecordedAt: ctx.now.toISOString(),
            spendRecordedBy: ctx.actor.name,
          };
          const audit = auditOf(ctx, `programme ${next.name} spend`, snapshot(stored.programme), snapshot(next));
          await programmes.update(ctx.partnership.id, stored, next, audit);
          return { before: stored.programme.spendToDate, programme: next };
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ['programme', 'spend'],
    );
    const over = programme.spendToDate > programme.totalBudget;
    return done(
      `${programme.name}: spend to date ${formatMoney(programme.spendToDate)}`,
      `Replaces ${formatMoney(before)}; the old figure stays in the audit.${over ? ` That is over the ${formatMoney(programme.totalBudget)} budget.` : ''}`,
      { facts: [{ title: 'Budget', value: formatMoney(programme.totalBudget) }] },
    );
  }

  return { programmeCommand, show, add, spend };
}

import { lineFigures, type BudgetLineSummary, type RagThresholds } from '../../domain/budget.js';
import { formatMoney, type Pence } from '../../domain/money.js';
import { councilLabel, SHARED } from '../../domain/partnership.js';
import { financialYearLabel, periodOf, shortLabel } from '../../domain/periods.js';
import { applyVirement, virementProblem } from '../../domain/virement.js';
import type { BudgetLineDefinition, LinesRead } from '../../storage/budget.js';
import { retryOnConflict } from '../../storage/errors.js';
import { auditOf, money } from '../audit-trail.js';
import { NotAuthorised, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { done, notice } from '../kit/replies.js';
import { parseArgs } from '../router.js';
import type { BoundContext, CommandRequest, Reply } from '../types.js';
import { actualRows, type ActualRow } from './fields.js';
import { findLine, notePositionAfterChange, type BudgetKit, type YearFigures } from './read.js';
import { basisText, monthText, thresholdsText, varianceText } from './views.js';

/** Changing the budget: lines, actuals (one or a pasted block), officer forecasts, virements, thresholds. Each audited in its batch. */

const ACTUAL = ['budget', 'actual'] as const;

/** What a line looks like in the audit. */
function snapshot(line: Pick<BudgetLineSummary, 'name' | 'category' | 'council' | 'originalBudget'>) {
  return {
    name: line.name,
    category: line.category,
    council: councilLabel(line.council),
    budget: money(line.originalBudget),
  };
}

function mayChange(ctx: BoundContext, lines: ReadonlyArray<Pick<BudgetLineSummary, 'council'>>, what: string): void {
  const refused = [...new Set(lines.map((l) => l.council))].find((council) => !ctx.access.mayEdit(council));
  if (refused === undefined) return;
  throw new NotAuthorised(
    'editor',
    what,
    refused === SHARED
      ? 'for every council, as shared lines belong to all of them'
      : `for ${refused} (an editor for one council changes that council's lines only)`,
  );
}

/** The lines read for a change, or a NotFound with did-you-mean for the first code that is not a line of the year. */
async function readLines(
  kit: BudgetKit,
  ctx: BoundContext,
  fyStart: number,
  codes: readonly string[],
): Promise<LinesRead> {
  const read = await kit.budget.read(ctx.partnership.id, fyStart, codes);
  const missing = codes.find((code) => !read.get(code));
  if (missing !== undefined) {
    await findLine(kit, ctx, fyStart, missing, await kit.budget.lines(ctx.partnership.id, fyStart), false);
  }
  return read;
}

const by = (ctx: BoundContext) => ({ name: ctx.actor.name, id: ctx.actor.id });

export function budgetChanges(kit: BudgetKit) {
  /** `budget add <code> "<name>" category=… budget=£… [council=…] [year=…]`. */
  async function add(ctx: CommandRequest<Omit<BudgetLineDefinition, 'createdAt' | 'createdBy'>>): Promise<Reply> {
    const line: BudgetLineDefinition = { ...ctx.args, createdAt: ctx.now.toISOString(), createdBy: ctx.actor.name };
    const year = financialYearLabel(line.fyStart);
    mayChange(ctx, [line], `add a line for ${councilLabel(line.council)}`);
    await conflictAs(
      retryOnConflict(
        async () => {
          const existing = (await kit.budget.read(ctx.partnership.id, line.fyStart, [line.code])).get(line.code);
          if (existing) {
            throw new UsageError(
              `${line.code} is a line of ${year} already (${existing.name}): choose another code, or see it with budget line ${line.code} year=${year}`,
              ['budget', 'add'],
            );
          }
          await kit.budget.addLine(
            ctx.partnership.id,
            line,
            auditOf(ctx, `budget ${line.code} ${year}`, null, snapshot(line)),
          );
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ['budget', 'add'],
    );
    await notePositionAfterChange(kit, ctx, line.fyStart);
    return done(
      `Budget line added: ${line.name} (${line.code})`,
      `Record its actuals with: budget actual ${line.code} P1 £… year=${year}`,
      {
        facts: [
          { title: 'Year', value: year },
          { title: 'Category', value: line.category },
          { title: 'Council', value: councilLabel(line.council) },
          { title: 'Budget', value: formatMoney(line.originalBudget) },
        ],
      },
    );
  }

  /** `budget actual <code> P7 £123,456 [year=…]`, or a block of `code period amount` rows pasted after `budget actual`: all or none. */
  async function actual(ctx: CommandRequest<{ row?: string; rows?: readonly string[]; year: number }>): Promise<Reply> {
    const fyStart = ctx.args.year;
    const year = financialYearLabel(fyStart);
    const typed = ctx.args.rows ?? [ctx.args.row ?? ''];
    const rows = parseArgs(actualRows(fyStart, ctx.now), ctx, typed, ACTUAL);
    const codes = [...new Set(rows.map((r) => r.code))];
    const recorded = await conflictAs(
      retryOnConflict(
        async () => {
          const read =
            rows.length === 1
              ? await readLines(kit, ctx, fyStart, codes)
              : await kit.budget.read(ctx.partnership.id, fyStart, codes);
          refuseUnknownLines(rows, read, year);
          const lines = codes.map((code) => read.get(code)!);
          mayChange(ctx, lines, `record actuals of ${codes.join(', ')}`);
          const before = rows.map((r) => read.get(r.code)!.actuals[r.period.index - 1] ?? null);
          const shown = (r: ActualRow) => `${r.code} P${r.period.index}`;
          const audit = auditOf(
            ctx,
            rows.length === 1 ? `budget ${shown(rows[0]!)} ${year}` : `budget actuals ${year} (${rows.length} rows)`,
            Object.fromEntries(rows.map((r, i) => [shown(r), before[i] === null ? null : money(before[i]!)])),
            Object.fromEntries(rows.map((r) => [shown(r), money(r.amount)])),
          );
          const changes = rows.map((r) => ({ code: r.code, index: r.period.index, amount: r.amount }));
          await kit.budget.recordActuals(ctx.partnership.id, read, changes, by(ctx), ctx.now.toISOString(), audit);
          return { before, lines };
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ACTUAL,
    );
    const after = await notePositionAfterChange(kit, ctx, fyStart);
    if (rows.length > 1) return actualsRecorded(rows, recorded.before, year);
    return actualRecorded(ctx, rows[0]!, recorded.lines[0]!, recorded.before[0] ?? null, after, year);
  }

  /** `budget forecast set <code> £… "<reason>" [year=…]`: the officer's forecast, which counts until cleared or replaced. */
  async function setForecast(
    ctx: CommandRequest<{ code: string; amount: Pence; reason: string; year: number }>,
  ): Promise<Reply> {
    const { code, amount, reason, year: fyStart } = ctx.args;
    const year = financialYearLabel(fyStart);
    const set = await conflictAs(
      retryOnConflict(
        async () => {
          const read = await readLines(kit, ctx, fyStart, [code]);
          const found = read.get(code)!;
          mayChange(ctx, [found], `set the forecast of ${code}`);
          const was = found.officerForecast;
          if (was && was.amount === amount && was.reason === reason) return { found, written: false };
          const audit = auditOf(
            ctx,
            `budget ${code} ${year} forecast`,
            was ? { forecast: money(was.amount), reason: was.reason, by: was.recordedBy } : null,
            { forecast: money(amount), reason },
          );
          await kit.budget.setForecast(
            ctx.partnership.id,
            read,
            code,
            { amount, reason },
            by(ctx),
            ctx.now.toISOString(),
            audit,
          );
          return { found, written: true };
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ['budget', 'forecast', 'set'],
    );
    const line = set.found;
    if (!set.written) {
      return notice(
        'accent',
        `Forecast for ${line.name} (${code}) unchanged`,
        `Nothing was changed: it is forecast at ${formatMoney(amount)} already, for that reason.`,
      );
    }
    const after = await notePositionAfterChange(kit, ctx, fyStart);
    const figures = after?.figures.lines.find((l) => l.code === code);
    const was = line.officerForecast;
    return done(
      `Forecast for ${line.name} (${code}): ${formatMoney(amount)}`,
      was
        ? `Replaces ${formatMoney(was.amount)} forecast by ${was.recordedBy} (${was.reason}); earlier forecasts stay in the line's history.`
        : `It counts instead of the run rate until it is replaced, or cleared with: budget forecast clear ${code} year=${year}`,
      figures
        ? {
            facts: [
              { title: 'Budget', value: formatMoney(figures.budget) },
              {
                title: 'Variance',
                value: `${varianceText(figures.category, figures.variance, formatMoney)} — ${figures.rag}`,
              },
              { title: 'Reason', value: reason },
            ],
          }
        : {},
    );
  }

  /** `budget forecast clear <code> [year=…]`: back to the run rate; the cleared forecast stays in the history. */
  async function clearForecast(ctx: CommandRequest<{ code: string; year: number }>): Promise<Reply> {
    const { code, year: fyStart } = ctx.args;
    const year = financialYearLabel(fyStart);
    const cleared = await conflictAs(
      retryOnConflict(
        async () => {
          const read = await readLines(kit, ctx, fyStart, [code]);
          const found = read.get(code)!;
          if (!found.officerForecast) return { line: found, cleared: false };
          mayChange(ctx, [found], `clear the forecast of ${code}`);
          const was = found.officerForecast;
          const audit = auditOf(
            ctx,
            `budget ${code} ${year} forecast`,
            { forecast: money(was.amount), reason: was.reason },
            null,
          );
          await kit.budget.setForecast(
            ctx.partnership.id,
            read,
            code,
            undefined,
            by(ctx),
            ctx.now.toISOString(),
            audit,
          );
          return { line: found, cleared: true };
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ['budget', 'forecast', 'clear'],
    );
    const { line } = cleared;
    if (!cleared.cleared) {
      return notice(
        'accent',
        `${line.name} (${code}) has no officer forecast`,
        'Nothing was changed: it is forecast by its run rate already.',
      );
    }
    const after = await notePositionAfterChange(kit, ctx, fyStart);
    const figures = after?.figures.lines.find((l) => l.code === code);
    const periods = after?.figures.periodsToDate ?? 0;
    const fresh = figures ?? lineFigures({ ...line, officerForecast: undefined }, periods);
    return done(
      `Forecast for ${line.name} (${code}) cleared`,
      `It is forecast by its run rate again: ${formatMoney(fresh.forecast)}. The cleared forecast stays in the line's history.`,
    );
  }

  /** `budget vire <from> <to> £… "<reason>" [year=…]` (admin): budget moved between two lines, both budgets shown before and after. */
  async function vire(
    ctx: CommandRequest<{ from: string; to: string; amount: Pence; reason: string; year: number }>,
  ): Promise<Reply> {
    const { from, to, amount, reason, year: fyStart } = ctx.args;
    const year = financialYearLabel(fyStart);
    const moved = await conflictAs(
      retryOnConflict(
        async () => {
          const read = await readLines(kit, ctx, fyStart, [from, to]);
          const [source, target] = [read.get(from)!, read.get(to)!];
          const problem = virementProblem(source, target, amount);
          if (problem) throw new UsageError(`Nothing was moved: ${problem}.`, ['budget', 'vire']);
          const budgets = applyVirement(source, target, amount);
          const virement = { from, to, amount, reason, by: ctx.actor.name, at: ctx.now.toISOString() };
          const number = await kit.budget.vire(ctx.partnership.id, read, virement, budgets, (n) =>
            auditOf(
              ctx,
              `budget virement V-${n} ${year}`,
              { [from]: money(source.revisedBudget), [to]: money(target.revisedBudget) },
              { [from]: money(budgets.from), [to]: money(budgets.to), amount: money(amount), reason },
            ),
          );
          return { number, source, target, budgets };
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ['budget', 'vire'],
    );
    await notePositionAfterChange(kit, ctx, fyStart);
    const { source, target, budgets } = moved;
    const line = (l: BudgetLineSummary, now: Pence) =>
      `${formatMoney(l.revisedBudget)} → ${formatMoney(now)} (original ${formatMoney(l.originalBudget)})`;
    return done(
      `Virement V-${moved.number}: ${formatMoney(amount)} from ${source.name} (${from}) to ${target.name} (${to})`,
      `The net budget of ${year} is unchanged. The original budgets stay beside the revised ones.`,
      {
        facts: [
          { title: from, value: line(source, budgets.from) },
          { title: to, value: line(target, budgets.to) },
          { title: 'Reason', value: reason },
        ],
      },
    );
  }

  /** `budget thresholds amber=1%,£50k red=5%,£100k` (admin): set under the ETag they were read with. */
  async function setThresholds(ctx: CommandRequest<RagThresholds>): Promise<Reply> {
    const after = thresholdsText(ctx.args);
    const before = await conflictAs(
      retryOnConflict(
        async () => {
          const read = await kit.budget.thresholds(ctx.partnership.id);
          const was = thresholdsText(read.thresholds);
          if (was === after) return undefined;
          const audit = auditOf(ctx, 'budget thresholds', was, after);
          await kit.budget.setThresholds(
            ctx.partnership.id,
            read.etag,
            ctx.args,
            by(ctx),
            ctx.now.toISOString(),
            audit,
          );
          return was;
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ['budget', 'thresholds'],
    );
    if (before === undefined) {
      return notice('accent', 'Budget RAG thresholds unchanged', `Nothing was changed: they are ${after} already.`);
    }
    return done('Budget RAG thresholds set', `${after}.`, { facts: [{ title: 'Before', value: before }] });
  }

  /** `budget thresholds` alone: the thresholds in force and how to change them. */
  async function showThresholds(ctx: BoundContext): Promise<Reply> {
    const { thresholds, set } = await kit.budget.thresholds(ctx.partnership.id);
    return notice(
      'accent',
      'Budget RAG thresholds',
      `${thresholdsText(thresholds)}${set ? '' : ' (the council rule, as none are set)'}.`,
      {
        hint: 'Change them with: budget thresholds amber=1%,£50k red=5%,£100k',
      },
    );
  }

  return { add, actual, setForecast, clearForecast, vire, setThresholds, showThresholds };
}

/** Every row that names a line the year does not have, named, so that none is recorded. */
function refuseUnknownLines(rows: readonly ActualRow[], read: LinesRead, year: string): void {
  const unknown = rows.filter((r) => !read.get(r.code));
  if (unknown.length === 0) return;
  throw new UsageError(
    [
      `Nothing was recorded: ${unknown.length} of ${rows.length} rows name a line that ${year} does not have.`,
      ...unknown.map(
        (r) =>
          `row ${r.row} (${r.text}): there is no budget line ${r.code} in ${year}; type budget lines year=${year} for the codes`,
      ),
    ],
    ACTUAL,
  );
}

/** One actual recorded: the figure it replaced, and the line's actual to date, forecast and variance after it. */
function actualRecorded(
  ctx: BoundContext,
  row: ActualRow,
  line: BudgetLineSummary,
  before: Pence | null,
  after: YearFigures | undefined,
  year: string,
): Reply {
  const figures = after?.figures.lines.find((l) => l.code === row.code);
  const pending = row.period.sortKey >= periodOf('monthly', ctx.now).sortKey;
  return done(
    `${line.name} (${row.code}): ${formatMoney(row.amount)} for ${monthText(row.period)} recorded`,
    [
      before === null
        ? `Recorded for ${year}.`
        : `Replaced ${formatMoney(before)} entered before; the old figure stays in the audit.`,
      ...(pending ? [`${shortLabel(row.period)} counts in the forecast once the month has ended.`] : []),
    ].join(' '),
    figures && after
      ? {
          facts: [
            { title: 'Actual to date', value: formatMoney(figures.actualToDate) },
            {
              title: 'Forecast outturn',
              value: `${formatMoney(figures.forecast)} (${basisText(figures, after.figures.periodsToDate)})`,
            },
            {
              title: 'Variance',
              value: `${varianceText(figures.category, figures.variance, formatMoney)} — ${figures.rag}`,
            },
          ],
        }
      : {},
  );
}

function actualsRecorded(rows: readonly ActualRow[], before: ReadonlyArray<Pence | null>, year: string): Reply {
  const replaced = before.filter((b) => b !== null).length;
  return done(
    `${rows.length} actuals recorded for ${year}`,
    replaced === 0
      ? 'All were months with no figure before.'
      : `${replaced} replaced figures entered before; the old figures stay in the audit.`,
    {
      facts: rows.map((r, i) => ({
        title: `${r.code} ${monthText(r.period)}`,
        value: `${formatMoney(r.amount)}${before[i] === null ? '' : ` (was ${formatMoney(before[i]!)})`}`,
      })),
    },
  );
}

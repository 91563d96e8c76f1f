import type { Logger } from 'pino';
import { trendText } from '../../cards/views.js';
import {
  directionSince,
  forecastCard,
  type BudgetCategory,
  type BudgetLineSummary,
  type ForecastCardFigures,
  type RagThresholds,
} from '../../domain/budget.js';
import type { Pence } from '../../domain/money.js';
import { financialYearLabel } from '../../domain/periods.js';
import type { BudgetRepository, BudgetYear, Position } from '../../storage/budget.js';
import { NotFound } from '../errors.js';
import { resolveByCodeOrName } from '../kit/resolve.js';
import type { BoundContext, CommandRequest, DigestRequest, DigestSection, Reply } from '../types.js';
import { currentYear } from './fields.js';
import { lineReply, linesReply } from './line-views.js';
import { forecastHeadline, forecastReply, monthText, varianceText } from './views.js';

/** Reading the budget: the forecast card (from the year's summary), the lines, one line, and the digest section. */

export interface BudgetKit {
  readonly budget: BudgetRepository;
  readonly logger: Logger;
}

interface YearInView {
  readonly fyStart: number;
  readonly year: BudgetYear | undefined;
  /** Why another year than the current one is shown, when it is. */
  readonly note: string | undefined;
}

/**
 * The year a reading shows: the one given; else the current financial year, unless it has no lines
 * while an earlier or later year has, when it is the latest year with lines (a budget kept for a year
 * now past, such as the demo's 2023/24) and the card says so.
 */
async function yearInView(kit: BudgetKit, ctx: BoundContext, given: number | undefined): Promise<YearInView> {
  const years = await kit.budget.years(ctx.partnership.id);
  const find = (fyStart: number) => years.find((y) => y.fyStart === fyStart);
  if (given !== undefined) return { fyStart: given, year: find(given), note: undefined };
  const current = currentYear(ctx.now);
  const latest = years[0];
  if (find(current) || !latest) return { fyStart: current, year: find(current), note: undefined };
  const [now, shown] = [financialYearLabel(current), financialYearLabel(latest.fyStart)];
  return {
    fyStart: latest.fyStart,
    year: latest,
    note: `No budget lines for ${now} yet, so this is ${shown}, the latest year with lines. Add year=${now} for this year.`,
  };
}

export interface YearFigures {
  readonly lines: readonly BudgetLineSummary[];
  readonly thresholds: RagThresholds;
  /** The whole partnership's figures: the position noted each month is theirs. */
  readonly whole: ForecastCardFigures;
  /** The figures in view: the whole partnership's, or one council's part. */
  readonly figures: ForecastCardFigures;
  /** The net variance noted at the month before (the council's part, when filtered). */
  readonly previous: Pence | undefined;
}

/** The forecast figures of a year: its lines and the thresholds read in parallel, worked out once. */
async function yearFigures(
  kit: BudgetKit,
  ctx: BoundContext,
  fyStart: number,
  year: BudgetYear | undefined,
  council?: string,
): Promise<YearFigures> {
  const [lines, { thresholds }] = await Promise.all([
    kit.budget.lines(ctx.partnership.id, fyStart),
    kit.budget.thresholds(ctx.partnership.id),
  ]);
  const options = { fyStart, now: ctx.now, councils: ctx.partnership.councils, thresholds };
  const whole = forecastCard(lines, options);
  const figures = council === undefined ? whole : forecastCard(lines, { ...options, council });
  const before = year?.positions.get(whole.periodsToDate - 1);
  const previous = council === undefined ? before?.net : before?.councils[council];
  return { lines, thresholds, whole, figures, previous };
}

/** The position noted for a month: the net variance and each council's part. */
export function positionOf(whole: ForecastCardFigures, at: Date): Position {
  return {
    net: whole.totals.variance,
    councils: Object.fromEntries(whole.councils.map((c) => [c.council, c.variance])),
    at: at.toISOString(),
  };
}

function samePosition(a: Position | undefined, b: Position): boolean {
  return a !== undefined && a.net === b.net && JSON.stringify(a.councils) === JSON.stringify(b.councils);
}

/**
 * Notes the year's position at its month when it has moved since last noted, so that next month's
 * card has a figure to compare with. A failure is logged, never shown: the card is right without it.
 */
export async function notePosition(
  kit: BudgetKit,
  ctx: BoundContext,
  fyStart: number,
  whole: ForecastCardFigures,
  year: BudgetYear | undefined,
): Promise<void> {
  const position = positionOf(whole, ctx.now);
  if (whole.periodsToDate === 0 || samePosition(year?.positions.get(whole.periodsToDate), position)) return;
  try {
    await kit.budget.notePosition(ctx.partnership.id, fyStart, whole.periodsToDate, position);
  } catch (error) {
    kit.logger.warn({ err: error, partnership: ctx.partnership.id }, 'budget position not noted');
  }
}

/** After a change: the year's figures worked out afresh (for the reply) and their position noted. */
export async function notePositionAfterChange(
  kit: BudgetKit,
  ctx: BoundContext,
  fyStart: number,
): Promise<YearFigures | undefined> {
  try {
    const year = await kit.budget.year(ctx.partnership.id, fyStart);
    const figures = await yearFigures(kit, ctx, fyStart, year);
    await notePosition(kit, ctx, fyStart, figures.whole, year);
    return figures;
  } catch (error) {
    kit.logger.warn({ err: error, partnership: ctx.partnership.id }, 'budget position not noted after a change');
    return undefined;
  }
}

/**
 * The line a person means in a year: its code or name (a unique part of a name when reading). When
 * it is not there but is a line of another year, the hint says which year to add.
 */
export async function findLine(
  kit: BudgetKit,
  ctx: BoundContext,
  fyStart: number,
  query: string,
  lines: readonly BudgetLineSummary[],
  partial: boolean,
): Promise<BudgetLineSummary> {
  const year = financialYearLabel(fyStart);
  return resolveByCodeOrName(query, lines, {
    kind: 'budget line',
    listCommand: `budget lines year=${year}`,
    within: `the ${year} budget of ${ctx.partnership.name}`,
    partial,
    gone: async () => {
      const code = query.trim().toUpperCase();
      for (const other of (await kit.budget.years(ctx.partnership.id)).filter((y) => y.fyStart !== fyStart)) {
        const found = (await kit.budget.read(ctx.partnership.id, other.fyStart, [code])).get(code);
        if (found) {
          const label = financialYearLabel(other.fyStart);
          return new NotFound(
            `There is no budget line ${code} in ${year}: ${found.name} (${code}) is a line of ${label}.`,
            [],
            `Add year=${label} to use it, e.g. budget line ${code} year=${label}.`,
          );
        }
      }
      return undefined;
    },
  });
}

export function budgetReading(kit: BudgetKit) {
  /** `budget`, `budget forecast [year=…] [council=…]`: the forecast card, from the year's summary. */
  async function forecast(ctx: CommandRequest<{ year?: number; council?: string }>): Promise<Reply> {
    const { fyStart, year, note } = await yearInView(kit, ctx, ctx.args.year);
    const { whole, figures, previous, thresholds } = await yearFigures(kit, ctx, fyStart, year, ctx.args.council);
    await notePosition(kit, ctx, fyStart, whole, year);
    return forecastReply({ partnership: ctx.partnership, figures, thresholds, previous, note });
  }

  async function list(
    ctx: BoundContext,
    args: { year?: number; category?: BudgetCategory; council?: string },
    offset: number,
  ): Promise<Reply> {
    const { fyStart, year, note } = await yearInView(kit, ctx, args.year);
    const { figures } = await yearFigures(kit, ctx, fyStart, year, args.council);
    return linesReply({ partnership: ctx.partnership, figures, category: args.category, offset, note });
  }

  /** `budget lines [category=…] [council=…] [year=…]`. */
  async function lines(
    ctx: CommandRequest<{ year?: number; category?: BudgetCategory; council?: string }>,
  ): Promise<Reply> {
    return list(ctx, ctx.args, 0);
  }

  /** The "Show more" button of `budget lines`. */
  async function page(
    ctx: CommandRequest<{ offset: number; year: number; category?: BudgetCategory; council?: string }>,
  ): Promise<Reply> {
    return list(ctx, ctx.args, ctx.args.offset);
  }

  /** `budget line <code> [year=…]`: one line in exact pounds, its months, forecasts and virements. */
  async function line(ctx: CommandRequest<{ code: string; year?: number }>): Promise<Reply> {
    const { fyStart, year } = await yearInView(kit, ctx, ctx.args.year);
    const { figures, lines } = await yearFigures(kit, ctx, fyStart, year);
    const found = await findLine(kit, ctx, fyStart, ctx.args.code, lines, true);
    const history = await kit.budget.history(ctx.partnership.id, fyStart, found.code);
    const figuresOfLine = figures.lines.find((l) => l.code === found.code);
    if (!figuresOfLine) throw new NotFound(`${found.code} could not be read just now.`, [], 'Try again in a moment.');
    return lineReply({ line: figuresOfLine, figures, ...history });
  }

  return { forecast, lines, page, line };
}

/** Drivers a digest lists. */
const DIGEST_DRIVERS = 3;

/** The committee digest's budget section: the net variance with its RAG, the month, and the top drivers. */
export async function budgetDigest(kit: BudgetKit, request: DigestRequest): Promise<DigestSection[]> {
  const { partnership, now } = request;
  const years = await kit.budget.years(partnership.id);
  const shown = years.find((y) => y.fyStart === currentYear(now)) ?? years[0];
  if (!shown) return [];
  const [lines, { thresholds }] = await Promise.all([
    kit.budget.lines(partnership.id, shown.fyStart),
    kit.budget.thresholds(partnership.id),
  ]);
  const figures = forecastCard(lines, { fyStart: shown.fyStart, now, councils: partnership.councils, thresholds });
  const { totals } = figures;
  const at = figures.asAt ? ` at ${monthText(figures.asAt)}` : ', no actuals yet';
  const headline = forecastHeadline(totals.variance);
  const trend = directionSince(shown.positions.get(figures.periodsToDate - 1)?.net, totals.variance);
  const since = trend ? `, ${trendText(trend)} since P${figures.periodsToDate - 1}` : '';
  return [
    {
      key: 'budget',
      title: `Budget ${financialYearLabel(shown.fyStart)}`,
      summary: `${headline} (${totals.rag})${at}${since}`,
      rag: totals.rag,
      items: figures.drivers.slice(0, DIGEST_DRIVERS).map((d) => ({
        text: `${d.name} (${d.code}): ${varianceText(d.category, d.variance)}`,
        rag: d.rag,
      })),
    },
  ];
}

import { periodsAt, previousPeriod, type FinancialPeriod } from '../../domain/periods.js';
import type { KpiEntry, KpiRepository } from '../../storage/kpis.js';
import { NotFound, UsageError } from '../errors.js';
import { resolveByCodeOrName } from '../kit/resolve.js';
import type { BoundContext, CommandRequest, Reply } from '../types.js';
import { assessAll, detailReply, STATUS_FILTERS, statusFilter, summaryReply, type StatusFilter } from './views.js';

/** Reading the KPIs: the list (from the summary row), one KPI in detail, the next page of the list. */

/** The readings a detail card needs: 24 periods reach the same months last year for the year to date. */
const DETAIL_PERIODS = 24;

export interface KpiLookup {
  readonly kpis: KpiRepository;
  readonly subcommands: readonly string[];
}

/**
 * The KPI a person means: a code is found with one point read of its summary shard; a name (or,
 * for reading, a unique part of one) is looked up in the whole summary.
 */
export async function findKpi(
  ctx: BoundContext,
  lookup: KpiLookup,
  query: string,
  partial: boolean,
): Promise<KpiEntry> {
  const code = query.trim().toUpperCase();
  if (/^[A-Z][A-Z0-9]{0,9}$/.test(code)) {
    const { entry } = await lookup.kpis.entry(ctx.partnership.id, code);
    if (entry) return entry;
  }
  return resolveByCodeOrName(query, await lookup.kpis.list(ctx.partnership.id), {
    kind: 'KPI',
    listCommand: 'kpi',
    within: ctx.partnership.name,
    partial,
    // A status word mistyped (`kpi reds`) is suggested as a sub-command is.
    subcommands: [...lookup.subcommands, ...Object.keys(STATUS_FILTERS)],
    // Reading says only that there is none; a change also says who removed it, and when.
    gone: partial
      ? undefined
      : async () => {
          const removed = /^[A-Z][A-Z0-9]{0,9}$/.test(code)
            ? await lookup.kpis.get(ctx.partnership.id, code)
            : undefined;
          return removed?.removed
            ? new NotFound(
                `${removed.definition.name} (${removed.definition.code}) was removed by ${removed.removed.by} on ${removed.removed.at.slice(0, 10)}.`,
                [],
                'Its history stays in the audit; add a new KPI to measure it again.',
              )
            : undefined;
        },
  });
}

export function kpiReading(lookup: KpiLookup) {
  async function list(
    ctx: BoundContext,
    filter: StatusFilter | undefined,
    council: string | undefined,
    offset: number,
  ) {
    const at = periodsAt(ctx.now);
    const all = assessAll(await lookup.kpis.list(ctx.partnership.id), at);
    return summaryReply(ctx.partnership, all, {
      ...(filter ? { filter } : {}),
      ...(council ? { council } : {}),
      offset,
      now: ctx.now,
    });
  }

  /** `kpi`, `kpi red`, `kpi council=CEC`, or `kpi FTF` for one KPI in detail. */
  async function kpiCommand(ctx: CommandRequest<{ query?: string; council?: string }>): Promise<Reply> {
    const { query, council } = ctx.args;
    const filter = query === undefined ? undefined : statusFilter(query);
    if (query === undefined || filter) return list(ctx, filter, council, 0);
    if (council)
      throw new UsageError('council= filters the list: type kpi council=CEC, or kpi <code> for one KPI.', ['kpi']);
    return detail(ctx, query);
  }

  /** One KPI: its definition and recent readings, read together. */
  async function detail(ctx: BoundContext, query: string): Promise<Reply> {
    const entry = await findKpi(ctx, lookup, query, true);
    const at = periodsAt(ctx.now);
    let from: FinancialPeriod = at.lastComplete[entry.frequency];
    for (let i = 1; i < DETAIL_PERIODS; i++) from = previousPeriod(from);
    const [stored, readings] = await Promise.all([
      lookup.kpis.get(ctx.partnership.id, entry.code),
      lookup.kpis.readings(ctx.partnership.id, entry.code, from),
    ]);
    if (!stored)
      throw new NotFound(`${entry.name} (${entry.code}) could not be read just now.`, [], 'Try again in a moment.');
    return detailReply(stored.definition, readings, at);
  }

  /** The "Show more" button: the next page of the same list. */
  async function page(
    ctx: CommandRequest<{ offset: number; filter: StatusFilter | ''; council: string }>,
  ): Promise<Reply> {
    const { offset, filter, council } = ctx.args;
    return list(ctx, filter || undefined, council || undefined, offset);
  }

  return { kpiCommand, page };
}

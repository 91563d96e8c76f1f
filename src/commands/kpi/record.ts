import { z } from 'zod';
import { kpiConfirmCard } from '../../cards/kpi.js';
import { ragOf, targetOf, type KpiReading } from '../../domain/kpi-assessment.js';
import { formatKpiValue } from '../../domain/kpi.js';
import { SHARED } from '../../domain/partnership.js';
import { parsePeriod, periodsAt, shortLabel, type FinancialPeriod } from '../../domain/periods.js';
import { retryOnConflict } from '../../storage/errors.js';
import type { KpiEntry } from '../../storage/kpis.js';
import { auditOf, figure, type AuditFields } from '../audit-trail.js';
import { NeedsConfirmation, NotAuthorised, NotFound, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { resolveByCodeOrName } from '../kit/resolve.js';
import { done, notice } from '../kit/replies.js';
import { parseArgs } from '../router.js';
import { cardReply, type BoundContext, type CommandRequest, type Reply } from '../types.js';
import { readingValue } from './fields.js';
import { findKpi, type KpiLookup } from './read.js';
import { tableRows, type RecordRequest, type TableRow } from './record-fields.js';
import { targetText } from './views.js';
import { plural } from '../../domain/vocabulary.js';

/** Recording readings: one typed, one confirmed with a button, or a pasted table stored whole or not at all. */

const WORDS = ['kpi', 'record'];

function forCouncil(council: string): string {
  return council === SHARED ? 'every council' : council;
}

/** An editor for the KPI's council (or every council for a shared one), or the KPI's owner. */
function mayRecord(ctx: BoundContext, entry: KpiEntry): void {
  if (ctx.access.mayEdit(entry.council) || entry.owner?.id === ctx.actor.id) return;
  throw new NotAuthorised(
    'editor',
    `record ${entry.code}`,
    `for ${forCouncil(entry.council)}, or being the KPI's owner (${entry.owner?.name ?? 'no owner set'})`,
    entry.council === SHARED ? undefined : `council=${entry.council}`,
  );
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
      WORDS,
    );
  }
  if (given.sortKey > latest.sortKey) {
    throw new UsageError(
      `period=${given.label} is in the future: the latest period you can record is ${shortLabel(latest)} (period=${latest.label}).`,
      WORDS,
    );
  }
  return given;
}

/** `0.725` → `72.5`: the decimal point moved, so no binary rounding creeps in. */
function timesHundred(typed: string): string {
  const [whole = '', fraction = ''] = typed.trim().split('.');
  const digits = fraction.padEnd(2, '0');
  const shifted = `${whole}${digits.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  return digits.length > 2 ? `${shifted}.${digits.slice(2)}` : shifted;
}

/**
 * A % reading below 1, typed without its % sign, for a KPI whose target and readings are all above
 * 1: most likely a fraction copied from Excel (0.725 for 72.5%). The other reading, when it is so.
 */
function fractionOf(entry: KpiEntry, typed: string, value: number, period: FinancialPeriod): string | undefined {
  if (entry.unit !== '%' || !(value > 0 && value < 1) || /%\s*$/.test(typed)) return undefined;
  if (targetOf(entry, period).target <= 1 || entry.recent.some(([, v]) => v <= 1)) return undefined;
  return timesHundred(typed.replace(/^\+/, ''));
}

interface OneReading {
  readonly code: string;
  readonly value: string;
  readonly period: FinancialPeriod | undefined;
  readonly commentary: string;
  readonly periodRead?: string | undefined;
}

function askWhichReading(entry: KpiEntry, reading: OneReading, period: FinancialPeriod, other: string): Reply {
  const typed = reading.value.trim();
  const options = ` period=${period.label}${reading.commentary ? ` "${reading.commentary}"` : ''}`;
  const title = `${entry.code}: ${typed}% or ${other}%?`;
  const message = `${entry.name} aims at ${targetText(entry, period)} and its readings are all above 1%, so ${typed} may be a fraction copied from Excel. Nothing was recorded: which did you mean?`;
  const commands = `Or type: kpi record ${entry.code} ${other}${options} — or kpi record ${entry.code} ${typed}%${options} to record ${typed}%.`;
  return cardReply(
    kpiConfirmCard,
    {
      title,
      message,
      choices: [
        { title: `${other}%`, value: other },
        { title: `${typed}%`, value: `${typed}%` },
      ],
      typed: commands,
      code: entry.code,
      period: period.label,
      commentary: reading.commentary,
    },
    [title, message, commands].join('\n'),
  );
}

function recordedNotice(
  entry: KpiEntry,
  value: number,
  period: FinancialPeriod,
  before: KpiReading | undefined,
  reading: OneReading,
): Reply {
  const shown = (v: number) => formatKpiValue(entry.unit, v);
  const rag = ragOf(entry, value, period);
  const tone = rag === 'Green' ? 'good' : rag === 'Amber' ? 'warning' : 'attention';
  const read = reading.periodRead ? ` "${reading.periodRead}" was read as the period.` : '';
  return notice(
    tone,
    `${entry.name}: ${shown(value)} for ${shortLabel(period)} is ${rag}`,
    before
      ? `Replaced ${shown(before.value)} recorded by ${before.recordedBy}; the old value is kept in the audit.${read}`
      : `Recorded for ${entry.code}.${read}`,
    {
      facts: [
        { title: 'Target', value: targetText(entry, period) },
        { title: 'Status', value: rag },
        ...(reading.commentary ? [{ title: 'Commentary', value: reading.commentary }] : []),
      ],
    },
  );
}

export function kpiRecording(kit: KpiLookup) {
  const { kpis } = kit;

  /** One reading; the KPI and the right to record it are checked again on every attempt. */
  async function recordOne(ctx: BoundContext, reading: OneReading): Promise<Reply> {
    return conflictAs(
      retryOnConflict(
        async () => {
          const entry = await findKpi(ctx, kit, reading.code, false);
          mayRecord(ctx, entry);
          const value = parseArgs(readingValue(entry), ctx, reading.value, WORDS);
          const period = readingPeriod(ctx, entry, reading.period);
          const other = fractionOf(entry, reading.value, value, period);
          if (other) throw new NeedsConfirmation(askWhichReading(entry, reading, period, other));
          const before = await kpis.getReading(ctx.partnership.id, entry.code, period);
          const shown = (v: number) => formatKpiValue(entry.unit, v);
          if (before && before.value === value && before.commentary === reading.commentary) {
            return done(
              `${entry.name} has ${shown(value)} for ${shortLabel(period)} already`,
              'It was recorded with the same commentary; nothing was changed.',
            );
          }
          const audit = auditOf(
            ctx,
            `kpi ${entry.code} ${period.label}`,
            before
              ? { value: figure(before.value, entry.unit), commentary: before.commentary, by: before.recordedBy }
              : null,
            { value: figure(value, entry.unit), commentary: reading.commentary, by: ctx.actor.name },
          );
          await kpis.recordReading(
            ctx.partnership.id,
            entry,
            period,
            {
              value,
              commentary: reading.commentary,
              recordedBy: ctx.actor.name,
              recordedById: ctx.actor.id,
              recordedAt: ctx.now.toISOString(),
            },
            audit,
            { before: before ?? null, deadline: ctx.deadline },
          );
          return recordedNotice(entry, value, period, before, reading);
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      WORDS,
    );
  }

  /** A row of a pasted table checked as `kpi record` checks one reading; a problem is a sentence naming the row. */
  function checkRow(ctx: BoundContext, all: readonly KpiEntry[], row: TableRow, given: FinancialPeriod | undefined) {
    const at = `row ${row.line} (${[row.kpi, row.value].filter(Boolean).join(' ')})`;
    return (async () => {
      const entry = await resolveByCodeOrName(row.kpi, all, {
        kind: 'KPI',
        listCommand: 'kpi',
        within: ctx.partnership.name,
      });
      mayRecord(ctx, entry);
      if (row.value === '') throw new UsageError(`no value: give one after the KPI, e.g. ${entry.code}\t72.5`);
      const value = parseArgs(readingValue(entry), ctx, row.value);
      const period = readingPeriod(ctx, entry, given);
      const other = fractionOf(entry, row.value, value, period);
      if (other)
        throw new UsageError(`${row.value}% or ${other}%? Write ${other}, or ${row.value}% to record ${row.value}%`);
      return { entry, value, period, commentary: row.commentary };
    })().catch((error: unknown) => {
      if (error instanceof NotFound)
        return `${at}: ${error.message}${error.suggestions.length > 0 ? ` Did you mean ${error.suggestions[0]}?` : ''}`;
      if (error instanceof UsageError) return `${at}: ${error.problems.join(' ')}`;
      if (error instanceof NotAuthorised)
        return `${at}: recording ${row.kpi} needs the role editor ${error.alternative ?? ''}`.trim();
      throw error;
    });
  }

  /** A pasted table: every row checked first, then every reading stored in one transaction, or none. */
  async function recordTable(ctx: BoundContext, rows: readonly string[], given: FinancialPeriod | undefined) {
    const table = tableRows(rows);
    if (table.length === 0) throw new UsageError('paste the rows under kpi record: a KPI and its value a line', WORDS);
    return conflictAs(
      retryOnConflict(
        async () => {
          const all = await kpis.list(ctx.partnership.id);
          const checked = await Promise.all(table.map((row) => checkRow(ctx, all, row, given)));
          const items = checked.filter((c) => typeof c !== 'string');
          const seen = new Map<string, number>();
          const problems = table.flatMap((row, i) => {
            const item = checked[i];
            if (typeof item === 'string') return [item];
            if (!item) return [];
            const key = `${item.entry.code} ${item.period.label}`;
            const first = seen.get(key);
            if (first === undefined) seen.set(key, row.line);
            return first === undefined
              ? []
              : [
                  `row ${row.line}: ${item.entry.code} for ${shortLabel(item.period)} is on row ${first} too: give it once`,
                ];
          });
          if (problems.length > 0) {
            throw new UsageError(
              [
                `Nothing was recorded: the table is stored whole or not at all. Correct these rows and paste it again.`,
                ...problems,
              ],
              WORDS,
            );
          }
          const befores = await Promise.all(
            items.map((i) => kpis.getReading(ctx.partnership.id, i.entry.code, i.period)),
          );
          const changes = items
            .map((item, i) => ({ ...item, before: befores[i] }))
            .filter((c) => !(c.before && c.before.value === c.value && c.before.commentary === c.commentary));
          if (changes.length === 0)
            return done(
              'Those readings are recorded already',
              'Every row has the same value and commentary as before; nothing was changed.',
            );
          const before: Record<string, AuditFields[string]> = {};
          const after: Record<string, AuditFields[string]> = {};
          for (const c of changes) {
            const field = `${c.entry.code} ${c.period.label}`;
            before[field] = c.before ? figure(c.before.value, c.entry.unit) : null;
            after[field] = figure(c.value, c.entry.unit);
          }
          await kpis.recordReadings(
            ctx.partnership.id,
            changes.map((c) => ({
              code: c.entry.code,
              period: c.period,
              reading: {
                value: c.value,
                commentary: c.commentary,
                recordedBy: ctx.actor.name,
                recordedById: ctx.actor.id,
                recordedAt: ctx.now.toISOString(),
              },
            })),
            auditOf(ctx, `kpi readings (${changes.length})`, before, after),
          );
          const facts = changes.map((c) => ({
            title: `${c.entry.name} (${c.entry.code})`,
            value: `${formatKpiValue(c.entry.unit, c.value)} for ${shortLabel(c.period)}: ${ragOf(c.entry, c.value, c.period)}${c.before ? ` (replaces ${formatKpiValue(c.entry.unit, c.before.value)})` : ''}`,
          }));
          const same = items.length - changes.length;
          return done(
            `${plural(changes.length, 'reading')} recorded`,
            `Every row was recorded together, with one entry in the audit.${same > 0 ? ` ${same} row${same === 1 ? ' was' : 's were'} recorded already and left as they were.` : ''}`,
            { facts },
          );
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      WORDS,
    );
  }

  async function record(ctx: CommandRequest<RecordRequest>): Promise<Reply> {
    const request = ctx.args;
    return request.kind === 'table' ? recordTable(ctx, request.rows, request.period) : recordOne(ctx, request);
  }

  /** A button of the "0.725% or 72.5%?" card: the reading chosen, checked as if it had been typed. */
  async function recordChosen(ctx: CommandRequest<z.infer<typeof chosenReading>>): Promise<Reply> {
    const { code, value, period, commentary } = ctx.args;
    return recordOne(ctx, { code, value, period, commentary });
  }

  return { record, recordChosen };
}

/** What a button of the "0.725% or 72.5%?" card sends. */
export const chosenReading = z.object({
  code: z.string().max(80),
  value: z.string().max(60),
  // The period the card asked about: a button that names none the bot can read records nothing.
  period: z
    .string()
    .max(20)
    .transform((text, ctx) => {
      const period = parsePeriod(text);
      if (period) return period;
      ctx.addIssue({ code: 'custom', message: `period=${text} is not a period this card asked about` });
      return z.NEVER;
    }),
  commentary: z.string().max(1000).default(''),
});

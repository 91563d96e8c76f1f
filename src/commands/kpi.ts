import { z } from 'zod';
import type { KpiFormData } from '../cards/catalogue.js';
import {
  latestRecordablePeriod,
  ragOf,
  SHARED,
  type KpiDefinition,
  type KpiReading,
} from '../domain/kpi-assessment.js';
import { formatKpiValue, formatTolerance, isValidKpiCode, parseKpiValue } from '../domain/kpi.js';
import { lastCompletePeriod, parsePeriod, shortLabel, type FinancialPeriod } from '../domain/periods.js';
import { ConflictError } from '../storage/errors.js';
import type { StoredKpi } from '../storage/kpis.js';
import * as arg from './args.js';
import { auditOf } from './audit-trail.js';
import { NotAuthorised, NotFound, UsageError } from './errors.js';
import {
  newDefinition,
  ownerOf,
  readCouncil,
  readFrequency,
  readName,
  readPolarity,
  readTarget,
  readTolerance,
  readUnit,
  UNITS,
  type KpiFields,
} from './kpi-fields.js';
import { assessAll, detailReply, STATUS_FILTERS, summaryReply, targetText, type StatusFilter } from './kpi-views.js';
import { closestWords } from './parse.js';
import type { Services } from './services.js';
import { notice } from './replies.js';
import { cardReply, command, verb, type BoundContext, type CommandFamily, type Reply } from './types.js';

/** A text option; a mention or an over-long value is refused with its name and the right form. */
function optionalText(key: string, max = 60) {
  return z
    .string({ error: `${key}= takes text, not a person: @mentions go in owner= only` })
    .max(max, `${key}= is too long: keep it under ${max} characters`)
    .optional();
}

/** A KPI's fields as typed, the same for `kpi add` options and the add form's inputs. */
const kpiFieldArgs = {
  name: optionalText('name', 80),
  target: optionalText('target'),
  unit: optionalText('unit'),
  polarity: optionalText('polarity'),
  code: optionalText('code'),
  tolerance: optionalText('tolerance'),
  frequency: optionalText('frequency'),
  council: optionalText('council'),
  description: optionalText('description', 500),
};
const ATTEMPTS = 3;

function statusFilter(query: string): StatusFilter | undefined {
  const word = query.toLowerCase().replace(/[\s-]+/g, '');
  return word in STATUS_FILTERS ? (word as StatusFilter) : undefined;
}

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

export function kpiFamily(services: Services): CommandFamily {
  const { kpis } = services;

  /** One KPI by its code (a point read) or its exact name (one query of the partnership's KPIs). */
  async function lookup(
    ctx: BoundContext,
    query: string,
  ): Promise<{ exact?: StoredKpi; removed?: StoredKpi; all: StoredKpi[] }> {
    const code = query.trim().toUpperCase();
    const byCode = isValidKpiCode(code) ? await kpis.get(ctx.partnership.id, code) : undefined;
    if (byCode && !byCode.removed) return { exact: byCode, all: [] };
    const all = await kpis.list(ctx.partnership.id);
    const q = query.trim().toLowerCase();
    const exact = all.find((k) => k.definition.name.toLowerCase() === q);
    return { ...(exact ? { exact } : {}), ...(byCode?.removed ? { removed: byCode } : {}), all };
  }

  const containing = (all: readonly StoredKpi[], query: string) =>
    all.filter((k) => k.definition.name.toLowerCase().includes(query.trim().toLowerCase()));

  /** For reading: a code, a name, or a unique part of a name; otherwise the closest matches. */
  async function find(ctx: BoundContext, query: string): Promise<StoredKpi> {
    const { exact, all } = await lookup(ctx, query);
    if (exact) return exact;
    const partly = containing(all, query);
    if (partly.length === 1) return partly[0]!;
    throw notFound(ctx, query, all, partly);
  }

  /** For changes: only an exact code or an exact name, so a typo can never change another KPI. */
  async function findToChange(ctx: BoundContext, query: string): Promise<StoredKpi> {
    const { exact, removed, all } = await lookup(ctx, query);
    if (exact) return exact;
    if (removed?.removed) {
      throw new NotFound(
        `${removed.definition.name} (${removed.definition.code}) was removed by ${removed.removed.by} on ${removed.removed.at.slice(0, 10)}.`,
        [],
        'Its history stays in the audit; add a new KPI to measure it again.',
      );
    }
    throw notFound(ctx, query, all, containing(all, query));
  }

  function notFound(
    ctx: BoundContext,
    query: string,
    all: readonly StoredKpi[],
    partly: readonly StoredKpi[],
  ): NotFound {
    const q = query.trim().toLowerCase();
    const names = new Map(all.map((k) => [k.definition.name.toLowerCase(), k.definition]));
    const close = new Set([
      ...partly.map((k) => k.definition),
      ...closestWords(q, [...names.keys()]).map((n) => names.get(n)!),
      ...closestWords(
        q,
        all.map((k) => k.definition.code.toLowerCase()),
      ).map((c) => all.find((k) => k.definition.code.toLowerCase() === c)!.definition),
    ]);
    const firstWord = q.split(' ')[0] ?? '';
    const subcommands = closestWords(firstWord, ['add', 'record', 'edit', 'remove']).map((w) => `kpi ${w}`);
    const suggestions = [...subcommands, ...[...close].slice(0, 3).map((k) => `kpi ${k.code} (${k.name})`)];
    return new NotFound(
      `There is no KPI "${query}" in ${ctx.partnership.name}.`,
      suggestions,
      'Type kpi to list every KPI with its code.',
    );
  }

  /** Editors for every council may change any KPI; an editor for one council, that council's KPIs. */
  function mayEdit(ctx: BoundContext, council: string): boolean {
    return (
      ctx.access.holds('editor', council === SHARED ? undefined : council) &&
      (council !== SHARED || ctx.access.holds('editor', SHARED))
    );
  }

  async function takenCodes(ctx: BoundContext): Promise<Set<string>> {
    return new Set((await kpis.list(ctx.partnership.id, { includeRemoved: true })).map((k) => k.definition.code));
  }

  async function add(
    ctx: BoundContext,
    fields: KpiFields,
  ): Promise<{ ok: true; kpi: KpiDefinition } | { ok: false; problems: string[] }> {
    for (let attempt = 1; ; attempt++) {
      const built = newDefinition(fields, ctx.partnership, await takenCodes(ctx), {
        createdAt: ctx.now.toISOString(),
        createdBy: ctx.actor.name,
      });
      if (!built.ok) return { ok: false, problems: built.problems ?? [built.problem] };
      if (!mayEdit(ctx, built.value.council)) {
        throw new NotAuthorised(
          'editor',
          `add a KPI for ${built.value.council === SHARED ? 'every council' : built.value.council}`,
          '(an editor for one council adds KPIs of that council only)',
        );
      }
      try {
        await kpis.add(
          ctx.partnership.id,
          built.value,
          auditOf(ctx, `kpi ${built.value.code}`, null, snapshot(built.value)),
        );
        return { ok: true, kpi: built.value };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // A code chosen by the officer stays theirs to change; a derived one is derived again.
        if (fields.code?.trim() || attempt >= ATTEMPTS)
          return { ok: false, problems: [`code ${built.value.code} was taken a moment ago: choose another code`] };
      }
    }
  }

  function added(kpi: KpiDefinition): Reply {
    return notice(
      'good',
      `KPI added: ${kpi.name} (${kpi.code})`,
      `Record its first reading with: kpi record ${kpi.code} <value>`,
      {
        facts: [
          { title: 'Target', value: `${targetText(kpi)} (${kpi.polarity} is better)` },
          { title: 'Tolerance', value: formatTolerance(kpi.tolerance, kpi.unit) },
          { title: 'Frequency', value: kpi.frequency },
          { title: 'Owner', value: kpi.owner?.name ?? 'not set' },
          { title: 'Council', value: kpi.council === SHARED ? 'shared' : kpi.council },
        ],
      },
    );
  }

  function recorded(
    kpi: KpiDefinition,
    value: number,
    period: FinancialPeriod,
    before: KpiReading | undefined,
    commentary: string,
  ): Reply {
    const shown = (v: number) => formatKpiValue(kpi.unit, v);
    const rag = ragOf(kpi, value);
    const tone = rag === 'Green' ? 'good' : rag === 'Amber' ? 'warning' : 'attention';
    return notice(
      tone,
      `${kpi.name}: ${shown(value)} for ${shortLabel(period)} is ${rag}`,
      before
        ? `Replaced ${shown(before.value)} recorded by ${before.recordedBy}; the old value is kept in the audit.`
        : `Recorded for ${kpi.code}.`,
      {
        facts: [
          { title: 'Target', value: targetText(kpi) },
          { title: 'Status', value: rag },
          ...(commentary ? [{ title: 'Commentary', value: commentary }] : []),
        ],
      },
    );
  }

  function form(ctx: BoundContext, values: Record<string, string>, errors: string[]): Reply {
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
    return cardReply('kpi-form', data, text);
  }

  /** The period a reading is for: given, or the last complete one; at most the period in progress. */
  function readingPeriod(kpi: KpiDefinition, raw: string | undefined, now: Date): FinancialPeriod {
    const latestAllowed = latestRecordablePeriod(kpi, now);
    if (raw === undefined) return lastCompletePeriod(kpi.frequency, now);
    const example = { monthly: '2026-10', quarterly: '2026/27 Q2', annual: '2026/27' }[kpi.frequency];
    const period = parsePeriod(raw);
    if (!period)
      throw new UsageError(
        `period=${raw} is not a period: write a month as period=2026-10, a quarter as period="2026/27 Q2", a year as period=2026/27.`,
        ['kpi', 'record'],
      );
    if (period.frequency !== kpi.frequency)
      throw new UsageError(
        `${kpi.code} is recorded ${kpi.frequency}: give a ${kpi.frequency.replace('ly', '').replace('annual', 'year')} such as period=${example.includes(' ') ? `"${example}"` : example}.`,
        ['kpi', 'record'],
      );
    if (period.sortKey > latestAllowed.sortKey)
      throw new UsageError(
        `period=${raw} is in the future: the latest period you can record is ${shortLabel(latestAllowed)} (period=${latestAllowed.label}).`,
        ['kpi', 'record'],
      );
    return period;
  }

  return {
    word: 'kpi',
    area: 'Performance',
    summary: 'Key performance indicators against target, with RAG and trends',
    commands: [
      command({
        words: ['kpi'],
        help: {
          summary: 'KPIs with RAG, Red first; filter by RAG or council; or one KPI in detail',
          usage: 'kpi [red|amber|green|nodata] [council=<CODE>] | kpi <code or name>',
          examples: ['kpi', 'kpi red', 'kpi council=CEC', 'kpi FTF', 'kpi "Major incidents"'],
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'query', optional: true, rest: true }],
        args: z.strictObject({
          query: z
            .string({ error: 'give a KPI by its code or name, not a person: e.g. kpi FTF' })
            .max(200, 'that is too long for a KPI code or name')
            .optional(),
          council: optionalText('council'),
        }),
        async run(ctx) {
          const { query } = ctx.args;
          const filter = query === undefined ? undefined : statusFilter(query);
          if (query !== undefined && !filter) {
            if (ctx.args.council)
              throw new UsageError('council= filters the list: type kpi council=CEC, or kpi <code> for one KPI.', [
                'kpi',
              ]);
            const kpi = await find(ctx, query);
            return detailReply(kpi, await kpis.readings(ctx.partnership.id, kpi.definition.code), ctx.now);
          }
          let council: string | undefined;
          if (ctx.args.council) {
            const read = readCouncil(ctx.partnership, ctx.args.council);
            if (!read.ok) throw new UsageError(read.problem, ['kpi']);
            council = read.value;
          }
          const all = assessAll(await kpis.list(ctx.partnership.id), ctx.now);
          return summaryReply(ctx.partnership, all, {
            ...(filter ? { filter } : {}),
            ...(council ? { council } : {}),
            offset: 0,
            now: ctx.now,
          });
        },
      }),
      command({
        words: ['kpi', 'add'],
        help: {
          summary: 'Add a KPI (editor); kpi add alone opens a form',
          usage:
            'kpi add "<name>" target=<n> unit=<unit> polarity=<higher|lower> [code=<CODE>] [tolerance=<n|n%>] [frequency=monthly|quarterly|annual] [owner=@person] [council=<CODE|shared>] [description="…"]',
          examples: [
            'kpi add "First time fix" target=80 unit=% polarity=higher code=FTF',
            'kpi add "Major incidents" target=2 unit=count polarity=lower tolerance=1 owner=@Sam',
          ],
          details: `Units: ${UNITS.join(', ')}. Tolerance is the Amber band: a percentage of the target (default 5%) or an amount in the KPI's unit.`,
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'name', optional: true, rest: true }],
        args: z.strictObject({ ...kpiFieldArgs, owner: arg.user('owner=').optional() }),
        async run(ctx) {
          if (Object.values(ctx.args).every((v) => v === undefined)) return form(ctx, {}, []);
          const result = await add(ctx, ctx.args);
          if (!result.ok) throw new UsageError(result.problems.join(' Also: '), ['kpi', 'add']);
          return added(result.kpi);
        },
      }),
      command({
        words: ['kpi', 'record'],
        help: {
          summary: "Record a KPI's value for a period (editor, or the KPI's owner)",
          usage: 'kpi record <code> <value> [period=<period>] ["commentary"]',
          examples: [
            'kpi record FTF 72.5',
            'kpi record FTF 72.5 period=2026-10 "after the portal change"',
            'kpi record MI 1 period=2026-10',
          ],
          details:
            'The period is a month (2026-10), a quarter ("2026/27 Q2") or a year (2026/27), as the KPI is measured; it defaults to the last complete one. Recording a period again replaces its value; the old one stays in the audit.',
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'code' }, { name: 'value' }, { name: 'commentary', optional: true, rest: true }],
        args: z.strictObject({
          code: arg.text('the KPI code', 'kpi record FTF 72.5'),
          value: arg.text('the value', 'kpi record FTF 72.5'),
          commentary: z.string().max(1000, 'the commentary is too long: keep it under 1,000 characters').optional(),
          period: optionalText('period'),
        }),
        async run(ctx) {
          // Checked again on every attempt: another officer may have changed the KPI meanwhile.
          for (let attempt = 1; ; attempt++) {
            const stored = await findToChange(ctx, ctx.args.code);
            const kpi = stored.definition;
            if (!mayEdit(ctx, kpi.council) && kpi.owner?.id !== ctx.actor.id) {
              throw new NotAuthorised(
                'editor',
                `record ${kpi.code}`,
                `for ${kpi.council === SHARED ? 'every council' : kpi.council}, or being the KPI's owner (${kpi.owner?.name ?? 'no owner set'})`,
              );
            }
            const value = parseKpiValue(kpi.unit, ctx.args.value);
            if (!value.ok) throw new UsageError(`${kpi.code} (${kpi.unit}): ${value.problem}.`, ['kpi', 'record']);
            const period = readingPeriod(kpi, ctx.args.period, ctx.now);
            const before = await kpis.getReading(ctx.partnership.id, kpi.code, period.sortKey);
            const reading = {
              period: period.label,
              value: value.value,
              commentary: ctx.args.commentary ?? '',
              recordedBy: ctx.actor.name,
              recordedById: ctx.actor.id,
              recordedAt: ctx.now.toISOString(),
            };
            const shown = (v: number) => formatKpiValue(kpi.unit, v);
            const audit = auditOf(
              ctx,
              `kpi ${kpi.code} ${period.label}`,
              before ? { value: shown(before.value), commentary: before.commentary, by: before.recordedBy } : null,
              { value: shown(reading.value), commentary: reading.commentary },
            );
            try {
              await kpis.recordReading(
                ctx.partnership.id,
                stored,
                reading,
                period.sortKey,
                (label) => parsePeriod(label)?.sortKey ?? label,
                audit,
              );
            } catch (error) {
              if (error instanceof ConflictError && attempt < ATTEMPTS) continue;
              throw error;
            }
            return recorded(kpi, value.value, period, before, reading.commentary);
          }
        },
      }),
      command({
        words: ['kpi', 'edit'],
        help: {
          summary: "Change a KPI's definition (editor)",
          usage:
            'kpi edit <code> [name="…"] [target=<n>] [tolerance=<n|n%>] [polarity=higher|lower] [owner=@person] [council=<CODE|shared>] [description="…"] [unit=…] [frequency=…]',
          examples: ['kpi edit FTF target=85', 'kpi edit MI owner=@Sam tolerance=1'],
          details: 'Unit and frequency can change only while the KPI has no readings.',
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'code' }],
        args: z.strictObject({
          ...kpiFieldArgs,
          code: arg.text('the KPI code', 'kpi edit FTF target=85'),
          owner: arg.user('owner=').optional(),
        }),
        async run(ctx) {
          const { code, ...changes } = ctx.args;
          if (Object.values(changes).every((v) => v === undefined))
            throw new UsageError('Say what to change, e.g. kpi edit FTF target=85.', ['kpi', 'edit']);
          const stored = await findToChange(ctx, code);
          const kpi = stored.definition;
          const problems: string[] = [];
          const take = <T>(r: { ok: true; value: T } | { ok: false; problem: string }): T | undefined =>
            r.ok ? r.value : (problems.push(r.problem), undefined);
          const unit = changes.unit !== undefined ? (take(readUnit(changes.unit)) ?? kpi.unit) : kpi.unit;
          const frequency =
            changes.frequency !== undefined ? (take(readFrequency(changes.frequency)) ?? kpi.frequency) : kpi.frequency;
          if ((unit !== kpi.unit || frequency !== kpi.frequency) && stored.recent.length > 0) {
            problems.push(`${kpi.code} has readings, so its unit and frequency cannot change: add a new KPI instead`);
          }
          const target =
            changes.target !== undefined
              ? take(readTarget(unit, changes.target))
              : unit === kpi.unit
                ? kpi.target
                : undefined;
          if (target === undefined && changes.target === undefined)
            problems.push(`the unit changes, so give the target in ${unit} too: e.g. target=80`);
          if (unit !== kpi.unit && kpi.tolerance.kind === 'absolute' && changes.tolerance === undefined)
            problems.push(
              `the unit changes, so give the tolerance in ${unit} too (or as a percentage): e.g. tolerance=5%`,
            );
          const next: KpiDefinition = {
            ...kpi,
            name: changes.name !== undefined ? (take(readName(changes.name)) ?? kpi.name) : kpi.name,
            description: changes.description?.trim() ?? kpi.description,
            unit,
            frequency,
            target: target ?? kpi.target,
            polarity:
              changes.polarity !== undefined ? (take(readPolarity(changes.polarity)) ?? kpi.polarity) : kpi.polarity,
            tolerance:
              changes.tolerance !== undefined
                ? (take(readTolerance(changes.tolerance, unit)) ?? kpi.tolerance)
                : kpi.tolerance,
            owner: changes.owner ? ownerOf(changes.owner) : kpi.owner,
            council:
              changes.council !== undefined
                ? (take(readCouncil(ctx.partnership, changes.council)) ?? kpi.council)
                : kpi.council,
          };
          if (problems.length > 0) throw new UsageError(problems.join(' Also: '), ['kpi', 'edit']);
          for (const council of new Set([kpi.council, next.council])) {
            if (!mayEdit(ctx, council))
              throw new NotAuthorised(
                'editor',
                `change KPIs of ${council === SHARED ? 'every council' : council}`,
                '(an editor for one council changes KPIs of that council only)',
              );
          }
          try {
            await kpis.update(
              ctx.partnership.id,
              stored,
              next,
              auditOf(ctx, `kpi ${kpi.code}`, snapshot(kpi), snapshot(next)),
            );
          } catch (error) {
            if (error instanceof ConflictError)
              throw new UsageError(
                `${kpi.code} was changed by someone else a moment ago; nothing was changed. Check it with kpi ${kpi.code} and try again.`,
                ['kpi', 'edit'],
              );
            throw error;
          }
          return notice(
            'good',
            `${next.name} (${next.code}) updated`,
            `Target ${targetText(next)}, ${next.polarity} is better.`,
          );
        },
      }),
      command({
        words: ['kpi', 'remove'],
        help: {
          summary: 'Remove a KPI (admin); its history stays in the audit',
          usage: 'kpi remove <code>',
          examples: ['kpi remove FTF'],
        },
        role: 'admin',
        bound: true,
        positional: [{ name: 'code' }],
        args: z.strictObject({ code: arg.text('the KPI code', 'kpi remove FTF') }),
        async run(ctx) {
          const stored = await findToChange(ctx, ctx.args.code);
          const audit = auditOf(ctx, `kpi ${stored.definition.code}`, snapshot(stored.definition), null);
          try {
            await kpis.remove(ctx.partnership.id, stored, { at: ctx.now.toISOString(), by: ctx.actor.name }, audit);
          } catch (error) {
            if (error instanceof ConflictError)
              throw new UsageError(
                `${stored.definition.code} was changed by someone else a moment ago; nothing was removed. Try again.`,
                ['kpi', 'remove'],
              );
            throw error;
          }
          return notice(
            'good',
            `${stored.definition.name} (${stored.definition.code}) removed`,
            'It no longer shows in kpi; its readings and history stay in the audit.',
          );
        },
      }),
    ],
    verbs: [
      verb({
        verb: 'kpi.add',
        role: 'editor',
        bound: true,
        data: z.object(kpiFieldArgs),
        async run(ctx) {
          const values = Object.fromEntries(
            Object.entries(ctx.args).filter((e): e is [string, string] => typeof e[1] === 'string'),
          );
          const result = await add(ctx, values);
          return result.ok ? added(result.kpi) : form(ctx, values, result.problems);
        },
      }),
      verb({
        verb: 'kpi.page',
        role: 'viewer',
        bound: true,
        data: z.object({
          offset: z.coerce.number().int().min(0).max(100_000),
          filter: z.enum(['', ...(Object.keys(STATUS_FILTERS) as StatusFilter[])]).default(''),
          council: z.string().max(10).default(''),
        }),
        async run(ctx) {
          const all = assessAll(await kpis.list(ctx.partnership.id), ctx.now);
          const { offset, filter, council } = ctx.args;
          return summaryReply(ctx.partnership, all, {
            ...(filter ? { filter } : {}),
            ...(council ? { council } : {}),
            offset,
            now: ctx.now,
          });
        },
      }),
    ],
  };
}

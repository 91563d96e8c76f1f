import { z } from 'zod';
import { KPI_UNITS } from '../../domain/kpi.js';
import { KpiRepository } from '../../storage/kpis.js';
import * as field from '../kit/fields.js';
import type { Services } from '../services.js';
import { command, verb, type CommandFamily } from '../types.js';
import { formInputs, kpiChanges } from './change.js';
import { seedKpiDemo } from './demo.js';
import { kpiDigest } from './digest.js';
import { kpiChangeArgs, newKpiArgs } from './fields.js';
import { kpiReading } from './read.js';
import { chosenReading, kpiRecording } from './record.js';
import { recordArgs } from './record-fields.js';
import { STATUS_FILTERS, type StatusFilter } from './views.js';

const SUBCOMMANDS = ['add', 'record', 'edit', 'remove'] as const;
/** Words the kpi command reads itself (its sub-commands and RAG filters): no KPI may take one as its code. */
const RESERVED: ReadonlySet<string> = new Set(
  [...SUBCOMMANDS, ...Object.keys(STATUS_FILTERS)].map((w) => w.toUpperCase()),
);

/** The KPI family: the list and detail views, and add, record, edit and remove. */
export function kpiFamily(services: Services): CommandFamily {
  const kpis = new KpiRepository(services.tables);
  const kit = { kpis, subcommands: SUBCOMMANDS, reserved: RESERVED };
  const reading = kpiReading(kit);
  const changes = kpiChanges(kit);
  const recording = kpiRecording(kit);

  return {
    words: ['kpi'],
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
        args: ({ partnership }) =>
          z.strictObject({
            query: z
              .string({ error: 'give a KPI by its code or name, not a person: e.g. kpi FTF' })
              .max(200, 'that is too long for a KPI code or name')
              .optional(),
            council: field
              .option('council')
              .pipe(field.council(partnership, { shared: true }))
              .optional(),
          }),
        run: reading.kpiCommand,
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
          details: `Units: ${KPI_UNITS.values.join(', ')}. Tolerance is the Amber band: a percentage of the target (default 5%) or an amount in the KPI's unit.`,
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'name', optional: true, rest: true }],
        args: ({ partnership, now }) => newKpiArgs(partnership, RESERVED, now),
        whenEmpty: changes.addForm,
        run: changes.addCommand,
      }),
      command({
        words: ['kpi', 'record'],
        help: {
          summary: "Record a KPI's value for a period (editor, or the KPI's owner); or paste a table under kpi record",
          usage: 'kpi record <code> <value> [period=<period>] ["commentary"]',
          examples: [
            'kpi record FTF 72.5',
            'kpi record FTF 72.5 period=2026-10 "after the portal change"',
            'kpi record MI 1 period=2026-10',
          ],
          details:
            'The period is a month (2026-10, Oct 2026, September), a quarter ("2026/27 Q2") or a year (2026/27), as the KPI is measured; it defaults to the last complete one. Recording a period again replaces its value; the old one stays in the audit. To record several KPIs, type kpi record alone and paste a table under it (a KPI and its value a row, as copied from Excel): every row is stored, or none.',
        },
        role: 'viewer',
        readsRoles: true,
        bound: true,
        takesRows: true,
        positional: [{ name: 'code' }, { name: 'value' }, { name: 'commentary', optional: true, rest: true }],
        args: recordArgs,
        run: recording.record,
      }),
      command({
        words: ['kpi', 'edit'],
        help: {
          summary: "Change a KPI's definition (editor); targets are set per financial year",
          usage:
            'kpi edit <code> [name="…"] [target=<n>] [tolerance=<n|n%>] [year=<2026/27>] [polarity=higher|lower] [owner=@person] [council=<CODE|shared>] [description="…"] [unit=…] [frequency=…]',
          examples: [
            'kpi edit FTF target=85',
            'kpi edit FTF target=85 year=2026/27',
            'kpi edit MI owner=@Sam tolerance=1',
          ],
          details:
            "A target and tolerance are set for a financial year (this year unless year= is given) and carried forward to the next years until changed; each reading is rated against its own year's target, so past RAG stays as the committee saw it. Unit and frequency can change only while the KPI has no readings.",
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'code' }],
        args: ({ partnership, now }) =>
          kpiChangeArgs(partnership, RESERVED, now).extend({
            code: field.text('the KPI code', 'kpi edit FTF target=85'),
          }),
        run: changes.edit,
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
        args: z.strictObject({ code: field.text('the KPI code', 'kpi remove FTF') }),
        run: changes.remove,
      }),
    ],
    verbs: [
      verb({ verb: 'kpi.add', role: 'editor', bound: true, data: formInputs, run: changes.addFromForm }),
      verb({
        verb: 'kpi.record',
        role: 'viewer',
        readsRoles: true,
        bound: true,
        data: chosenReading,
        run: recording.recordChosen,
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
        run: reading.page,
      }),
    ],
    seedDemo: (demo) => seedKpiDemo(kpis, demo),
    ...kpiDigest(kpis),
  };
}

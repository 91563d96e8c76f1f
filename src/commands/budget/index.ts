import { z } from 'zod';
import { BudgetRepository } from '../../storage/budget.js';
import { ProgrammeRepository } from '../../storage/programmes.js';
import { SHARED } from '../../domain/partnership.js';
import * as field from '../kit/fields.js';
import type { Services } from '../services.js';
import { command, verb, type ArgScope, type CommandFamily } from '../types.js';
import { budgetChanges } from './change.js';
import { seedBudgetDemo } from './demo.js';
import * as budgetField from './fields.js';
import { programmeCommands } from './programme.js';
import { budgetDigest, budgetReading } from './read.js';

const YEAR = '[year=<YYYY/YY>]';
const FORECAST_DETAILS =
  "A line's forecast outturn is its officer forecast when it has one, otherwise its actuals to date plus the months left at the run rate of the months to date. The variance is adverse when it is an overspend or an income shortfall. year= defaults to the current financial year, or to the latest year with lines when the current one has none.";

const forecastArgs = ({ partnership }: ArgScope) =>
  z.strictObject({
    year: field.financialYear().optional(),
    council: field.option('council').pipe(field.council(partnership)).optional(),
  });

const newLineArgs = (scope: ArgScope) =>
  z
    .strictObject({
      code: budgetField.code('the line code', 'STAFF'),
      name: field
        .text('the line name', '"ICT staffing"', 80)
        .refine((s) => s.length >= 2, 'the line name needs 2 to 80 characters, e.g. "ICT staffing"')
        // The name is the rest of the line, so a mention there arrives as its text: `@Priya Shah`.
        .refine((s) => !s.startsWith('@'), 'the line name must be text, not a person: e.g. "ICT staffing"'),
      category: budgetField.category(),
      budget: field
        .option('budget', 60, 'budget= is missing: e.g. budget=£16.8m')
        .pipe(field.money('budget=', 'budget=£16.8m')),
      council: budgetField.lineCouncil(scope.partnership).optional(),
      year: budgetField.changeYear(scope),
    })
    .transform((a) => ({
      code: a.code,
      name: a.name,
      category: a.category,
      council: a.council ?? SHARED,
      fyStart: a.year,
      originalBudget: a.budget,
    }));

/** The budget family: the forecast card, lines, actuals, officer forecasts, virements, thresholds; and programmes. */
export function budgetFamily(services: Services): CommandFamily {
  const budget = new BudgetRepository(services.tables);
  const programmes = new ProgrammeRepository(services.tables);
  const kit = { budget, logger: services.logger };
  const reading = budgetReading(kit);
  const changes = budgetChanges(kit);
  const programme = programmeCommands(programmes);
  const forecastHelp = (words: string, examples: string[]) => ({
    summary: 'The forecast outturn: net variance with RAG and direction, top drivers, councils, categories',
    usage: `${words} ${YEAR} [council=<CODE>]`,
    examples,
    details: FORECAST_DETAILS,
  });

  return {
    words: ['budget', 'programme'],
    area: 'Budget and programmes',
    summary: 'Budget monitoring: forecast outturn, variance and RAG, council shares; programme payback',
    commands: [
      command({
        words: ['budget'],
        help: forecastHelp('budget', ['budget', 'budget council=CEC']),
        role: 'viewer',
        bound: true,
        positional: [],
        args: forecastArgs,
        run: reading.forecast,
      }),
      command({
        words: ['budget', 'forecast'],
        help: forecastHelp('budget forecast', ['budget forecast', 'budget forecast year=2023/24 council=CWAC']),
        role: 'viewer',
        bound: true,
        positional: [],
        args: forecastArgs,
        run: reading.forecast,
      }),
      command({
        words: ['budget', 'lines'],
        help: {
          summary: 'Every budget line with its budget, forecast and variance',
          usage: `budget lines [category=<${budgetField.CATEGORIES.values.join('|')}>] [council=<CODE>] ${YEAR}`,
          examples: ['budget lines', 'budget lines category=income', 'budget lines council=CWAC year=2023/24'],
        },
        role: 'viewer',
        bound: true,
        positional: [],
        args: ({ partnership }) =>
          z.strictObject({
            category: budgetField.category().optional(),
            council: field.option('council').pipe(field.council(partnership)).optional(),
            year: field.financialYear().optional(),
          }),
        run: reading.lines,
      }),
      command({
        words: ['budget', 'line'],
        help: {
          summary: 'One budget line in exact pounds: its months, officer forecasts and virements',
          usage: `budget line <code> ${YEAR}`,
          examples: ['budget line STAFF', 'budget line PROJINC year=2023/24'],
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'code', rest: true }],
        args: z.strictObject({
          code: budgetField.lineRef('the line code', 'budget line STAFF'),
          year: field.financialYear().optional(),
        }),
        run: reading.line,
      }),
      command({
        words: ['budget', 'add'],
        help: {
          summary: 'Add a budget line for a year (editor)',
          usage: `budget add <code> "<name>" category=<category> budget=<£amount> [council=<CODE|shared>] ${YEAR}`,
          examples: [
            'budget add STAFF "ICT staffing" category=staffing budget=£16.8m',
            'budget add SCHINC "Income from schools" category=income budget=£1.45m council=shared year=2026/27',
          ],
          details: `Categories: ${budgetField.CATEGORIES.listed}. An income line's budget is the income expected: less income than budgeted is adverse. A line is shared by the councils' cost shares unless council= names one council.`,
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'code' }, { name: 'name', rest: true }],
        args: newLineArgs,
        run: changes.add,
      }),
      command({
        words: ['budget', 'actual'],
        help: {
          summary: "Record a month's actual for a line, or paste a block of them (editor)",
          usage: `budget actual <code> <P1…P12> <£amount> ${YEAR}`,
          examples: ['budget actual STAFF P7 £1,315,000', 'budget actual LICS P7 (£12,500) year=2026/27'],
          details: `P1 is April and P12 March. Entering a month again replaces its figure; the old one stays in the audit. To record several, paste rows after budget actual, one a line: code, month and amount separated by tabs, commas or spaces (up to ${budgetField.MAX_ACTUAL_ROWS} rows). All the rows are recorded, or none when any has a problem.`,
        },
        role: 'editor',
        bound: true,
        takesRows: true,
        positional: [{ name: 'row', optional: true, rest: true }],
        args: (scope) =>
          z.strictObject({
            row: z.string().optional(),
            rows: field
              .rows('budget actual\nSTAFF\tP7\t£1,315,000\nNETDC\tP7\t£402,000', budgetField.MAX_ACTUAL_ROWS)
              .optional(),
            year: budgetField.changeYear(scope),
          }),
        run: changes.actual,
      }),
      command({
        words: ['budget', 'forecast', 'set'],
        help: {
          summary: "Set an officer's forecast outturn for a line, with the reason (editor)",
          usage: `budget forecast set <code> <£amount> "<reason>" ${YEAR}`,
          examples: ['budget forecast set LICS £7,612,000 "Renewals priced up with inflation"'],
          details: 'The latest officer forecast counts instead of the run rate; earlier ones stay in the line history.',
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'code' }, { name: 'amount' }, { name: 'reason', rest: true }],
        args: (scope) =>
          z.strictObject({
            code: budgetField.lineRef('the line code', 'budget forecast set LICS £7.6m "Renewals priced up"'),
            amount: field.money('the forecast', '£7.6m'),
            reason: budgetField.reason('"Renewals priced up with inflation"'),
            year: budgetField.changeYear(scope),
          }),
        run: changes.setForecast,
      }),
      command({
        words: ['budget', 'forecast', 'clear'],
        help: {
          summary: "Clear a line's officer forecast, so that its run rate counts again (editor)",
          usage: `budget forecast clear <code> ${YEAR}`,
          examples: ['budget forecast clear LICS'],
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'code' }],
        args: (scope) =>
          z.strictObject({
            code: budgetField.lineRef('the line code', 'budget forecast clear LICS'),
            year: budgetField.changeYear(scope),
          }),
        run: changes.clearForecast,
      }),
      command({
        words: ['budget', 'vire'],
        help: {
          summary: 'Move budget from one line to another, with the reason (admin)',
          usage: `budget vire <from code> <to code> <£amount> "<reason>" ${YEAR}`,
          examples: ['budget vire NETDC STAFF £300k "Pay offer funded from the network budget"'],
          details:
            'A virement moves budget between two lines of expenditure or two of income, at most what the line holds. Each line keeps its original budget beside the revised one.',
        },
        role: 'admin',
        bound: true,
        positional: [{ name: 'from' }, { name: 'to' }, { name: 'amount' }, { name: 'reason', rest: true }],
        args: (scope) =>
          z.strictObject({
            from: budgetField.lineRef('the line to move budget from', 'NETDC'),
            to: budgetField.lineRef('the line to move budget to', 'STAFF'),
            amount: field.money('the amount', '£300k'),
            reason: budgetField.reason('"Pay offer funded from the network budget"'),
            year: budgetField.changeYear(scope),
          }),
        run: changes.vire,
      }),
      command({
        words: ['budget', 'thresholds'],
        help: {
          summary: 'Set when the net variance is Amber and Red: a % of budget, an amount, or both (admin)',
          usage: 'budget thresholds amber=<n%,£amount> red=<n%,£amount>',
          examples: ['budget thresholds amber=1%,£50k red=5%,£100k', 'budget thresholds'],
          details:
            'Each threshold is reached at whichever of its parts comes first; Amber must start at or below Red. The council rule is Amber from 1% or £50k, Red from 5% or £100k.',
        },
        role: 'admin',
        bound: true,
        positional: [{ name: 'more', optional: true, rest: true }],
        args: budgetField.thresholdArgs(),
        whenEmpty: changes.showThresholds,
        run: changes.setThresholds,
      }),
      command({
        words: ['programme'],
        help: {
          summary: 'Programmes with budget, spend, benefits and payback; or one programme',
          usage: 'programme [name]',
          examples: ['programme', 'programme Gemini'],
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'name', optional: true, rest: true }],
        args: z.strictObject({ name: z.string().max(80, 'that is too long for a programme name').optional() }),
        run: programme.programmeCommand,
      }),
      command({
        words: ['programme', 'show'],
        help: {
          summary: "A programme's budget, spend, benefits and payback year, year by year",
          usage: 'programme show "<name>"',
          examples: ['programme show "Gemini"'],
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'name', rest: true }],
        args: z.strictObject({ name: budgetField.programmeName('programme show "Gemini"') }),
        run: programme.show,
      }),
      command({
        words: ['programme', 'add'],
        help: {
          summary: 'Add a programme with its budget and benefits by year (editor)',
          usage:
            'programme add "<name>" budget=<£amount> [benefits="<YYYY/YY>:<£amount>,…"] [start=<YYYY/YY>] [spend=<£amount>]',
          examples: ['programme add "Gemini" budget=£5.1m benefits="2024/25:£0.8m,2025/26:£2.67m" start=2023/24'],
          details:
            'The programme starts in start= (the current financial year unless given), its year 1. The last year of benefits carries on in the years after. Payback is the first year by whose end the benefits reach the budget.',
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'name', rest: true }],
        args: (scope) =>
          z.strictObject({
            name: budgetField.programmeName('programme add "Gemini" budget=£5.1m'),
            budget: field
              .option('budget', 60, 'budget= is missing: e.g. budget=£5.1m')
              .pipe(field.money('budget=', 'budget=£5.1m')),
            benefits: field.option('benefits', 400).pipe(budgetField.benefits()).optional(),
            start: field
              .option('start')
              .pipe(field.financialYear('start='))
              .optional()
              .transform((y) => y ?? budgetField.currentYear(scope.now)),
            spend: field.option('spend').pipe(field.money('spend=', 'spend=£1.45m')).optional(),
          }),
        run: programme.add,
      }),
      command({
        words: ['programme', 'spend'],
        help: {
          summary: "Record a programme's spend to date, replacing the figure before (editor)",
          usage: 'programme spend "<name>" <£amount>',
          examples: ['programme spend "Gemini" £1.6m'],
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'name' }, { name: 'amount' }],
        args: z.strictObject({
          name: budgetField.programmeName('programme spend "Gemini" £1.6m'),
          amount: field.money('the spend to date', '£1.6m'),
        }),
        run: programme.spend,
      }),
    ],
    verbs: [
      verb({
        verb: 'budget.page',
        role: 'viewer',
        bound: true,
        data: ({ partnership }) =>
          z.object({
            offset: z.coerce.number().int().min(0).max(100_000),
            year: field.financialYear(),
            category: z
              .string()
              .transform((s) => (s === '' ? undefined : s))
              .pipe(budgetField.category().optional()),
            council: z
              .string()
              .transform((s) => (s === '' ? undefined : s))
              .pipe(field.council(partnership).optional()),
          }),
        run: reading.page,
      }),
    ],
    digest: (request) => budgetDigest(kit, request),
    seedDemo: (demo) => seedBudgetDemo(services.tables, budget, programmes, demo),
  };
}

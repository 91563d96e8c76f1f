import { z } from 'zod';
import type { RiskLevel } from '../../domain/risk.js';
import * as field from '../kit/fields.js';
import { command, verb, type CommandEntry, type VerbEntry } from '../types.js';
import { formInputs, riskChanges } from './change.js';
import {
  actionId,
  appetiteArgs,
  EFFECTIVENESS,
  FILTER_LIST,
  filterWords,
  futureDate,
  level,
  listOptions,
  newRiskArgs,
  note,
  owner,
  projectLink,
  RISK_CATEGORY_LIST,
  registerQuery,
  riskId,
  scoreOption,
  severity,
  wholeOption,
} from './fields.js';
import { riskPlanning } from './plan.js';
import { riskReading, type RiskKit } from './read.js';
import { riskSettings } from './settings.js';
import { issueLog } from './issues.js';

/** The `risk` commands and card verbs; handlers live in read, change, plan, settings and issues. */

const id = (example: string) => ({ id: riskId(example) });
/** A level sent back by a button (templated values arrive as strings). */
const cardLevel = z.coerce
  .number()
  .int()
  .min(1)
  .max(5)
  .transform((n) => n as RiskLevel);

export function riskEntries(kit: RiskKit): { commands: CommandEntry[]; verbs: VerbEntry[] } {
  const reading = riskReading(kit);
  const changes = riskChanges(kit);
  const planning = riskPlanning(kit);
  const settings = riskSettings(kit);
  const issues = issueLog(kit);

  const commands = [
    command({
      words: ['risk'],
      help: {
        summary: 'The risk register with its heat map, worst first; filters combine; or one risk by its id',
        usage: `risk [red|amber|green|overdue|above-appetite|closed|all] [council=<CODE|shared>] [owner=@person] [category=<category>] | risk <id>`,
        examples: ['risk', 'risk red', 'risk R-1'],
        details: `Filters: ${FILTER_LIST}. Categories: ${RISK_CATEGORY_LIST}.`,
      },
      role: 'viewer',
      bound: true,
      positional: [{ name: 'query', optional: true, rest: true }],
      args: (scope) => z.strictObject({ query: registerQuery().optional(), ...listOptions(scope) }),
      run: reading.registerCommand,
    }),
    command({
      words: ['risk', 'list'],
      help: {
        summary: 'The register, filtered: bands, overdue reviews, above appetite, council, owner, category',
        usage:
          'risk list [red|amber|green|overdue|above-appetite|closed|all] [council=<CODE|shared>] [owner=@person] [category=<category>]',
        examples: [
          'risk list',
          'risk list red council=CEC',
          'risk list overdue',
          'risk list above-appetite category=cyber',
        ],
      },
      role: 'viewer',
      bound: true,
      positional: [{ name: 'query', optional: true, rest: true }],
      args: (scope) => z.strictObject({ query: filterWords().optional(), ...listOptions(scope) }),
      run: reading.registerCommand,
    }),
    command({
      words: ['risk', 'show'],
      help: {
        summary: 'One risk: its three scores with history, appetite, controls, actions, review and issues',
        usage: 'risk show <id>',
        examples: ['risk show R-1'],
      },
      role: 'viewer',
      bound: true,
      positional: [{ name: 'id' }],
      args: z.strictObject(id('risk show R-1')),
      run: reading.showRisk,
    }),
    command({
      words: ['risk', 'add'],
      help: {
        summary: 'Add a risk (editor); risk add alone opens a form',
        usage:
          'risk add "<title>" likelihood=<1-5> impact=<1-5> [owner=@person] [council=<CODE|shared>] [category=<category>] [target=<L>x<I>] [project=P-<n>] ["description"]',
        examples: [
          'risk add "Cyber security" likelihood=4 impact=5 category=cyber target=2x4',
          'risk add "Loss of service desk analysts" likelihood=3 impact=3 council=CEC category=workforce',
          'risk add "Mailbox moves slip" likelihood=3 impact=4 category=delivery project=P-2',
        ],
        details: `Likelihood runs from 1 (rare) to 5 (almost certain), impact from 1 (negligible) to 5 (severe). The owner is you unless you @mention someone. project= links the risk to a proposed or active project of the portfolio (its id or name; project list shows them): project show lists the open risks linked to it. Categories: ${RISK_CATEGORY_LIST}.`,
      },
      role: 'editor',
      bound: true,
      positional: [
        { name: 'title', optional: true },
        { name: 'description', optional: true },
      ],
      args: newRiskArgs,
      whenEmpty: changes.addForm,
      run: changes.addRisk,
    }),
    command({
      words: ['risk', 'update'],
      help: {
        summary: "Re-score a risk, change its owner or link it to a project (editor, or the risk's owner)",
        usage:
          'risk update <id> [likelihood=<1-5>] [impact=<1-5>] [target=<L>x<I>] [inherent=<L>x<I>] [owner=@person] [project=P-<n>|none] ["why"]',
        examples: [
          'risk update R-1 likelihood=3 "SOC partner now monitors the logs"',
          'risk update R-2 target=2x3',
          'risk update R-4 project=P-1',
          'risk update R-4 project=none',
        ],
        details:
          'project= links the risk to a proposed or active project of the portfolio (its id or name; project list shows them); project=none takes the link away. A risk keeps its project when the project closes.',
      },
      role: 'viewer',
      readsRoles: true,
      bound: true,
      positional: [{ name: 'id' }, { name: 'note', optional: true }],
      args: z.strictObject({
        ...id('risk update R-1 likelihood=3'),
        note: note('the note'),
        likelihood: level('likelihood', 3).optional(),
        impact: level('impact', 4).optional(),
        target: scoreOption('target', '2x3').optional(),
        inherent: scoreOption('inherent', '5x5').optional(),
        owner: owner(),
        project: projectLink('risk update R-1 project=P-2').optional(),
      }),
      run: changes.updateRisk,
    }),
    command({
      words: ['risk', 'control'],
      help: {
        summary: 'Record a control in place against a risk (editor)',
        usage: 'risk control <id> "<control>" [owner=@person] [effectiveness=good|partial|weak]',
        examples: ['risk control R-1 "Security tools across both estates" effectiveness=good'],
      },
      role: 'editor',
      bound: true,
      positional: [{ name: 'id' }, { name: 'text' }],
      args: z.strictObject({
        ...id('risk control R-1 "…"'),
        text: field.text('the control', 'risk control R-1 "Security tools across both estates"', 300),
        owner: owner(),
        effectiveness: field
          .option('effectiveness', 20)
          .pipe(field.choice('effectiveness', EFFECTIVENESS, { option: true }))
          .optional(),
      }),
      run: planning.addControl,
    }),
    command({
      words: ['risk', 'action'],
      help: {
        summary: "Plan an action against a risk (editor, or the risk's owner)",
        usage: 'risk action <id> "<action>" owner=@person due=YYYY-MM-DD',
        examples: ['risk action R-1 "Appoint a SOC partner" owner=@Sam due=2027-03-31'],
      },
      role: 'viewer',
      readsRoles: true,
      bound: true,
      positional: [{ name: 'id' }, { name: 'text' }],
      args: (scope) =>
        z.strictObject({
          ...id('risk action R-1 "…"'),
          text: field.text('the action', 'risk action R-1 "Appoint a SOC partner"', 300),
          owner: field.user('owner='),
          due: futureDate(scope),
        }),
      run: planning.addAction,
    }),
    command({
      words: ['risk', 'done'],
      help: {
        summary: "Mark a risk's action done, then say whether the score changes",
        usage: 'risk done <id> <action id>',
        examples: ['risk done R-1 A-2'],
      },
      role: 'viewer',
      readsRoles: true,
      bound: true,
      positional: [{ name: 'id' }, { name: 'action' }],
      args: z.strictObject({ ...id('risk done R-1 A-2'), action: actionId() }),
      run: planning.completeAction,
    }),
    command({
      words: ['risk', 'review'],
      help: {
        summary: "Record a review of a risk: the next falls due by its band (editor, or the risk's owner)",
        usage: 'risk review <id> ["note"]',
        examples: ['risk review R-3 "still Amber: two posts filled"'],
      },
      role: 'viewer',
      readsRoles: true,
      bound: true,
      positional: [{ name: 'id' }, { name: 'note', optional: true }],
      args: z.strictObject({ ...id('risk review R-3'), note: note('the note') }),
      run: changes.reviewRisk,
    }),
    command({
      words: ['risk', 'close'],
      help: {
        summary: 'Close a risk (editor)',
        usage: 'risk close <id> "<reason>"',
        examples: ['risk close R-5 "contract ended"'],
      },
      role: 'editor',
      bound: true,
      positional: [{ name: 'id' }, { name: 'reason' }],
      args: z.strictObject({
        ...id('risk close R-5 "…"'),
        reason: field.text('the reason', 'risk close R-5 "contract ended"', 500),
      }),
      run: changes.closeRisk,
    }),
    command({
      words: ['risk', 'materialise'],
      help: {
        summary: 'The risk has happened: raise an issue from it, linking both (editor)',
        usage: 'risk materialise <id> [severity=high|medium|low] [due=YYYY-MM-DD] ["what happened"]',
        examples: ['risk materialise R-2 severity=high'],
      },
      role: 'editor',
      bound: true,
      positional: [{ name: 'id' }, { name: 'description', optional: true }],
      args: (scope) =>
        z.strictObject({
          ...id('risk materialise R-2'),
          description: note('the description'),
          severity: severity().optional(),
          due: futureDate(scope).optional(),
        }),
      run: issues.materialise,
    }),
    command({
      words: ['risk', 'settings'],
      help: {
        summary: 'The bands, appetite per category and review intervals in force',
        usage: 'risk settings',
        examples: ['risk settings'],
      },
      role: 'viewer',
      bound: true,
      positional: [],
      args: z.strictObject({}),
      run: reading.showSettings,
    }),
    command({
      words: ['risk', 'bands'],
      help: {
        summary: 'Set the lowest Amber and Red scores (admin)',
        usage: 'risk bands [amber=<n>] [red=<n>]',
        examples: ['risk bands amber=5 red=15'],
      },
      role: 'admin',
      bound: true,
      positional: [],
      args: z.strictObject({
        amber: wholeOption('amber', 2, 25, 5, 'a band boundary'),
        red: wholeOption('red', 2, 25, 15, 'a band boundary'),
      }),
      run: settings.setBands,
    }),
    command({
      words: ['risk', 'appetite'],
      help: {
        summary: 'Set the highest score accepted in each category (admin; default 12)',
        usage: 'risk appetite <category>=<1-25> …',
        examples: ['risk appetite cyber=6 financial=12'],
        details: `Categories: ${RISK_CATEGORY_LIST}.`,
      },
      role: 'admin',
      bound: true,
      positional: [],
      args: appetiteArgs(),
      run: settings.setAppetite,
    }),
    command({
      words: ['risk', 'intervals'],
      help: {
        summary: 'Set the months between reviews for each band (admin)',
        usage: 'risk intervals [red=<months>] [amber=<months>] [green=<months>]',
        examples: ['risk intervals red=1 amber=3 green=6'],
      },
      role: 'admin',
      bound: true,
      positional: [],
      args: z.strictObject({
        red: wholeOption('red', 1, 12, 1, 'a number of months'),
        amber: wholeOption('amber', 1, 12, 3, 'a number of months'),
        green: wholeOption('green', 1, 12, 6, 'a number of months'),
      }),
      run: settings.setIntervals,
    }),
  ];

  const verbs = [
    verb({ verb: 'risk.add', role: 'editor', bound: true, data: formInputs, run: changes.addFromForm }),
    verb({
      verb: 'risk.page',
      role: 'viewer',
      bound: true,
      data: z.object({
        offset: z.coerce.number().int().min(0).max(100_000),
        filters: z.string().max(200).default(''),
        council: z.string().max(10).default(''),
        ownerId: z.string().max(200).default(''),
        ownerName: z.string().max(200).default(''),
        category: z.string().max(30).default(''),
      }),
      run: reading.page,
    }),
    verb({
      verb: 'risk.rescore',
      role: 'viewer',
      readsRoles: true,
      bound: true,
      data: z.object({
        risk: riskId(),
        action: z.string().max(20).default(''),
        likelihood: cardLevel,
        impact: cardLevel,
      }),
      run: changes.rescore,
    }),
  ];
  return { commands, verbs };
}

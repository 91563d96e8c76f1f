import { z } from 'zod';
import * as field from '../kit/fields.js';
import { command, verb, type CommandEntry, type VerbEntry } from '../types.js';
import { actionId, councilOf, futureDate, issueId, note, owner, severity, title } from './fields.js';
import { issueLog } from './issues.js';
import type { RiskKit } from './read.js';

/** The `issue` commands and card verb; the handlers are in issues.ts. */

const STATUSES = ['open', 'resolved', 'all'] as const;

const statusWord = () =>
  z
    .string({ error: 'give open, resolved or all, e.g. issue list resolved' })
    .trim()
    .transform((s, ctx) => {
      const word = STATUSES.find((w) => w === s.toLowerCase());
      if (word) return word;
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a status of an issue: use open, resolved or all` });
      return z.NEVER;
    });

export function issueEntries(kit: RiskKit): { commands: CommandEntry[]; verbs: VerbEntry[] } {
  const issues = issueLog(kit);
  const list = (words: string[], summary: string, examples: string[]) =>
    command({
      words,
      help: { summary, usage: `${words.join(' ')} [open|resolved|all]`, examples },
      role: 'viewer',
      bound: true,
      positional: [{ name: 'status', optional: true }],
      args: z.strictObject({ status: statusWord().optional() }),
      run: issues.issueList,
    });
  const id = (example: string) => ({ id: issueId(example) });

  const commands = [
    list(['issue'], 'The issue log: open issues, high severity first', ['issue', 'issue resolved']),
    list(['issue', 'list'], 'Issues open, resolved, or all', ['issue list', 'issue list resolved']),
    command({
      words: ['issue', 'show'],
      help: {
        summary: 'One issue: severity, owner, dates, the risk it came from, actions',
        usage: 'issue show <id>',
        examples: ['issue show I-1'],
      },
      role: 'viewer',
      bound: true,
      positional: [{ name: 'id' }],
      args: z.strictObject(id('issue show I-1')),
      run: issues.showIssue,
    }),
    command({
      words: ['issue', 'add'],
      help: {
        summary: 'Raise an issue: something that has happened (editor)',
        usage:
          'issue add "<title>" severity=<high|medium|low> [owner=@person] [due=YYYY-MM-DD] [council=<CODE|shared>] ["description"]',
        examples: ['issue add "Funding model assumes 100,000 commissioned hours" severity=high due=2027-03-31'],
        details: 'Severity is shown as Red (high), Amber (medium) or Green (low); due= is the target resolution date.',
      },
      role: 'editor',
      bound: true,
      positional: [
        { name: 'title', optional: true },
        { name: 'description', optional: true },
      ],
      args: (scope) =>
        z.strictObject({
          title: title('issue add "Funding model out of date" severity=high'),
          description: note('the description'),
          severity: severity(),
          owner: owner(),
          due: futureDate(scope).optional(),
          council: councilOf(scope.partnership).optional(),
        }),
      run: issues.addIssue,
    }),
    command({
      words: ['issue', 'update'],
      help: {
        summary: "Change an issue's severity, owner, target date or title (editor, or the issue's owner)",
        usage: 'issue update <id> [severity=…] [owner=@person] [due=YYYY-MM-DD] [title="…"] [description="…"] ["why"]',
        examples: ['issue update I-1 severity=medium "income recovered in Q3"'],
      },
      role: 'viewer',
      readsRoles: true,
      bound: true,
      positional: [{ name: 'id' }, { name: 'note', optional: true }],
      args: (scope) =>
        z.strictObject({
          ...id('issue update I-1 severity=medium'),
          note: note('the note'),
          severity: severity().optional(),
          owner: owner(),
          due: futureDate(scope).optional(),
          title: field
            .option('title', 150)
            .trim()
            .min(1, 'title= is empty: e.g. title="Funding model out of date"')
            .optional(),
          description: field.optionalText('description', 1000),
        }),
      run: issues.updateIssue,
    }),
    command({
      words: ['issue', 'resolve'],
      help: {
        summary: "Resolve an issue, saying how (editor, or the issue's owner)",
        usage: 'issue resolve <id> "<how>"',
        examples: ['issue resolve I-1 "new funding model agreed by both councils"'],
      },
      role: 'viewer',
      readsRoles: true,
      bound: true,
      positional: [{ name: 'id' }, { name: 'how' }],
      args: z.strictObject({
        ...id('issue resolve I-1 "…"'),
        how: field.text('how it was resolved', 'issue resolve I-1 "new funding model agreed"', 500),
      }),
      run: issues.resolveIssue,
    }),
    command({
      words: ['issue', 'action'],
      help: {
        summary: "Plan an action on an issue (editor, or the issue's owner)",
        usage: 'issue action <id> "<action>" owner=@person due=YYYY-MM-DD',
        examples: ['issue action I-1 "Draft the new funding model" owner=@Sam due=2027-01-31'],
      },
      role: 'viewer',
      readsRoles: true,
      bound: true,
      positional: [{ name: 'id' }, { name: 'text' }],
      args: (scope) =>
        z.strictObject({
          ...id('issue action I-1 "…"'),
          text: field.text('the action', 'issue action I-1 "Draft the new funding model"', 300),
          owner: field.user('owner='),
          due: futureDate(scope),
        }),
      run: issues.issueAction,
    }),
    command({
      words: ['issue', 'done'],
      help: {
        summary: "Mark an issue's action done",
        usage: 'issue done <id> <action id>',
        examples: ['issue done I-1 A-1'],
      },
      role: 'viewer',
      readsRoles: true,
      bound: true,
      positional: [{ name: 'id' }, { name: 'action' }],
      args: z.strictObject({ ...id('issue done I-1 A-1'), action: actionId('issue done I-1 A-1') }),
      run: issues.issueDone,
    }),
  ];

  const verbs = [
    verb({
      verb: 'issue.page',
      role: 'viewer',
      bound: true,
      data: z.object({ offset: z.coerce.number().int().min(0).max(100_000), status: z.enum(STATUSES).default('open') }),
      run: issues.issuePage,
    }),
  ];
  return { commands, verbs };
}

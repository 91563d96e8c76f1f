import { z } from 'zod';
import { ApprovalRepository } from '../../storage/approvals.js';
import { ProjectRepository } from '../../storage/projects.js';
import { RiskRepository } from '../../storage/risks.js';
import * as field from '../kit/fields.js';
import type { Services } from '../services.js';
import { command, type CommandFamily } from '../types.js';
import { projectAdding, type ProjectKit } from './add.js';
import { projectChanges } from './change.js';
import { seedProjectDemo } from './demo.js';
import { projectsDigest } from './digest.js';
import { addProjectArgs, listArgs, projectIdField, RAG_WORDS } from './fields.js';
import { projectReading } from './read.js';

const LIST_USAGE = '[active|proposed|closed|rejected] [red|amber|green]';
const FILTERS = [
  { name: 'first', optional: true },
  { name: 'second', optional: true },
];

/** The shared portfolio: projects admitted through the gateway, with fortnightly RAG reports. */
export function projectFamily(services: Services): CommandFamily {
  const kit: ProjectKit = {
    services,
    approvals: new ApprovalRepository(services.tables),
    projects: new ProjectRepository(services.tables),
    risks: new RiskRepository(services.tables),
  };
  const reading = projectReading(kit);
  const { add } = projectAdding(kit);
  const changes = projectChanges(kit);

  return {
    words: ['project'],
    area: 'Portfolio',
    summary: 'The shared project portfolio: the gateway, RAG reports and their history',
    commands: [
      command({
        words: ['project'],
        help: {
          summary: 'The live portfolio (active and proposed projects) with each latest RAG, Red first',
          usage: `project ${LIST_USAGE}`,
          examples: ['project', 'project red', 'project proposed'],
        },
        role: 'viewer',
        bound: true,
        positional: FILTERS,
        args: listArgs,
        run: reading.list,
      }),
      command({
        words: ['project', 'list'],
        help: {
          summary: 'The portfolio, filtered by status and RAG; stale reports are marked',
          usage: `project list ${LIST_USAGE}`,
          examples: ['project list', 'project list active red', 'project list closed'],
          details: 'Reports are due every fortnight: a report more than 14 days old is marked stale.',
        },
        role: 'viewer',
        bound: true,
        positional: FILTERS,
        args: listArgs,
        run: reading.list,
      }),
      command({
        words: ['project', 'add'],
        help: {
          summary: 'Propose a project (editor): it enters the portfolio when the board approves its gateway',
          usage:
            'project add "<name>" manager=@person sponsor=@person scope="<scope>" budget=<£amount> start=YYYY-MM-DD end=YYYY-MM-DD [council=<CODE|shared>]',
          examples: [
            'project add "SOC partner procurement" manager=@Sam sponsor=@Priya scope="Round-the-clock security monitoring" budget=£420k start=2027-01-04 end=2028-12-22',
          ],
          details:
            'The gateway needs a project manager, a sponsor, a scope, a budget and a timeline. A name like an existing project’s is flagged. The gateway approval goes to everyone with the approver role and needs every council’s agreement.',
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'name' }],
        args: ({ partnership }) => addProjectArgs(partnership),
        run: add,
      }),
      command({
        words: ['project', 'show'],
        help: {
          summary: 'One project: its details, RAG history, the approvals that concern it and its open risks',
          usage: 'project show <id or name>',
          examples: ['project show P-2', 'project show SOC partner procurement'],
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'project', rest: true }],
        args: z.strictObject({ project: field.text('the project id or name', 'project show P-2', 150) }),
        run: reading.show,
      }),
      command({
        words: ['project', 'status'],
        help: {
          summary: 'Report RAG with commentary (the project manager, an editor or an admin)',
          usage: 'project status <id> <red|amber|green> "<commentary>"',
          examples: ['project status P-2 amber "Mailbox moves three weeks behind; extra slots agreed"'],
          details: 'Report every fortnight: a report more than 14 days old is marked stale.',
        },
        role: 'viewer',
        readsRoles: true,
        bound: true,
        positional: [{ name: 'id' }, { name: 'rag' }, { name: 'commentary', rest: true }],
        args: z.strictObject({
          id: projectIdField('project status P-2 amber "commentary"'),
          rag: z
            .string({ error: 'the RAG is missing: red, amber or green, e.g. project status P-2 amber "commentary"' })
            .pipe(field.choice('RAG', RAG_WORDS)),
          commentary: field.text('the commentary', 'project status P-2 amber "Mailbox moves behind"', 1000),
        }),
        run: changes.status,
      }),
      command({
        words: ['project', 'close'],
        help: {
          summary: 'Close an active project (editor), saying why',
          usage: 'project close <id> "<reason>"',
          examples: ['project close P-4 "Delivered: every floor on the new network"'],
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'id' }, { name: 'reason', rest: true }],
        args: z.strictObject({
          id: projectIdField('project close P-4 "reason"'),
          reason: field.text('the reason', 'project close P-4 "Delivered"', 500),
        }),
        run: changes.close,
      }),
    ],
    digest: (request) => projectsDigest(kit.projects, request),
    seedDemo: (demo) => seedProjectDemo(kit, demo),
  };
}

import { dayText } from '../../cards/views.js';
import type { Approval } from '../../domain/approvals.js';
import { formatMoney } from '../../domain/money.js';
import { councilLabel, SHARED } from '../../domain/partnership.js';
import { similarProjects } from '../../domain/portfolio.js';
import { commitWithAudit } from '../../storage/audit.js';
import { retryOnConflict } from '../../storage/errors.js';
import { projectSummaryOf, type ProjectRecord, type ProjectRepository } from '../../storage/projects.js';
import type { RiskRepository } from '../../storage/risks.js';
import { postedApprovalCard, type ApprovalKit } from '../approvals/copies.js';
import { checkedApproval } from '../approvals/request.js';
import { auditOf, money, type AuditFields } from '../audit-trail.js';
import { NotAuthorised, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { sameName } from '../kit/resolve.js';
import type { BoundContext, CommandRequest, Reply } from '../types.js';
import type { AddProjectArgs } from './fields.js';
import { projectStatusWord } from './views.js';

/**
 * Proposing a project: the gateway's fields are all checked before anything is stored, a name
 * like an existing project's is flagged, and the project and its gateway approval (the board,
 * per council) are stored in one batch and the approval card posted.
 */

export interface ProjectKit extends ApprovalKit {
  readonly projects: ProjectRepository;
  /** The risk register, whose summary gives the open risks linked to a project. */
  readonly risks: RiskRepository;
}

const WORDS = ['project', 'add'];

export function forCouncil(council: string): string {
  return council === SHARED ? 'every council' : council;
}

/** What the audit keeps of a project. */
export function projectSnapshot(project: ProjectRecord): AuditFields {
  return {
    name: project.name,
    status: project.status,
    manager: project.manager?.name ?? null,
    sponsor: project.sponsor?.name ?? null,
    budget: project.budget !== undefined ? money(project.budget) : null,
    start: project.start ?? null,
    end: project.end ?? null,
    council: councilLabel(project.council),
  };
}

/**
 * A live project of the same name is refused (the same project is not run twice); a name like a
 * live project's is flagged on the gateway card, for the approvers to check.
 */
async function duplicateFlags(kit: ProjectKit, ctx: BoundContext, name: string): Promise<string[]> {
  const live = (await kit.projects.list(ctx.partnership.id)).filter(
    (p) => p.status === 'proposed' || p.status === 'active',
  );
  const same = live.find((p) => sameName(p.name, name));
  if (same) {
    throw new UsageError(
      `${same.id} ${same.name} is in the portfolio already (${projectStatusWord(same.status).toLowerCase()}): the same project is not run twice. See it with project show ${same.id}.`,
      WORDS,
    );
  }
  return similarProjects(name, live.map(projectSummaryOf)).map(
    ({ project }) =>
      `Possible duplicate of ${project.id} ${project.name}: check it is not the same project before approving.`,
  );
}

/** The project as proposed, with the number it takes and its gateway approval's. */
function proposedProject(
  ctx: CommandRequest<AddProjectArgs>,
  council: string,
  id: ProjectRecord['id'],
  gateway: ProjectRecord['gateway'],
): ProjectRecord {
  const { name, manager, sponsor, scope, budget, start, end } = ctx.args;
  return {
    id,
    name,
    manager: { id: manager.id, name: manager.name },
    sponsor: { id: sponsor.id, name: sponsor.name },
    scope,
    budget,
    start,
    end,
    council,
    status: 'proposed',
    createdAt: ctx.now.toISOString(),
    createdBy: { id: ctx.actor.id, name: ctx.actor.name },
    gateway,
    closed: undefined,
  };
}

export function projectAdding(kit: ProjectKit) {
  /** `project add "<name>" manager=@… sponsor=@… scope="…" budget=£… start=… end=… [council=…]`. */
  async function add(ctx: CommandRequest<AddProjectArgs>): Promise<Reply> {
    const { name, manager, sponsor, scope, budget, start, end } = ctx.args;
    const council = ctx.args.council ?? SHARED;
    if (!ctx.access.mayEdit(council)) {
      throw new NotAuthorised(
        'editor',
        `propose a project for ${forCouncil(council)}`,
        '(an editor for one council proposes projects of that council only)',
      );
    }
    const flags = await duplicateFlags(kit, ctx, name);
    const details = [
      scope,
      `Budget ${formatMoney(budget)} · ${dayText(start)} to ${dayText(end)} · manager ${manager.name} · sponsor ${sponsor.name}`,
      ...flags,
    ].join('\n');
    const draft = await checkedApproval(
      kit,
      ctx,
      {
        type: 'gateway',
        title: `Gateway: ${name}`,
        details,
        concerns: undefined,
        policy: 'per-council',
        approvers: 'board',
        due: undefined,
      },
      WORDS,
    );
    const { project, approval } = await conflictAs(
      retryOnConflict(
        async () => {
          const pid = ctx.partnership.id;
          const [p, a] = await Promise.all([kit.projects.take(pid), kit.approvals.take(pid)]);
          const project = proposedProject(ctx, council, p.id, a.id);
          const approval: Approval = { ...draft(a.id), concerns: { kind: 'project', id: p.id } };
          const actions = [
            p.action,
            a.action,
            ...(await kit.projects.createActions(pid, project)),
            ...(await kit.approvals.createActions(pid, approval, ctx.now)),
          ];
          const audit = auditOf(ctx, `project ${p.id}`, null, { ...projectSnapshot(project), gateway: a.id });
          await commitWithAudit(kit.services.tables, pid, actions, audit, `project ${p.id} taken`);
          return { project, approval };
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      WORDS,
    );
    return postedApprovalCard(kit, ctx, approval, {
      banner: `Project ${project.id} ${project.name} is proposed. It joins the portfolio when the board approves this gateway (${approval.id}).${flags.length > 0 ? ' It may duplicate a project in the portfolio: see below.' : ''}`,
      bannerStyle: flags.length > 0 ? 'warning' : 'accent',
    });
  }

  return { add };
}

import { approvalNumber, type ApprovalId } from '../../domain/approvals.js';
import { parseProjectId, projectList, type ProjectId, type ProjectListFilter } from '../../domain/portfolio.js';
import { londonDate } from '../../domain/calendar.js';
import { listRisks } from '../../domain/risk.js';
import {
  projectSummaryOf,
  type ProjectEntry,
  type ProjectRepository,
  type StoredProject,
} from '../../storage/projects.js';
import { registerEntry } from '../../storage/risk-rows.js';
import { NotFound } from '../errors.js';
import { resolveByCodeOrName, type Findable } from '../kit/resolve.js';
import type { BoundContext, CommandRequest, Reply } from '../types.js';
import type { ProjectKit } from './add.js';
import { portfolioReply, projectDetailReply } from './views.js';

/** Reading the portfolio: the list (from the summary row) and one project with its history and approvals. */

/** RAG reports on a project's card: a fortnightly report for about six months. */
export const HISTORY_SHOWN = 12;
/** The newest approvals that concern a project, on its card. */
export const APPROVALS_SHOWN = 10;

export async function findProject(
  kit: Pick<ProjectKit, 'projects'>,
  ctx: BoundContext,
  id: ProjectId,
): Promise<StoredProject> {
  const stored = await kit.projects.get(ctx.partnership.id, id);
  if (stored) return stored;
  throw new NotFound(
    `There is no project ${id} in ${ctx.partnership.name}.`,
    [],
    'Type project list to see every project with its id.',
  );
}

/**
 * The project a person means by its id (`P-2`, `p2`) or its name, from one read of the portfolio's
 * summary, with did-you-mean; `partial` lets a reading take a unique part of a name.
 */
export async function resolveProject(
  projects: ProjectRepository,
  ctx: BoundContext,
  query: string,
  options: { partial?: boolean; suggestion?: (item: Findable) => string } = {},
): Promise<ProjectEntry> {
  const entries = await projects.list(ctx.partnership.id);
  const found = await resolveByCodeOrName(
    parseProjectId(query) ?? query,
    entries.map((entry) => ({ code: entry.id, name: entry.name, entry })),
    { kind: 'project', listCommand: 'project list', within: ctx.partnership.name, ...options },
  );
  return found.entry;
}

export function projectReading(kit: ProjectKit) {
  /** `project`, `project list [active|proposed|closed] [red|amber|green]`. */
  async function list(ctx: CommandRequest<ProjectListFilter>): Promise<Reply> {
    const entries = await kit.projects.list(ctx.partnership.id);
    const rows = projectList(entries.map(projectSummaryOf), ctx.args, ctx.now);
    return portfolioReply(ctx.partnership, rows, ctx.args, entries.length > 0, ctx.now);
  }

  /**
   * `project show P-2`: the project, its RAG history, the approvals that concern it and the open
   * risks linked to it, read together; the risks from one read of the register's summary.
   */
  async function show(ctx: CommandRequest<{ project: string }>): Promise<Reply> {
    // An id is read directly; a name costs one read of the portfolio's summary first.
    const id =
      parseProjectId(ctx.args.project) ??
      ((await resolveProject(kit.projects, ctx, ctx.args.project, { partial: true })).id as ProjectId);
    const [stored, reports, approvals, riskEntries, { settings }] = await Promise.all([
      findProject(kit, ctx, id),
      kit.projects.reports(ctx.partnership.id, id, HISTORY_SHOWN),
      kit.approvals.list(ctx.partnership.id, ctx.now),
      kit.risks.list(ctx.partnership.id),
      kit.risks.settings(ctx.partnership.id),
    ]);
    const linked = approvals
      .filter((a) => a.concerns === stored.project.id)
      .sort((a, b) => approvalNumber(a.id as ApprovalId) - approvalNumber(b.id as ApprovalId))
      .slice(-APPROVALS_SHOWN);
    const risks = listRisks(
      riskEntries.map((entry) => registerEntry(entry, settings)),
      { project: stored.project.id },
      settings,
      londonDate(ctx.now),
    );
    return projectDetailReply({ project: stored.project, reports, approvals: linked, risks, now: ctx.now });
  }

  return { list, show };
}

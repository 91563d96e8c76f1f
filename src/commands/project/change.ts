import { dayText } from '../../cards/views.js';
import { canChangeStatus, type ProjectId, type RagReport } from '../../domain/portfolio.js';
import type { Rag } from '../../domain/rag.js';
import { commitWithAudit } from '../../storage/audit.js';
import { retryOnConflict } from '../../storage/errors.js';
import { projectOf, type ProjectRecord } from '../../storage/projects.js';
import { auditOf } from '../audit-trail.js';
import { NotAuthorised, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { done, notice } from '../kit/replies.js';
import type { CommandRequest, Reply } from '../types.js';
import { forCouncil, projectSnapshot, type ProjectKit } from './add.js';
import { findProject } from './read.js';

/** Changing a project: a RAG report (its manager, an editor or an admin) and closing it. Each is audited in its batch. */

const TONE: Record<Rag, 'good' | 'warning' | 'attention'> = { Green: 'good', Amber: 'warning', Red: 'attention' };

export function projectChanges(kit: ProjectKit) {
  /** `project status P-2 <red|amber|green> "<commentary>"`: a RAG report, kept in the project's history. */
  async function status(ctx: CommandRequest<{ id: ProjectId; rag: Rag; commentary: string }>): Promise<Reply> {
    const { id, rag, commentary } = ctx.args;
    const pid = ctx.partnership.id;
    const { project, previous } = await conflictAs(
      retryOnConflict(
        async () => {
          const { project } = await findProject(kit, ctx, id);
          if (!ctx.access.mayEdit(project.council) && project.manager?.id !== ctx.actor.id) {
            throw new NotAuthorised(
              'editor',
              `report RAG for ${project.id}`,
              `for ${forCouncil(project.council)}, or being its project manager (${project.manager?.name ?? 'none set'})`,
            );
          }
          if (project.status !== 'active') {
            throw new UsageError(
              `${project.id} ${project.name} is ${project.status}: RAG is reported for active projects only.`,
              ['project', 'status'],
            );
          }
          const [previous] = await kit.projects.reports(pid, project.id, 1);
          const report: RagReport = {
            rag,
            commentary,
            reportedBy: { id: ctx.actor.id, name: ctx.actor.name },
            reportedAt: ctx.now.toISOString(),
          };
          const actions = await kit.projects.reportActions(pid, project, report);
          const audit = auditOf(ctx, `project ${project.id} RAG`, previous ? { rag: previous.rag } : null, {
            rag,
            commentary,
          });
          await commitWithAudit(kit.services.tables, pid, actions, audit, `project ${project.id} changed meanwhile`);
          return { project, previous };
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ['project', 'status'],
    );
    return notice(
      TONE[rag],
      `${project.name} (${project.id}) is ${rag}`,
      previous
        ? `Reported. The report before was ${previous.rag}, on ${dayText(previous.reportedAt)} by ${previous.reportedBy.name}.`
        : 'Reported: its first RAG report.',
      { facts: [{ title: 'Commentary', value: commentary }], hint: `See its history with: project show ${project.id}` },
    );
  }

  /** `project close P-2 "<reason>"`: an active project leaves the live portfolio; its history stays. */
  async function close(ctx: CommandRequest<{ id: ProjectId; reason: string }>): Promise<Reply> {
    const pid = ctx.partnership.id;
    const next = await conflictAs(
      retryOnConflict(
        async () => {
          const stored = await findProject(kit, ctx, ctx.args.id);
          const { project } = stored;
          if (!ctx.access.mayEdit(project.council)) {
            throw new NotAuthorised(
              'editor',
              `close ${project.id}`,
              `for ${forCouncil(project.council)} (an editor for one council closes that council's projects only)`,
            );
          }
          const change = canChangeStatus(projectOf(project, []), 'closed');
          if (!change.ok)
            throw new UsageError(`${project.id} ${project.name}: ${change.reason}.`, ['project', 'close']);
          const next: ProjectRecord = {
            ...project,
            status: 'closed',
            closed: { reason: ctx.args.reason, at: ctx.now.toISOString(), by: ctx.actor.name },
          };
          const actions = await kit.projects.changeActions(pid, stored, next);
          const audit = auditOf(ctx, `project ${project.id}`, projectSnapshot(project), {
            ...projectSnapshot(next),
            reason: ctx.args.reason,
          });
          await commitWithAudit(kit.services.tables, pid, actions, audit, `project ${project.id} changed meanwhile`);
          return next;
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      ['project', 'close'],
    );
    return done(
      `${next.name} (${next.id}) closed`,
      'It leaves the live portfolio; its RAG history and approvals stay. See it with project list closed.',
      { facts: [{ title: 'Reason', value: ctx.args.reason }] },
    );
  }

  return { status, close };
}

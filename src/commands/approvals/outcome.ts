import type { Approval, ApprovalDecision } from '../../domain/approvals.js';
import type { PartnershipId } from '../../domain/partnership.js';
import { canChangeStatus, type ProjectId, type ProjectStatus } from '../../domain/portfolio.js';
import { projectOf, type ProjectRepository } from '../../storage/projects.js';
import type { BatchAction } from '../../storage/tables.js';

/**
 * What a decision does beyond the approval: a gateway approval of a proposed project makes it
 * active, a rejection rejects it. The change goes in the batch of the deciding vote, so the
 * project and its gateway can never disagree.
 */
export async function decisionEffects(
  projects: ProjectRepository,
  partnershipId: PartnershipId,
  approval: Approval,
  decision: Pick<ApprovalDecision, 'status'>,
): Promise<{ actions: BatchAction[]; project?: string }> {
  const none = { actions: [] };
  if (approval.type !== 'gateway' || approval.concerns?.kind !== 'project') return none;
  const to: ProjectStatus | undefined =
    decision.status === 'approved' ? 'active' : decision.status === 'rejected' ? 'rejected' : undefined;
  if (!to) return none;
  const stored = await projects.get(partnershipId, approval.concerns.id as ProjectId);
  if (!stored || stored.project.status !== 'proposed') return none;
  if (!canChangeStatus(projectOf(stored.project, []), to).ok) return none;
  return {
    actions: await projects.changeActions(partnershipId, stored, { ...stored.project, status: to }),
    project: `${stored.project.id} ${to}`,
  };
}

/** What a decided gateway did to its project, in one line for the voter; undefined for other approvals. */
export async function decisionNote(
  projects: ProjectRepository,
  partnershipId: PartnershipId,
  approval: Approval,
  decision: Pick<ApprovalDecision, 'status'>,
): Promise<string | undefined> {
  if (approval.type !== 'gateway' || approval.concerns?.kind !== 'project') return undefined;
  if (decision.status !== 'approved' && decision.status !== 'rejected') return undefined;
  const stored = await projects.get(partnershipId, approval.concerns.id as ProjectId);
  if (!stored) return undefined;
  const { id, name, status } = stored.project;
  if (status === 'active') return `Project ${id} ${name} is now active in the portfolio.`;
  return status === 'rejected' ? `Project ${id} ${name} is rejected.` : undefined;
}

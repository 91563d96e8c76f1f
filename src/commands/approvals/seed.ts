import { addDays, londonDate } from '../../domain/calendar.js';
import type { Approval, ApprovalId, Approver, Person } from '../../domain/approvals.js';
import type { Partnership } from '../../domain/partnership.js';
import { ApprovalRepository } from '../../storage/approvals.js';
import { commitWithAudit, type AuditEntry } from '../../storage/audit.js';
import type { Services } from '../services.js';
import { MAX_APPROVERS, approvalSnapshot } from './request.js';

/**
 * An approval ready to be voted on, for the benchmark's Approve click: `approvers` people given
 * the approver role, and a pending approval (policy `all`, due in two weeks) naming them all, so
 * each of them can click Approve once and it stays pending until the last.
 */
export interface VotingSeed {
  readonly approvalId: ApprovalId;
  /** Who may click Approve, once each: Teams user ids and names, as `from` on the invoke. */
  readonly voters: readonly Person[];
  /** The invoke `adaptiveCard/action` of the Approve button: `value.action.verb` and `value.action.data`. */
  readonly verb: 'approval.vote';
  readonly data: { readonly approvalId: ApprovalId; readonly decision: 'approve' };
}

export async function seedApprovalForVoting(
  services: Services,
  partnership: Partnership,
  options: { readonly approvers: number; readonly requester: Person; readonly now: Date; readonly label?: string },
): Promise<VotingSeed> {
  if (!Number.isInteger(options.approvers) || options.approvers < 1 || options.approvers > MAX_APPROVERS) {
    throw new RangeError(`an approval has 1 to ${MAX_APPROVERS} approvers, got ${options.approvers}`);
  }
  const { now, requester } = options;
  const label = options.label ?? 'bench';
  const at = now.toISOString();
  const audit = (subject: string, after: unknown): AuditEntry => ({
    at,
    actorId: requester.id,
    actorAadObjectId: undefined,
    actorName: requester.name,
    command: 'benchmark data',
    subject,
    before: null,
    after,
    conversationId: 'benchmark',
  });
  const approvers: Approver[] = Array.from({ length: options.approvers }, (_, i) => ({
    id: `29:1${label}-approver-${i + 1}`,
    name: `Approver ${i + 1} (${label})`,
    councils: undefined,
  }));
  for (const approver of approvers) {
    await services.roles.grant(
      partnership.id,
      {
        userId: approver.id,
        userName: approver.name,
        aadObjectId: undefined,
        role: 'approver',
        council: undefined,
        grantedBy: 'benchmark data',
        grantedAt: at,
      },
      audit(`role approver for ${approver.name}`, { role: 'approver' }),
    );
  }
  const approvals = new ApprovalRepository(services.tables);
  const { id, action } = await approvals.take(partnership.id);
  const approval: Approval = {
    id,
    type: 'other',
    title: `Adopt the cloud first policy (${label})`,
    details: 'Benchmark approval: every approver approves once.',
    concerns: undefined,
    requester,
    requestedAt: at,
    policy: 'all',
    approvers,
    councils: partnership.councils.map((c) => c.code),
    due: addDays(londonDate(now), 14),
    withdrawn: undefined,
    votes: [],
    abstentions: [],
  };
  await commitWithAudit(
    services.tables,
    partnership.id,
    [action, ...(await approvals.createActions(partnership.id, approval, now))],
    audit(`approval ${id}`, approvalSnapshot(approval)),
    `approval ${id} taken`,
  );
  return {
    approvalId: id,
    voters: approvers.map(({ id: voterId, name }) => ({ id: voterId, name })),
    verb: 'approval.vote',
    data: { approvalId: id, decision: 'approve' },
  };
}

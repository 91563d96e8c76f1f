import { addDays, londonDate } from '../../domain/calendar.js';
import {
  approversFromGrants,
  checkApprovalRequest,
  formatItemRef,
  type Approval,
  type ApprovalId,
  type ApprovalPolicy,
  type ApprovalType,
  type ItemRef,
  type Person,
} from '../../domain/approvals.js';
import type { ProjectId } from '../../domain/portfolio.js';
import { commitWithAudit } from '../../storage/audit.js';
import { retryOnConflict } from '../../storage/errors.js';
import type { BudgetRepository } from '../../storage/budget.js';
import type { ProjectRepository } from '../../storage/projects.js';
import type { RiskRepository } from '../../storage/risks.js';
import { auditOf } from '../audit-trail.js';
import { NotFound, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import type { BoundContext, CommandRequest, Reply, UserRef } from '../types.js';
import { postedApprovalCard, type ApprovalKit } from './copies.js';
import type { RequestArgs } from './fields.js';

/** Asking for a decision: the approvers resolved from the role grants, every rule checked, the card posted. */

/** Teams gives its own view of a card to at most 60 listed people, so an approval has at most 60 approvers. */
export const MAX_APPROVERS = 60;
/** Without a due date, the approvers have two weeks. */
const DEFAULT_DAYS_TO_DECIDE = 14;

export interface ApprovalDraft {
  readonly type: ApprovalType;
  readonly title: string;
  readonly details: string;
  readonly concerns: ItemRef | undefined;
  readonly policy: ApprovalPolicy;
  /** `board` is everyone with the approver role, resolved now and shown by name. */
  readonly approvers: 'board' | readonly UserRef[];
  readonly due: string | undefined;
}

/** What the audit keeps of an approval's terms. */
export function approvalSnapshot(approval: Approval): Record<string, unknown> {
  return {
    type: approval.type,
    title: approval.title,
    policy: approval.policy,
    approvers: approval.approvers.map((a) => a.name),
    due: approval.due,
    ...(approval.concerns ? { concerns: formatItemRef(approval.concerns) } : {}),
  };
}

/**
 * Checks a request against the partnership (approvers hold the approver role, per-council hears
 * from every council, the due date is not past) and gives the approval to store under its number;
 * every problem found is a UsageError.
 */
export async function checkedApproval(
  kit: ApprovalKit,
  ctx: BoundContext,
  draft: ApprovalDraft,
  words: readonly string[],
): Promise<(id: ApprovalId) => Approval> {
  const grants = await kit.services.roles.list(ctx.partnership.id);
  const known = approversFromGrants(grants);
  if (draft.approvers === 'board' && known.length === 0) {
    throw new UsageError(
      'No one holds the approver role in this partnership yet: an admin grants it with role grant @person approver',
      words,
    );
  }
  const named: Person[] =
    draft.approvers === 'board'
      ? known.map((a) => ({ id: a.id, name: a.name })).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
      : draft.approvers.map(personOf);
  const due = draft.due ?? addDays(londonDate(ctx.now), DEFAULT_DAYS_TO_DECIDE);
  const councils = ctx.partnership.councils.map((c) => c.code);
  const check = checkApprovalRequest(
    { policy: draft.policy, approvers: named, due },
    { councils, approvers: known },
    ctx.now,
  );
  if (!check.ok) {
    const hint = check.problems.some((p) => p.kind === 'not-an-approver')
      ? ['An admin can grant the role with: role grant @person approver (council=<CODE> for one council)']
      : [];
    throw new UsageError([...check.problems.map((p) => p.reason), ...hint], words);
  }
  if (check.approvers.length > MAX_APPROVERS) {
    throw new UsageError(
      `${check.approvers.length} approvers are named: an approval may have at most ${MAX_APPROVERS}, the most Teams shows their own buttons to`,
      words,
    );
  }
  return (id) => ({
    id,
    type: draft.type,
    title: draft.title,
    details: draft.details,
    concerns: draft.concerns,
    requester: personOf(ctx.actor),
    requestedAt: ctx.now.toISOString(),
    policy: draft.policy,
    approvers: check.approvers,
    councils,
    due,
    withdrawn: undefined,
    votes: [],
    abstentions: [],
  });
}

function personOf(who: { id: string; name: string }): Person {
  return { id: who.id, name: who.name };
}

/** The items an approval may concern, to check the one named exists. */
export interface ConcernedItems {
  readonly projects: ProjectRepository;
  readonly risks: RiskRepository;
  readonly budget: BudgetRepository;
}

/** Refuses an `item=` that names nothing in the partnership: a card that says "Concerns Risk R-99" would mislead. */
async function checkItem(kit: ConcernedItems, ctx: BoundContext, item: ItemRef): Promise<void> {
  const pid = ctx.partnership.id;
  const within = `in ${ctx.partnership.name}`;
  if (item.kind === 'project') {
    if (await kit.projects.get(pid, item.id as ProjectId)) return;
    throw new NotFound(
      `There is no project ${item.id} ${within}.`,
      [],
      'Type project list to see every project with its id.',
    );
  }
  if (item.kind === 'risk') {
    if (await kit.risks.get(pid, item.id)) return;
    throw new NotFound(
      `There is no risk ${item.id} ${within}.`,
      [],
      'Type risk list all to see every risk with its id.',
    );
  }
  for (const year of await kit.budget.years(pid)) {
    if ((await kit.budget.read(pid, year.fyStart, [item.code])).get(item.code)) return;
  }
  throw new NotFound(
    `There is no budget line ${item.code} ${within}.`,
    [],
    'item= names a project (P-2), a risk (R-3) or a budget line by its code: type budget lines to see the codes.',
  );
}

export function approvalRequests(kit: ApprovalKit & ConcernedItems) {
  const WORDS = ['approval', 'request'];

  /** `approval request "<title>" type=… approvers=… policy=… [due=…] [item=…] ["details"]`: stored, then posted. */
  async function request(ctx: CommandRequest<RequestArgs>): Promise<Reply> {
    const { title, details, type, approvers, policy, due, item } = ctx.args;
    if (item) await checkItem(kit, ctx, item);
    const draft = await checkedApproval(
      kit,
      ctx,
      { type, title, details: details ?? '', concerns: item, policy, approvers, due },
      WORDS,
    );
    const approval = await conflictAs(
      retryOnConflict(
        async () => {
          const { id, action } = await kit.approvals.take(ctx.partnership.id);
          const approval = draft(id);
          const actions = [action, ...(await kit.approvals.createActions(ctx.partnership.id, approval, ctx.now))];
          const audit = auditOf(ctx, `approval ${id}`, null, approvalSnapshot(approval));
          await commitWithAudit(kit.services.tables, ctx.partnership.id, actions, audit, `approval ${id} taken`);
          return approval;
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      WORDS,
    );
    return postedApprovalCard(kit, ctx, approval, {
      banner: `Approval requested: ${approval.id}. Each approver sees their buttons on this card.`,
      bannerStyle: 'accent',
    });
  }

  return { request };
}

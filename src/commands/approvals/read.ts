import { myPendingApprovals, parseApprovalId, type ApprovalId } from '../../domain/approvals.js';
import { summaryOf } from '../../storage/approvals.js';
import { UsageError } from '../errors.js';
import type { BoundContext, CommandRequest, Reply } from '../types.js';
import type { approvalBallots } from './ballot.js';
import { postedApprovalCard, type ApprovalKit } from './copies.js';
import { approvalListReply, approvalView } from './views.js';

/** Reading approvals: my pending list (from the summary row), one approval in full, and a viewer's own card. */
export function approvalReading(kit: ApprovalKit, find: ReturnType<typeof approvalBallots>['find']) {
  /** `approval`, `approval list`, `approve`: the open approvals waiting for my vote, soonest due first. */
  async function list(ctx: BoundContext): Promise<Reply> {
    const entries = await kit.approvals.list(ctx.partnership.id, ctx.now);
    const names = new Map(entries.flatMap((e) => e.approvers.map((a) => [a.id, a.name] as const)));
    const mine = myPendingApprovals(entries.map(summaryOf), ctx.actor.id, ctx.now);
    return approvalListReply(ctx.partnership.name, mine, names, ctx.now);
  }

  /** `approval show A-4`: the full record with the vote trail, posted as a card that stays current. */
  async function show(ctx: CommandRequest<{ id: ApprovalId }>): Promise<Reply> {
    const { approval } = await find(ctx, ctx.args.id);
    return postedApprovalCard(kit, ctx, approval, { showTrail: true });
  }

  /**
   * The card's refresh (Teams asks for it for each approver listed when they look at the card) and
   * the answer to anyone who asks for their own view: an approver who may vote gets the buttons.
   */
  async function view(ctx: CommandRequest<{ approvalId: string; record: boolean }>): Promise<Reply> {
    const id = parseApprovalId(ctx.args.approvalId);
    if (!id) throw new UsageError(`This card names an approval I cannot read (${ctx.args.approvalId}).`);
    const { approval } = await find(ctx, id);
    return approvalView(approval, ctx.now, { viewerId: ctx.actor.id, showTrail: ctx.args.record });
  }

  return { list, show, view };
}

import { endOfLondonDay } from '../../domain/calendar.js';
import type { CommandContext, DigestRequest, Reply } from '../types.js';
import type { Approval, ApprovalId } from '../../domain/approvals.js';
import type { PartnershipId } from '../../domain/partnership.js';
import { POSTS_UPDATED, type ApprovalRepository } from '../../storage/approvals.js';
import type { Services } from '../services.js';
import { approvalView, type ViewOptions } from './views.js';

/**
 * Every copy of an approval's card is kept current: the bot says where it posted each one, and
 * after every change the copies are updated in place. An invoke's own answer alone is not enough
 * (Teams may put the old card back), and the other copies are in other chats and channels.
 */

export interface ApprovalKit {
  readonly services: Services;
  readonly approvals: ApprovalRepository;
}

/** Rounds of updates at most: each ends when no change was committed while it ran. */
const MAX_ROUNDS = 5;

/**
 * The card as a reply that is remembered where it is posted. In a personal chat the card shows
 * its one viewer's own view (their buttons); elsewhere everyone sees the status, and the approvers
 * get their buttons through the card's refresh.
 */
export function postedApprovalCard(
  kit: ApprovalKit,
  ctx: CommandContext & { partnership: { id: PartnershipId } },
  approval: Approval,
  options: Omit<ViewOptions, 'viewerId'> = {},
): Reply {
  const viewerId = ctx.conversation.type === 'personal' ? ctx.actor.id : undefined;
  const reply = approvalView(approval, ctx.now, { ...options, viewerId });
  return {
    ...reply,
    onPosted: (posted) =>
      kit.approvals.recordPost(ctx.partnership.id, approval.id, {
        activityId: posted.activityId,
        conversation: posted.conversation,
        viewerId,
        record: options.showTrail ?? false,
        postedAt: ctx.now.toISOString(),
      }),
  };
}

/**
 * Updates every copy to the approval as stored now, then reads it again: when someone changed it
 * meanwhile, the copies are updated again, so whichever update lands last shows the latest state.
 */
async function updateCopies(kit: ApprovalKit, partnershipId: PartnershipId, id: ApprovalId): Promise<void> {
  const { services, approvals } = kit;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const [stored, posts] = await Promise.all([approvals.get(partnershipId, id), approvals.posts(partnershipId, id)]);
    if (!stored) return;
    const now = services.clock();
    await Promise.all(
      posts.slice(0, POSTS_UPDATED).map(async (post) => {
        const view = approvalView(stored.approval, now, { viewerId: post.viewerId, showTrail: post.record });
        const outcome = await services.proactive.update(post.conversation, post.activityId, view);
        if (outcome === 'gone') await approvals.forgetPost(partnershipId, id, post);
      }),
    );
    const after = await approvals.get(partnershipId, id);
    if (!after || after.etag === stored.etag) return;
  }
  services.logger.warn({ partnership: partnershipId, approval: id }, 'approval cards still changing after updates');
}

/** The follow-up of a change: the copies updated after the answer has gone, a failure logged. */
export function copiesFollowUp(kit: ApprovalKit, partnershipId: PartnershipId, id: ApprovalId): () => Promise<void> {
  return async () => {
    try {
      await updateCopies(kit, partnershipId, id);
    } catch (error) {
      kit.services.logger.error({ err: error, partnership: partnershipId, approval: id }, 'approval cards not updated');
    }
  };
}

/**
 * The scheduler's hourly housekeeping: the cards of an approval whose due day has ended while it
 * was pending are updated once to say it expired (a read shows it expired already; the cards did
 * not know until now).
 */
export async function showExpiries(kit: ApprovalKit, request: DigestRequest): Promise<void> {
  const pid = request.partnership.id;
  for (const entry of await kit.approvals.list(pid, request.now)) {
    if (entry.status !== 'pending' || endOfLondonDay(entry.due).getTime() > request.now.getTime()) continue;
    if (await kit.approvals.claimExpiryNotice(pid, entry.id as ApprovalId, request.now)) {
      await updateCopies(kit, pid, entry.id as ApprovalId);
    }
  }
}

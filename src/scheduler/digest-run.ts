import type { Logger } from 'pino';
import { collectDigest, type DigestSources } from '../commands/digest/build.js';
import { scheduleText } from '../commands/digest/subscriptions.js';
import { digestReply } from '../commands/digest/views.js';
import { conversationRecordFor } from '../commands/kit/notify.js';
import type { Services } from '../commands/services.js';
import type { Reply } from '../commands/types.js';
import type { Partnership, PartnershipId } from '../domain/partnership.js';
import type { AuditEntry } from '../storage/audit.js';
import type { DigestRepository, StoredSubscription } from '../storage/digests.js';
import { retryOnConflict } from '../storage/errors.js';
import type { ScheduleStore, StoredRun } from '../storage/schedule.js';
import { forEachLimited, type LeaseKeeper } from './lease.js';
import { planDigestRun, sinceOf, type Recipient } from './plan.js';

/** What a run of scheduled work is given: the shared services, its repositories, and when to stop. */
export interface RunContext {
  readonly services: Services;
  readonly sources: DigestSources;
  readonly digests: DigestRepository;
  readonly store: ScheduleStore;
  readonly logger: Logger;
  /** Sends in flight at once in a fan-out; the sender paces what reaches Teams. */
  readonly fanOut: number;
  readonly stopping: () => boolean;
}

/** How a run ended: all done (`sent`), nothing was in time (`skipped`), or some sends to try again (`retry`). */
export interface RunResult {
  readonly state: 'sent' | 'skipped' | 'retry';
  readonly outcome: string;
}

/** The scheduler's own audit rows (a pause, a resume): who did it is the bot. */
export function schedulerAudit(at: Date, subject: string, before: unknown, after: unknown, where: string): AuditEntry {
  return {
    at: at.toISOString(),
    actorId: 'scheduler',
    actorAadObjectId: undefined,
    actorName: 'Governance Bot',
    command: 'scheduled digest',
    subject,
    before,
    after,
    conversationId: where,
  };
}

/**
 * One partnership's digest for every subscription due at one minute: laid out by `planDigestRun`,
 * built once, cut once per mix of sections, then sent to each conversation through the bot's one
 * sender. Each conversation's delivery is recorded as it goes, so a run taken over after its
 * holder died sends only to those not yet served.
 */
export async function runDigest(ctx: RunContext, run: StoredRun, keeper: LeaseKeeper): Promise<RunResult> {
  const pid = run.row.partnershipId as PartnershipId;
  const due = new Date(run.row.due);
  const now = ctx.services.clock();
  const [partnership, subscriptions, deliveries] = await Promise.all([
    ctx.services.partnerships.get(pid),
    ctx.digests.list(pid),
    ctx.digests.deliveries(pid),
  ]);
  const plan = planDigestRun(subscriptions, deliveries, due, now);
  await Promise.all(plan.next.map((next) => ctx.store.ensureRun('digest', pid, next)));
  for (const m of plan.missed) await ctx.digests.recordMissed(pid, m.conversationId, m.dues, m.since);
  if (!partnership || plan.recipients.length === 0) {
    const what = !partnership ? 'no such partnership' : plan.alreadySent > 0 ? 'sent before' : 'nobody due';
    return { state: plan.missed.length > 0 ? 'skipped' : 'sent', outcome: `${what}; ${plan.missed.length} skipped` };
  }

  const content = await collectDigest(ctx.sources, { partnership, now, since: sinceOf(plan.recipients) });
  const replies = new Map<string, Reply>();
  const replyFor = (r: Recipient): Reply => {
    const missed = r.delivery && r.delivery.missed.length > 0 ? r.delivery : undefined;
    const key = JSON.stringify([r.sections, missed?.missed, missed?.missedSince]);
    let reply = replies.get(key);
    if (!reply) {
      const schedule = r.subscriptions.map((s) => scheduleText(s.subscription)).join('; ');
      reply = digestReply(content, {
        heading: 'Digest',
        keys: r.sections,
        ...(r.subscriptions.length === 1 ? { schedule } : {}),
        ...(missed
          ? { missed: { dues: missed.missed, ...(missed.missedSince ? { since: missed.missedSince } : {}) } }
          : {}),
      });
      replies.set(key, reply);
    }
    return reply;
  };

  const tally = { sent: 0, paused: 0, failed: 0 };
  await forEachLimited(
    plan.recipients,
    ctx.fanOut,
    async (recipient) => {
      const outcome = await deliver(ctx, partnership, recipient, due, replyFor).catch((error: unknown) => {
        ctx.logger.warn(
          { err: error, partnership: pid, conversation: recipient.conversation.conversationId },
          'digest send failed',
        );
        return 'failed' as const;
      });
      tally[outcome]++;
    },
    async () => !ctx.stopping() && (await keeper.keep()),
  );
  const served = tally.sent + tally.paused;
  const outcome = `sent to ${tally.sent}${tally.paused ? `, ${tally.paused} paused` : ''}${tally.failed ? `, ${tally.failed} failed` : ''}`;
  return { state: served < plan.recipients.length ? 'retry' : 'sent', outcome };
}

/** Sends the digest to one conversation, or pauses its subscriptions when it cannot be reached. */
async function deliver(
  ctx: RunContext,
  partnership: Partnership,
  recipient: Recipient,
  due: Date,
  replyFor: (r: Recipient) => Reply,
): Promise<'sent' | 'paused'> {
  const { conversation } = recipient;
  const record = await conversationRecordFor(
    ctx.services,
    conversation.tenantId,
    conversation.conversationId,
    conversation.teamId,
  );
  const pausedSince = recipient.subscriptions.map((s) => s.subscription.paused?.at).find((at) => at !== undefined);
  if (pausedSince !== undefined) {
    // The app was added again since the pause: the conversation is back.
    if (!record?.active || record.updatedAt <= pausedSince) return 'paused';
    await setPaused(ctx, partnership.id, conversation.conversationId, undefined);
  }
  if (!record) {
    await setPaused(ctx, partnership.id, conversation.conversationId, 'the app was never added here');
    return 'paused';
  }
  const result = await ctx.services.proactive.send(record, replyFor(recipient));
  if (result === 'sent') {
    await ctx.digests.recordSent(partnership.id, conversation.conversationId, { at: ctx.services.clock(), due });
    return 'sent';
  }
  await setPaused(ctx, partnership.id, conversation.conversationId, 'the app was removed or blocked here');
  return 'paused';
}

/** Pauses (with a reason) or resumes every subscription of a conversation, with the audit row. */
async function setPaused(
  ctx: RunContext,
  partnershipId: PartnershipId,
  conversationId: string,
  reason: string | undefined,
): Promise<void> {
  await retryOnConflict(async () => {
    const ours = (await ctx.digests.list(partnershipId)).filter(
      (s: StoredSubscription) =>
        s.subscription.conversation.conversationId === conversationId &&
        (s.subscription.paused !== undefined) !== (reason !== undefined),
    );
    if (ours.length === 0) return;
    const now = ctx.services.clock();
    const ids = ours.map((s) => s.subscription.id).join(', ');
    const paused = reason ? { at: now.toISOString(), reason } : undefined;
    await ctx.digests.setPaused(
      partnershipId,
      ours,
      paused,
      schedulerAudit(
        now,
        `digest ${ids} ${reason ? 'paused' : 'resumed'}`,
        reason ? null : 'paused',
        reason ?? 'resumed',
        conversationId,
      ),
    );
  });
  ctx.logger.info(
    { partnership: partnershipId, conversation: conversationId, reason },
    reason ? 'digest paused' : 'digest resumed',
  );
}

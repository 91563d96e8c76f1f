import { catchUp, runsAt } from '../domain/schedule.js';
import type { Delivery, DigestConversation, StoredSubscription } from '../storage/digests.js';

/**
 * What one digest run (a partnership's digest due at one minute) has to do, decided from the
 * subscriptions and what each conversation was last sent. Pure, so the rules read in one place:
 * - a subscription is in the run when its schedule has a run at that minute;
 * - a run found 12 hours late or more is skipped (and so is an older one when a later run is
 *   also due: a conversation gets at most one catch-up digest); skipped runs are mentioned in the
 *   conversation's next digest;
 * - a conversation gets one digest per run, with the sections of all its subscriptions in it, and
 *   none when it has already had this run (a process that died in the middle of a fan-out);
 * - the next run of every subscription in the run is laid before anything is sent, so a process
 *   that dies while sending never loses the schedule.
 */
export interface Recipient {
  readonly conversation: DigestConversation;
  readonly subscriptions: readonly StoredSubscription[];
  /** The sections of all its subscriptions in this run, in the order of the first. */
  readonly sections: readonly string[];
  readonly delivery: Delivery | undefined;
}

export interface MissedRuns {
  readonly conversationId: string;
  readonly dues: readonly Date[];
  readonly since: Date | undefined;
}

export interface DigestRunPlan {
  readonly recipients: readonly Recipient[];
  readonly missed: readonly MissedRuns[];
  /** Due instants of the runs to lay next (distinct, in time order). */
  readonly next: readonly Date[];
  /** Conversations that had this run already. */
  readonly alreadySent: number;
}

export function planDigestRun(
  subscriptions: readonly StoredSubscription[],
  deliveries: ReadonlyMap<string, Delivery>,
  due: Date,
  now: Date,
): DigestRunPlan {
  const sending = new Map<string, StoredSubscription[]>();
  const missed = new Map<string, { dues: Date[]; since: Date | undefined }>();
  const next = new Map<number, Date>();
  const justBefore = new Date(due.getTime() - 1);

  for (const stored of subscriptions) {
    const { spec, conversation } = stored.subscription;
    if (!runsAt(spec, due)) continue;
    const plan = catchUp(spec, justBefore, now);
    const sendsThis = plan.send[0]?.getTime() === due.getTime();
    // A later run still in time takes this one's place; otherwise the schedule goes on from now.
    const following = sendsThis ? plan.next : (plan.send[0] ?? plan.next);
    next.set(following.getTime(), following);
    if (sendsThis) {
      sending.set(conversation.conversationId, [...(sending.get(conversation.conversationId) ?? []), stored]);
    } else if (plan.skipped.length > 0) {
      const before = missed.get(conversation.conversationId) ?? { dues: [], since: undefined };
      const since = [before.since, plan.skippedSince].filter((d): d is Date => d !== undefined);
      missed.set(conversation.conversationId, {
        dues: [...before.dues, ...plan.skipped],
        since: since.sort((a, b) => a.getTime() - b.getTime())[0],
      });
    }
  }

  const recipients: Recipient[] = [];
  let alreadySent = 0;
  for (const [conversationId, subs] of sending) {
    const delivery = deliveries.get(conversationId);
    if (delivery?.lastDue !== undefined && Date.parse(delivery.lastDue) >= due.getTime()) {
      alreadySent++;
      continue;
    }
    const sections = [...new Set(subs.flatMap((s) => s.subscription.sections))];
    recipients.push({ conversation: subs[0]!.subscription.conversation, subscriptions: subs, sections, delivery });
  }
  return {
    recipients,
    missed: [...missed].map(([conversationId, m]) => ({ conversationId, ...m })),
    next: [...next.values()].sort((a, b) => a.getTime() - b.getTime()),
    alreadySent,
  };
}

/** "Since the last digest" for a run shared by several conversations: the earliest, so none misses a change. */
export function sinceOf(recipients: readonly Recipient[]): Date | undefined {
  let earliest: number | undefined;
  for (const r of recipients) {
    const at = r.delivery?.lastSentAt;
    if (at === undefined) return undefined;
    earliest = Math.min(earliest ?? Infinity, Date.parse(at));
  }
  return earliest === undefined ? undefined : new Date(earliest);
}

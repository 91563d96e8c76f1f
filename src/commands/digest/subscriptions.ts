import { cronExpressionOf, describeSpec, nextRun, type ScheduleSpec } from '../../domain/schedule.js';
import { listed } from '../../domain/vocabulary.js';
import type { DigestConversation, DigestRepository, StoredSubscription, Subscription } from '../../storage/digests.js';
import type { ScheduleStore } from '../../storage/schedule.js';
import { auditOf } from '../audit-trail.js';
import { NotFound, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { conversationRecordFor } from '../kit/notify.js';
import { done, notice } from '../kit/replies.js';
import type { Services } from '../services.js';
import type { BoundContext, CommandRequest, Reply } from '../types.js';
import { ALL_SECTIONS } from './build.js';
import type { SubscribeArgs } from './fields.js';
import { whenShort } from './views.js';

/** Subscribing a conversation to the digest, listing its subscriptions, and unsubscribing. */

export interface DigestKit {
  readonly services: Services;
  readonly digests: DigestRepository;
  readonly schedule: ScheduleStore;
}

/** A conversation has a few digests at most: more is a typing mistake or a loop. */
const MAX_PER_CONVERSATION = 10;

function digestConversationOf(ctx: BoundContext): DigestConversation {
  const c = ctx.conversation;
  const label =
    c.type === 'personal'
      ? `personal chat with ${ctx.actor.name}`
      : c.type === 'channel'
        ? `${c.name ?? 'a channel'}${c.teamName ? ` (${c.teamName})` : ''}`
        : (c.name ?? 'a group chat');
  return {
    conversationId: c.id,
    tenantId: c.tenantId,
    ...(c.teamId ? { teamId: c.teamId } : {}),
    type: c.type,
    label,
  };
}

function sectionsText(sections: readonly string[]): string {
  return sections.length === ALL_SECTIONS.length ? 'all' : listed([...sections], 'and');
}

export function scheduleText(subscription: Subscription): string {
  return `${describeSpec(subscription.spec)} (${subscription.id})`;
}

function sameSchedule(a: ScheduleSpec, b: ScheduleSpec): boolean {
  return cronExpressionOf(a) === cronExpressionOf(b);
}

export function digestSubscriptions(kit: DigestKit) {
  const here = async (ctx: BoundContext): Promise<StoredSubscription[]> =>
    (await kit.digests.list(ctx.partnership.id)).filter(
      (s) => s.subscription.conversation.conversationId === ctx.conversation.id,
    );

  /** `digest subscribe weekly day=Monday at=09:00 [sections=…]`. */
  async function subscribe(ctx: CommandRequest<SubscribeArgs>): Promise<Reply> {
    const { spec, sections } = ctx.args;
    // Checked before anything is laid, and again as the number is taken, so two at once make one.
    const refuseTwin = (all: readonly StoredSubscription[]): void => {
      const existing = all.filter((s) => s.subscription.conversation.conversationId === ctx.conversation.id);
      const twin = existing.find((s) => sameSchedule(s.subscription.spec, spec));
      if (twin) {
        throw new UsageError(
          `This conversation already has ${twin.subscription.id}, ${describeSpec(twin.subscription.spec)}. To change its sections, type digest unsubscribe ${twin.subscription.id} and subscribe again.`,
          ['digest', 'subscribe'],
        );
      }
      if (existing.length >= MAX_PER_CONVERSATION) {
        throw new UsageError(
          `This conversation has ${existing.length} digests, the most it may have. Type digest list, and digest unsubscribe one first.`,
          ['digest', 'subscribe'],
        );
      }
    };
    refuseTwin(await kit.digests.list(ctx.partnership.id));
    const next = nextRun(spec, ctx.now);
    // The run is laid before the subscription: a run that finds no subscription sends nothing.
    await kit.schedule.ensureRun('digest', ctx.partnership.id, next);
    const conversation = digestConversationOf(ctx);
    const subscription = await conflictAs(
      kit.digests.add(
        ctx.partnership.id,
        { conversation, spec, sections: [...sections], createdBy: ctx.actor.name, createdAt: ctx.now.toISOString() },
        (id) => auditOf(ctx, `digest ${id}`, null, { schedule: describeSpec(spec), sections, to: conversation.label }),
        refuseTwin,
      ),
    );
    const reachable = await conversationRecordFor(
      kit.services,
      conversation.tenantId,
      conversation.conversationId,
      conversation.teamId,
    );
    return done(
      `Digest ${subscription.id} set up`,
      `${ctx.partnership.name}'s digest will be posted here ${describeSpec(spec)}, London time.`,
      {
        facts: [
          { title: 'Next', value: whenShort(next) },
          { title: 'Sections', value: sectionsText(sections) },
        ],
        hint: reachable?.active
          ? `Type digest preview to see it now, digest list for this conversation's digests, or digest unsubscribe ${subscription.id} to stop it.`
          : 'I cannot post here on my own yet: remove the app from this conversation and add it again, so that Teams tells me where it is.',
      },
    );
  }

  /** `digest list`: this conversation's digests with their next run. */
  async function list(ctx: CommandRequest<Record<string, never>>): Promise<Reply> {
    const subscriptions = await here(ctx);
    if (subscriptions.length === 0) {
      return notice('accent', 'No digests here yet', `${ctx.partnership.name} sends no digest to this conversation.`, {
        hint: 'An editor can start one with: digest subscribe weekly day=Monday at=09:00',
      });
    }
    const facts = subscriptions.map(({ subscription: s }) => ({
      title: s.id,
      value: [
        describeSpec(s.spec),
        s.paused
          ? `paused since ${whenShort(s.paused.at)} (${s.paused.reason})`
          : `next ${whenShort(nextRun(s.spec, ctx.now))}`,
        `sections: ${sectionsText(s.sections)}`,
      ].join(' · '),
    }));
    return notice(
      'default',
      `Digests in this conversation`,
      `${ctx.partnership.name} posts ${subscriptions.length === 1 ? 'one digest' : `${subscriptions.length} digests`} here (London time).`,
      { facts, hint: 'digest unsubscribe D-… stops one; digest preview shows the digest now.' },
    );
  }

  /** `digest unsubscribe D-2`: the id arrives as `D-2` however it was typed. */
  async function unsubscribe(ctx: CommandRequest<{ id: string }>): Promise<Reply> {
    const all = await kit.digests.list(ctx.partnership.id);
    const ours = all.filter((s) => s.subscription.conversation.conversationId === ctx.conversation.id);
    const found = all.find((s) => s.subscription.id === ctx.args.id);
    if (!found || found.subscription.conversation.conversationId !== ctx.conversation.id) {
      const elsewhere = found
        ? ` ${found.subscription.id} posts to ${found.subscription.conversation.label}, not here.`
        : '';
      throw new NotFound(
        `There is no digest "${ctx.args.id}" in this conversation.${elsewhere} Nothing was changed.`,
        ours.map((s) => `digest unsubscribe ${s.subscription.id} (${describeSpec(s.subscription.spec)})`),
        'Type digest list to see the digests here with their numbers.',
      );
    }
    const s = found.subscription;
    await conflictAs(
      kit.digests.remove(
        ctx.partnership.id,
        found,
        { at: ctx.now.toISOString(), by: ctx.actor.name },
        auditOf(ctx, `digest ${s.id}`, { schedule: describeSpec(s.spec), to: s.conversation.label }, null),
      ),
    );
    return done(`Digest ${s.id} stopped`, `The digest ${describeSpec(s.spec)} will no longer be posted here.`);
  }

  return { subscribe, list, unsubscribe, here };
}

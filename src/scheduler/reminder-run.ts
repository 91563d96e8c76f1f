import { reminderReply } from '../commands/digest/reminder-view.js';
import { conversationRecordFor } from '../commands/kit/notify.js';
import type { DigestRequest, ReminderItem } from '../commands/types.js';
import type { Partnership, PartnershipId } from '../domain/partnership.js';
import { nextRun, weeklyReminderKey, type ScheduleSpec, type WallTime } from '../domain/schedule.js';
import type { ReminderStore } from '../storage/reminders.js';
import type { StoredRun } from '../storage/schedule.js';
import type { RunContext, RunResult } from './digest-run.js';
import { forEachLimited, type LeaseKeeper } from './lease.js';

/**
 * A partnership's reminders, run every hour: each person with a decision due within a day gets
 * one reminder of it, and each person who owes a review or a figure gets one reminder a week (from
 * Monday 09:00) listing all of it. A reminder is claimed by key before it is sent, so it goes once
 * whichever instance sends it; `reminders off` is respected.
 */
export const WEEKLY_REMINDERS: ScheduleSpec = { kind: 'weekly', day: 'Monday', at: '09:00' as WallTime };
export const APPROVAL_NOTICE_MS = 24 * 3600 * 1000;
const WEEK_MS = 7 * 24 * 3600 * 1000;

export interface ReminderContext extends RunContext {
  readonly reminders: ReminderStore;
}

type Person = ReminderItem['person'];
type Outcome = 'sent' | 'none' | 'off' | 'unreachable';

export async function runReminders(ctx: ReminderContext, run: StoredRun, keeper: LeaseKeeper): Promise<RunResult> {
  const pid = run.row.partnershipId as PartnershipId;
  const partnership = await ctx.services.partnerships.get(pid);
  if (!partnership) return { state: 'sent', outcome: 'no such partnership' };
  const now = ctx.services.clock();
  const items = await owed(ctx, { partnership, now, since: undefined });
  const byPerson = new Map<string, { person: Person; items: ReminderItem[] }>();
  for (const item of items) {
    const entry = byPerson.get(item.person.id) ?? { person: item.person, items: [] };
    entry.items.push(item);
    byPerson.set(item.person.id, entry);
  }
  const tally: Record<Outcome | 'failed', number> = { sent: 0, none: 0, off: 0, unreachable: 0, failed: 0 };
  await forEachLimited(
    [...byPerson.values()],
    ctx.fanOut,
    async ({ person, items: theirs }) => {
      const outcome = await remind(ctx, partnership, person, theirs, now).catch((error: unknown) => {
        ctx.logger.warn({ err: error, partnership: pid, person: person.id }, 'reminder failed');
        return 'failed' as const;
      });
      tally[outcome]++;
    },
    async () => !ctx.stopping() && (await keeper.keep()),
  );
  return {
    state: tally.failed > 0 ? 'retry' : 'sent',
    outcome: `reminded ${tally.sent}${tally.off ? `, ${tally.off} off` : ''}${tally.failed ? `, ${tally.failed} failed` : ''}`,
  };
}

/** What every family says people owe; a family that cannot be read is left out this time. */
async function owed(ctx: RunContext, request: DigestRequest): Promise<ReminderItem[]> {
  const lists = await Promise.all(
    ctx.sources.families().map(async (family) => {
      try {
        return (await family.reminders?.(request)) ?? [];
      } catch (error) {
        ctx.logger.error({ err: error, family: family.words[0] }, 'reminders could not be read');
        return [];
      }
    }),
  );
  return lists.flat();
}

function approvalKey(person: Person, item: ReminderItem): string {
  return `approval|${person.id}|${item.ref ?? item.text}|${item.due ?? ''}`;
}

/** The key of this week's reminder: weeks start at the weekly reminder time, Monday 09:00 in London. */
function weekKey(person: Person, now: Date): string {
  return `week|${weeklyReminderKey(person.id, nextRun(WEEKLY_REMINDERS, new Date(now.getTime() - WEEK_MS)))}`;
}

async function remind(
  ctx: ReminderContext,
  partnership: Partnership,
  person: Person,
  items: readonly ReminderItem[],
  now: Date,
): Promise<Outcome> {
  const settings = await ctx.reminders.person(partnership.tenantId, person.id);
  if (settings?.reminders === 'off') return 'off';
  const approvals = items.filter((i) => {
    const due = i.kind === 'approval' && i.due ? Date.parse(i.due) : NaN;
    return due > now.getTime() && due - now.getTime() <= APPROVAL_NOTICE_MS;
  });
  const weekly = items.filter((i) => i.kind !== 'approval');
  const chat = settings?.personalChatId
    ? await conversationRecordFor(ctx.services, partnership.tenantId, settings.personalChatId, undefined)
    : undefined;

  const claim = async (wanted: ReadonlyArray<[string, readonly ReminderItem[]]>) => {
    const got: Array<[string, readonly ReminderItem[]]> = [];
    for (const [key, of] of wanted)
      if (await ctx.reminders.claimReminder(partnership.id, key, now)) got.push([key, of]);
    return got;
  };
  const send = async (
    record: NonNullable<typeof chat>,
    claims: Array<[string, readonly ReminderItem[]]>,
    where: 'personal' | 'mention',
  ) => {
    if (claims.length === 0) return 'none' as const;
    try {
      const result = await ctx.services.proactive.send(
        record,
        reminderReply(
          partnership.name,
          person,
          claims.flatMap(([, of]) => of),
          where,
        ),
      );
      return result === 'sent' ? ('sent' as const) : ('unreachable' as const);
    } catch (error) {
      await Promise.all(claims.map(([key]) => ctx.reminders.releaseReminder(partnership.id, key)));
      throw error;
    }
  };

  if (chat?.active) {
    const wanted: Array<[string, readonly ReminderItem[]]> = approvals.map((a) => [approvalKey(person, a), [a]]);
    if (weekly.length > 0) wanted.push([weekKey(person, now), weekly]);
    return send(chat, await claim(wanted), 'personal');
  }
  // No personal chat: decisions due are said where they were posted, with a mention; the weekly list waits for a chat.
  const byConversation = new Map<string, ReminderItem[]>();
  for (const a of approvals) {
    if (a.postedIn)
      byConversation.set(a.postedIn.conversationId, [...(byConversation.get(a.postedIn.conversationId) ?? []), a]);
  }
  let outcome: Outcome = 'none';
  for (const [conversationId, here] of byConversation) {
    const record = await conversationRecordFor(
      ctx.services,
      partnership.tenantId,
      conversationId,
      here[0]!.postedIn!.teamId,
    );
    if (!record?.active) continue;
    const claims = await claim(here.map((a): [string, readonly ReminderItem[]] => [approvalKey(person, a), [a]]));
    if ((await send(record, claims, 'mention')) === 'sent') outcome = 'sent';
  }
  return outcome;
}

import { reminderReply } from '../commands/digest/reminder-view.js';
import { conversationRecordFor } from '../commands/kit/notify.js';
import type { DigestRequest, ReminderItem } from '../commands/types.js';
import type { Partnership, PartnershipId } from '../domain/partnership.js';
import { nextRun, weeklyReminderKey, type ScheduleSpec, type WallTime } from '../domain/schedule.js';
import type { ConversationRecord } from '../storage/conversations.js';
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
  await housekeeping(ctx, { partnership, now, since: undefined });
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

/** What time alone changes, family by family; one that fails is logged and tried again next hour. */
async function housekeeping(ctx: RunContext, request: DigestRequest): Promise<void> {
  for (const family of ctx.sources.families()) {
    await family.housekeeping?.(request).catch((error: unknown) => {
      ctx.logger.error({ err: error, family: family.words[0] }, 'housekeeping failed');
    });
  }
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

/** Reminders claimed for sending: each key with the items it covers. */
type Claims = Array<[key: string, items: readonly ReminderItem[]]>;

interface Reminding {
  readonly ctx: ReminderContext;
  readonly partnership: Partnership;
  readonly person: Person;
  readonly now: Date;
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
  const r: Reminding = { ctx, partnership, person, now };
  const approvals = items.filter((i) => {
    const due = i.kind === 'approval' && i.due ? Date.parse(i.due) : NaN;
    return due > now.getTime() && due - now.getTime() <= APPROVAL_NOTICE_MS;
  });
  const weekly = items.filter((i) => i.kind !== 'approval');
  const chat = settings?.personalChatId
    ? await conversationRecordFor(ctx.services, partnership.tenantId, settings.personalChatId, undefined)
    : undefined;
  if (chat?.active) {
    const wanted: Claims = approvals.map((a) => [approvalKey(person, a), [a]]);
    if (weekly.length > 0) wanted.push([weekKey(person, now), weekly]);
    return send(r, chat, await claim(r, wanted), 'personal');
  }
  return mentionWherePosted(r, approvals);
}

/** Without a personal chat, decisions due are said where they were posted, with a mention; the weekly list waits for a chat. */
async function mentionWherePosted(r: Reminding, approvals: readonly ReminderItem[]): Promise<Outcome> {
  const byConversation = new Map<string, ReminderItem[]>();
  for (const a of approvals) {
    if (a.postedIn)
      byConversation.set(a.postedIn.conversationId, [...(byConversation.get(a.postedIn.conversationId) ?? []), a]);
  }
  let outcome: Outcome = 'none';
  for (const [conversationId, here] of byConversation) {
    const teamId = here[0]!.postedIn!.teamId;
    const record = await conversationRecordFor(r.ctx.services, r.partnership.tenantId, conversationId, teamId);
    if (!record?.active) continue;
    const claims = await claim(
      r,
      here.map((a): Claims[number] => [approvalKey(r.person, a), [a]]),
    );
    if ((await send(r, record, claims, 'mention')) === 'sent') outcome = 'sent';
  }
  return outcome;
}

/** The reminders not sent yet, claimed by inserting their keys. */
async function claim(r: Reminding, wanted: Claims): Promise<Claims> {
  const got: Claims = [];
  for (const [key, items] of wanted) {
    if (await r.ctx.reminders.claimReminder(r.partnership.id, key, r.now)) got.push([key, items]);
  }
  return got;
}

/** One message with everything claimed; a send that fails gives the claims back for the next run. */
async function send(
  r: Reminding,
  record: ConversationRecord,
  claims: Claims,
  where: 'personal' | 'mention',
): Promise<Outcome> {
  if (claims.length === 0) return 'none';
  const reply = reminderReply(
    r.partnership.name,
    r.person,
    claims.flatMap(([, items]) => items),
    where,
  );
  try {
    return (await r.ctx.services.proactive.send(record, reply)) === 'sent' ? 'sent' : 'unreachable';
  } catch (error) {
    await Promise.all(claims.map(([key]) => r.ctx.reminders.releaseReminder(r.partnership.id, key)));
    throw error;
  }
}

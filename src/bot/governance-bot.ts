import { ActivityHandler, CardFactory, TurnContext, type Activity, type InvokeResponse } from 'botbuilder';
import type { Logger } from 'pino';
import { notice } from '../commands/kit/replies.js';
import type { Router } from '../commands/router.js';
import type { Reply } from '../commands/types.js';
import { CARD_BYTE_LIMIT, cardBytes, renderCard, type AdaptiveCard } from '../cards/render.js';
import { shownText } from '../domain/text.js';
import type { ConversationRepository, ConversationRecord } from '../storage/conversations.js';
import { MAX_NAME_CHARS } from './activity-schema.js';
import { actorOf, channelDataOf, conversationOf, mentionsOf } from './activity.js';
import { ConversationGone, Pacer, REPLY_RETRY, ReplyFailed, sendWithRetry } from './sender.js';
import { currentTurn } from './turn.js';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The reply's retries stop this long before the turn's deadline, so the turn can still answer in time. */
const REPLY_MARGIN_MS = 250;
/** A command's retries stop this long before the turn's deadline, leaving the reply time to be sent. */
const REPLY_TIME_MS = 2_000;

/** The command's deadline within the turn's, when the turn has one. */
function commandDeadline(): { deadline?: number } {
  const turn = currentTurn();
  return turn ? { deadline: turn.deadline - REPLY_TIME_MS } : {};
}

/** Teams takes messages up to about 100 KB; plain text is cut well below that. */
const MAX_TEXT_CHARS = 20_000;

/**
 * Turns a Reply into a Teams message: the card, with its plain text as the card's fallback and the
 * activity's summary. Teams shows `text` beside a card, so a card's text goes where clients that
 * cannot show cards read it instead. A card too large for Teams goes as its plain text.
 */
export function toActivity(reply: Reply): Partial<Activity> {
  const card = fittingCard(reply);
  if (!card) return { type: 'message', text: plainText(reply.text), textFormat: 'plain' };
  return {
    type: 'message',
    summary: shownText(reply.text.split('\n')[0] ?? ''),
    attachments: [CardFactory.adaptiveCard(card)],
  };
}

/** The reply's card, rendered, when it fits Teams' card size; otherwise the reply goes as text. */
function fittingCard(reply: Reply): AdaptiveCard | undefined {
  if (!reply.card) return undefined;
  // The fallback is shown as it stands by clients without cards: typed links in it are defused too.
  const card = renderCard(reply.card.template, reply.card.data, shownText(reply.text));
  return cardBytes(card) > CARD_BYTE_LIMIT ? undefined : card;
}

/** The answer to a card button: the card that replaces the one clicked, or a message when there is no card that fits. */
export function toInvokeResponse(reply: Reply): InvokeResponse {
  const card = fittingCard(reply);
  if (!card) {
    return {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: plainText(reply.text) },
    };
  }
  return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD, value: card } };
}

/** Plain text as Teams shows it: cut to size, and what people typed that looks like a link defused. */
function plainText(text: string): string {
  const shown = shownText(text);
  return shown.length > MAX_TEXT_CHARS ? `${shown.slice(0, MAX_TEXT_CHARS)}\n… (cut short)` : shown;
}

/** Where each person's personal chat with the bot is (for reminders), learnt when the app is added there. */
export interface PersonalChats {
  rememberPersonalChat(
    tenantId: string,
    person: { id: string; name: string },
    conversationId: string,
    at: Date,
  ): Promise<void>;
}

export interface BotDeps {
  readonly router: Router;
  readonly conversations: ConversationRepository;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** The sender's pacing, shared with proactive sends: replies count against the same limits. */
  readonly pacer: Pacer;
  readonly people?: PersonalChats | undefined;
}

/** A name too long to show or store (ours, or someone mentioned) gets this answer, and nothing is done. */
function overlongName(activity: Partial<Activity>): Reply | undefined {
  const { people } = mentionsOf(activity);
  const names = [activity.from?.name ?? '', ...people.map((p) => p.user.name)];
  const longest = Math.max(...names.map((n) => n.length));
  if (longest <= MAX_NAME_CHARS) return undefined;
  return notice(
    'warning',
    'That name is too long',
    `A display name in that message has ${longest.toLocaleString('en-GB')} characters; I work with names of up to ${MAX_NAME_CHARS}. Nothing was changed.`,
    { hint: "Shorten the display name in your organisation's directory, or ask your ICT service desk." },
  );
}

export class GovernanceBot extends ActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.answerMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forget(context, 'bot uninstalled');
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) await this.remember(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      await this.renamed(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botId = context.activity.recipient.id;
      if ((context.activity.membersRemoved ?? []).some((m) => m.id === botId))
        await this.forget(context, 'bot removed from the conversation');
      await next();
    });
  }

  private async answerMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const refusal = overlongName(activity);
    if (refusal) {
      await this.send(context, toActivity(refusal));
      return;
    }
    const { botMentions, people } = mentionsOf(activity);
    const conversation = conversationOf(activity);
    // A message with only a file or an image still gets an answer: what the bot reads is typed text.
    const text = activity.text ?? '';
    const reply = await this.deps.router.handleMessage({
      text,
      botMentions,
      mentions: people,
      actor: actorOf(activity),
      conversation,
      ...commandDeadline(),
    });
    const activityId = await this.send(context, toActivity(reply));
    if (activityId && reply.onPosted) {
      const posted = { activityId, conversation: postedRecordOf(activity, this.deps.clock()) };
      await reply.onPosted(posted).catch((error: unknown) => {
        this.deps.logger.error(
          { err: error, conversation: activity.conversation.id },
          'where a card was posted not kept',
        );
      });
    }
    this.afterAnswer(reply);
  }

  /** Work that may take longer than Teams waits for an answer: started once the answer is on its way. */
  private afterAnswer(reply: Reply): void {
    const followUp = reply.followUp;
    if (!followUp) return;
    setImmediate(() => {
      followUp().catch((error: unknown) => this.deps.logger.error({ err: error }, 'follow-up failed'));
    });
  }

  /** Card buttons (Action.Execute): the answer is a card that replaces the one clicked. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    // Other invokes (message extensions, task modules) are not used by this app: acknowledged and ignored.
    if (context.activity.name !== 'adaptiveCard/action') return { status: 200 };
    const refusal = overlongName(context.activity);
    if (refusal) return toInvokeResponse(refusal);
    const value = (context.activity.value ?? {}) as { action?: { verb?: unknown; data?: unknown } };
    const verb = typeof value.action?.verb === 'string' ? value.action.verb : '';
    const reply = await this.deps.router.handleAction({
      verb,
      data: value.action?.data ?? {},
      actor: actorOf(context.activity),
      conversation: conversationOf(context.activity),
      ...commandDeadline(),
    });
    // Teams waits about 5 s for this answer: slower work (updating other copies of the card) comes after it.
    this.afterAnswer(reply);
    return toInvokeResponse(reply);
  }

  /** A reply, paced and retried within the turn's deadline, giving the id the connector gave it; a failure is a ReplyFailed, logged by the adapter. */
  private async send(context: TurnContext, activity: Partial<Activity>): Promise<string | undefined> {
    const c = conversationOf(context.activity);
    const turn = currentTurn();
    try {
      if (c.tenantId) await this.deps.pacer.waitForTenant(c.tenantId, turn?.signal);
      const sent = await sendWithRetry(() => context.sendActivity(activity), this.deps.logger, REPLY_RETRY, {
        ...(turn ? { deadline: turn.deadline - REPLY_MARGIN_MS, signal: turn.signal } : {}),
        onThrottled: (ms) => this.deps.pacer.holdOff(c.id, c.tenantId || undefined, ms),
      });
      return sent?.id || undefined;
    } catch (error) {
      if (!(error instanceof ConversationGone)) throw new ReplyFailed('the reply could not be sent', { cause: error });
      await this.deps.conversations.markInactive(c.tenantId, c.id, error.reason, this.deps.clock());
      return undefined;
    }
  }

  /** Stores the reference for proactive messages; welcomes only the first time (the events come in pairs). */
  private async remember(context: TurnContext): Promise<void> {
    const record = recordOf(context.activity, this.deps.clock());
    const seen = await this.deps.conversations.remember(record);
    if (seen === 'known') return;
    if (record.conversationType === 'personal' && this.deps.people) {
      const person = actorOf(context.activity);
      await this.deps.people.rememberPersonalChat(record.tenantId, person, record.conversationId, this.deps.clock());
    }
    const reply = await this.deps.router.welcome(conversationOf(context.activity), actorOf(context.activity));
    await this.send(context, toActivity(reply));
  }

  /** Teams' teamRenamed and channelRenamed events carry the new name: it is kept with the link. */
  private async renamed(context: TurnContext): Promise<void> {
    const data = channelDataOf(context.activity) as ReturnType<typeof channelDataOf> & { eventType?: string };
    const teamId = data.team?.id;
    if (!teamId || (data.eventType !== 'teamRenamed' && data.eventType !== 'channelRenamed')) return;
    const channel = data.eventType === 'channelRenamed' ? data.channel : undefined;
    const name = channel ? channel.name : data.team?.name;
    if (!name || (data.eventType === 'channelRenamed' && !channel?.id)) return;
    await this.deps.router.placeRenamed({
      tenantId: conversationOf(context.activity).tenantId,
      teamId,
      ...(channel?.id ? { channelId: channel.id } : {}),
      name,
      actor: actorOf(context.activity),
      at: this.deps.clock(),
    });
  }

  private async forget(context: TurnContext, reason: string): Promise<void> {
    const c = conversationOf(context.activity);
    await this.deps.conversations.markInactive(c.tenantId, c.id, reason, this.deps.clock());
  }
}

export function recordOf(activity: Partial<Activity>, now: Date): ConversationRecord {
  const c = conversationOf(activity);
  return {
    tenantId: c.tenantId,
    conversationId: c.id,
    conversationType: c.type,
    serviceUrl: activity.serviceUrl ?? '',
    botId: activity.recipient?.id ?? '',
    botName: activity.recipient?.name ?? '',
    teamId: c.teamId,
    channelId: c.channelId,
    name: c.teamName ?? c.name,
    active: true,
    updatedAt: now.toISOString(),
    inactiveReason: undefined,
  };
}

/** Where a reply to this activity lands: its conversation as the connector knows it (a channel thread keeps its id). */
export function postedRecordOf(activity: Partial<Activity>, now: Date): ConversationRecord {
  return { ...recordOf(activity, now), conversationId: activity.conversation?.id ?? '' };
}

import { ActivityHandler, CardFactory, TurnContext, type Activity, type InvokeResponse } from 'botbuilder';
import type { Logger } from 'pino';
import type { Router } from '../commands/router.js';
import type { Reply } from '../commands/types.js';
import { CARD_BYTE_LIMIT, cardBytes, renderCard, type AdaptiveCard } from '../cards/render.js';
import type { ConversationRepository, ConversationRecord } from '../storage/conversations.js';
import { actorOf, channelDataOf, conversationOf, mentionsOf } from './activity.js';
import { ConversationGone, REPLY_RETRY, sendWithRetry } from './sender.js';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

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
  return { type: 'message', summary: reply.text.split('\n')[0], attachments: [CardFactory.adaptiveCard(card)] };
}

/** The reply's card, rendered, when it fits Teams' card size; otherwise the reply goes as text. */
function fittingCard(reply: Reply): AdaptiveCard | undefined {
  if (!reply.card) return undefined;
  const card = renderCard(reply.card.template, reply.card.data, reply.text);
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

function plainText(text: string): string {
  return text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}\n… (cut short)` : text;
}

export interface BotDeps {
  readonly router: Router;
  readonly conversations: ConversationRepository;
  readonly logger: Logger;
  readonly clock: () => Date;
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
    });
    await this.send(context, toActivity(reply));
  }

  /** Card buttons (Action.Execute): the answer is a card that replaces the one clicked. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    // Other invokes (message extensions, task modules) are not used by this app: acknowledged and ignored.
    if (context.activity.name !== 'adaptiveCard/action') return { status: 200 };
    const value = (context.activity.value ?? {}) as { action?: { verb?: unknown; data?: unknown } };
    const verb = typeof value.action?.verb === 'string' ? value.action.verb : '';
    const reply = await this.deps.router.handleAction({
      verb,
      data: value.action?.data ?? {},
      actor: actorOf(context.activity),
      conversation: conversationOf(context.activity),
    });
    return toInvokeResponse(reply);
  }

  private async send(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    try {
      await sendWithRetry(() => context.sendActivity(activity), this.deps.logger, REPLY_RETRY);
    } catch (error) {
      if (!(error instanceof ConversationGone)) throw error;
      const c = conversationOf(context.activity);
      await this.deps.conversations.markInactive(c.tenantId, c.id, error.reason, this.deps.clock());
    }
  }

  /** Stores the reference for proactive messages; welcomes only the first time (the events come in pairs). */
  private async remember(context: TurnContext): Promise<void> {
    const seen = await this.deps.conversations.remember(recordOf(context.activity, this.deps.clock()));
    if (seen === 'known') return;
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

import { TeamsInfo, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { TeamsDirectory, TeamsPlace } from '../commands/services.js';
import type { UserRef } from '../commands/types.js';
import type { ConversationRecord, ConversationRepository } from '../storage/conversations.js';

/** How long one question to Teams may take before the command goes on without the answer. */
const ASK_MS = 3_000;
/** Members read a page at a time; a team of councils' staff may have thousands. */
const PAGE = 500;
const MAX_PAGES = 20;

/**
 * The Teams APIs the commands need (botbuilder's TeamsInfo: team details, channel list, member
 * list), asked through the connector of the place, as proactive messages are: the reference stored
 * when the bot was installed there (for a channel, its team's).
 */
export class TeamsDirectoryClient implements TeamsDirectory {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationRepository,
    private readonly logger: Logger,
    private readonly askMs = ASK_MS,
  ) {}

  async teamName(place: TeamsPlace): Promise<string | undefined> {
    const teamId = place.teamId;
    if (!teamId) return undefined;
    const details = await this.ask(place, (context) => TeamsInfo.getTeamDetails(context, teamId), 'team details');
    return details?.name || undefined;
  }

  async channelName(place: TeamsPlace, channelId: string): Promise<string | undefined> {
    const teamId = place.teamId;
    if (!teamId) return undefined;
    // Teams lists the first channel without a name; it is General, and its id is the team's.
    if (channelId === teamId) return 'General';
    const channels = await this.ask(place, (context) => TeamsInfo.getTeamChannels(context, teamId), 'channel list');
    return channels?.find((c) => c.id === channelId)?.name || undefined;
  }

  async findMember(place: TeamsPlace, emailOrUpn: string): Promise<UserRef | undefined> {
    const wanted = emailOrUpn.trim().toLowerCase();
    return this.ask(
      place,
      async (context) => {
        let token: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const result = place.teamId
            ? await TeamsInfo.getPagedTeamMembers(context, place.teamId, PAGE, token)
            : await TeamsInfo.getPagedMembers(context, PAGE, token);
          const found = result.members.find(
            (m) => m.email?.toLowerCase() === wanted || m.userPrincipalName?.toLowerCase() === wanted,
          );
          if (found) {
            const ref: UserRef = {
              kind: 'user',
              id: found.id,
              name: found.name || emailOrUpn,
              aadObjectId: found.aadObjectId || undefined,
            };
            return ref;
          }
          token = result.continuationToken;
          if (!token) return undefined;
        }
        return undefined;
      },
      'member list',
    );
  }

  /** The reference to reach a place by: its own, or for a channel or team, the team's. */
  private async referenceOf(place: TeamsPlace): Promise<ConversationRecord | undefined> {
    const own = await this.conversations.get(place.tenantId, place.conversationId);
    if (own || !place.teamId || place.teamId === place.conversationId) return own;
    return this.conversations.get(place.tenantId, place.teamId);
  }

  /** Runs one question in a turn of the place's conversation, within the time allowed; a failure is logged and gives undefined. */
  private async ask<T>(
    place: TeamsPlace,
    question: (context: TurnContext) => Promise<T>,
    what: string,
  ): Promise<T | undefined> {
    const record = await this.referenceOf(place).catch(() => undefined);
    if (!record?.active) return undefined;
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: record.serviceUrl,
      bot: { id: record.botId, name: record.botName },
      conversation: {
        id: place.conversationId,
        conversationType: place.teamId ? 'channel' : record.conversationType,
        tenantId: place.tenantId,
        isGroup: record.conversationType !== 'personal',
        name: '',
      },
    };
    let answer: T | undefined;
    let timer: NodeJS.Timeout | undefined;
    // The adapter hands errors thrown in the callback to onTurnError, so the outcome is carried out by hand.
    const asked = this.adapter
      .continueConversationAsync(this.botAppId, reference, async (context) => {
        try {
          answer = await question(context);
        } catch (error) {
          this.logger.warn({ err: error, conversation: place.conversationId }, `Teams ${what} could not be read`);
        }
      })
      .then(
        () => 'answered' as const,
        (error: unknown) => {
          this.logger.warn({ err: error, conversation: place.conversationId }, `Teams ${what} could not be read`);
          return 'failed' as const;
        },
      );
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.askMs)));
    const outcome = await Promise.race([asked, late]);
    clearTimeout(timer);
    if (outcome === 'late') this.logger.warn({ conversation: place.conversationId }, `Teams ${what} took too long`);
    if (outcome !== 'answered') return undefined;
    return answer;
  }
}

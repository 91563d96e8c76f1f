/**
 * Teams-shaped activities for tests, so that no test copy-pastes activity JSON.
 *
 *   const stub = await startConnectorStub();
 *   const teams = teamsActivities(stub.url);          // builders bound to a serviceUrl
 *   const board = channel({ channelName: 'Programme Board' });
 *
 *   await postActivity(botUrl, teams.message(personalChat(alex), alex, 'kpi'));
 *   await postActivity(botUrl, teams.message(board, alex, 'kpi red'));
 *   //   -> text '<at>Governance Bot</at> kpi red' with the bot's mention entity
 *   await postActivity(botUrl, teams.message(board, alex, mentions`role grant ${sam} approver`));
 *   //   -> text '<at>Governance Bot</at> role grant <at>Sam Jones</at> approver',
 *   //      entities: a mention of the bot and one of Sam
 *   const { body } = await postActivity(botUrl, teams.invoke(board, priya, 'approve', { approvalId: 'A-1' }));
 *
 * Mentions of people: write the text with the `mentions` template tag and put a Person
 * (or any `{ id, name }` account) where the @mention goes. Each one becomes
 * `<at>Name</at>` in the text and a `mention` entity, exactly as Teams sends them.
 * The bot's own mention is added by `message` in channels and group chats (where Teams
 * only delivers messages that @mention the bot); `{ mentionBot: false }` leaves it out,
 * `{ mentionBot: true }` adds it in a personal chat.
 */

export interface Person {
  /** Teams user id, `29:...`. */
  id: string;
  /** Azure AD (Entra ID) object id, a GUID. */
  aadObjectId: string;
  name: string;
  email?: string;
  jobTitle?: string;
}

/** Any channel account: a person, the bot, or a bare `{ id }`. */
export interface Account {
  id: string;
  name?: string;
  aadObjectId?: string;
}

/** The tenant of the councils' shared ICT service. */
export const tenantId = '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70';
/** Some other organisation's tenant (activities from it must be refused). */
export const otherTenantId = 'c0ffee00-1d2e-4f3a-8b4c-5d6e7f809123';

export const alex: Person = {
  id: '29:1alex-ict-service-manager',
  aadObjectId: 'a1e7c3b2-0001-4a6b-9c1d-11aa22bb33cc',
  name: 'Alex Morgan',
  email: 'alex.morgan@shared-ict.example',
  jobTitle: 'ICT Service Manager',
};
export const sam: Person = {
  id: '29:1sam-finance-officer',
  aadObjectId: 'b2f8d4c3-0002-4b7c-8d2e-22bb33cc44dd',
  name: 'Sam Jones',
  email: 'sam.jones@shared-ict.example',
  jobTitle: 'Finance Officer',
};
export const priya: Person = {
  id: '29:1priya-board-member',
  aadObjectId: 'c3a9e5d4-0003-4c8d-9e3f-33cc44dd55ee',
  name: 'Priya Shah',
  email: 'priya.shah@shared-ict.example',
  jobTitle: 'Programme Board Member',
};
export const jo: Person = {
  id: '29:1jo-committee-member',
  aadObjectId: 'd4b0f6e5-0004-4d9e-8f40-44dd55ee66ff',
  name: 'Jo Williams',
  email: 'jo.williams@shared-ict.example',
  jobTitle: 'Joint Committee Member',
};
export const people: readonly Person[] = [alex, sam, priya, jo];

/** The bot as Teams addresses it (activity `recipient`). */
export const bot: Required<Pick<Account, 'id' | 'name'>> = { id: '28:bot-id', name: 'Governance Bot' };

// ---------------------------------------------------------------------------------
// Where a message happens
// ---------------------------------------------------------------------------------

export interface PersonalChat {
  kind: 'personal';
  conversationId: string;
  tenantId: string;
  person: Person;
}

export interface GroupChat {
  kind: 'groupChat';
  conversationId: string;
  tenantId: string;
  name?: string;
}

export interface TeamChannel {
  kind: 'channel';
  /**
   * The channel's id. Messages and invokes arrive in `<channelId>;messageid=<root post id>`;
   * installation and conversation updates arrive in the team's conversation (`teamId`).
   */
  conversationId: string;
  tenantId: string;
  /** The team id, which is also the General channel's id. Seed the stub's team members under it. */
  teamId: string;
  teamName: string;
  aadGroupId: string;
  channelId: string;
  channelName: string;
}

/** Where an activity happens. */
export type Where = PersonalChat | GroupChat | TeamChannel;

/** The 1:1 chat between `person` and the bot. */
export function personalChat(person: Person, opts: { id?: string; tenantId?: string } = {}): PersonalChat {
  return {
    kind: 'personal',
    conversationId: opts.id ?? `a:1personal-${person.id.replace(/^29:1?/, '')}`,
    tenantId: opts.tenantId ?? tenantId,
    person,
  };
}

/** A group chat the bot is in. `id` defaults to one fixed group chat. */
export function groupChat(id?: string, opts: { name?: string; tenantId?: string } = {}): GroupChat {
  return {
    kind: 'groupChat',
    conversationId: id ?? '19:governance-group-chat@thread.v2',
    tenantId: opts.tenantId ?? tenantId,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
  };
}

export interface ChannelOptions {
  teamId?: string;
  channelId?: string;
  teamName?: string;
  channelName?: string;
  aadGroupId?: string;
  tenantId?: string;
}

/**
 * A channel of a team. Defaults: the "Shared ICT Service" team and its "Programme Board"
 * channel. Pass `channelId: teamId` (or `channelName: 'General'`) for General.
 */
export function channel(opts: ChannelOptions = {}): TeamChannel {
  const teamId = opts.teamId ?? '19:shared-ict-service-team@thread.tacv2';
  const channelId =
    opts.channelId ?? (opts.channelName === 'General' ? teamId : '19:programme-board-channel@thread.tacv2');
  return {
    kind: 'channel',
    conversationId: channelId,
    tenantId: opts.tenantId ?? tenantId,
    teamId,
    teamName: opts.teamName ?? 'Shared ICT Service',
    aadGroupId: opts.aadGroupId ?? 'e5c1a7f6-0005-4eaf-9051-55ee66ff7700',
    channelId,
    channelName: opts.channelName ?? (channelId === teamId ? 'General' : 'Programme Board'),
  };
}

// ---------------------------------------------------------------------------------
// Mentions
// ---------------------------------------------------------------------------------

export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/** Text with the mention entities that go with it; `message` accepts it in place of a string. */
export interface TeamsText {
  text: string;
  entities: MentionEntity[];
}

/** `<at>Name</at>` and its entity for one account. */
export function mention(account: Account): { text: string; entity: MentionEntity } {
  const name = account.name ?? account.id;
  const text = `<at>${name}</at>`;
  return { text, entity: { type: 'mention', text, mentioned: { id: account.id, name } } };
}

/**
 * Template tag for text with @mentions: every interpolated Person/Account becomes
 * `<at>Name</at>` plus a mention entity; strings and numbers are inserted as they are.
 *
 *   mentions`risk add "Cyber security" likelihood=4 impact=5 owner=${sam}`
 */
export function mentions(strings: TemplateStringsArray, ...values: Array<Account | string | number>): TeamsText {
  let text = strings[0] ?? '';
  const entities: MentionEntity[] = [];
  values.forEach((value, i) => {
    if (typeof value === 'object') {
      const m = mention(value);
      text += m.text;
      entities.push(m.entity);
    } else {
      text += String(value);
    }
    text += strings[i + 1] ?? '';
  });
  return { text, entities };
}

// ---------------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------------

export interface TeamsConversation {
  id: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  tenantId: string;
  isGroup: boolean;
  name?: string;
}

export interface TeamsChannelData {
  tenant: { id: string };
  team?: { id: string; name?: string; aadGroupId?: string };
  channel?: { id: string; name?: string };
  eventType?: string;
  source?: { name: string };
  settings?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A Teams activity as it arrives at `/api/messages`. */
export interface TeamsActivity {
  type: 'message' | 'invoke' | 'installationUpdate' | 'conversationUpdate' | (string & {});
  id: string;
  timestamp: string;
  localTimezone?: string;
  channelId: 'msteams';
  serviceUrl: string;
  from: Account;
  recipient: Account;
  conversation: TeamsConversation;
  channelData: TeamsChannelData;
  locale?: string;
  text?: string;
  textFormat?: 'plain';
  entities?: Array<MentionEntity | Record<string, unknown>>;
  replyToId?: string;
  name?: string;
  value?: unknown;
  action?: string;
  membersAdded?: Account[];
  membersRemoved?: Account[];
  [key: string]: unknown;
}

export interface MessageOptions {
  /** Add the bot's `<at>` mention in front of the text. Default: in channels and group chats. */
  mentionBot?: boolean;
  /** In a channel: the id of the thread's root post (a reply in a thread). Default: a new post. */
  threadId?: string;
  /** Activity id. Default: a fresh one. */
  id?: string;
  /** Default: now. */
  timestamp?: Date | string;
  /** Extra entities. */
  entities?: Array<Record<string, unknown>>;
  /** Merged into `channelData`. */
  channelData?: Record<string, unknown>;
  /** Attachments (e.g. a file a person sent). */
  attachments?: unknown[];
  /** A card `Action.Submit` value (legacy); not needed for Action.Execute. */
  value?: unknown;
  locale?: string;
}

export interface InvokeOptions {
  /** The button's title (Teams sends it; the Playground does too). */
  title?: string;
  /** `manual` (a click, default), `automatic` (a `refresh`), or null to leave it out, as the Playground does. */
  trigger?: 'manual' | 'automatic' | null;
  /** Id of the message that carries the card. */
  replyToId?: string;
  /** In a channel: the thread's root post id. Default: `replyToId`, else a fresh id. */
  threadId?: string;
  id?: string;
  timestamp?: Date | string;
  locale?: string;
}

export interface ConversationUpdateOptions {
  membersAdded?: Account[];
  membersRemoved?: Account[];
  /**
   * `channelData.eventType`. Default in a channel: `teamMemberAdded` / `teamMemberRemoved`
   * when members are given. Others Teams sends: channelCreated, channelRenamed,
   * channelDeleted, channelRestored, teamRenamed, teamDeleted, teamArchived ...
   */
  eventType?: string;
  /** Who made the change. Default: the personal chat's person, else `alex`. */
  from?: Account;
  id?: string;
  timestamp?: Date | string;
}

export type InstallationAction = 'add' | 'remove' | 'add-upgrade' | 'remove-upgrade';

export interface TeamsActivitiesOptions {
  /** The bot account (recipient). Default `bot`. */
  bot?: Required<Pick<Account, 'id' | 'name'>>;
  locale?: string;
}

export interface TeamsActivities {
  readonly serviceUrl: string;
  readonly bot: Required<Pick<Account, 'id' | 'name'>>;
  /** A message from `from` in `where`; `text` may be a `mentions\`...\`` value. */
  message(where: Where, from: Account, text: string | TeamsText, opts?: MessageOptions): TeamsActivity;
  /** A click on an `Action.Execute` button: invoke `adaptiveCard/action`. */
  invoke(
    where: Where,
    from: Account,
    verb: string,
    data?: Record<string, unknown>,
    opts?: InvokeOptions,
  ): TeamsActivity;
  /** The app installed (`add`) or uninstalled (`remove`) in `where`. */
  installationUpdate(
    where: Where,
    from: Account,
    action: InstallationAction,
    opts?: { id?: string; timestamp?: Date | string },
  ): TeamsActivity;
  /** Members added or removed (the bot added: `membersAdded: [teams.bot]`), or a channel/team event. */
  conversationUpdate(where: Where, opts: ConversationUpdateOptions): TeamsActivity;
  /** Shorthand: `conversationUpdate(where, { membersAdded: [bot], from })`. */
  botAdded(where: Where, from?: Account): TeamsActivity;
}

let lastActivityId = Date.now();
/** A fresh activity id in Teams' style (a millisecond timestamp as a string), unique in the process. */
export function newActivityId(): string {
  lastActivityId = Math.max(lastActivityId + 1, Date.now());
  return String(lastActivityId);
}

function iso(t: Date | string | undefined): string {
  if (t === undefined) return new Date().toISOString();
  return typeof t === 'string' ? t : t.toISOString();
}

function account(a: Account): Account {
  return {
    id: a.id,
    ...(a.name !== undefined ? { name: a.name } : {}),
    ...(a.aadObjectId !== undefined ? { aadObjectId: a.aadObjectId } : {}),
  };
}

/** Builders bound to a connector `serviceUrl` (the stub's `url`, or the Playground's). */
export function teamsActivities(serviceUrl: string, options: TeamsActivitiesOptions = {}): TeamsActivities {
  const theBot = options.bot ?? bot;
  const locale = options.locale ?? 'en-GB';

  const conversationFor = (where: Where, threadId: string | undefined): TeamsConversation => {
    switch (where.kind) {
      case 'personal':
        return { id: where.conversationId, conversationType: 'personal', tenantId: where.tenantId, isGroup: false };
      case 'groupChat':
        return {
          id: where.conversationId,
          conversationType: 'groupChat',
          tenantId: where.tenantId,
          isGroup: true,
          ...(where.name !== undefined ? { name: where.name } : {}),
        };
      case 'channel':
        return {
          id: threadId === undefined ? where.teamId : `${where.channelId};messageid=${threadId}`,
          conversationType: 'channel',
          tenantId: where.tenantId,
          isGroup: true,
        };
    }
  };

  const channelDataFor = (where: Where): TeamsChannelData => {
    const data: TeamsChannelData = { tenant: { id: where.tenantId } };
    if (where.kind === 'channel') {
      data.team = { id: where.teamId, name: where.teamName, aadGroupId: where.aadGroupId };
      data.channel = { id: where.channelId, name: where.channelName };
    }
    return data;
  };

  const base = (
    type: string,
    where: Where,
    from: Account,
    id: string,
    threadId: string | undefined,
    timestamp: Date | string | undefined,
  ): TeamsActivity => ({
    type,
    id,
    timestamp: iso(timestamp),
    localTimezone: 'Europe/London',
    channelId: 'msteams',
    serviceUrl,
    from: account(from),
    recipient: { id: theBot.id, name: theBot.name },
    conversation: conversationFor(where, threadId),
    channelData: channelDataFor(where),
    locale,
  });

  const clientInfo = (loc: string): Record<string, unknown> => ({
    type: 'clientInfo',
    locale: loc,
    country: 'GB',
    platform: 'Web',
    timezone: 'Europe/London',
  });

  const builders: TeamsActivities = {
    serviceUrl,
    bot: theBot,

    message(where, from, text, opts = {}) {
      const id = opts.id ?? newActivityId();
      const body: TeamsText = typeof text === 'string' ? { text, entities: [] } : text;
      const mentionBot = opts.mentionBot ?? where.kind !== 'personal';
      const botMention = mention(theBot);
      const activity = base(
        'message',
        where,
        from,
        id,
        where.kind === 'channel' ? (opts.threadId ?? id) : undefined,
        opts.timestamp,
      );
      activity.text = mentionBot ? `${botMention.text} ${body.text}` : body.text;
      activity.textFormat = 'plain';
      activity.entities = [
        ...(mentionBot ? [botMention.entity] : []),
        ...body.entities,
        clientInfo(opts.locale ?? locale),
        ...(opts.entities ?? []),
      ];
      if (opts.locale !== undefined) activity.locale = opts.locale;
      if (opts.attachments !== undefined) activity.attachments = opts.attachments;
      if (opts.value !== undefined) activity.value = opts.value;
      if (where.kind === 'channel' && opts.threadId !== undefined) activity.replyToId = opts.threadId;
      if (opts.channelData) Object.assign(activity.channelData, opts.channelData);
      return activity;
    },

    invoke(where, from, verb, data = {}, opts = {}) {
      const id = opts.id ?? newActivityId();
      const threadId = where.kind === 'channel' ? (opts.threadId ?? opts.replyToId ?? newActivityId()) : undefined;
      const activity = base('invoke', where, from, id, threadId, opts.timestamp);
      const trigger = opts.trigger === undefined ? 'manual' : opts.trigger;
      activity.name = 'adaptiveCard/action';
      activity.value = {
        action: {
          type: 'Action.Execute',
          ...(opts.title !== undefined ? { title: opts.title } : {}),
          verb,
          data,
        },
        ...(trigger !== null ? { trigger } : {}),
      };
      activity.entities = [clientInfo(opts.locale ?? locale)];
      activity.channelData.source = { name: 'message' };
      if (opts.replyToId !== undefined) activity.replyToId = opts.replyToId;
      if (opts.locale !== undefined) activity.locale = opts.locale;
      return activity;
    },

    installationUpdate(where, from, action, opts = {}) {
      const activity = base('installationUpdate', where, from, opts.id ?? newActivityId(), undefined, opts.timestamp);
      activity.action = action;
      if (where.kind === 'channel') {
        activity.channelData.settings = { selectedChannel: { id: where.channelId } };
        activity.channelData.source = { name: 'message' };
      }
      return activity;
    },

    conversationUpdate(where, opts) {
      const from = opts.from ?? (where.kind === 'personal' ? where.person : alex);
      const activity = base('conversationUpdate', where, from, opts.id ?? newActivityId(), undefined, opts.timestamp);
      // Teams lists added/removed members by id (and aadObjectId for people), without names.
      const strip = (a: Account): Account => ({
        id: a.id,
        ...(a.aadObjectId !== undefined ? { aadObjectId: a.aadObjectId } : {}),
      });
      if (opts.membersAdded) activity.membersAdded = opts.membersAdded.map(strip);
      if (opts.membersRemoved) activity.membersRemoved = opts.membersRemoved.map(strip);
      const eventType =
        opts.eventType ??
        (where.kind === 'channel'
          ? opts.membersAdded?.length
            ? 'teamMemberAdded'
            : opts.membersRemoved?.length
              ? 'teamMemberRemoved'
              : undefined
          : undefined);
      if (eventType !== undefined) activity.channelData.eventType = eventType;
      return activity;
    },

    botAdded(where, from) {
      return builders.conversationUpdate(where, { membersAdded: [theBot], ...(from ? { from } : {}) });
    },
  };
  return builders;
}

// ---------------------------------------------------------------------------------
// Sending to the bot
// ---------------------------------------------------------------------------------

export interface PostResult<T = unknown> {
  status: number;
  /** Parsed JSON, or the text when it is not JSON, or undefined when empty. */
  body: T;
  headers: Headers;
}

/** An invoke response as the bot answers an `adaptiveCard/action` (the HTTP body). */
export interface AdaptiveCardInvokeResponse {
  statusCode: number;
  type: string;
  value: unknown;
}

/**
 * POSTs `activity` as JSON to `${botUrl}/api/messages` (a `botUrl` that already ends in
 * `/api/messages` is used as it is) and returns the HTTP status and body. For an invoke,
 * the body is the invoke response (`{ statusCode, type, value }` for Action.Execute).
 * Gives up after `timeoutMs` (default 15 s, Teams' own limit) with an error saying so.
 */
export async function postActivity<T = unknown>(
  botUrl: string,
  activity: TeamsActivity | Record<string, unknown>,
  headers: Record<string, string> = {},
  opts: { timeoutMs?: number } = {},
): Promise<PostResult<T>> {
  const trimmed = botUrl.replace(/\/+$/, '');
  const url = /\/api\/messages$/.test(trimmed) ? trimmed : `${trimmed}/api/messages`;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const what = `${String(activity.type)}${activity.type === 'invoke' ? ` ${String(activity.name)}` : ''}`;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new Error(
        `The bot did not answer the ${what} activity at ${url} within ${timeoutMs} ms (Teams gives up at 15 s).`,
        { cause: error },
      );
    }
    throw new Error(
      `Could not POST the ${what} activity to ${url}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const raw = await response.text();
  let body: unknown = undefined;
  if (raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** The Adaptive Card in an invoke response body, if it carries one. */
export function invokeResponseCard(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const response = body as Partial<AdaptiveCardInvokeResponse>;
  if (response.type !== 'application/vnd.microsoft.card.adaptive') return undefined;
  const value = response.value;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

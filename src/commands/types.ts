import type { z } from 'zod';
import type { CardTemplate } from '../cards/define.js';
import type { Partnership } from '../domain/partnership.js';
import type { RagStatus } from '../domain/rag.js';
import type { Access, Role } from '../domain/roles.js';
import type { ConversationRecord } from '../storage/conversations.js';

/** A person mentioned in a command (`owner=@Sam`), resolved from the activity's mention entities. */
export interface UserRef {
  readonly kind: 'user';
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string | undefined;
}

export interface Actor {
  readonly id: string;
  readonly aadObjectId: string | undefined;
  readonly name: string;
}

export interface ConversationInfo {
  /** The conversation id without Teams' `;messageid=` suffix. */
  readonly id: string;
  readonly type: 'personal' | 'groupChat' | 'channel';
  readonly tenantId: string;
  readonly teamId: string | undefined;
  readonly teamName: string | undefined;
  readonly channelId: string | undefined;
  readonly name: string | undefined;
}

/** Everything a handler may know about who asks and where; no bot SDK types. */
export interface CommandContext {
  readonly actor: Actor;
  readonly conversation: ConversationInfo;
  /** The command line as typed, after the mention is stripped; kept in the audit. */
  readonly commandText: string;
  readonly now: Date;
  /** Epoch ms by which the turn must have answered: retries stop before it. */
  readonly deadline: number;
  readonly partnership: Partnership | undefined;
  readonly access: Access;
}

export interface BoundContext extends CommandContext {
  readonly partnership: Partnership;
}

export interface CommandRequest<A> extends BoundContext {
  readonly args: A;
}

/** For the few commands that work before a conversation is linked (help, setup partnership, setup link). */
export interface OpenRequest<A> extends CommandContext {
  readonly args: A;
}

export interface CardRef<D = unknown> {
  readonly template: CardTemplate<D>;
  readonly data: D;
}

/** Where the bot posted a reply: the activity id the connector gave it, and the conversation (thread) it is in. */
export interface PostedCard {
  readonly activityId: string;
  /** A channel thread's id keeps its `;messageid=`: the card is updated where it is. */
  readonly conversation: ConversationRecord;
}

/** What a command answers: a card and its plain-text version for clients that cannot show cards. */
export interface Reply {
  readonly text: string;
  readonly card?: CardRef;
  /** Asks the bot to say where it posted the card (to update it in place later); run before the turn ends. */
  readonly onPosted?: (posted: PostedCard) => Promise<void>;
  /** Slow work for after the answer is sent (updating other copies of a card); a failure is logged, never shown. */
  readonly followUp?: () => Promise<void>;
}

export function cardReply<D>(template: CardTemplate<D>, data: D, text: string): Reply {
  return { text, card: { template, data } };
}

/** A word, a person, or people listed with commas (`approvers=@Priya,@Jo`). */
export type ArgValue = string | UserRef | readonly UserRef[];
export type NamedArgs = Record<string, ArgValue>;

export interface Positional {
  readonly name: string;
  readonly optional?: boolean;
  /** Takes every remaining word, so `kpi First time fix` needs no quotes. */
  readonly rest?: boolean;
}

export interface CommandHelp {
  readonly summary: string;
  /** The grammar, e.g. `kpi record <code> <value> [period=<period>] ["commentary"]`. */
  readonly usage: string;
  readonly examples: readonly string[];
  readonly details?: string;
}

/** What an argument schema may depend on: the partnership's councils, today's periods. */
export interface ArgScope {
  readonly partnership: Partnership | undefined;
  readonly now: Date;
}

/** A zod schema for the arguments, or one built for the partnership (councils are the partnership's own). */
export type ArgSchema<A> = z.ZodType<A> | ((scope: ArgScope) => z.ZodType<A>);

interface EntryBase<A> {
  /** The command words, e.g. ['kpi', 'record']; one word for a family's own entry. */
  readonly words: readonly string[];
  readonly help: CommandHelp;
  /** The least role needed; handlers may check more (e.g. "editor for the KPI's council, or its owner"). */
  readonly role: Role;
  /** The handler reads `ctx.access` beyond `role` (a viewer-level command that checks edit rights): load the roles. */
  readonly readsRoles?: boolean;
  /** Answers from the registry alone (help): no storage is read, so it answers when storage is down. */
  readonly offline?: boolean;
  readonly positional: readonly Positional[];
  readonly args: ArgSchema<A>;
  /**
   * Takes the lines under it as a table (rows copied from Excel, tab or comma separated): when the
   * command's own line has no words after its command words (options may be given), each line under
   * it arrives, as typed with its tabs, in the argument `rows` (declare it with `field.rows()`).
   * Other commands read the lines under them as more of their text.
   */
  readonly takesRows?: boolean;
  /** What the command answers when typed with nothing after its words (`kpi add` alone posts the form). */
  whenEmpty?(ctx: BoundContext): Promise<Reply>;
}

/** A command, linked to a partnership (`bound`) or usable before any link. */
export type CommandEntry<A = unknown> =
  | (EntryBase<A> & { readonly bound: true; run(request: CommandRequest<A>): Promise<Reply> })
  | (EntryBase<A> & { readonly bound: false; run(request: OpenRequest<A>): Promise<Reply> });

interface VerbBase<A> {
  readonly verb: string;
  readonly role: Role;
  readonly readsRoles?: boolean;
  readonly offline?: boolean;
  readonly data: ArgSchema<A>;
}

/** A card button (Action.Execute) handler: verb, schema for `action.data`, role, handler; its answer replaces the card clicked. */
export type VerbEntry<A = unknown> =
  | (VerbBase<A> & { readonly bound: true; run(request: CommandRequest<A>): Promise<Reply> })
  | (VerbBase<A> & { readonly bound: false; run(request: OpenRequest<A>): Promise<Reply> });

/** Widens a typed entry for the registry, keeping its own types checked where it is written. */
export function command<A>(entry: CommandEntry<A>): CommandEntry {
  return entry;
}

export function verb<A>(entry: VerbEntry<A>): VerbEntry {
  return entry;
}

/**
 * A command family: the first words it answers (`kpi`; approvals answer `approval`, `approve` and
 * `reject`), the help area it is listed under, its commands and its card verbs. One module each.
 */
export interface CommandFamily {
  readonly words: readonly string[];
  /** The heading of `help` it is listed under; areas show in the order families are registered. */
  readonly area: string;
  readonly summary: string;
  readonly commands: readonly CommandEntry[];
  readonly verbs?: readonly VerbEntry[];
  /** Lays the family's demo data (`npm run demo`); safe to run again. */
  seedDemo?(demo: DemoContext): Promise<void>;
  /** The family's sections of a committee digest (and of `status`), from its summary rows. */
  digest?(request: DigestRequest): Promise<readonly DigestSection[]>;
  /** What people owe the committee (a decision, a review, a figure), for reminders. */
  reminders?(request: DigestRequest): Promise<readonly ReminderItem[]>;
  /** What time alone changes, done once an hour by the scheduler (cards of approvals that expired say so). */
  housekeeping?(request: DigestRequest): Promise<void>;
}

export interface DigestRequest {
  readonly partnership: Partnership;
  readonly now: Date;
  /** When the last digest went to this conversation: "since the last digest" starts here. */
  readonly since: Date | undefined;
}

/** One section of a digest: a heading, one line of summary, and the items worth a committee's eye. */
export interface DigestSection {
  /** The word of `digest subscribe sections=…`: `kpi`, `risk`, `budget`, `approvals`, `projects`. */
  readonly key: string;
  readonly title: string;
  /** One line: the position, or that there is nothing to say (`No Red or Amber KPIs`). */
  readonly summary: string;
  readonly rag?: RagStatus;
  readonly items: ReadonlyArray<{ readonly text: string; readonly rag?: RagStatus }>;
}

/** Something one person owes, for their weekly reminder (or a reminder the day before a decision is due). */
export interface ReminderItem {
  readonly kind: 'approval' | 'review' | 'figure';
  readonly person: { readonly id: string; readonly name: string; readonly aadObjectId?: string | undefined };
  readonly text: string;
  /** ISO instant it is due, when it has a due time (approvals). */
  readonly due?: string;
  /** The item's own id (`A-3`), so that its reminder goes once to each person. */
  readonly ref?: string;
  /** Where the item's card was posted: a person without a personal chat with the bot is mentioned there. */
  readonly postedIn?: { readonly conversationId: string; readonly teamId?: string };
}

/** What a family's demo seed is given: the demo partnership, who acts, and when. */
export interface DemoContext {
  readonly partnership: Partnership;
  readonly actor: Actor & { readonly aadObjectId: string };
  readonly now: Date;
  /** People of the Playground's chats, for owners and approvers. */
  readonly people: ReadonlyArray<UserRef>;
  readonly committeeChannels: ReadonlyArray<{ readonly id: string; readonly teamId: string }>;
}

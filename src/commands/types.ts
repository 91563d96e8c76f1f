import type { z } from 'zod';
import type { CardName, CardData } from '../cards/catalogue.js';
import type { Partnership } from '../domain/partnership.js';
import type { Access, Role } from '../domain/roles.js';

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

export interface CardRef<N extends CardName = CardName> {
  readonly name: N;
  readonly data: CardData<N>;
}

/** What a command answers: a card and its plain-text version for clients that cannot show cards. */
export interface Reply {
  readonly text: string;
  readonly card?: CardRef;
}

export function cardReply<N extends CardName>(name: N, data: CardData<N>, text: string): Reply {
  return { text, card: { name, data } };
}

export type ArgValue = string | UserRef;
export type NamedArgs = Record<string, ArgValue>;

export interface Positional {
  readonly name: string;
  readonly optional?: boolean;
  /** Takes every remaining word, so `kpi First time fix` needs no quotes. */
  readonly rest?: boolean;
}

export const AREAS = ['Getting started', 'Performance', 'Partnership and roles'] as const;
export type Area = (typeof AREAS)[number];

export interface CommandHelp {
  readonly summary: string;
  /** The grammar, e.g. `kpi record <code> <value> [period=<period>] ["commentary"]`. */
  readonly usage: string;
  readonly examples: readonly string[];
  readonly details?: string;
}

interface EntryBase<A> {
  /** The command words, e.g. ['kpi', 'record']; one word for a family's own entry. */
  readonly words: readonly string[];
  readonly help: CommandHelp;
  /** The least role needed; handlers may check more (e.g. "editor for the KPI's council, or its owner"). */
  readonly role: Role;
  readonly positional: readonly Positional[];
  readonly args: z.ZodType<A>;
}

/** A command, linked to a partnership (`bound`) or usable before any link. */
export type CommandEntry<A = unknown> =
  | (EntryBase<A> & { readonly bound: true; run(request: CommandRequest<A>): Promise<Reply> })
  | (EntryBase<A> & { readonly bound: false; run(request: OpenRequest<A>): Promise<Reply> });

interface VerbBase<A> {
  readonly verb: string;
  readonly role: Role;
  readonly data: z.ZodType<A>;
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

/** A top-level command word (`kpi`, `setup`) with its commands and card verbs; one module each. */
export interface CommandFamily {
  readonly word: string;
  readonly area: Area;
  readonly summary: string;
  readonly commands: readonly CommandEntry[];
  readonly verbs?: readonly VerbEntry[];
}

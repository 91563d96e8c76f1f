import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { didYouMeanCard } from '../cards/core.js';
import { Access, describeRole } from '../domain/roles.js';
import { isStorageUnavailable } from '../storage/errors.js';
import { adminNames, isBootstrapAdmin, resolveMembership } from './context.js';
import { NeedsConfirmation, NotAuthorised, NotBound, NotFound, UsageError } from './errors.js';
import { article } from './kit/fields.js';
import { notice } from './kit/replies.js';
import {
  firstWord,
  groupLines,
  linesReply,
  MAX_LINES,
  messageLines,
  visible,
  type LineGroup,
  type LineOutcome,
} from './lines.js';
import { closestWords, parseCommandLine, type MentionEntity, type Token } from './parse.js';
import { MAX_COMMAND_WORDS, type Registry } from './registry.js';
import { placeRenamed, type PlaceRenamed } from './places.js';
import { welcomeReply } from './welcome.js';
import type { Services } from './services.js';
import {
  cardReply,
  type Actor,
  type ArgSchema,
  type ArgScope,
  type ArgValue,
  type UserRef,
  type CommandContext,
  type CommandEntry,
  type ConversationInfo,
  type NamedArgs,
  type Reply,
  type VerbEntry,
} from './types.js';
import { usageReply } from './usage.js';

export const MAX_TEXT_LENGTH = 4000;
/** A turn answers within Teams' 15 s; retries of a clash stop well before. */
export const TURN_BUDGET_MS = 8_000;

export interface IncomingMessage {
  readonly text: string;
  /** The exact `<at>…</at>` texts that mention the bot, to strip. */
  readonly botMentions: readonly string[];
  readonly mentions: readonly MentionEntity[];
  readonly actor: Actor;
  readonly conversation: ConversationInfo;
  /** Epoch ms by which the command must be done, leaving the turn time to reply; TURN_BUDGET_MS from now unless given. */
  readonly deadline?: number;
}

export interface IncomingAction {
  readonly verb: string;
  readonly data: unknown;
  readonly actor: Actor;
  readonly conversation: ConversationInfo;
  readonly deadline?: number;
}

/** Parses, finds the registered entry, authorises, validates and runs; every failure becomes a card. */
export class Router {
  constructor(
    private readonly registry: Registry,
    private readonly services: Services,
  ) {}

  async handleMessage(message: IncomingMessage): Promise<Reply> {
    // A line that is only the bot's mention (the mention, then Shift+Enter) belongs to no command.
    const all = messageLines(message.text);
    const worded = all.filter((line) => firstWord(line, message.botMentions) !== '');
    const lines = worded.length > 0 ? worded : all;
    const length = lines.map(visible).join('\n').length;
    if (length > MAX_TEXT_LENGTH) {
      return notice(
        'warning',
        'That message is too long',
        `I read commands of up to ${MAX_TEXT_LENGTH.toLocaleString('en-GB')} characters; yours has ${length.toLocaleString('en-GB')}. Nothing was changed.`,
        { hint: 'Put long commentary in a shorter note, or split it over several commands.' },
      );
    }
    const groups = groupLines(lines, (line) => this.registry.families.has(firstWord(line, message.botMentions)));
    if (groups.length > MAX_LINES) {
      return notice(
        'warning',
        `That is ${groups.length} commands in one message`,
        `I run up to ${MAX_LINES} commands from one message, one a line; nothing was run and nothing was changed.`,
        { hint: `Send them in messages of ${MAX_LINES} lines or fewer.` },
      );
    }
    // One deadline for the whole message: Teams waits 15 s for the answer, however many lines it has.
    const deadline = message.deadline ?? Date.now() + TURN_BUDGET_MS;
    if (groups.length <= 1)
      return (await this.runLine(groups[0] ?? { head: '', following: [] }, message, deadline)).reply;
    const outcomes: LineOutcome[] = [];
    for (const group of groups) outcomes.push(await this.runLine(group, message, deadline));
    return linesReply(outcomes);
  }

  /** One command of a message, with the lines under it: its rows when it takes a pasted table, else more of its text. */
  private async runLine(group: LineGroup, message: IncomingMessage, deadline: number): Promise<LineOutcome> {
    let entry: CommandEntry | undefined;
    let text = [group.head, ...group.following].join(' ');
    try {
      let line = parseCommandLine(group.head, message.botMentions, message.mentions);
      let found = this.find(line.tokens);
      const rows =
        found.kind === 'found' && found.entry.takesRows && found.rest.every((t) => t.kind === 'named')
          ? group.following.map(visible)
          : [];
      if (rows.length === 0 && group.following.length > 0) {
        line = parseCommandLine(text, message.botMentions, message.mentions);
        found = this.find(line.tokens);
      }
      text =
        rows.length > 0
          ? `${line.text} [${rows.length} rows] ${rows.map((r) => r.replace(/\t/g, ' ')).join('; ')}`
          : line.text;
      if (found.kind === 'empty') return { command: text, reply: this.registry.help(), done: true };
      if (found.kind === 'unknown') return { command: text, reply: this.didYouMean(found.word), done: false };
      entry = found.entry;
      // `risk help`, `budget add help`: a newcomer asking, not a filter or a name.
      if (found.rest.length === 1 && isWord(found.rest[0], 'help')) {
        return { command: text, reply: usageReply(this.registry, entry.words), done: true };
      }
      const ctx = await this.context(message.actor, message.conversation, text, entry, deadline);
      if ('reply' in ctx) return { command: text, reply: ctx.reply, done: false };
      const chosen = entry;
      const sharpen = (error: unknown): unknown =>
        error instanceof UsageError ? this.sharpened(error, chosen, found.rest, ctx) : error;
      let named: Record<string, unknown>;
      try {
        named = this.named(entry, found.rest);
      } catch (error) {
        throw sharpen(error);
      }
      if (rows.length > 0) named.rows = rows;
      if (entry.whenEmpty && ctx.partnership && Object.keys(named).length === 0) {
        return { command: text, reply: await entry.whenEmpty({ ...ctx, partnership: ctx.partnership }), done: true };
      }
      let args: unknown;
      try {
        args = parseArgs(entry.args, ctx, named, entry.words, entry.positional);
      } catch (error) {
        throw sharpen(error);
      }
      return { command: text, reply: await run(entry, ctx, args), done: true };
    } catch (error) {
      const reply = await this.explain(error, entry, message.actor, message.conversation, text);
      return { command: text, reply, done: false };
    }
  }

  async handleAction(action: IncomingAction): Promise<Reply> {
    const entry = this.registry.verbs.get(action.verb);
    try {
      if (!entry) {
        throw new UsageError(`This button (${action.verb}) is from an older card. Type help to see what I can do now.`);
      }
      const ctx = await this.context(
        action.actor,
        action.conversation,
        `[button] ${action.verb}`,
        entry,
        action.deadline,
      );
      if ('reply' in ctx) return ctx.reply;
      const parsed = schemaFor(entry.data, ctx).safeParse(action.data);
      if (!parsed.success) {
        throw new UsageError(
          `This button sent data I cannot use (${buttonProblems(parsed.error, action.data).join('; ')}). Nothing was changed.`,
        );
      }
      return await run(entry, ctx, parsed.data);
    } catch (error) {
      return this.explain(error, undefined, action.actor, action.conversation);
    }
  }

  /** The card that greets a conversation the bot has just joined: how to start, or that it is linked already. */
  async welcome(conversation: ConversationInfo, actor: Actor): Promise<Reply> {
    const membership = await resolveMembership(this.services, conversation, actor, { roles: false }).catch(
      () => undefined,
    );
    const name = membership?.kind === 'member' ? membership.partnership.name : undefined;
    return welcomeReply(conversation, name);
  }

  /** Teams renamed a team or a channel: the new name is kept where the partnership shows it. */
  async placeRenamed(event: PlaceRenamed): Promise<void> {
    await placeRenamed(this.services, event).catch((error: unknown) =>
      this.services.logger.error({ err: error, team: event.teamId }, 'a new name from Teams was not kept'),
    );
  }

  private find(
    tokens: readonly Token[],
  ):
    | { kind: 'empty' }
    | { kind: 'unknown'; word: string }
    | { kind: 'found'; entry: CommandEntry; rest: readonly Token[] } {
    const first = tokens[0];
    if (!first) return { kind: 'empty' };
    if (first.kind !== 'word' || first.quoted) {
      return { kind: 'unknown', word: first.kind === 'word' ? first.text : '' };
    }
    const word = first.text.toLowerCase();
    const second = tokens[1];
    const leading: string[] = [];
    for (const token of tokens) {
      if (token.kind !== 'word' || token.quoted || leading.length === MAX_COMMAND_WORDS) break;
      leading.push(token.text);
    }
    const found = this.registry.lookup(leading);
    if (found) return { kind: 'found', entry: found.entry, rest: tokens.slice(found.used) };
    if (this.registry.families.has(word)) {
      const typed = second?.kind === 'word' ? second.text : '';
      const close = closestWords(typed, this.registry.subcommands(word));
      const hint = close.length > 0 ? ` Did you mean ${word} ${close[0]}?` : '';
      throw new UsageError(typed ? `"${typed}" is not ${commandOf(word)}.${hint}` : `${word} needs one more word.`, [
        word,
      ]);
    }
    return { kind: 'unknown', word: first.text };
  }

  private async context(
    actor: Actor,
    conversation: ConversationInfo,
    commandText: string,
    entry: CommandEntry | VerbEntry,
    deadline = Date.now() + TURN_BUDGET_MS,
  ): Promise<CommandContext | { reply: Reply }> {
    const now = this.services.clock();
    const base = { actor, conversation, commandText, now, deadline };
    if (entry.offline && !entry.bound) {
      return { ...base, partnership: undefined, access: new Access([], isBootstrapAdmin(this.services, actor)) };
    }
    const roles = entry.role !== 'viewer' || entry.readsRoles === true;
    const membership = await resolveMembership(this.services, conversation, actor, { roles });
    if (membership.kind === 'foreign-tenant') {
      this.services.logger.warn(
        { conversation: conversation.id, tenant: conversation.tenantId, partnership: membership.partnership.id },
        'activity from another tenant refused',
      );
      return {
        reply: notice(
          'attention',
          'Not available here',
          `This conversation is linked to a partnership of another organisation. I cannot answer here. Nothing was changed.`,
        ),
      };
    }
    const access =
      membership.kind === 'member' ? membership.access : new Access([], isBootstrapAdmin(this.services, actor));
    if (membership.kind === 'unbound' && entry.bound) throw new NotBound();
    if (!access.holds(entry.role)) {
      throw new NotAuthorised(entry.role, 'words' in entry ? entry.words.join(' ') : 'use this button');
    }
    return { ...base, partnership: membership.kind === 'member' ? membership.partnership : undefined, access };
  }

  /** The positional words and `key=value` options as one record of named values, for the schema. */
  private named(entry: CommandEntry, tokens: readonly Token[]): NamedArgs {
    const named: NamedArgs = {};
    const positional: Array<Exclude<ArgValue, readonly UserRef[]>> = [];
    for (const token of tokens) {
      if (token.kind === 'named') named[token.key] = token.value;
      else positional.push(token.kind === 'user' ? token.user : token.text);
    }
    let index = 0;
    for (const slot of entry.positional) {
      if (index >= positional.length) break;
      if (named[slot.name] !== undefined) {
        throw new UsageError(`${slot.name} is given twice: once as ${slot.name}= and once by position.`, entry.words);
      }
      if (slot.rest) {
        named[slot.name] = positional
          .slice(index)
          .map((w) => (typeof w === 'string' ? w : `@${w.name}`))
          .join(' ');
        index = positional.length;
      } else {
        named[slot.name] = positional[index++]!;
      }
    }
    if (index < positional.length) {
      const extra = positional
        .slice(index)
        .map((w) => (typeof w === 'string' ? w : `@${w.name}`))
        .join(' ');
      throw new UsageError(
        `I did not expect "${extra}". Put text with spaces between quotes, e.g. "after portal change".`,
        entry.words,
      );
    }
    return named;
  }

  /**
   * A mistake read more closely: a word that is nearly one of the family's commands (`risk ad`, which
   * the register would take as a filter) or an option typed without its `=` (`likelihood 3`).
   */
  private sharpened(error: UsageError, entry: CommandEntry, tokens: readonly Token[], scope: ArgScope): UsageError {
    const first = tokens[0];
    const family = entry.words[0]!;
    if (entry.words.length === 1 && first?.kind === 'word' && !first.quoted) {
      const typed = first.text;
      const close = closestWords(typed, this.registry.subcommands(family));
      const blamed = error.problems.some((p) => p.includes(`"${typed}"`) || p.includes(`"${typed} `));
      if (close.length > 0 && blamed) {
        return new UsageError(`"${typed}" is not ${commandOf(family)}. Did you mean ${family} ${close[0]}?`, [family]);
      }
    }
    const options = new Set(optionNames(schemaFor(entry.args, scope), entry.positional));
    const given = new Set(tokens.flatMap((t) => (t.kind === 'named' ? [t.key] : [])));
    for (let i = 0; i + 1 < tokens.length; i++) {
      const word = tokens[i]!;
      const key = word.kind === 'word' && !word.quoted ? word.text.replace(/:$/, '').toLowerCase() : '';
      if (!options.has(key) || given.has(key)) continue;
      const next = tokens[i + 1]!;
      const value = next.kind === 'user' ? `@${next.user.name}` : next.kind === 'word' ? next.text : '';
      if (value === '') continue;
      const shown = `${word.kind === 'word' ? word.text : key} ${value}`;
      const problem = `"${shown}" has no =: write ${key}=${value}, with no space around the =`;
      const others = error.problems.filter(
        (p) => !p.startsWith('I did not expect') && !p.startsWith(`${key}= is missing`),
      );
      return new UsageError([problem, ...others], error.words ?? entry.words);
    }
    return error;
  }

  private didYouMean(word: string): Reply {
    const suggestions = closestWords(word, [...this.registry.families.keys()]);
    const summaries = suggestions.map((command) => ({
      command,
      summary: this.registry.families.get(command)!.summary,
    }));
    const shown = word === '' ? 'that' : `"${word}"`;
    const text =
      suggestions.length > 0
        ? `I don't know ${shown}. Did you mean ${suggestions.join(' or ')}? Type help for every command.`
        : `I don't know ${shown}. Type help for every command.`;
    return cardReply(didYouMeanCard, { typed: word, suggestions: summaries }, text);
  }

  /** For a line that could not be parsed: the command its first words name, so its usage can be shown. */
  private guessWords(text: string): string[] | undefined {
    const words = text
      .replace(/<at>.*?<\/at>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/^[\s/]+/, '')
      .split(/\s+/)
      .map((w) => w.toLowerCase());
    const found = this.registry.lookup(words.filter(Boolean));
    if (found && found.used > 1) return words.slice(0, found.used);
    return words[0] && this.registry.families.has(words[0]) ? [words[0]] : undefined;
  }

  private async explain(
    error: unknown,
    entry: CommandEntry | undefined,
    actor: Actor,
    conversation: ConversationInfo,
    text?: string,
  ): Promise<Reply> {
    if (error instanceof NeedsConfirmation) return error.reply;
    if (error instanceof UsageError) {
      const words = error.words ?? entry?.words ?? (text === undefined ? undefined : this.guessWords(text));
      return words
        ? usageReply(this.registry, words, error.problems, { compact: conversation.type === 'channel' })
        : notice('warning', 'I could not read that', error.message);
    }
    if (error instanceof NotAuthorised) {
      const membership = await resolveMembership(this.services, conversation, actor, { roles: false }).catch(
        () => undefined,
      );
      const admins =
        membership && membership.kind === 'member' ? await adminNames(this.services, membership.partnership) : [];
      const who =
        admins.length > 0
          ? `Ask an admin (${admins.join(', ')}) to grant it with: role grant @you ${error.required}${error.grant ? ` ${error.grant}` : ''}`
          : 'Ask an admin of the partnership to grant it.';
      return notice(
        'attention',
        `You need the ${error.required} role`,
        `"${error.action}" needs the role ${describeRole(error.required)}${error.alternative ? ` ${error.alternative}` : ''}. Nothing was changed.`,
        { hint: who },
      );
    }
    if (error instanceof NotFound) {
      const hint = error.suggestions.length > 0 ? `Did you mean: ${error.suggestions.join(', ')}?` : error.hint;
      return notice('warning', 'Not found', error.message, hint ? { hint } : {});
    }
    if (error instanceof NotBound) {
      return notice('accent', 'This conversation is not set up yet', `${error.message} Nothing was changed.`, {
        hint: 'An admin can create a partnership here with: setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50 — or link this conversation to an existing one with: setup link "<partnership name>"',
      });
    }
    const ref = randomBytes(3).toString('hex');
    if (isStorageUnavailable(error)) {
      this.services.logger.warn({ err: error, ref, conversation: conversation.id }, 'storage unavailable');
      return notice(
        'attention',
        'Storage is unavailable right now',
        `Storage is unavailable right now; nothing was changed (ref ${ref}).`,
        { hint: 'Try again in a few minutes. help still answers meanwhile.' },
      );
    }
    this.services.logger.error({ err: error, ref, actor: actor.id, conversation: conversation.id }, 'command failed');
    return notice(
      'attention',
      'Something went wrong',
      `Something went wrong on my side (ref ${ref}). Nothing was changed.`,
      {
        hint: 'Try again in a minute; if it keeps happening, give the reference to your ICT service desk.',
      },
    );
  }
}

/** `a risk command`, `an approval command`. */
function commandOf(family: string): string {
  return `${article(family)} ${family} command`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isWord(token: Token | undefined, word: string): boolean {
  return token?.kind === 'word' && !token.quoted && token.text.toLowerCase() === word;
}

/** Runs the handler with the context its kind asks for: a linked partnership, or none needed. */
function run(entry: CommandEntry | VerbEntry, ctx: CommandContext, args: unknown): Promise<Reply> {
  if (!entry.bound) return entry.run({ ...ctx, args });
  if (!ctx.partnership) throw new NotBound();
  return entry.run({ ...ctx, partnership: ctx.partnership, args });
}

function schemaFor<A>(schema: ArgSchema<A>, scope: ArgScope): z.ZodType<A> {
  return typeof schema === 'function' ? schema(scope) : schema;
}

/** Checks the arguments with the entry's schema; every problem found is reported at once. */
export function parseArgs<A>(
  schema: ArgSchema<A>,
  scope: ArgScope,
  raw: unknown,
  words?: readonly string[],
  positional: ReadonlyArray<{ name: string }> = [],
): A {
  const resolved = schemaFor(schema, scope);
  const parsed = resolved.safeParse(raw);
  if (!parsed.success) throw new UsageError(problemsOf(parsed.error, optionNames(resolved, positional)), words);
  return parsed.data;
}

/** The `key=` options of a schema: its fields that are not given by position. */
function optionNames(schema: z.ZodType, positional: ReadonlyArray<{ name: string }>): string[] {
  // A schema that transforms what it checked is a pipe from the object of options.
  let inner: unknown = schema;
  for (let depth = 0; depth < 4 && inner && !(inner as { shape?: unknown }).shape; depth++) {
    inner = (inner as { in?: unknown }).in;
  }
  const shape = (inner as { shape?: Record<string, unknown> } | undefined)?.shape;
  const byPosition = new Set(positional.map((p) => p.name));
  return shape ? Object.keys(shape).filter((k) => !byPosition.has(k)) : [];
}

/** Zod's own words (`Invalid input: expected string, received undefined`), which no officer should read. */
const LIBRARY_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

/**
 * What was wrong with a button's data, each field by its key: a forged or outdated card gets the
 * field named, never the schema library's wording; a schema's own sentences stand as written.
 */
export function buttonProblems(error: z.ZodError, data: unknown): string[] {
  const problems = error.issues.map((issue) => {
    if (!LIBRARY_MESSAGE.test(issue.message)) return issue.message;
    const key = issue.path.map(String).join('.');
    if (key === '') return 'the data is not a set of fields';
    let value: unknown = data;
    for (const step of issue.path) value = isRecord(value) ? value[String(step)] : undefined;
    return value === undefined ? `${key}= is missing` : `${key}= has a value this button does not send`;
  });
  return [...new Set(problems)];
}

/** Each issue once, in the order of the fields; unknown options name the options there are. */
export function problemsOf(error: z.ZodError, options: readonly string[] = []): string[] {
  const problems = error.issues.map((issue) => {
    if (issue.code !== 'unrecognized_keys') return issue.message;
    const keys = issue.keys.map((k) => `${k}=`).join(', ');
    return options.length > 0
      ? `${keys} is not an option here. The options are: ${options.map((o) => `${o}=`).join(', ')}.`
      : `${keys} is not an option here.`;
  });
  return [...new Set(problems)];
}

import { decodeHTMLStrict } from 'entities';
import { editDistance } from '../domain/names.js';
import { withLinksRestored, withoutFormatCharacters } from '../domain/text.js';
import { UsageError } from './errors.js';
import type { ArgValue, UserRef } from './types.js';

/** A mention entity as Teams sends it: `<at>Sam Jones</at>` in the text, the person in `mentioned`. */
export interface MentionEntity {
  readonly text: string;
  readonly user: UserRef;
}

export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'user'; readonly user: UserRef }
  | { readonly kind: 'named'; readonly key: string; readonly value: ArgValue };

export interface CommandLine {
  /** The command as a person reads it: mention of the bot gone, entities decoded. */
  readonly text: string;
  readonly tokens: readonly Token[];
}

/** Marks a mention's place while the text is cleaned; control characters are removed from what people type first. */
const MENTION_MARK = '\u0001';
const PLACEHOLDER_OPEN = '\u0002';
const PLACEHOLDER_CLOSE = '\u0003';
const PLACEHOLDER = /\u0002(\d+)\u0003/g;
/** Teams sends a line break as `<br>` or a new paragraph, and a pasted table as rows of cells. */
const ODD_SPACES = /[\u00a0\u2000-\u200b\u202f\u205f\u3000]/g;
/** Half of a UTF-16 pair on its own is not text; stored, it would grow sixfold in JSON. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function showMentions(text: string, users: readonly UserRef[]): string {
  return text.replace(
    new RegExp(`${MENTION_MARK}(\\d+)${MENTION_MARK}`, 'g'),
    (_, i: string) => `@${users[Number(i)]?.name ?? ''}`,
  );
}
const OPEN_QUOTES = new Set(['"', '\u201c', '\u201e', '\u201f']);
const CLOSE_QUOTES = new Set(['"', '\u201d', '\u201c']);

/**
 * Decodes HTML character references once (`&amp;quot;` stays `&quot;`), with the named set of HTML from
 * `entities`. Our rules on top: tab, line-break and no-break-space references become spaces; control
 * characters and lone surrogates from numeric references are dropped (the mention marks stay ours alone);
 * `&#0;`, code points beyond Unicode and unknown names stay as typed.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(x[0-9a-f]+|\d+)|[a-z][a-z0-9]*);/gi, (whole, numeric: string | undefined) => {
    if (numeric !== undefined) {
      const n = numeric[0] === 'x' || numeric[0] === 'X' ? parseInt(numeric.slice(1), 16) : parseInt(numeric, 10);
      if (n === 0 || n > 0x10ffff) return whole;
      if (n === 9 || n === 10 || n === 13) return ' ';
      if (n < 0x20 || (n >= 0x7f && n < 0xa0) || (n >= 0xd800 && n <= 0xdfff)) return '';
    }
    return decodeHTMLStrict(whole).replace(/[\t\n\r\u00a0]/g, ' ');
  });
}

/**
 * Turns a message into tokens. Mentions of the bot are removed; mentions of people become user
 * tokens (`owner=@Sam` arrives as `owner=<at>Sam</at>`); HTML that Teams adds is stripped.
 */
export function parseCommandLine(
  raw: string,
  botMentions: readonly string[],
  people: readonly MentionEntity[],
): CommandLine {
  // Control characters never belong in a command, and the mention mark must be ours alone.
  // What is copied back from a card (an example email) has look-alike dots and slashes: they read as typed.
  let text = withLinksRestored(raw)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(LONE_SURROGATE, '\ufffd');
  for (const botText of botMentions) text = text.split(botText).join(' ');
  const users: UserRef[] = [];
  for (const mention of people) {
    if (!text.includes(mention.text)) continue;
    text = text.replace(mention.text, `${PLACEHOLDER_OPEN}${users.length}${PLACEHOLDER_CLOSE}`);
    users.push(mention.user);
  }
  // Invisible format characters (a bidi override) would make a code or name show as another: they go.
  text = withoutFormatCharacters(decodeEntities(text.replace(/<\/?[a-z][^>]*>/gi, ' ')).replace(ODD_SPACES, ' '))
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\/+\s*/, '')
    .replace(PLACEHOLDER, (_, i: string) => `${MENTION_MARK}${i}${MENTION_MARK}`);
  const tokens = tokenize(text, users);
  const shown = showMentions(text, users);
  return { text: shown, tokens };
}

function tokenize(text: string, users: readonly UserRef[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readValue = (): { value: string | UserRef; quoted: boolean } => {
    const ch = text[i]!;
    if (OPEN_QUOTES.has(ch)) {
      let end = i + 1;
      while (end < text.length && !CLOSE_QUOTES.has(text[end]!)) end++;
      if (end >= text.length)
        throw new UsageError(
          `A quote is not closed: ${text.slice(i)}. Put text with spaces between quotes, e.g. "First time fix".`,
        );
      const value = showMentions(text.slice(i + 1, end), users).trim();
      i = end + 1;
      return { value, quoted: true };
    }
    if (ch === MENTION_MARK) {
      const end = text.indexOf(MENTION_MARK, i + 1);
      const user = end > i ? users[Number(text.slice(i + 1, end))] : undefined;
      if (!user)
        throw new UsageError('I could not read a mention in that message: type @ and pick the person from the list.');
      i = end + 1;
      return { value: user, quoted: false };
    }
    let end = i;
    while (end < text.length && text[end] !== ' ' && !OPEN_QUOTES.has(text[end]!) && text[end] !== MENTION_MARK) end++;
    const value = text.slice(i, end);
    i = end;
    return { value, quoted: false };
  };
  /** `approvers=@Priya,@Jo`: a person followed by commas and more people is a list of them. */
  const readPeopleOr = (first: string | UserRef): ArgValue => {
    if (typeof first === 'string') return first;
    const list: UserRef[] = [first];
    for (let more = /^ ?, ?\u0001/.exec(text.slice(i)); more; more = /^ ?, ?\u0001/.exec(text.slice(i))) {
      i += more[0].length - 1;
      const next = readValue().value;
      if (typeof next === 'string') break;
      list.push(next);
    }
    return list.length === 1 ? first : list;
  };
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    // `period = 2026-05`, as people type it with spaces, is `period=2026-05`.
    const keyMatch = /^([A-Za-z][A-Za-z0-9_-]*) ?= ?/.exec(text.slice(i));
    if (keyMatch) {
      i += keyMatch[0].length;
      const key = keyMatch[1]!.toLowerCase();
      if (i >= text.length || text[i] === ' ')
        throw new UsageError(
          `${key}= has no value: write it as ${key}=value, e.g. ${key}=2026-10 or ${key}="two words".`,
        );
      if (tokens.some((t) => t.kind === 'named' && t.key === key))
        throw new UsageError(`${key}= is given twice. Give each option once.`);
      tokens.push({ kind: 'named', key, value: readPeopleOr(readValue().value) });
      continue;
    }
    const { value, quoted } = readValue();
    tokens.push(typeof value === 'string' ? { kind: 'word', text: value, quoted } : { kind: 'user', user: value });
  }
  return tokens;
}

/** The known words closest to `word`: a prefix match or within two edits, best first. */
export function closestWords(word: string, known: readonly string[], limit = 3): string[] {
  const w = word.toLowerCase();
  if (w === '') return [];
  return known
    .map((k) => ({ k, d: k.startsWith(w) || w.startsWith(k) ? 0.5 : editDistance(w, k) }))
    .filter(({ d }) => d <= Math.max(1, Math.min(2, Math.floor(w.length / 2))))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, limit)
    .map(({ k }) => k);
}

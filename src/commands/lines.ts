import { linesCard } from '../cards/core.js';
import { decodeEntities } from './parse.js';
import { cardReply, type Reply } from './types.js';

/**
 * A message of several lines. Teams sends each line typed with Shift+Enter as a paragraph (or
 * after a `<br>`), and a range pasted from Excel as an HTML table. Each line that starts with a
 * command word is a command of its own; a line that does not belongs to the command above it: as
 * its rows, when the command takes a pasted table (`takesRows`), or as more of its text.
 */

/** Commands one message may hold; more is refused whole, before any is run. */
export const MAX_LINES = 20;
/** Rows one pasted table may hold. */
export const MAX_ROWS = 50;

/** The message's lines, with the HTML that marks lines and table cells turned into line breaks and tabs. */
export function messageLines(raw: string): string[] {
  return raw
    .replace(/<t([dh])\b[^>]*>([\s\S]*?)<\/t\1>/gi, (_, cell: string, inner: string) => {
      // A cell's own paragraphs stay in the cell.
      const text = inner.replace(/<br\s*\/?>|<\/(?:p|div)>/gi, ' ');
      return `<t${cell}>${text.trim()}</t${cell}>`;
    })
    .replace(/<\/t[dh]>\s*(?=<t[dh][\s>])/gi, '\t')
    .replace(/<br\s*\/?>|<\/(?:p|div|li|tr|h[1-6])>/gi, '\n')
    .split(/\r\n|\r|\n/)
    .filter((line) => visible(line) !== '');
}

/** A line as a person reads it: tags gone, entities decoded, tabs (table cells) kept. */
export function visible(line: string): string {
  return decodeEntities(line.replace(/<\/?[a-z][^>]*>/gi, ' '))
    .replace(/[^\S\t]+/g, ' ')
    .replace(/ ?\t ?/g, '\t')
    .trim();
}

/** One command and the lines under it that are not commands themselves. */
export interface LineGroup {
  readonly head: string;
  readonly following: readonly string[];
}

/**
 * The commands of a message. A line with a tab is a table row, never a command; a line before the
 * first command word stands on its own (and is answered as a word not known).
 */
export function groupLines(lines: readonly string[], startsCommand: (line: string) => boolean): LineGroup[] {
  const groups: Array<{ head: string; following: string[] }> = [];
  for (const line of lines) {
    const last = groups.at(-1);
    if (last && (line.includes('\t') || !startsCommand(line))) last.following.push(line);
    else groups.push({ head: line, following: [] });
  }
  return groups;
}

/** The first word of a line, after the bot's mention and a leading slash, in lower case. */
export function firstWord(line: string, botMentions: readonly string[]): string {
  let text = line;
  for (const mention of botMentions) text = text.split(mention).join(' ');
  return (
    visible(text)
      .replace(/^[\s/]+/, '')
      .split(/\s/)[0]
      ?.toLowerCase() ?? ''
  );
}

/** What came of one line of a message: the command as read, its answer, and whether it was done. */
export interface LineOutcome {
  readonly command: string;
  readonly reply: Reply;
  readonly done: boolean;
}

/** The answer to a message of several commands: each line and what came of it, in one card. */
export function linesReply(outcomes: readonly LineOutcome[]): Reply {
  const lines = outcomes.map((o, i) => {
    const [outcome = '', detail = ''] = o.reply.text.split('\n');
    return { number: String(i + 1), command: o.command, status: o.done ? 'Done' : 'Not done', outcome, detail };
  });
  const doneCount = outcomes.filter((o) => o.done).length;
  const title = `${outcomes.length} commands`;
  const summary = `${doneCount} done, ${outcomes.length - doneCount} not done`;
  const text = [
    title,
    summary,
    ...lines.map((l) => `${l.number}. ${l.command} — ${l.status}: ${l.outcome}${l.detail ? ` ${l.detail}` : ''}`),
  ].join('\n');
  return cardReply(linesCard, { title, summary, lines }, text);
}

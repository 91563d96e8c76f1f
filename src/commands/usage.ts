import { commandHelpCard } from '../cards/core.js';
import type { Registry } from './registry.js';
import { cardReply, type CommandEntry, type Reply } from './types.js';

/**
 * The grammar and examples of a command (or of all under its first word), with every problem when
 * there was a mistake. `compact` (a mistake in a channel, where everyone reads the answer) gives the
 * one line of usage of the command, and where to find the rest.
 */
export function usageReply(
  registry: Registry,
  words: readonly string[],
  problems: readonly string[] = [],
  options: { compact?: boolean } = {},
): Reply {
  const first = words[0]!;
  const family = registry.families.get(first);
  if (!family) return registry.help();
  const exact = words.length > 1 ? registry.commands.get(words.join(' ')) : undefined;
  const all: readonly CommandEntry[] = exact ? [exact] : registry.entriesOf(first);
  const compact = options.compact === true && problems.length > 0;
  const entries = compact ? all.slice(0, 1) : all;
  const examples = compact ? [] : entries.flatMap((e) => e.help.examples).slice(0, 6);
  const title = exact ? exact.words.join(' ') : first;
  const summary = `${exact ? exact.help.summary : family.summary}${compact ? `. Type help ${title} for examples.` : ''}`;
  const shownProblems = problems.length > 1 ? problems.map((p) => `• ${p}`) : problems;
  const text = [
    ...shownProblems,
    `${title}: ${summary}`,
    ...entries.map((e) => `  ${e.help.usage} — ${e.help.summary}`),
    ...(examples.length > 0 ? ['Examples:', ...examples.map((x) => `  ${x}`)] : []),
  ].join('\n');
  return cardReply(
    commandHelpCard,
    {
      title,
      problems: shownProblems,
      hasProblems: shownProblems.length > 0,
      summary,
      entries: entries.map((e) => ({
        usage: e.help.usage,
        summary: exact || compact ? '' : e.help.summary,
        ...(e.help.details && !compact ? { details: e.help.details } : {}),
      })),
      examples,
    },
    text,
  );
}

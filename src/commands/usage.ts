import { commandHelpCard } from '../cards/core.js';
import type { Registry } from './registry.js';
import { cardReply, type CommandEntry, type Reply } from './types.js';

/** The grammar and examples of a command (or of all under its first word), with every problem when there was a mistake. */
export function usageReply(registry: Registry, words: readonly string[], problems: readonly string[] = []): Reply {
  const first = words[0]!;
  const family = registry.families.get(first);
  if (!family) return registry.help();
  const exact = words.length > 1 ? registry.commands.get(words.join(' ')) : undefined;
  const entries: readonly CommandEntry[] = exact ? [exact] : registry.entriesOf(first);
  const examples = entries.flatMap((e) => e.help.examples).slice(0, 6);
  const title = exact ? exact.words.join(' ') : first;
  const summary = exact ? exact.help.summary : family.summary;
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
        summary: exact ? '' : e.help.summary,
        ...(e.help.details ? { details: e.help.details } : {}),
      })),
      examples,
    },
    text,
  );
}

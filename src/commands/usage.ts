import type { Registry } from './registry.js';
import { cardReply, type CommandEntry, type Reply } from './types.js';

/** The grammar and examples of a command (or of its whole family), with what was wrong when there was a mistake. */
export function usageReply(registry: Registry, words: readonly string[], problem?: string): Reply {
  const family = registry.families.get(words[0]!);
  if (!family) return registry.help();
  const exact = words.length > 1 ? registry.commands.get(words.join(' ')) : undefined;
  const entries: readonly CommandEntry[] = exact ? [exact] : family.commands;
  const examples = entries.flatMap((e) => e.help.examples).slice(0, 6);
  const title = exact ? exact.words.join(' ') : family.word;
  const summary = exact ? exact.help.summary : family.summary;
  const text = [
    ...(problem ? [problem] : []),
    `${title}: ${summary}`,
    ...entries.map((e) => `  ${e.help.usage} — ${e.help.summary}`),
    ...(examples.length > 0 ? ['Examples:', ...examples.map((x) => `  ${x}`)] : []),
  ].join('\n');
  return cardReply(
    'command-help',
    {
      title,
      ...(problem ? { problem } : {}),
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

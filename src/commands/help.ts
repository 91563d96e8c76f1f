import { z } from 'zod';
import type { Registry } from './registry.js';
import { command, verb, type CommandFamily } from './types.js';
import { usageReply } from './usage.js';

/** The bot's name as Teams shows it (the manifest's short name): what people type after @ to mention it. */
export const BOT_NAME = 'Governance Bot';

/** Help reads the registry it is part of, so it is built by the registry's builder rather than listed as a family. */
export function helpFamily(registry: () => Registry): CommandFamily {
  return {
    words: ['help'],
    area: 'Getting started',
    summary: 'What I can do, and how to type each command',
    commands: [
      command({
        words: ['help'],
        help: {
          summary: 'List every command, or show one command with examples',
          usage: 'help [command]',
          examples: ['help', 'help kpi', 'help kpi record'],
        },
        role: 'viewer',
        bound: false,
        offline: true,
        positional: [{ name: 'topic', optional: true, rest: true }],
        args: z.strictObject({ topic: z.string().optional() }),
        async run({ args }) {
          const reg = registry();
          if (!args.topic) return reg.help();
          const words = args.topic.toLowerCase().split(' ');
          if (!reg.families.has(words[0]!)) return usageReply(reg, ['help'], [`There is no command "${args.topic}".`]);
          const found = reg.lookup(words);
          return usageReply(reg, found && found.used > 1 ? words.slice(0, found.used) : [words[0]!]);
        },
      }),
    ],
    verbs: [
      verb({
        verb: 'help',
        role: 'viewer',
        bound: false,
        offline: true,
        data: z.object({}),
        run: async () => registry().help(),
      }),
    ],
  };
}

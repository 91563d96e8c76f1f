import { helpCard } from '../cards/core.js';
import { cardReply, type CommandEntry, type CommandFamily, type Reply, type VerbEntry } from './types.js';

/** A command is its family's word and at most two more (`budget forecast set`). */
export const MAX_COMMAND_WORDS = 3;

/** Command words and card verbs, registered in one place; the router never grows a switch. */
export class Registry {
  /** Keyed by the command words joined by a space: `kpi`, `kpi record`. */
  readonly commands = new Map<string, CommandEntry>();
  /** Keyed by each first word a family answers. */
  readonly families = new Map<string, CommandFamily>();
  readonly verbs = new Map<string, VerbEntry>();

  constructor(readonly registered: readonly CommandFamily[]) {
    for (const family of registered) {
      for (const word of family.words) {
        if (this.families.has(word)) throw new Error(`command word ${word} is registered twice`);
        this.families.set(word, family);
      }
      for (const entry of family.commands) {
        const key = entry.words.join(' ');
        if (!family.words.includes(entry.words[0]!)) throw new Error(`command ${key} is not a word of its family`);
        if (entry.words.length > MAX_COMMAND_WORDS)
          throw new Error(`command ${key} has more than ${MAX_COMMAND_WORDS} words`);
        if (this.commands.has(key)) throw new Error(`command ${key} is registered twice`);
        this.commands.set(key, entry);
      }
      for (const v of family.verbs ?? []) {
        if (this.verbs.has(v.verb)) throw new Error(`card verb ${v.verb} is registered twice`);
        this.verbs.set(v.verb, v);
      }
    }
  }

  /** The second words registered under a first word (`record`, `edit` … under `kpi`), each once. */
  subcommands(first: string): string[] {
    const seconds = [...this.commands.values()].filter((e) => e.words[0] === first && e.words[1]);
    return [...new Set(seconds.map((e) => e.words[1]!))];
  }

  /**
   * The command that the leading words name, the longest registered one first (`budget forecast set`
   * before `budget forecast` before `budget`), with how many of the words it takes.
   */
  lookup(words: readonly string[]): { entry: CommandEntry; used: number } | undefined {
    for (let used = Math.min(words.length, MAX_COMMAND_WORDS); used > 0; used--) {
      const entry = this.commands.get(words.slice(0, used).join(' ').toLowerCase());
      if (entry) return { entry, used };
    }
    return undefined;
  }

  /** The commands under one first word, its own entry first. */
  entriesOf(first: string): CommandEntry[] {
    return [...this.commands.values()].filter((e) => e.words[0] === first);
  }

  /**
   * Every family under its area: its words, what it is for, and its commands by their words. The
   * grammar and examples of each are one `help <command>` away, so the card stays small however
   * many families there are.
   */
  help(): Reply {
    const areas: Array<{ area: string; families: Array<{ words: string; summary: string; commands: string }> }> = [];
    for (const family of this.registered) {
      let area = areas.find((a) => a.area === family.area);
      if (!area) areas.push((area = { area: family.area, families: [] }));
      area.families.push({
        words: family.words.join(' · '),
        summary: family.summary,
        commands: family.commands.map((c) => c.words.join(' ')).join(' · '),
      });
    }
    const text = [
      'Governance Bot commands',
      ...areas.flatMap((a) => [
        a.area,
        ...a.families.flatMap((f) => [`  ${f.words} — ${f.summary}`, `    ${f.commands}`]),
      ]),
      'Type help <command> for its grammar and examples, e.g. help kpi record.',
    ].join('\n');
    return cardReply(helpCard, { areas }, text);
  }
}

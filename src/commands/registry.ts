import { AREAS, cardReply, type CommandEntry, type CommandFamily, type Reply, type VerbEntry } from './types.js';

/** Command words and card verbs, registered in one place; the router never grows a switch. */
export class Registry {
  /** Keyed by the command words joined by a space: `kpi`, `kpi record`. */
  readonly commands = new Map<string, CommandEntry>();
  readonly families = new Map<string, CommandFamily>();
  readonly verbs = new Map<string, VerbEntry>();
  /** Words of families still to come, with what people would call them ("Budget monitoring"). */
  readonly planned: ReadonlyMap<string, string>;

  constructor(families: readonly CommandFamily[], planned: Readonly<Record<string, string>> = {}) {
    this.planned = new Map(Object.entries(planned));
    for (const family of families) {
      if (this.families.has(family.word)) throw new Error(`command family ${family.word} is registered twice`);
      this.families.set(family.word, family);
      for (const entry of family.commands) {
        const key = entry.words.join(' ');
        if (entry.words[0] !== family.word) throw new Error(`command ${key} is not in family ${family.word}`);
        if (this.commands.has(key)) throw new Error(`command ${key} is registered twice`);
        this.commands.set(key, entry);
      }
      for (const v of family.verbs ?? []) {
        if (this.verbs.has(v.verb)) throw new Error(`card verb ${v.verb} is registered twice`);
        this.verbs.set(v.verb, v);
      }
    }
  }

  help(): Reply {
    const areas = AREAS.map((area) => ({
      area,
      commands: [...this.families.values()]
        .filter((f) => f.area === area)
        .flatMap((f) => f.commands.map((c) => ({ usage: c.help.usage, summary: c.help.summary }))),
    })).filter((a) => a.commands.length > 0);
    const text = [
      'Governance Bot commands',
      ...areas.flatMap((a) => [a.area, ...a.commands.map((c) => `  ${c.usage} — ${c.summary}`)]),
      'Type help <command> for examples.',
    ].join('\n');
    return cardReply('help', { areas }, text);
  }
}

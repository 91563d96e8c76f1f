/**
 * The registry's promises, for whatever families are registered: a new family passes these
 * without being named here. Each command has a summary, a usage and examples that run it; each
 * card verb has a template with a button that sends it; each template is declared by the code
 * that renders it, and each declared template has its file.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HelpData } from '../../src/cards/core.js';
import { declaredCards } from '../../src/cards/define.js';
import { CARD_BYTE_LIMIT, cardBytes, renderCard } from '../../src/cards/render.js';
import { buildRegistry } from '../../src/commands/index.js';
import { parseCommandLine } from '../../src/commands/parse.js';
import { Registry } from '../../src/commands/registry.js';
import type { Services } from '../../src/commands/services.js';
import type { ArgSchema, CommandEntry, CommandFamily } from '../../src/commands/types.js';
import { fromRoot } from '../../src/project-root.js';

// Families use services only inside handlers (a repository is built around the tables, not opened): the structure needs none.
const registry = buildRegistry({ tables: {} } as unknown as Services);
const entries = [...registry.commands.values()];
const families = registry.registered;
const cardsDir = fromRoot('cards');

/** The entry a typed line runs, found the way the router finds it: the longest run of leading command words registered. */
function entryFor(line: string): CommandEntry | undefined {
  const words: string[] = [];
  for (const token of parseCommandLine(line, [], []).tokens) {
    if (token.kind !== 'word' || token.quoted) break;
    words.push(token.text);
  }
  return registry.lookup(words)?.entry;
}

/** Every `"verb"` anywhere in a card template, buttons inside containers and refresh blocks included. */
function verbsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(verbsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'verb' && typeof value === 'string' ? [value] : verbsIn(value),
  );
}

async function templates(): Promise<Map<string, unknown>> {
  const files = (await readdir(cardsDir)).filter((f) => f.endsWith('.json'));
  const parsed = await Promise.all(
    files.map(async (file) => [file.replace(/\.json$/, ''), JSON.parse(await readFile(join(cardsDir, file), 'utf8'))]),
  );
  return new Map(parsed as Array<[string, unknown]>);
}

const schema = <A>(args: ArgSchema<A>) =>
  typeof args === 'function' ? args({ partnership: undefined, now: new Date('2026-11-25T12:00:00Z') }) : args;

describe('the command registry', () => {
  it('has help first, then the families of src/commands/index.ts', () => {
    expect(families[0]!.words).toEqual(['help']);
    expect(families.length).toBeGreaterThan(1);
  });

  it.each(entries.map((e) => [e.words.join(' '), e] as const))(
    '%s has a summary, a usage that starts with its words, and an example',
    (_, entry) => {
      expect(entry.help.summary.trim()).not.toBe('');
      expect(entry.help.usage.startsWith(entry.words.join(' '))).toBe(true);
      const afterWords = entry.help.usage.slice(entry.words.join(' ').length);
      expect(afterWords === '' || afterWords.startsWith(' ')).toBe(true);
      expect(entry.help.examples.length).toBeGreaterThan(0);
    },
  );

  it('files every entry under one of the first words of its family', () => {
    for (const family of families) {
      for (const entry of family.commands) expect(family.words, entry.words.join(' ')).toContain(entry.words[0]);
    }
  });

  it('gives every family a summary, a help area and at least one command', () => {
    for (const family of families) {
      expect(family.summary.trim(), family.words[0]).not.toBe('');
      expect(family.area.trim(), family.words[0]).not.toBe('');
      expect(family.commands.length, family.words[0]).toBeGreaterThan(0);
    }
  });

  it('runs, for every example, the very command the example illustrates', () => {
    for (const entry of entries) {
      for (const example of entry.help.examples) expect(entryFor(example)?.words, example).toEqual(entry.words);
    }
  });

  it('writes command words in lower case, one word each, so that lookup after lower-casing finds them', () => {
    for (const entry of entries) {
      for (const w of entry.words) expect(w, entry.words.join(' ')).toMatch(/^[a-z][a-z0-9-]*$/);
    }
  });

  it('builds every argument schema without a partnership (help and did-you-mean read them before one is known)', () => {
    for (const entry of entries) expect(() => schema(entry.args), entry.words.join(' ')).not.toThrow();
  });

  it('has, for every card verb, a template with a button that sends it', async () => {
    const used = new Set([...(await templates()).values()].flatMap(verbsIn));
    for (const verb of registry.verbs.keys()) expect(used.has(verb), verb).toBe(true);
  });

  it('registers every verb a card template uses', async () => {
    const used = [...(await templates()).values()].flatMap(verbsIn);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((verb) => !registry.verbs.has(verb))).toEqual([]);
  });

  it('has code that declares every template in cards/, and a file for every template declared', async () => {
    const files = [...(await templates()).keys()].sort();
    expect([...declaredCards().keys()].sort()).toEqual(files);
  });

  it('accepts the data its card buttons send (templated values arrive as strings)', () => {
    expect(schema(registry.verbs.get('help')!.data).safeParse({}).success).toBe(true);
    const page = schema(registry.verbs.get('kpi.page')!.data);
    expect(page.safeParse({ offset: '25', filter: 'red', council: '' }).success).toBe(true);
    expect(page.safeParse({ offset: 'lots', filter: '', council: '' }).success).toBe(false);
    expect(page.safeParse({ offset: '25', filter: 'purple', council: '' }).success).toBe(false);
  });

  it('refuses a command word, a command or a card verb registered twice', () => {
    const family = (words: string[], commandWords: string[][], verbs: string[] = []): CommandFamily => ({
      words,
      area: 'Getting started',
      summary: words[0]!,
      commands: commandWords.map((w) => ({ ...entries[0]!, words: w })),
      verbs: verbs.map((v) => ({ ...[...registry.verbs.values()][0]!, verb: v })),
    });
    expect(() => new Registry([family(['x'], [['x']]), family(['x'], [['x', 'y']])])).toThrow(
      /command word x is registered twice/,
    );
    expect(() => new Registry([family(['x'], [['x'], ['x']])])).toThrow(/command x is registered twice/);
    expect(() => new Registry([family(['x'], [['y']])])).toThrow(/command y is not a word of its family/);
    expect(() => new Registry([family(['x'], [['x', 'y', 'z', 'w']])])).toThrow(
      /command x y z w has more than 3 words/,
    );
    expect(() => new Registry([family(['x'], [['x']], ['go']), family(['y'], [['y']], ['go'])])).toThrow(
      /card verb go is registered twice/,
    );
  });

  it('finds the longest command the leading words name, up to three words', () => {
    const budget = new Registry([
      {
        words: ['budget'],
        area: 'Money',
        summary: 'Budget',
        commands: [['budget'], ['budget', 'forecast'], ['budget', 'forecast', 'set']].map((w) => ({
          ...entries[0]!,
          words: w,
        })),
      },
    ]);
    const named = (words: string[]) => budget.lookup(words);
    expect(named(['budget', 'forecast', 'set', 'STAFF'])).toMatchObject({ used: 3 });
    expect(named(['Budget', 'Forecast', 'Clear'])).toMatchObject({ used: 2 });
    expect(named(['budget', 'STAFF'])).toMatchObject({ used: 1 });
    expect(named(['forecast'])).toBeUndefined();
    expect(budget.subcommands('budget')).toEqual(['forecast']);
  });

  it('lets one family answer several first words', () => {
    const many = new Registry([
      {
        words: ['approval', 'approve'],
        area: 'Decisions',
        summary: 'Approvals',
        commands: [{ ...entries[0]!, words: ['approve'] }],
      },
    ]);
    expect(many.families.get('approval')).toBe(many.families.get('approve'));
    expect(many.entriesOf('approve')).toHaveLength(1);
  });
});

describe('help', () => {
  const help = registry.help();
  const data = help.card?.data as HelpData;

  it('is the help card with a text fallback', () => {
    expect(help.card?.template.name).toBe('help');
    expect(help.text).toMatch(/^Governance Bot commands/);
  });

  it('lists every family under its area, with its summary and every command by its words, areas in order of registration', () => {
    for (const family of families) {
      const area = data.areas.find((a) => a.area === family.area);
      const shown = area?.families.find((f) => f.words === family.words.join(' · '));
      expect(shown?.summary, family.words[0]).toBe(family.summary);
      for (const entry of family.commands) expect(shown?.commands.split(' · ')).toContain(entry.words.join(' '));
    }
    const firstSeen = [...new Set(families.map((f) => f.area))];
    expect(data.areas.map((a) => a.area)).toEqual(firstSeen);
  });

  it('stays far under the card size limit, however many families there are', () => {
    expect(cardBytes(renderCard(help.card!.template, help.card!.data, help.text))).toBeLessThan(CARD_BYTE_LIMIT / 2);
  });
});

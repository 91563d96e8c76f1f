import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../src/commands/index.js';
import { parseCommandLine } from '../../src/commands/parse.js';
import { Registry } from '../../src/commands/registry.js';
import type { Services } from '../../src/commands/services.js';
import { AREAS, type CommandEntry, type CommandFamily } from '../../src/commands/types.js';
import { fromRoot } from '../../src/project-root.js';

// Command modules use services only inside handlers; the structure needs none.
const registry = buildRegistry({} as Services);
const entries = [...registry.commands.values()];
const families = [...registry.families.values()];
const cardsDir = fromRoot('cards');

/** The entry a typed line runs, found the way the router finds it: two command words if registered, else the first. */
function entryFor(line: string): CommandEntry | undefined {
  const words = parseCommandLine(line, [], []).tokens.map((t) =>
    t.kind === 'word' && !t.quoted ? t.text.toLowerCase() : undefined,
  );
  const [first, second] = words;
  if (first === undefined) return undefined;
  return (
    (second !== undefined ? registry.commands.get(`${first} ${second}`) : undefined) ?? registry.commands.get(first)
  );
}

/** Every `"verb"` anywhere in a card template, buttons inside containers and refresh blocks included. */
function verbsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(verbsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'verb' && typeof value === 'string' ? [value] : verbsIn(value),
  );
}

async function cardVerbs(): Promise<{ card: string; verb: string }[]> {
  const files = (await readdir(cardsDir)).filter((f) => f.endsWith('.json'));
  const found = await Promise.all(
    files.map(async (card) =>
      verbsIn(JSON.parse(await readFile(join(cardsDir, card), 'utf8'))).map((verb) => ({ card, verb })),
    ),
  );
  return found.flat();
}

describe('the command registry', () => {
  it('has the families of the design: help, setup, role, audit and kpi', () => {
    expect([...registry.families.keys()].sort()).toEqual(['audit', 'help', 'kpi', 'role', 'setup']);
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

  it('lists entries under the family named by their first word', () => {
    for (const family of families) {
      for (const entry of family.commands) expect(entry.words[0], entry.words.join(' ')).toBe(family.word);
    }
  });

  it('gives every family a summary and a help area', () => {
    for (const family of families) {
      expect(family.summary.trim(), family.word).not.toBe('');
      expect(AREAS).toContain(family.area);
      expect(family.commands.length, family.word).toBeGreaterThan(0);
    }
  });

  it('starts every example with a registered command family', () => {
    for (const entry of entries) {
      for (const example of entry.help.examples) {
        const first = parseCommandLine(example, [], []).tokens[0];
        expect(first?.kind === 'word' && registry.families.has(first.text.toLowerCase()), example).toBe(true);
      }
    }
  });

  it('runs, for every example, the very command the example illustrates', () => {
    for (const entry of entries) {
      for (const example of entry.help.examples) expect(entryFor(example)?.words, example).toEqual(entry.words);
    }
  });

  it('gives no two entries the same words', () => {
    const keys = families.flatMap((f) => f.commands.map((c) => c.words.join(' ')));
    expect(new Set(keys).size).toBe(keys.length);
    expect(registry.commands.size).toBe(keys.length);
  });

  it('writes command words in lower case, one word each, so that lookup after lower-casing finds them', () => {
    for (const entry of entries) {
      for (const w of entry.words) expect(w, entry.words.join(' ')).toMatch(/^[a-z][a-z0-9-]*$/);
    }
  });

  it('registers every verb a card template uses', async () => {
    const used = await cardVerbs();
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter(({ verb }) => !registry.verbs.has(verb))).toEqual([]);
  });

  it('accepts the data its card buttons send (templated values arrive as strings)', () => {
    expect(registry.verbs.get('help')?.data.safeParse({}).success).toBe(true);
    const page = registry.verbs.get('kpi.page')!;
    expect(page.data.safeParse({ offset: '25', filter: 'red', council: '' }).success).toBe(true);
    expect(page.data.safeParse({ offset: '25', filter: '', council: 'CEC' }).success).toBe(true);
    expect(page.data.safeParse({ offset: 'lots', filter: '', council: '' }).success).toBe(false);
    expect(page.data.safeParse({ offset: '25', filter: 'purple', council: '' }).success).toBe(false);
  });

  it('knows the planned families by the words people type for them, none of which is a family today', () => {
    expect(Object.fromEntries(registry.planned)).toMatchObject({
      budget: 'Budget monitoring',
      risk: 'The risk register',
      approval: 'Approvals',
      approve: 'Approvals',
      reject: 'Approvals',
    });
    for (const word of registry.planned.keys()) {
      expect(word).toMatch(/^[a-z]+$/);
      expect(registry.families.has(word), word).toBe(false);
    }
  });

  it('refuses a family, a command or a card verb registered twice', () => {
    const family = (word: string, commandWords: string[][], verbs: string[] = []): CommandFamily => ({
      word,
      area: 'Getting started',
      summary: word,
      commands: commandWords.map((words) => ({ ...entries[0]!, words })),
      verbs: verbs.map((v) => ({ ...[...registry.verbs.values()][0]!, verb: v })),
    });
    expect(() => new Registry([family('x', [['x']]), family('x', [['x', 'y']])])).toThrow(
      /family x is registered twice/,
    );
    expect(() => new Registry([family('x', [['x'], ['x']])])).toThrow(/command x is registered twice/);
    expect(() => new Registry([family('x', [['y']])])).toThrow(/command y is not in family x/);
    expect(() => new Registry([family('x', [['x']], ['go']), family('y', [['y']], ['go'])])).toThrow(
      /card verb go is registered twice/,
    );
  });
});

describe('help', () => {
  const help = registry.help();

  it('is the help card with a text fallback', () => {
    expect(help.card?.name).toBe('help');
    expect(help.text).toMatch(/^Governance Bot commands/);
  });

  it('lists every family', () => {
    const data = help.card?.data as { areas: { area: string; commands: { usage: string; summary: string }[] }[] };
    const listedFamilies = new Set(data.areas.flatMap((a) => a.commands.map((c) => c.usage.split(' ')[0])));
    for (const family of families) {
      expect(listedFamilies.has(family.word), family.word).toBe(true);
      expect(help.text, family.word).toContain(`\n  ${family.word}`);
    }
  });

  it('lists every command with its usage and summary, under its area', () => {
    const data = help.card?.data as { areas: { area: string; commands: { usage: string; summary: string }[] }[] };
    for (const family of families) {
      const area = data.areas.find((a) => a.area === family.area);
      for (const entry of family.commands) {
        expect(area?.commands, entry.words.join(' ')).toContainEqual({
          usage: entry.help.usage,
          summary: entry.help.summary,
        });
        expect(help.text).toContain(`${entry.help.usage} — ${entry.help.summary}`);
      }
    }
  });

  it('shows areas in the order of the design and leaves out empty ones', () => {
    const data = help.card?.data as { areas: { area: string; commands: unknown[] }[] };
    const shown = data.areas.map((a) => a.area);
    expect(shown).toEqual(AREAS.filter((a) => shown.includes(a)));
    expect(data.areas.every((a) => a.commands.length > 0)).toBe(true);
  });
});

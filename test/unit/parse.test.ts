import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/commands/errors.js';
import {
  closestWords,
  decodeEntities,
  parseCommandLine,
  type MentionEntity,
  type Token,
} from '../../src/commands/parse.js';
import type { UserRef } from '../../src/commands/types.js';
import { fromRoot } from '../../src/project-root.js';

const BOT = '<at>Governance Bot</at>';

const sam: UserRef = {
  kind: 'user',
  id: '29:1sam',
  name: 'Sam Jones',
  aadObjectId: '6f1c2a3b-0000-4000-8000-000000000001',
};
const priya: UserRef = {
  kind: 'user',
  id: '29:1priya',
  name: 'Priya Shah',
  aadObjectId: '6f1c2a3b-0000-4000-8000-000000000002',
};
const samMention: MentionEntity = { text: '<at>Sam Jones</at>', user: sam };
const priyaMention: MentionEntity = { text: '<at>Priya Shah</at>', user: priya };

const parse = (raw: string, people: readonly MentionEntity[] = []) => parseCommandLine(raw, [BOT], people);
const tokensOf = (raw: string, people: readonly MentionEntity[] = []) => parse(raw, people).tokens;
const word = (text: string): Token => ({ kind: 'word', text, quoted: false });
const quoted = (text: string): Token => ({ kind: 'word', text, quoted: true });
const named = (key: string, value: string | UserRef | readonly UserRef[]): Token => ({ kind: 'named', key, value });
const person = (user: UserRef): Token => ({ kind: 'user', user });

/** What a UsageError says, or a failure naming what was thrown instead. */
function usageProblem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a UsageError, but the line was read');
}

/** Teams sends what a person types HTML-escaped. */
const asTeamsSends = (typed: string) => typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** The parser reads every run of white space (including no-break, thin and zero-width spaces) as one space. */
const spacesCollapsed = (text: string) => text.replace(/[\s\u200b]+/g, ' ').trim();
const QUOTE_CHARACTERS = /["\u201c\u201d\u201e\u201f]/;

describe('reading a command line from Teams', () => {
  it('strips the bot mention wherever it stands', () => {
    for (const raw of [
      `${BOT} kpi red`,
      `kpi red ${BOT}`,
      `kpi ${BOT} red`,
      `${BOT} kpi ${BOT} red`,
      `${BOT}kpi red`,
    ]) {
      expect(tokensOf(raw), raw).toEqual([word('kpi'), word('red')]);
      expect(parse(raw).text, raw).toBe('kpi red');
    }
  });

  it('reads chat text that has no mention at all', () => {
    expect(tokensOf('kpi')).toEqual([word('kpi')]);
  });

  it('reads a message that is only the mention as no tokens', () => {
    expect(parse(BOT)).toEqual({ text: '', tokens: [] });
    expect(parse(`<p>${BOT}&nbsp;</p>`)).toEqual({ text: '', tokens: [] });
  });

  it('strips a leading slash, before or after the mention', () => {
    expect(tokensOf('/kpi red')).toEqual([word('kpi'), word('red')]);
    expect(tokensOf(`${BOT} /kpi`)).toEqual([word('kpi')]);
    expect(tokensOf('/ kpi')).toEqual([word('kpi')]);
  });

  it('keeps a slash that is inside the command', () => {
    expect(tokensOf('kpi record FTF 72 period=2026/27')).toEqual([
      word('kpi'),
      word('record'),
      word('FTF'),
      word('72'),
      named('period', '2026/27'),
    ]);
  });

  it('strips the HTML tags Teams wraps a message in', () => {
    expect(tokensOf('<p>kpi</p>')).toEqual([word('kpi')]);
    expect(tokensOf(`<div><div>${BOT} <p>kpi <strong>red</strong></p></div></div>`)).toEqual([
      word('kpi'),
      word('red'),
    ]);
    expect(parse('<p>kpi</p>').text).toBe('kpi');
  });

  it('reads a line break as a space', () => {
    expect(tokensOf('kpi<br>red')).toEqual([word('kpi'), word('red')]);
    expect(tokensOf('kpi<br/>red')).toEqual([word('kpi'), word('red')]);
    expect(tokensOf('kpi<BR />red')).toEqual([word('kpi'), word('red')]);
  });

  it('reads a paragraph break as a space, not as one joined word', () => {
    // Teams sends each line typed with Shift+Enter as its own paragraph.
    expect(tokensOf('<p>kpi</p><p>red</p>')).toEqual([word('kpi'), word('red')]);
    expect(tokensOf('<div>kpi record FTF 72</div><div>period=2026-10</div>')).toEqual([
      word('kpi'),
      word('record'),
      word('FTF'),
      word('72'),
      named('period', '2026-10'),
    ]);
  });

  it('decodes the entities Teams sends for quotes, ampersands, apostrophes and spaces', () => {
    expect(tokensOf('<p>kpi &quot;First time fix&quot;</p>')).toEqual([word('kpi'), quoted('First time fix')]);
    expect(tokensOf('kpi &quot;Fish &amp; chips&quot;')).toEqual([word('kpi'), quoted('Fish & chips')]);
    expect(tokensOf('kpi Sam&#8217;s')).toEqual([word('kpi'), word('Sam\u2019s')]);
    expect(tokensOf('kpi&nbsp;red')).toEqual([word('kpi'), word('red')]);
  });

  it('keeps an HTML-escaped tag as the text the person typed', () => {
    expect(tokensOf('kpi &quot;&lt;b&gt;bold&lt;/b&gt;&quot;')).toEqual([word('kpi'), quoted('<b>bold</b>')]);
  });

  it('treats no-break, thin and other Unicode spaces as ordinary spaces', () => {
    for (const space of ['\u00a0', '\u202f', '\u2003', '\u2009', '\u3000']) {
      expect(tokensOf(`kpi${space}red`), JSON.stringify(space)).toEqual([word('kpi'), word('red')]);
    }
    expect(tokensOf('  kpi \t\n  red  ')).toEqual([word('kpi'), word('red')]);
  });

  it('gives the command as a person reads it: no mention, no tags, entities decoded', () => {
    expect(parse(`${BOT} <p>kpi &quot;First time fix&quot;</p>`).text).toBe('kpi "First time fix"');
  });
});

describe('text copied back from a card', () => {
  it('reads the look-alike dots and slashes a card shows (so no email or address is made a link) as typed', () => {
    expect(tokensOf('role grant sam\u2024patel@council\u2024gov\u2024uk editor')).toEqual([
      word('role'),
      word('grant'),
      word('sam.patel@council.gov.uk'),
      word('editor'),
    ]);
    expect(parse('kpi add "See https:\u2215\u2215intranet" target=1 unit=count polarity=higher').text).toContain(
      'https://intranet',
    );
  });
});

describe('quoted text', () => {
  it('reads straight quotes as one word', () => {
    expect(tokensOf('kpi "First time fix"')).toEqual([word('kpi'), quoted('First time fix')]);
  });

  it('reads the curly quotes Teams turns straight quotes into', () => {
    expect(tokensOf('kpi \u201cFirst time fix\u201d')).toEqual([word('kpi'), quoted('First time fix')]);
  });

  it('reads low-high quotes („x“)', () => {
    expect(tokensOf('kpi \u201eFirst time fix\u201c')).toEqual([word('kpi'), quoted('First time fix')]);
  });

  it('closes a straight quote with a curly one', () => {
    expect(tokensOf('kpi "First time fix\u201d')).toEqual([word('kpi'), quoted('First time fix')]);
  });

  it('does not take an apostrophe for a quote', () => {
    expect(tokensOf("kpi Sam's fix")).toEqual([word('kpi'), word("Sam's"), word('fix')]);
    expect(tokensOf('kpi Sam\u2019s fix')).toEqual([word('kpi'), word('Sam\u2019s'), word('fix')]);
  });

  it('collapses and trims the spaces inside quotes', () => {
    expect(tokensOf('kpi "  First   time fix "')).toEqual([word('kpi'), quoted('First time fix')]);
  });

  it('keeps a quoted word apart from the command words', () => {
    expect(tokensOf('kpi "record"')).toEqual([word('kpi'), quoted('record')]);
  });

  it('refuses an unclosed quote and shows how to write one', () => {
    for (const raw of ['kpi "First time fix', 'kpi \u201cFirst time fix', 'kpi edit FTF name="First time fix']) {
      const problem = usageProblem(() => parse(raw));
      expect(problem, raw).toMatch(/quote is not closed/);
      expect(problem, raw).toContain('First time fix');
      expect(problem, raw).toMatch(/e\.g\. "First time fix"/);
    }
  });

  it('reads a person mentioned inside quoted text as @name, not as a hidden marker', () => {
    const tokens = tokensOf('kpi record FTF 72 "after <at>Sam Jones</at> fixed the portal"', [samMention]);
    expect(tokens).toEqual([
      word('kpi'),
      word('record'),
      word('FTF'),
      word('72'),
      quoted('after @Sam Jones fixed the portal'),
    ]);
  });
});

describe('options written key=value', () => {
  it('reads key=value as a named option', () => {
    expect(tokensOf('kpi record FTF 72.5 period=2026-10')).toEqual([
      word('kpi'),
      word('record'),
      word('FTF'),
      word('72.5'),
      named('period', '2026-10'),
    ]);
  });

  it('reads key="quoted value" with spaces', () => {
    expect(tokensOf('kpi edit FTF name="First time fix"')).toEqual([
      word('kpi'),
      word('edit'),
      word('FTF'),
      named('name', 'First time fix'),
    ]);
  });

  it('reads key=“curly quoted value”', () => {
    expect(tokensOf('kpi edit FTF description=\u201cafter the portal change\u201d')).toEqual([
      word('kpi'),
      word('edit'),
      word('FTF'),
      named('description', 'after the portal change'),
    ]);
  });

  it('reads key=&quot;value&quot; as Teams sends it', () => {
    expect(tokensOf('<p>kpi edit FTF name=&quot;First time fix&quot;</p>')).toEqual([
      word('kpi'),
      word('edit'),
      word('FTF'),
      named('name', 'First time fix'),
    ]);
  });

  it('lower-cases keys but keeps the case of values', () => {
    expect(tokensOf('kpi Council=CEC')).toEqual([word('kpi'), named('council', 'CEC')]);
    expect(tokensOf('kpi record FTF 72 PERIOD=2026-10')).toEqual([
      word('kpi'),
      word('record'),
      word('FTF'),
      word('72'),
      named('period', '2026-10'),
    ]);
  });

  it('keeps an = inside a value', () => {
    expect(tokensOf('kpi edit FTF description=a=b')).toEqual([
      word('kpi'),
      word('edit'),
      word('FTF'),
      named('description', 'a=b'),
    ]);
  });

  it('reads a word that starts with a digit as a word even with an = in it', () => {
    expect(tokensOf('kpi 2026=10')).toEqual([word('kpi'), word('2026=10')]);
  });

  it('refuses a key given twice, whatever its case, and says to give it once', () => {
    for (const raw of [
      'kpi record FTF 72 period=2026-10 period=2026-11',
      'kpi record FTF 72 period=2026-10 PERIOD=2026-11',
    ]) {
      const problem = usageProblem(() => parse(raw));
      expect(problem, raw).toMatch(/period= is given twice/);
      expect(problem, raw).toMatch(/once/);
    }
  });

  it('reads key = value, typed with spaces around the =, as key=value', () => {
    for (const raw of [
      'kpi record FTF 77 period = 2026-05',
      'kpi record FTF 77 period= 2026-05',
      'kpi record FTF 77 period =2026-05',
    ]) {
      expect(tokensOf(raw), raw).toEqual([
        word('kpi'),
        word('record'),
        word('FTF'),
        word('77'),
        named('period', '2026-05'),
      ]);
    }
    expect(tokensOf('kpi add "Fix rate" description = "after the change"')).toContainEqual(
      named('description', 'after the change'),
    );
  });

  it('refuses key= with no value and shows key=value', () => {
    for (const raw of ['kpi record FTF 72 period=', 'kpi record FTF 72 period = ', 'kpi record FTF 72 period=  ']) {
      const problem = usageProblem(() => parse(raw));
      expect(problem, raw).toMatch(/period= has no value/);
      expect(problem, raw).toContain('period=value');
    }
  });
});

describe('people mentioned in a command', () => {
  it('reads owner=@person as a named option holding the person', () => {
    const line = parse(`${BOT} risk add "Cyber security" likelihood=4 impact=5 owner=<at>Sam Jones</at>`, [samMention]);
    expect(line.tokens).toEqual([
      word('risk'),
      word('add'),
      quoted('Cyber security'),
      named('likelihood', '4'),
      named('impact', '5'),
      named('owner', sam),
    ]);
    expect(line.text).toBe('risk add "Cyber security" likelihood=4 impact=5 owner=@Sam Jones');
  });

  it('reads a positional @person as a user token', () => {
    const line = parse(`${BOT} role grant <at>Sam Jones</at> editor`, [samMention]);
    expect(line.tokens).toEqual([word('role'), word('grant'), person(sam), word('editor')]);
    expect(line.text).toBe('role grant @Sam Jones editor');
  });

  it('keeps several people apart and in the order they were mentioned', () => {
    const tokens = tokensOf('x <at>Priya Shah</at> <at>Sam Jones</at> owner=<at>Sam Jones</at>', [
      priyaMention,
      samMention,
      samMention,
    ]);
    expect(tokens).toEqual([word('x'), person(priya), person(sam), named('owner', sam)]);
  });

  it('reads a mention that touches the next word as two tokens', () => {
    expect(tokensOf('role grant <at>Sam Jones</at>editor', [samMention])).toEqual([
      word('role'),
      word('grant'),
      person(sam),
      word('editor'),
    ]);
  });

  it('ignores a mention entity whose text is not in the message', () => {
    expect(tokensOf('kpi red', [samMention])).toEqual([word('kpi'), word('red')]);
  });

  it('reads approvers=@a,@b as one option holding both people, with or without spaces after the comma', () => {
    expect(
      tokensOf('approval request approvers=<at>Priya Shah</at>,<at>Sam Jones</at> policy=all', [
        priyaMention,
        samMention,
      ]),
    ).toEqual([word('approval'), word('request'), named('approvers', [priya, sam]), named('policy', 'all')]);
    expect(tokensOf('x approvers=<at>Priya Shah</at>, <at>Sam Jones</at>', [priyaMention, samMention])).toEqual([
      word('x'),
      named('approvers', [priya, sam]),
    ]);
  });

  it('keeps one person after an option as a person, and a comma before a word as the word', () => {
    expect(tokensOf('x owner=<at>Sam Jones</at>', [samMention])).toEqual([word('x'), named('owner', sam)]);
    expect(tokensOf('x owner=<at>Sam Jones</at>,board', [samMention])).toEqual([
      word('x'),
      named('owner', sam),
      word(',board'),
    ]);
  });

  it('reads a typed @name that Teams did not link as a plain word', () => {
    expect(tokensOf('role grant @Sam editor')).toEqual([word('role'), word('grant'), word('@Sam'), word('editor')]);
  });
});

describe('reading any text', () => {
  it('either reads printable text into tokens or refuses it with a UsageError', () => {
    for (const unit of ['grapheme-ascii', 'grapheme'] as const) {
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 80 }), (raw) => {
          try {
            const line = parseCommandLine(raw, [BOT], []);
            expect(Array.isArray(line.tokens)).toBe(true);
            expect(line.tokens.every((t) => t.kind !== 'user')).toBe(true);
          } catch (error) {
            if (!(error instanceof UsageError)) throw error;
          }
        }),
        { numRuns: 500 },
      );
    }
  });

  it('reads a quoted string of any text without quote characters as one quoted word', () => {
    // The look-alike dot and slash cards show in addresses are read as the dot and slash they stand for.
    const lookAlike = /[\u2024\u2215]/;
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
          .filter((s) => !QUOTE_CHARACTERS.test(s) && !lookAlike.test(s)),
        (typed) => {
          expect(parseCommandLine(`${BOT} kpi "${asTeamsSends(typed)}"`, [BOT], []).tokens).toEqual([
            word('kpi'),
            quoted(spacesCollapsed(typed)),
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads words without spaces, quotes or = back as the same words', () => {
    const plainWord = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => !/[\s=]/.test(s) && !QUOTE_CHARACTERS.test(s) && !s.startsWith('/'));
    fc.assert(
      fc.property(fc.array(plainWord, { minLength: 1, maxLength: 8 }), (typed) => {
        const line = parseCommandLine(asTeamsSends(typed.join(' ')), [BOT], []);
        expect(line.tokens).toEqual(typed.map(word));
        expect(line.text).toBe(typed.join(' '));
      }),
      { numRuns: 500 },
    );
  });
});

/*
 * A parser that never returns cannot be tested in the test's own thread: it would take the whole
 * run down. These cases run the real parser (transpiled from src/) in a worker with a memory cap
 * and a deadline, so that a hang shows as a failed expectation naming the input.
 */
type Outcome =
  | { kind: 'read'; tokens: Token[] }
  | { kind: 'threw'; name: string; message: string }
  | { kind: 'hung' }
  | { kind: 'not run' };

const srcRoot = fromRoot('src');
const isolatedDirs: string[] = [];

async function transpiledParser(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'governance-parse-'));
  isolatedDirs.push(dir);
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  // the parser's packages (entities) resolve from the project's node_modules
  await symlink(fromRoot('node_modules'), join(dir, 'node_modules'), 'dir');
  const pending = [join(srcRoot, 'commands/parse.ts')];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const output = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const target = join(dir, relative(srcRoot, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output);
    for (const [, spec] of output.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g))
      pending.push(resolve(dirname(file), `${spec}.ts`));
  }
  return pathToFileURL(join(dir, 'commands/parse.js')).href;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { parseCommandLine } = await import(workerData.moduleUrl);
  for (let i = 0; i < workerData.inputs.length; i++) {
    parentPort.postMessage({ kind: 'start', i });
    try {
      const line = parseCommandLine(workerData.inputs[i], [], []);
      parentPort.postMessage({ kind: 'read', i, tokens: line.tokens });
    } catch (error) {
      parentPort.postMessage({ kind: 'threw', i, name: String(error && error.name), message: String(error && error.message) });
    }
  }
  parentPort.postMessage({ kind: 'end' });
})();
`;

/** Runs each input through the real parser in a worker; after a hang, carries on with a fresh worker (at most `maxHangs` times). */
async function parseInIsolation(
  inputs: readonly string[],
  { perInputMs = 1500, maxHangs = 5 } = {},
): Promise<Outcome[]> {
  const moduleUrl = await transpiledParser();
  const outcomes: Outcome[] = inputs.map(() => ({ kind: 'not run' }));
  let from = 0;
  for (let hangs = 0; from < inputs.length && hangs <= maxHangs; hangs++) {
    from = await runWorker(moduleUrl, inputs, from, outcomes, perInputMs);
  }
  return outcomes;
}

/** Returns the index to carry on from: the end, or just after the input that hung. */
function runWorker(
  moduleUrl: string,
  inputs: readonly string[],
  from: number,
  outcomes: Outcome[],
  perInputMs: number,
): Promise<number> {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { moduleUrl, inputs: inputs.slice(from) },
    resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
  });
  return new Promise<number>((settle) => {
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    const finish = (next: number) => {
      clearTimeout(timer);
      void worker.terminate().then(() => settle(next));
    };
    const hung = () => {
      if (current < 0) return finish(inputs.length);
      outcomes[current] = { kind: 'hung' };
      finish(current + 1);
    };
    worker.on('message', (m: { kind: string; i: number; tokens?: Token[]; name?: string; message?: string }) => {
      const i = from + m.i;
      if (m.kind === 'start') {
        current = i;
        clearTimeout(timer);
        timer = setTimeout(hung, perInputMs);
      } else if (m.kind === 'read') {
        outcomes[i] = { kind: 'read', tokens: m.tokens ?? [] };
      } else if (m.kind === 'threw') {
        outcomes[i] = { kind: 'threw', name: m.name ?? '', message: m.message ?? '' };
      } else if (m.kind === 'end') {
        finish(inputs.length);
      }
    });
    worker.on('error', hung);
  });
}

/** Read into tokens with no invented people, or refused with a UsageError. */
const isAcceptable = (outcome: Outcome | undefined) =>
  (outcome?.kind === 'read' && outcome.tokens.every((t) => t.kind !== 'user')) ||
  (outcome?.kind === 'threw' && outcome.name === 'UsageError');

/** The inputs (escaped, so control characters show) whose outcome is not acceptable. */
const unacceptable = (inputs: readonly string[], outcomes: readonly Outcome[]) =>
  inputs.flatMap((input, i) => {
    const outcome = outcomes[i];
    return outcome?.kind === 'not run' || isAcceptable(outcome)
      ? []
      : [
          `${JSON.stringify(input)} → ${JSON.stringify(outcome, (_, v: unknown) => (v === undefined ? 'undefined' : v))}`,
        ];
  });

describe('reading hostile text', () => {
  afterAll(async () => {
    await Promise.all(isolatedDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('neither hangs nor invents a mention on control characters or &#1;', async () => {
    const inputs = ['kpi &#1;', 'kpi \u0001', 'kpi &#1;0&#1;', 'kpi \u00010\u0001', 'kpi owner=&#1;', 'kpi &#x1;red'];
    const outcomes = await parseInIsolation(inputs);
    expect(unacceptable(inputs, outcomes)).toEqual([]);
    expect(outcomes.filter((o) => o.kind === 'not run')).toEqual([]);
  }, 30_000);

  it('either reads or refuses any mix of quotes, entities, tags, options and mentions', async () => {
    const piece = fc.constantFrom(
      'kpi',
      ' ',
      'a',
      '"',
      '\u201c',
      '\u201d',
      '\u201e',
      '=',
      'x=',
      '/',
      '&amp;',
      '&quot;',
      '&nbsp;',
      '&#8217;',
      '&#1;',
      '&#',
      ';',
      '<p>',
      '</p>',
      '<at>',
      '</at>',
      '<br>',
      '\u00a0',
      '\u0001',
      '0',
    );
    const inputs = fc.sample(
      fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')),
      { numRuns: 400, seed: 20261 },
    );
    const outcomes = await parseInIsolation(inputs);
    expect(unacceptable(inputs, outcomes).slice(0, 5)).toEqual([]);
    expect(outcomes.filter((o) => o.kind === 'not run')).toEqual([]);
  }, 30_000);
});

describe('decoding HTML entities', () => {
  it.each([
    ['&quot;', '"'],
    ['&amp;', '&'],
    ['&lt;&gt;', '<>'],
    ['&apos;', "'"],
    ['&#39;', "'"],
    ['&#8217;', '\u2019'],
    ['&#x2019;', '\u2019'],
    ['&#X201C;', '\u201c'],
    ['&nbsp;', ' '],
    ['&pound;845k', '£845k'],
    ['&AMP;', '&'],
    ['&mdash;', '\u2014'],
    ['&eacute;', '\u00e9'],
    ['&frac12;', '\u00bd'],
  ])('decodes %s', (encoded, decoded) => {
    expect(decodeEntities(encoded)).toBe(decoded);
  });

  it('decodes once, so an escaped entity stays as typed', () => {
    expect(decodeEntities('&amp;quot;')).toBe('&quot;');
  });

  it('turns tab, line-break and no-break-space references into spaces', () => {
    for (const encoded of ['&#9;', '&#10;', '&#x0D;', '&Tab;', '&NewLine;', '&NonBreakingSpace;', '&#160;']) {
      expect(decodeEntities(`a${encoded}b`), encoded).toBe('a b');
    }
  });

  it('drops control characters and lone surrogates that numeric references spell', () => {
    for (const encoded of ['&#1;', '&#x1F;', '&#127;', '&#x9F;', '&#xD800;', '&#57343;']) {
      expect(decodeEntities(`a${encoded}b`), encoded).toBe('ab');
    }
    expect(decodeEntities('&#x1F600;')).toBe('\u{1F600}');
  });

  it('leaves unknown names, code point 0 and code points beyond Unicode as they are', () => {
    expect(decodeEntities('&bogus;')).toBe('&bogus;');
    expect(decodeEntities('&#0;')).toBe('&#0;');
    expect(decodeEntities('&#1114112;')).toBe('&#1114112;');
    expect(decodeEntities('Fish & chips; R&D')).toBe('Fish & chips; R&D');
  });
});

describe('suggesting the closest command', () => {
  const families = ['audit', 'budget', 'help', 'kpi', 'risk', 'role', 'setup', 'status'];

  it('suggests the command one letter away', () => {
    expect(closestWords('kpj', families)).toEqual(['kpi']);
    expect(closestWords('rsik', families)).toContain('risk');
  });

  it('suggests a command the word starts with, or that starts with the word', () => {
    expect(closestWords('kpis', families)).toEqual(['kpi']);
    expect(closestWords('bud', families)).toEqual(['budget']);
  });

  it('ignores case', () => {
    expect(closestWords('KPJ', families)).toEqual(['kpi']);
  });

  it('puts the best match first and gives at most the limit', () => {
    expect(closestWords('rol', families)[0]).toBe('role');
    expect(closestWords('s', families, 2)).toHaveLength(2);
  });

  it('suggests nothing for a word far from every command', () => {
    expect(closestWords('banana', families)).toEqual([]);
    expect(closestWords('xyz', families)).toEqual([]);
  });

  it('suggests nothing for an empty word', () => {
    expect(closestWords('', families)).toEqual([]);
  });
});

describe('suggesting the closest code', () => {
  it('suggests FTF for FFT: two letters swapped are one slip', () => {
    expect(closestWords('FFT', ['ftf', 'mi', 'ptcs'])).toEqual(['ftf']);
  });
});

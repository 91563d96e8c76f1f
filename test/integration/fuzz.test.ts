/**
 * Resilience: 10,000 generated messages through the router, in memory, each one of every
 * registered command's words followed by what people (and Teams) put after them: Teams HTML and
 * entities, mentions, emoji, straight and curly quotes, huge and odd numbers, money, control and
 * bidi characters, or noise. Every one gets exactly one answer, never the generic error (the
 * in-memory form of a 500), never a stack trace, and nothing rejects unhandled.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../src/commands/index.js';
import { startTestBot, type Reply, type TestBot } from '../support/bot-harness.js';
import { alex, channel, groupChat, jo, mention, sam, type TeamsText, type Where } from '../support/teams.js';

const RUNS = 10_000;
/** Messages in flight at once: the router is stateless per message, as with many people typing. */
const LANES = 24;
const SEED = 20261125;

const HTML = [
  '<p>',
  '</p>',
  '<b>bold</b>',
  '<div>',
  '<br/>',
  '&amp;',
  '&quot;',
  '&lt;b&gt;',
  '&#8238;',
  '&nbsp;',
  '&#0;',
];
const ODD = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\ud800',
  '\udc00x',
  '\u0085',
  '👩\u200d💻',
  '\u{1f3f4}\u{e0067}\u{e0062}\u{e0077}\u{e006c}\u{e0073}\u{e007f}',
  '🙂',
  '[x](https://evil.example)',
];
const NUMBERS = [
  '1e308',
  '-1e308',
  '1e-320',
  '-0',
  'NaN',
  'Infinity',
  '999999999999999999999999999',
  '0x1F',
  '72.5',
  '72.5%',
  '£1.2m',
  '£845k',
  '£1,040,616',
  '(£500)',
  '-£3.50',
  '1,2,3',
  '٣',
];
const WORDS = ['FTF', 'MI', 'ftf', 'red', 'amber', 'green', 'nodata', 'CEC', 'cwac', 'shared', 'editor', 'admin'];
const KEYS = ['period', 'target', 'unit', 'polarity', 'tolerance', 'frequency', 'council', 'code', 'description'];
const OPEN = ['"', '\u201c', '\u201e'];
const CLOSE = ['"', '\u201d', ''];

type Piece = string | { person: typeof sam };

const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc.constantFrom(...WORDS, ...NUMBERS),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.constantFrom(...HTML, ...ODD),
  fc.constantFrom(sam, jo).map((person) => ({ person })),
  fc
    .tuple(
      fc.constantFrom(...KEYS, 'x', 'Period', 'owner'),
      fc.oneof(fc.constantFrom(...NUMBERS, ...WORDS), fc.string()),
    )
    .map(([k, v]) => `${k}=${v}`),
  fc
    .tuple(fc.constantFrom(...OPEN), fc.string({ maxLength: 30 }), fc.constantFrom(...CLOSE))
    .map(([o, t, c]) => `${o}${t}${c}`),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

const separator = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\n', '', '\u00a0', '&nbsp;');

/** A message: a registered command's words (or noise), then pieces with Teams-like separators. */
function messages(commands: readonly string[]): fc.Arbitrary<TeamsText> {
  const start = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...commands) },
    { weight: 1, arbitrary: fc.constantFrom(...commands).map((c) => c.toUpperCase()) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  );
  return fc
    .tuple(start, fc.array(fc.tuple(separator, piece), { maxLength: 8 }), fc.boolean())
    .map(([first, rest, slash]) => {
      let text = `${slash ? '/' : ''}${first}`;
      const entities: TeamsText['entities'] = [];
      for (const [sep, p] of rest) {
        if (typeof p === 'string') {
          text += `${sep || ' '}${p}`;
        } else {
          const m = mention(p.person);
          text += `${sep || ' '}${m.text}`;
          entities.push(m.entity);
        }
      }
      return { text, entities };
    });
}

describe('Ten thousand generated messages', () => {
  let bot: TestBot;
  const places: Where[] = [
    channel({ teamId: '19:fuzz@thread.tacv2', channelId: '19:fuzz-kpi@thread.tacv2' }),
    groupChat('19:fuzz-chat@thread.v2'),
    groupChat('19:fuzz-unlinked@thread.v2'),
  ];
  beforeAll(async () => {
    bot = await startTestBot();
    await bot.say(places[0]!, alex, 'setup partnership "Fuzz ICT" councils=CEC:50,CWAC:50');
    await bot.say(places[1]!, alex, 'setup link "Fuzz ICT"');
    await bot.say(places[0]!, alex, 'kpi add "First time fix" code=FTF target=80 unit=% polarity=higher');
    await bot.say(places[0]!, alex, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower');
  });
  afterAll(() => bot.close());

  it(`answers each once, plainly, and never with the generic error (${RUNS} messages)`, async () => {
    const registry = buildRegistry(bot.app.services);
    // Unlinking would leave the rest of the run with nothing linked to read.
    const commands = [...registry.commands.keys()].filter((c) => !c.endsWith('unlink'));
    const samples = fc.sample(
      fc.tuple(messages(commands), fc.constantFrom(...places), fc.constantFrom(alex, sam, jo)),
      { numRuns: RUNS, seed: SEED },
    );
    expect(samples).toHaveLength(RUNS);

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const problems: string[] = [];
    try {
      let next = 0;
      const lane = async () => {
        while (next < samples.length) {
          const [text, where, who] = samples[next++]!;
          let reply: Reply | undefined;
          try {
            reply = await bot.ask(where, who, text);
          } catch (error) {
            problems.push(`${JSON.stringify(text.text)} threw ${String(error)}`);
            continue;
          }
          if (typeof reply.text !== 'string' || reply.text.trim() === '') {
            problems.push(`${JSON.stringify(text.text)} got an empty answer`);
          } else if (/Something went wrong/.test(reply.text) || /\n\s+at\s+\S+.*:\d+/.test(reply.text)) {
            problems.push(`${JSON.stringify(text.text)} got: ${reply.text.slice(0, 200)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: LANES }, lane));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 120_000);
});

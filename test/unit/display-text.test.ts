/**
 * Display spoofing: names, codes and ids may not carry invisible characters that make them show
 * as something else, and typed text that looks like a link is never made one, in cards or in the
 * plain-text fallback.
 */
import type { Activity } from 'botbuilder';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actorOf, conversationOf, mentionsOf } from '../../src/bot/activity.js';
import { toActivity, toInvokeResponse } from '../../src/bot/governance-bot.js';
import { noticeCard } from '../../src/cards/core.js';
import { renderCard } from '../../src/cards/render.js';
import { parseCommandLine } from '../../src/commands/parse.js';
import { cardReply } from '../../src/commands/types.js';
import { defuseLinks, hasFormatCharacters, withoutFormatCharacters } from '../../src/domain/text.js';

const RLO = '\u202e';
const INVISIBLES = ['\u202a', '\u202b', '\u202c', '\u202d', RLO, '\u2066', '\u2067', '\u2068', '\u2069'];
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\ufeff', '\u061c', '\u00ad'];

describe('invisible format characters', () => {
  it.each([...INVISIBLES, ...ZERO_WIDTH].map((c) => [`U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`, c]))(
    'drops %s from a name',
    (_, c) => {
      expect(withoutFormatCharacters(`Sam${c} Jones`)).toBe('Sam Jones');
      expect(hasFormatCharacters(`Sam${c} Jones`)).toBe(true);
    },
  );

  it('shows a name with a right-to-left override as the letters typed, in their order', () => {
    expect(withoutFormatCharacters(`Invoice ${RLO}fdp.exe`)).toBe('Invoice fdp.exe');
  });

  it('keeps emoji that need a joiner or tags to show as one picture', () => {
    const technologist = '👩\u200d💻';
    const wales = '\u{1f3f4}\u{e0067}\u{e0062}\u{e0077}\u{e006c}\u{e0073}\u{e007f}';
    expect(withoutFormatCharacters(`Priya ${technologist}`)).toBe(`Priya ${technologist}`);
    expect(withoutFormatCharacters(`Cardiff ${wales}`)).toBe(`Cardiff ${wales}`);
    expect(hasFormatCharacters(`Cardiff ${wales} ${technologist}`)).toBe(false);
  });

  it('leaves no format character in any text, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(hasFormatCharacters(withoutFormatCharacters(text))).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('names and codes read from Teams and from what people type', () => {
  const activity = {
    from: { id: '29:1sam', name: `Sam ${RLO}senoJ` },
    recipient: { id: '28:bot', name: 'Governance Bot' },
    conversation: { id: '19:chat@thread.v2', conversationType: 'channel', tenantId: 't' },
    channelData: { team: { id: '19:team', name: `Shared\u200b ICT` }, channel: { id: '19:c', name: `Board${RLO}` } },
    entities: [{ type: 'mention', text: '<at>Priya</at>', mentioned: { id: '29:1priya', name: `Pri\u2066ya` } }],
  } as unknown as Partial<Activity>;

  it('drops them from the name of who speaks, who is mentioned, and the team and channel', () => {
    expect(actorOf(activity).name).toBe('Sam senoJ');
    expect(mentionsOf(activity).people[0]!.user.name).toBe('Priya');
    expect(conversationOf(activity)).toMatchObject({ teamName: 'Shared ICT', name: 'Board' });
  });

  it('drops them from a code or name typed in a command, including as HTML references', () => {
    const line = parseCommandLine(`kpi record F${RLO}TF 72 "First&#8238; time fix"`, [], []);
    expect(line.tokens).toEqual([
      { kind: 'word', text: 'kpi', quoted: false },
      { kind: 'word', text: 'record', quoted: false },
      { kind: 'word', text: 'FTF', quoted: false },
      { kind: 'word', text: '72', quoted: false },
      { kind: 'word', text: 'First time fix', quoted: true },
    ]);
  });
});

describe('links typed into names and commentary', () => {
  it.each([
    ['a bare address', 'see https://evil.example/login now'],
    ['a host name alone', 'details at evil.example.co.uk'],
    ['a Markdown link', 'see [the portal](https://evil.example/login)'],
    ['a mail address', 'write to sam@evil.example'],
  ])('defuses %s so no link finder or Markdown reads it as a link', (_, text) => {
    const shown = defuseLinks(text);
    expect(shown).not.toMatch(/:\/\//);
    expect(shown).not.toMatch(/\]\(/);
    expect(shown).not.toMatch(/[a-z0-9]\.[a-z]{2,}/i);
  });

  it('leaves figures, periods and money as they are', () => {
    expect(defuseLinks('72.5% in 2026/27 P7, £1.2m forecast, e.g. FTF')).toBe(
      '72.5% in 2026/27 P7, £1.2m forecast, e.g. FTF',
    );
  });

  const typed = 'Sam [click](https://evil.example) \u202eexe.fdp';
  const reply = cardReply(noticeCard, { tone: 'good', title: 'Roles', message: typed, facts: [] }, `Roles\n${typed}`);

  it('defuses them on a card', () => {
    const card = JSON.stringify(renderCard(noticeCard, reply.card!.data as never));
    expect(card).not.toContain('](https://');
    expect(card).not.toContain('evil.example');
    expect(card).not.toContain('\u202e');
  });

  it("defuses them in a card's plain-text fallback and summary", () => {
    const activity = toActivity(reply);
    const fallback = (activity.attachments![0]!.content as { fallbackText: string }).fallbackText;
    expect(fallback).not.toContain('](https://');
    expect(fallback).not.toContain('evil.example');
    expect(fallback).not.toContain('\u202e');
    expect(activity.summary).toBe('Roles');
  });

  it('defuses them in a reply sent as plain text, and in the message that answers a button', () => {
    const text = toActivity({ text: typed }).text!;
    expect(text).not.toContain('\u202e');
    expect(text).not.toContain('](https://');
    expect(text).not.toContain('evil.example');
    const invoke = JSON.stringify(toInvokeResponse({ text: typed }).body);
    expect(invoke).not.toContain('](https://');
    expect(invoke).not.toContain('evil.example');
  });
});

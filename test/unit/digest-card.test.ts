import { describe, expect, it } from 'vitest';
import { CARD_BYTE_LIMIT, cardBytes, renderCard } from '../../src/cards/render.js';
import { changesSection, orderSections, type DigestContent } from '../../src/commands/digest/build.js';
import { digestReply } from '../../src/commands/digest/views.js';
import type { DigestSection } from '../../src/commands/types.js';
import type { Partnership, PartnershipId } from '../../src/domain/partnership.js';
import type { AuditEntry, AuditLog } from '../../src/storage/audit.js';
import { allElements, RAG_WORDS } from '../support/cards.js';

const partnership: Partnership = {
  id: 'cheshire.t' as PartnershipId,
  name: 'Cheshire ICT Shared Service',
  tenantId: 't',
  councils: [
    { code: 'CEC', shareBasisPoints: 5000 },
    { code: 'CWAC', shareBasisPoints: 5000 },
  ],
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'Alex Morgan',
};
const now = new Date('2026-11-30T09:00:00Z');

function content(sections: DigestSection[], unavailable: string[] = []): DigestContent {
  return { request: { partnership, now, since: undefined }, sections, unavailable };
}

function rendered(reply: ReturnType<typeof digestReply>) {
  const card = renderCard(reply.card!.template, reply.card!.data, reply.text);
  return { card, text: reply.text, bytes: cardBytes(card) };
}

const KEYS = ['kpi', 'risk', 'budget', 'approvals', 'projects', 'changes'];
const long = 'Ŵ'.repeat(400);

describe('the digest card', () => {
  it('stays under 28 KB however much each section has, saying how many more there are', () => {
    const sections: DigestSection[] = KEYS.flatMap((key) =>
      [1, 2].map((part) => ({
        key,
        title: `${key} part ${part} ${long}`,
        summary: `summary ${long}`,
        rag: 'Red' as const,
        items: Array.from({ length: 60 }, (_, i) => ({ text: `${key} item ${i} ${long}`, rag: 'Amber' as const })),
      })),
    );
    const reply = digestReply(content(sections), { heading: 'Digest', keys: KEYS });
    const { bytes, text } = rendered(reply);
    expect(bytes).toBeLessThan(CARD_BYTE_LIMIT);
    expect(text).toMatch(/and \d+ more/);
    expect(text.split('\n').filter((l) => l.startsWith('kpi part 1'))).toHaveLength(1);
  });

  it('shows every RAG as its word beside the chip, so it reads without colour', () => {
    const reply = digestReply(
      content([
        {
          key: 'kpi',
          title: 'KPIs',
          summary: '3 KPIs: 1 Green, 1 Amber, 1 Red.',
          rag: 'Red',
          items: [
            { text: 'First time fix (FTF)', rag: 'Red' },
            { text: 'Major incidents (MI)', rag: 'Amber' },
          ],
        },
      ]),
      { heading: 'Digest', keys: ['kpi'] },
    );
    const { card } = rendered(reply);
    const chips = allElements(card).filter((e) => e.type === 'Column' && typeof e.style === 'string');
    expect(chips.length).toBe(3);
    const words = allElements(card)
      .filter((e) => e.type === 'TextBlock' && (RAG_WORDS as readonly string[]).includes(String(e.text)))
      .map((e) => e.text);
    expect(words).toEqual(['Red', 'Red', 'Amber']);
    expect(reply.text).toContain('KPIs (Red): 3 KPIs: 1 Green, 1 Amber, 1 Red.');
    expect(reply.text).toContain('  Amber — Major incidents (MI)');
  });

  it('says in one line that a section has nothing to say, and leaves out the sections not asked for', () => {
    const reply = digestReply(
      content([
        { key: 'kpi', title: 'KPIs', summary: 'No KPIs yet.', items: [] },
        { key: 'risk', title: 'Risks', summary: 'No Red risks.', items: [] },
      ]),
      { heading: 'Digest', keys: ['kpi'] },
    );
    expect(reply.text.split('\n')).toContain('KPIs: No KPIs yet.');
    expect(reply.text).not.toContain('Risks');
  });

  it('says when there is nothing to report at all (a family not in use)', () => {
    const reply = digestReply(content([]), { heading: 'Digest', keys: ['risk'] });
    expect(reply.text).toContain('Nothing to report: No section asked for has anything to say yet.');
  });

  it('mentions the runs that were missed, and sections that could not be read', () => {
    const one = digestReply(content([], ['risk']), {
      heading: 'Digest',
      keys: KEYS,
      missed: { dues: ['2026-11-23T09:00:00.000Z'] },
    });
    expect(one.text).toContain(
      'The digest due Mon 23 Nov 2026, 09:00 was not sent: the service was not running within 12 hours of the time.',
    );
    expect(one.text).toContain('The risk section could not be read just now; it will be in the next digest.');
    const many = digestReply(content([]), {
      heading: 'Digest',
      keys: KEYS,
      missed: { dues: ['2026-11-16T09:00:00.000Z', '2026-11-23T09:00:00.000Z'], since: '2026-10-05T08:00:00.000Z' },
    });
    expect(many.text).toContain('Digests due from Mon 5 Oct 2026, 09:00 to Mon 23 Nov 2026, 09:00 were not sent');
  });

  it('puts the sections in the order of the digest, changes last', () => {
    const s = (key: string) => ({ key, title: key, summary: '', items: [] });
    expect(
      orderSections([s('changes'), s('projects'), s('kpi'), s('other'), s('risk'), s('kpi')]).map((x) => x.key),
    ).toEqual(['kpi', 'kpi', 'risk', 'projects', 'other', 'changes']);
  });
});

describe('changed since the last digest', () => {
  const entry = (at: string, subject: string, command: string, before: unknown = { x: 1 }): AuditEntry => ({
    at,
    actorId: '29:sam',
    actorAadObjectId: undefined,
    actorName: 'Sam Jones',
    command,
    subject,
    before,
    after: { x: 2 },
    conversationId: 'c',
  });
  const log = (entries: AuditEntry[]) => ({ latest: async () => entries }) as unknown as AuditLog;
  const since = new Date('2026-11-23T09:00:00Z');

  it('counts the changes by area and lists additions and removals first', async () => {
    const section = await changesSection(
      log([
        entry('2026-11-29T10:00:00Z', 'kpi FTF', 'kpi record FTF 62'),
        entry('2026-11-28T10:00:00Z', 'risk R-3', 'risk add "Cyber security"', null),
        entry('2026-11-27T10:00:00Z', 'digest D-2', 'digest subscribe weekly day=Monday at=09:00', null),
        entry('2026-11-26T10:00:00Z', 'kpi MI', 'import readings'),
        entry('2026-11-20T10:00:00Z', 'kpi MI', 'kpi record MI 3'),
      ]),
      { partnership, now, since },
    );
    expect(section.title).toBe('Changed since the last digest');
    expect(section.summary).toBe('3 changes since the last digest (23 Nov, 09:00): 2 KPI, 1 risk.');
    expect(section.items.map((i) => i.text)).toEqual([
      '28 Nov, 10:00 · Sam Jones: risk add "Cyber security"',
      '29 Nov, 10:00 · Sam Jones: kpi record FTF 62',
      '26 Nov, 10:00 · Sam Jones: import readings (kpi MI)',
    ]);
  });

  it('says so in one line when nothing changed', async () => {
    const section = await changesSection(log([]), { partnership, now, since });
    expect(section).toEqual({
      key: 'changes',
      title: 'Changed since the last digest',
      summary: 'No changes since the last digest (23 Nov, 09:00).',
      items: [],
    });
  });
});

import { digestCard, type DigestCardData, type DigestSectionData } from '../../cards/digest.js';
import { CARD_BYTE_LIMIT, cardBytes, renderCard } from '../../cards/render.js';
import { clipped, RAG_VIEW } from '../../cards/views.js';
import { listed, plural } from '../../domain/vocabulary.js';
import { cardReply, type DigestSection, type Reply } from '../types.js';
import { sectionsFor, type DigestContent } from './build.js';

/** How a digest is shown: as a scheduled digest or `status`, which sections, and what was missed before it. */
export interface DigestView {
  readonly heading: 'Digest' | 'Status';
  readonly keys: readonly string[];
  /** `every Monday at 09:00 (D-2)`, for a scheduled digest. */
  readonly schedule?: string;
  /** Runs that were due but found too late to send (ISO instants), and the first of more. */
  readonly missed?: { readonly dues: readonly string[]; readonly since?: string };
}

/** Items a section shows at most; fewer when the card would not fit Teams' size limit. */
const ITEMS_SHOWN = 8;
/** The card with its text fallback stays this far under Teams' limit. */
const CARD_BUDGET = CARD_BYTE_LIMIT - 1024;
const ITEM_CHARS = 240;

const londonParts = (weekday: 'long' | 'short', month: 'long' | 'short') =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    weekday,
    day: 'numeric',
    month,
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
const LONG = londonParts('long', 'long');
const SHORT = londonParts('short', 'short');

/** `Monday 30 November 2026, 09:00` (or short: `Mon 30 Nov 2026, 09:00`), on the London clock, built from parts so every runtime says it alike. */
function londonText(format: Intl.DateTimeFormat, at: Date | string): string {
  const parts = format.formatToParts(typeof at === 'string' ? new Date(at) : at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')}`;
}

function whenLong(at: Date | string): string {
  return londonText(LONG, at);
}

export function whenShort(at: Date | string): string {
  return londonText(SHORT, at);
}

const clip = (text: string, max = ITEM_CHARS) => clipped(text, max);

function missedNote(missed: NonNullable<DigestView['missed']>): string | undefined {
  const dues = missed.dues.map((d) => whenShort(d));
  if (dues.length === 0) return undefined;
  const why = 'the service was not running within 12 hours of the time';
  if (missed.since) return `Digests due from ${whenShort(missed.since)} to ${dues.at(-1)} were not sent: ${why}.`;
  return dues.length === 1
    ? `The digest due ${dues[0]} was not sent: ${why}.`
    : `The digests due ${listed(dues, 'and')} were not sent: ${why}.`;
}

/** How much a section shows: items, and the lengths of its title and summary. */
interface Fit {
  readonly items: number;
  readonly title: number;
  readonly summary: number;
}

function sectionData(section: DigestSection, fit: Fit): DigestSectionData {
  const shown = section.items.slice(0, fit.items);
  const hidden = section.items.length - shown.length;
  return {
    title: clip(section.title, fit.title),
    summary: clip(section.summary, fit.summary),
    ...(section.rag ? { rag: RAG_VIEW[section.rag] } : {}),
    items: shown.map((item) =>
      item.rag ? { text: clip(item.text), rag: RAG_VIEW[item.rag] } : { text: `• ${clip(item.text)}` },
    ),
    ...(hidden > 0 ? { more: `and ${hidden} more` } : {}),
  };
}

/** Ever smaller cuts: fewer items a section, then shorter headings, then fewer sections. */
function* fits(sections: number): Generator<Fit & { sections: number }> {
  for (let items = ITEMS_SHOWN; items >= 0; items--) yield { items, title: 120, summary: 400, sections };
  for (let kept = sections; kept >= 1; kept--) yield { items: 0, title: 60, summary: 160, sections: kept };
}

function textOf(data: DigestCardData): string {
  return [
    data.title,
    data.subtitle,
    ...data.notes,
    ...data.sections.flatMap((s) => [
      `${s.title}${s.rag ? ` (${s.rag.word})` : ''}: ${s.summary}`,
      ...s.items.map((i) => `  ${i.rag ? `${i.rag.word} — ${i.text}` : i.text}`),
      ...(s.more ? [`  ${s.more}`] : []),
    ]),
    data.footer,
  ].join('\n');
}

/**
 * The digest card for a conversation: its sections (a family that is absent is left out), notes
 * of missed runs and unread sections; items are cut, evenly, until the card fits Teams' limit.
 */
export function digestReply(content: DigestContent, view: DigestView): Reply {
  const { partnership, now } = content.request;
  const sections = sectionsFor(content, view.keys);
  const notes = [
    ...(view.missed ? [missedNote(view.missed)] : []),
    ...content.unavailable.map((f) => `The ${f} section could not be read just now; it will be in the next digest.`),
  ].filter((n): n is string => n !== undefined);
  const base = {
    title: `${view.heading} — ${partnership.name}`,
    subtitle: `${whenLong(now)}${view.schedule ? ` · ${view.schedule}` : ''}`,
    notes,
    footer:
      view.heading === 'Status'
        ? 'As it stands now; nothing was recorded. Type digest list for this conversation’s scheduled digests.'
        : 'Type status for this overview at any time, or digest list for the digests of this conversation.',
  };
  let reply: Reply | undefined;
  for (const fit of fits(sections.length)) {
    const cut = sections.length - fit.sections;
    const data: DigestCardData = {
      ...base,
      notes: cut > 0 ? [...notes, `${plural(cut, 'more section')}: type status sections=… to see them.`] : notes,
      sections:
        sections.length > 0
          ? sections.slice(0, fit.sections).map((s) => sectionData(s, fit))
          : [{ title: 'Nothing to report', summary: 'No section asked for has anything to say yet.', items: [] }],
    };
    const text = textOf(data);
    reply = cardReply(digestCard, data, text);
    if (cardBytes(renderCard(digestCard, data, text)) <= CARD_BUDGET) return reply;
  }
  // Nothing fits (not seen with real data): the last, smallest cut; the sender sends it as text if need be.
  return reply!;
}

import type { RagStatus, Trend } from '../domain/rag.js';

/** How every family shows things on cards: RAG, trends, sparklines, bars, dates, code order. */

/**
 * RAG on a card: the word in the default text colour (readable in every theme), the colour on a
 * chip beside it (a container of the RAG's style), never colour alone.
 */
export interface RagView {
  readonly word: RagStatus;
  /** The container style of the chip: Teams' good, warning, attention, or a neutral emphasis. */
  readonly style: 'good' | 'warning' | 'attention' | 'emphasis';
  /** A shape that differs by RAG, for those who cannot tell the colours apart. */
  readonly icon: string;
}

export const RAG_VIEW: Readonly<Record<RagStatus, RagView>> = {
  Green: { word: 'Green', style: 'good', icon: '●' },
  Amber: { word: 'Amber', style: 'warning', icon: '▲' },
  Red: { word: 'Red', style: 'attention', icon: '■' },
  'No data': { word: 'No data', style: 'emphasis', icon: '○' },
};

const TRENDS: Record<Trend, string> = { better: '▲ better', worse: '▼ worse', same: '▶ same' };

export function trendText(trend: Trend | undefined): string {
  return trend ? TRENDS[trend] : '–';
}

const BARS = '▁▂▃▄▅▆▇█';
/** One page of a list card: whether it has rows, and which of how many it shows when there are several pages. */
export interface ListPage {
  readonly hasRows: boolean;
  /** `21–40`, when the list is longer than a page. */
  readonly range?: string;
  readonly total?: number;
}

/**
 * The page of `items` that starts at `offset`: its items, what the card says of it, where the next
 * page starts (for "Show more") when there is one, and the "Showing 21–40 of 57." line of the text.
 */
export function pageOf<T>(
  items: readonly T[],
  offset: number,
  size: number,
): { readonly items: readonly T[]; readonly view: ListPage; readonly next?: number; readonly showing: string[] } {
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  const range = `${offset + 1}–${Math.min(next, items.length)}`;
  const several = items.length > size;
  return {
    items: page,
    view: { hasRows: page.length > 0, ...(several ? { range, total: items.length } : {}) },
    ...(next < items.length ? { next } : {}),
    showing: several ? [`Showing ${range} of ${items.length}.`] : [],
  };
}

/** Text cut to at most `max` characters, an ellipsis saying where, so that a long remark keeps a card within Teams' size. */
export function clipped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** Shown for a period with no figure: a gap, not a low value. */
export const GAP = '\u00a0';

/** A one-line chart of the values (oldest first) that every Teams client can show; missing values are gaps. */
export function sparkline(values: ReadonlyArray<number | undefined>): string {
  const known = values.filter((v): v is number => v !== undefined);
  if (known.length === 0) return '';
  const min = Math.min(...known);
  const max = Math.max(...known);
  return values
    .map((v) => {
      if (v === undefined) return GAP;
      if (max === min) return BARS[3]!;
      return BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))]!;
    })
    .join('');
}

const BLOCKS = '▏▎▍▌▋▊▉█';

/** A horizontal bar of `value` against `max`, `width` characters at most, in eighths of a character. */
export function bar(value: number, max: number, width = 20): string {
  if (!(max > 0) || !(value > 0)) return '';
  const eighths = Math.round(Math.min(1, value / max) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? BLOCKS[(eighths % 8) - 1]! : '');
}

const londonDay = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const londonMoment = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** `25 Nov 2026`, as the date reads in London. */
export function dayText(at: Date | string): string {
  return londonDay.format(typeof at === 'string' ? new Date(at) : at);
}

/** `25 Nov, 14:05`, as the clock reads in London. */
export function momentText(at: Date | string): string {
  return londonMoment.format(typeof at === 'string' ? new Date(at) : at);
}

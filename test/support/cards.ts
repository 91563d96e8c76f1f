/**
 * Reading a card as a person does: its lines, the facts beside their titles, the rows of a list,
 * the RAG shown on a row (by its word, wherever its chip puts it), inputs and buttons. Every
 * family's tests read cards through these, so a change of layout is mended in one place.
 */
import { expect } from 'vitest';

/** What the bot answered: the card (if any) and the text a person reads on it. */
export interface Answer {
  readonly text: string;
  readonly card: Record<string, unknown> | undefined;
}

export type Element = Record<string, unknown>;

export const RAG_WORDS = ['Red', 'Amber', 'Green', 'No data'] as const;

export function elements(value: unknown): Element[] {
  return Array.isArray(value) ? (value.filter((e) => typeof e === 'object' && e !== null) as Element[]) : [];
}

/** Every element of the card, depth first (containers, columns, table cells). */
export function allElements(card: Record<string, unknown> | undefined): Element[] {
  const found: Element[] = [];
  const walk = (list: unknown): void => {
    for (const e of elements(list)) {
      found.push(e);
      walk(e.items);
      walk(e.columns);
      walk(e.cells);
      walk(e.rows);
    }
  };
  walk(card?.body);
  return found;
}

/** The texts of the TextBlocks inside an element, in reading order. */
export function textsIn(element: Element): string[] {
  return allElements({ body: [element] })
    .filter((e) => e.type === 'TextBlock' && typeof e.text === 'string')
    .map((e) => e.text as string);
}

/** The RAG word shown inside an element (a chip's word), if any. */
export function ragIn(element: Element): string | undefined {
  return textsIn(element).find((t) => (RAG_WORDS as readonly string[]).includes(t));
}

/**
 * The card's text with the look-alike brackets the renderer uses for `<…>` (Teams would drop
 * real ones) read as the angle brackets they stand for, so the usage lines compare as written.
 */
export function plain(answer: Answer): string {
  return answer.text.replace(/‹/g, '<').replace(/›/g, '>');
}

/** The lines a person reads on the card. */
export function lines(answer: Answer): string[] {
  return answer.text.split('\n');
}

/** The value shown beside a fact's title (FactSet), e.g. fact(detail, 'Owner') → 'Jo Williams'. */
export function fact(answer: Answer, title: string): string | undefined {
  const all = lines(answer);
  const at = all.indexOf(title);
  return at === -1 ? undefined : all[at + 1];
}

/** The inputs of a form card and the values they hold. */
export function inputs(answer: Answer): Record<string, unknown> {
  return Object.fromEntries(
    allElements(answer.card)
      .filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.') && typeof e.id === 'string')
      .map((e) => [e.id as string, e.value]),
  );
}

export interface CardAction {
  readonly type: string;
  readonly title: string;
  readonly verb?: string;
  readonly data?: Record<string, unknown>;
}

/** A button of the card by its title. */
export function action(answer: Answer, title: string): CardAction | undefined {
  return (elements(answer.card?.actions) as unknown as CardAction[]).find((a) => a.title === title);
}

/**
 * The audit card as entries: who, the command as typed, what changed (`kpi FTF changed`) and the
 * fields, each with its value or its change (`target 2026/27` → `≥ 80% → ≥ 85%`).
 */
export function auditEntries(
  answer: Answer,
): Array<{ who: string; command: string; change: string; fields: Record<string, string> }> {
  return elements(answer.card?.body)
    .filter((e) => e.type === 'Container')
    .map((container) => {
      const [when = '', command = '', change = ''] = textsIn(container);
      const fields = allElements({ body: [container] })
        .filter((e) => e.type === 'FactSet')
        .flatMap((set) => elements(set.facts))
        .map((f) => [String(f.title), String(f.value)] as const);
      return { who: when.split(' · ')[1] ?? '', command, change, fields: Object.fromEntries(fields) };
    });
}

export function cardSize(answer: Answer): number {
  return Buffer.byteLength(JSON.stringify(answer.card), 'utf8');
}

export interface KpiSummaryRow {
  readonly name: string;
  readonly code: string;
  readonly sparkline: string;
  readonly value: string;
  readonly target: string;
  readonly rag: string;
  readonly trend: string;
}

/** The rows of the `kpi` summary card, top to bottom, as they read. */
export function kpiRows(answer: Answer): KpiSummaryRow[] {
  return elements(answer.card?.body)
    .filter((e) => e.type === 'ColumnSet')
    .map((set) => elements(set.columns))
    .filter((columns) => columns.length === 3 && ragIn(columns[2]!) !== undefined)
    .map(([kpi = {}, figures = {}, status = {}]) => {
      const [title = '', sparkline = ''] = textsIn(kpi);
      const [value = '', target = ''] = textsIn(figures);
      const [, name = '', code = ''] = /^(.*) \(([A-Z0-9]+)\)$/.exec(title) ?? [];
      const statusTexts = textsIn(status);
      return {
        name,
        code,
        sparkline,
        value,
        target: target.replace(/^target /, ''),
        rag: ragIn(status) ?? '',
        trend: statusTexts.at(-1) ?? '',
      };
    });
}

export function kpiRow(answer: Answer, code: string): KpiSummaryRow {
  const found = kpiRows(answer).find((r) => r.code === code);
  if (!found) throw new Error(`the summary card has no row for ${code}:\n${answer.text}`);
  return found;
}

/** The counts line under the summary card's title, e.g. "3 KPIs: 2 Green, 0 Amber, 1 Red". */
export function countsLine(answer: Answer): string {
  return (lines(answer)[1] ?? '').split(' · ')[0] ?? '';
}

export interface TableRow {
  readonly cells: readonly string[];
  /** The RAG word of the row, wherever its chip is. */
  readonly rag: string | undefined;
}

/** The rows of the card's first table under its header, each cell's first text, and the row's RAG word. */
export function tableRows(answer: Answer): TableRow[] {
  const table = allElements(answer.card).find((e) => e.type === 'Table');
  if (!table) return [];
  return elements(table.rows)
    .slice(1)
    .map((r) => ({
      cells: elements(r.cells).map((cell) => ragIn(cell) ?? textsIn(cell)[0] ?? ''),
      rag: ragIn(r),
    }));
}

declare module 'vitest' {
  interface Matchers<T> {
    /** The card shows this RAG as a word (never colour alone), e.g. `expect(answer).toShowRag('Red')`. */
    toShowRag(rag: (typeof RAG_WORDS)[number]): T;
  }
}

expect.extend({
  toShowRag(received: Answer, rag: string) {
    const words = allElements(received.card)
      .filter((e) => e.type === 'TextBlock')
      .map((e) => e.text);
    const pass = words.includes(rag);
    return {
      pass,
      message: () => `expected the card ${pass ? 'not ' : ''}to show the RAG word ${rag}; it reads:\n${received.text}`,
    };
  },
});

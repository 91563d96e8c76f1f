/**
 * Reading the risk register and issue log cards as a person does, built on the readers of
 * cards.ts: the rows of the register, the heat map's cells, the rows of the issue log.
 */
import { allElements, elements, lines, ragIn, textsIn, type Answer } from './cards.js';

export interface RiskRow {
  readonly id: string;
  readonly title: string;
  readonly byline: string;
  readonly score: string;
  /** `Above appetite (6)`, or empty. */
  readonly appetite: string;
  readonly band: string;
  readonly trend: string;
}

/** The rows of the register card, top to bottom. */
export function riskRows(answer: Answer): RiskRow[] {
  return elements(answer.card?.body)
    .filter((e) => e.type === 'ColumnSet')
    .map((set) => elements(set.columns))
    .filter((columns) => columns.length === 4 && ragIn(columns[3]!) !== undefined)
    .map(([, risk = {}, score = {}, band = {}]) => {
      const [heading = '', byline = ''] = textsIn(risk);
      const [, id = '', title = ''] = /^([RI]-\d+) · (.*)$/.exec(heading) ?? [];
      const [figure = '', appetite = ''] = textsIn(score);
      return { id, title, byline, score: figure, appetite, band: ragIn(band) ?? '', trend: textsIn(band).at(-1) ?? '' };
    })
    .filter((row) => row.id !== '');
}

export function riskRow(answer: Answer, id: string): RiskRow {
  const found = riskRows(answer).find((r) => r.id === id);
  if (!found) throw new Error(`the register has no row for ${id}:\n${answer.text}`);
  return found;
}

export interface HeatCell {
  readonly likelihood: number;
  readonly impact: number;
  readonly text: string;
  /** The container style that colours it: good, warning or attention. */
  readonly style: string;
}

/** The heat map's cells: rows of impact 5 to 1, each with likelihood 1 to 5 after its label. */
export function heatCells(answer: Answer): HeatCell[] {
  const table = allElements(answer.card).find(
    (e) => e.type === 'Table' && elements(e.rows).some((r) => textsIn(r)[0]?.startsWith('Impact ')),
  );
  if (!table) return [];
  return elements(table.rows).flatMap((r) => {
    const [label, ...cells] = elements(r.cells);
    const impact = /^Impact (\d)$/.exec(textsIn(label ?? {})[0] ?? '')?.[1];
    if (!impact) return [];
    return cells.map((cell, i) => ({
      likelihood: i + 1,
      impact: Number(impact),
      text: textsIn(cell)[0] ?? '',
      style: typeof cell.style === 'string' ? cell.style : '',
    }));
  });
}

export function heatCell(answer: Answer, likelihood: number, impact: number): HeatCell {
  const found = heatCells(answer).find((c) => c.likelihood === likelihood && c.impact === impact);
  if (!found) throw new Error(`the heat map has no cell ${likelihood}×${impact}:\n${answer.text}`);
  return found;
}

export interface IssueRow {
  readonly id: string;
  readonly title: string;
  readonly byline: string;
  readonly rag: string;
  readonly severity: string;
}

export function issueRows(answer: Answer): IssueRow[] {
  return elements(answer.card?.body)
    .filter((e) => e.type === 'ColumnSet')
    .map((set) => elements(set.columns))
    .filter((columns) => columns.length === 2 && ragIn(columns[1]!) !== undefined)
    .map(([issue = {}, rag = {}]) => {
      const [heading = '', byline = ''] = textsIn(issue);
      const [, id = '', title = ''] = /^(I-\d+) · (.*)$/.exec(heading) ?? [];
      return { id, title, byline, rag: ragIn(rag) ?? '', severity: textsIn(rag).at(-1) ?? '' };
    });
}

/** The first line of the card: its title. */
export function heading(answer: Answer): string {
  return lines(answer)[0] ?? '';
}

/** The headings and details of a list on a detail card (controls, actions, history), under its title. */
export function listUnder(answer: Answer, title: string): string[] {
  const all = lines(answer);
  const at = all.indexOf(title);
  if (at === -1) return [];
  const out: string[] = [];
  for (let i = at + 1; i + 1 < all.length; i += 2) {
    if (!/^(?:[ACR]-\d+|C-\d+|I-\d+|\d{1,2} \w{3} \d{4}) · /.test(all[i]!)) break;
    out.push(`${all[i]} — ${all[i + 1]}`);
  }
  return out;
}

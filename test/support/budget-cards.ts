/**
 * Reading the budget family's cards as a person does: the forecast card's sections (drivers,
 * councils, categories) row by row, each with its RAG word, and the tables of lines and months.
 */
import { elements, ragIn, textsIn, type Answer } from './cards.js';

export interface FigureRow {
  /** The row's name: a line (`Income from projects (PROJINC)`) or a council. */
  readonly title: string;
  /** The reason under a driver, the budget and forecast under a council. */
  readonly detail: string;
  /** `£1.56m income shortfall`. */
  readonly figure: string;
  readonly rag: string;
}

/** The rows of a section of the forecast card, found under its heading (`Top drivers`, `By council`). */
export function sectionRows(answer: Answer, heading: string): FigureRow[] {
  const body = elements(answer.card?.body);
  const start = body.findIndex((e) => e.type === 'TextBlock' && e.text === heading);
  if (start === -1) return [];
  const rows: FigureRow[] = [];
  for (const element of body.slice(start + 1)) {
    if (element.type !== 'ColumnSet') break;
    const [left = {}, right = {}] = elements(element.columns);
    const [title = '', detail = ''] = textsIn(left);
    rows.push({ title, detail, figure: textsIn(right)[0] ?? '', rag: ragIn(right) ?? '' });
  }
  return rows;
}

export interface CategoryBars {
  readonly heading: string;
  readonly budget: string;
  readonly forecast: string;
}

/** The budget-against-forecast bars, a pair a category, as their text reads (bars and figures). */
export function categoryBars(answer: Answer): CategoryBars[] {
  return elements(answer.card?.body)
    .filter((e) => e.type === 'Container')
    .map(textsIn)
    .filter((texts) => texts.length === 3 && texts[1]!.startsWith('Budget'))
    .map(([heading = '', budget = '', forecast = '']) => ({ heading, budget, forecast }));
}

/** The headline and the direction since last month, under the title. */
export function headline(answer: Answer): { headline: string; direction: string; rag: string } {
  const set = elements(answer.card?.body).find(
    (e) => e.type === 'ColumnSet' && elements(e.columns).length === 2 && ragIn(elements(e.columns)[1]!) !== undefined,
  );
  const [left = {}, right = {}] = elements(set?.columns);
  const [text = '', direction = ''] = textsIn(left);
  return { headline: text, direction, rag: ragIn(right) ?? '' };
}

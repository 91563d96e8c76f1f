import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { fromRoot } from '../project-root.js';
import type { CardData, CardName } from './catalogue.js';

/** Teams refuses cards well before the 100 KB message limit; keep each card under this. */
export const CARD_BYTE_LIMIT = 28 * 1024;

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

const templatesDir = fromRoot('cards');
const templates = new Map<CardName, ACData.Template>();

function template(name: CardName): ACData.Template {
  let t = templates.get(name);
  if (!t) {
    t = new ACData.Template(JSON.parse(readFileSync(join(templatesDir, `${name}.json`), 'utf8')));
    templates.set(name, t);
  }
  return t;
}

/**
 * Teams reads `<…>` in card text as markup and drops it, and `[text](url)` as a link: look-alike
 * brackets and an invisible break show placeholders and typed text as written, never as a link.
 */
function showable(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/</g, '‹').replace(/>/g, '›').replace(/\]\(/g, ']\u200b(');
  if (Array.isArray(value)) return value.map(showable);
  // Form `values` go back into inputs as typed, where they are not markup.
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'values' ? v : showable(v)]));
  return value;
}

/** Binds a template to its data; `fallbackText` carries the plain-text version for clients without cards. */
export function renderCard<N extends CardName>(name: N, data: CardData<N>, fallbackText?: string): AdaptiveCard {
  const card = template(name).expand({ $root: showable(data) }) as AdaptiveCard;
  if (fallbackText) card.fallbackText = fallbackText;
  return card;
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

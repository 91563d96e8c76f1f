import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { CardTemplate } from './define.js';
import { fromRoot } from '../project-root.js';
import { shownText } from '../domain/text.js';

/** Teams refuses cards well before the 100 KB message limit; keep each card under this. */
export const CARD_BYTE_LIMIT = 28 * 1024;

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

const templatesDir = fromRoot('cards');
const templates = new Map<string, ACData.Template>();

function template(name: string): ACData.Template {
  let t = templates.get(name);
  if (!t) {
    t = new ACData.Template(JSON.parse(readFileSync(join(templatesDir, `${name}.json`), 'utf8')));
    templates.set(name, t);
  }
  return t;
}

/**
 * Teams reads `<…>` in card text as markup and drops it, and `[text](url)`, a scheme or a host name
 * as a link: look-alike brackets, dots and slashes and an invisible break show placeholders and
 * typed text as written, never as a link; invisible format characters (a bidi override) go.
 */
export function showable(value: unknown, raw: ReadonlySet<string> = new Set()): unknown {
  if (typeof value === 'string') return shownText(value.replace(/</g, '‹').replace(/>/g, '›'));
  if (Array.isArray(value)) return value.map((v) => showable(v, raw));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, raw.has(k) ? v : showable(v, raw)]));
  }
  return value;
}

const rendered = new Map<string, AdaptiveCard>();
const RENDERED_HELD = 500;

/**
 * Binds a template to its data; `fallbackText` carries the plain-text version for clients without
 * cards. Binding is a pure function of the template and the data, and the same list is asked for
 * again and again, so a card bound before is given again (treat it as read-only).
 */
export function renderCard<D>(card: CardTemplate<D>, data: D, fallbackText?: string): AdaptiveCard {
  const key = `${card.name}\u0000${fallbackText ?? ''}\u0000${JSON.stringify(data)}`;
  const held = rendered.get(key);
  if (held) return held;
  const bound = template(card.name).expand({ $root: showable(data, new Set(card.inputs)) }) as AdaptiveCard;
  // A card-level part whose `$when` is false (a `refresh` once decided) is left null; Teams expects it absent.
  for (const [part, value] of Object.entries(bound)) if (value === null) delete bound[part];
  if (fallbackText) bound.fallbackText = fallbackText;
  if (rendered.size >= RENDERED_HELD) rendered.delete(rendered.keys().next().value!);
  rendered.set(key, bound);
  return bound;
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

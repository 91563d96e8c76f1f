/**
 * Every text on every card reaches 4.5:1 against what is behind it (WCAG 2.2 AA, which the public
 * sector accessibility regulations require of councils), in Teams' light, dark and high-contrast
 * themes. The colours come from Teams' host configs (test/support/teams-host-colours.json, with
 * their sources); the texts, their colours and the container styles behind them from the card
 * templates themselves, with each style a template binds (`${rag.style}`, `${tone}`) tried in turn.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tone } from '../../src/cards/core.js';
import { RAG_VIEW } from '../../src/cards/views.js';
import { fromRoot } from '../../src/project-root.js';
import colours from '../support/teams-host-colours.json' with { type: 'json' };

type ThemeName = keyof typeof colours.themes;
type Style = 'default' | 'emphasis' | 'accent' | 'good' | 'attention' | 'warning';
type Rgb = readonly [number, number, number];
type Element = Record<string, unknown>;

const THEMES = Object.keys(colours.themes) as ThemeName[];
const AA = 4.5;
const TONES: readonly Tone[] = ['default', 'good', 'attention', 'warning', 'accent'];
/** What a style bound from data may be, by the binding as written in the templates. */
/** Every container style a card may bind from its data (a state's chip, a banner, a heat-map cell). */
const ANY_STYLE = ['good', 'warning', 'attention', 'accent', 'emphasis'];

const BOUND_STYLES: Record<string, readonly string[]> = {
  '${rag.style}': Object.values(RAG_VIEW).map((v) => v.style),
  '${tone}': TONES,
  '${bannerStyle}': ANY_STYLE,
  '${state.style}': ANY_STYLE,
  '${status.style}': ANY_STYLE,
  '${style}': ANY_STYLE,
};

/** `#rrggbb` or `#aarrggbb` (host config order) as colour and alpha. */
function parse(hex: string): { rgb: Rgb; alpha: number } {
  const digits = hex.replace('#', '');
  const alpha = digits.length === 8 ? parseInt(digits.slice(0, 2), 16) / 255 : 1;
  const rgb = digits.slice(-6);
  return { rgb: [0, 2, 4].map((i) => parseInt(rgb.slice(i, i + 2), 16)) as unknown as Rgb, alpha };
}

/** A colour with alpha laid over an opaque one. */
function over(top: string, below: Rgb): Rgb {
  const { rgb, alpha } = parse(top);
  return rgb.map((c, i) => c * alpha + below[i]! * (1 - alpha)) as unknown as Rgb;
}

/** WCAG 2.2 relative luminance of an sRGB colour. */
export function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as unknown as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.2 contrast ratio, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function theme(name: ThemeName) {
  return colours.themes[name] as unknown as {
    containerStyles: Record<Style, { background: string; foreground: string }>;
    foregrounds: Record<string, Record<string, { default: string; subtle: string }>>;
  };
}

/** The background of a container of `style` laid on `below`, and the text colour Teams draws in it. */
function surface(name: ThemeName, style: Style, below: Rgb) {
  const s = theme(name).containerStyles[style];
  if (!s) throw new Error(`${name} has no container style ${style}`);
  return { background: over(s.background, below), foregrounds: theme(name).foregrounds[s.foreground]! };
}

function textColour(name: ThemeName, style: Style, below: Rgb, color: string, subtle: boolean) {
  const { background, foregrounds } = surface(name, style, below);
  const set = foregrounds[color.toLowerCase()];
  if (!set) throw new Error(`${name} has no text colour ${color}`);
  return { text: over(subtle ? set.subtle : set.default, background), background };
}

interface PlacedText {
  readonly card: string;
  readonly text: string;
  /** The container styles from the card down to the text, each a style or the styles its binding may take. */
  readonly styles: ReadonlyArray<readonly Style[]>;
  readonly color: string;
  readonly subtle: boolean;
}

const children = (e: Element): Element[] =>
  ['items', 'columns', 'rows', 'cells', 'body'].flatMap((k) => (Array.isArray(e[k]) ? (e[k] as Element[]) : []));

function stylesOf(e: Element): readonly Style[] | undefined {
  const style = e.style;
  if (typeof style !== 'string' || !['Container', 'Column', 'TableRow', 'TableCell'].includes(e.type as string))
    return undefined;
  const bound = BOUND_STYLES[style];
  if (style.includes('${') && !bound) throw new Error(`a style bound from data is not known to this test: ${style}`);
  return (bound ?? [style]).map((s) => s.toLowerCase() as Style);
}

/** Every text of a card template with the styles it sits in: TextBlocks, and FactSets in the default colour. */
function textsOf(card: string, root: Element): PlacedText[] {
  const found: PlacedText[] = [];
  const walk = (e: Element, styles: ReadonlyArray<readonly Style[]>) => {
    const own = stylesOf(e);
    const inside = own ? [...styles, own] : styles;
    if (e.type === 'TextBlock') {
      found.push({
        card,
        text: String(e.text),
        styles: inside,
        color: typeof e.color === 'string' ? e.color : 'default',
        subtle: e.isSubtle === true,
      });
    }
    if (e.type === 'FactSet') {
      found.push({ card, text: 'facts', styles: inside, color: 'default', subtle: false });
    }
    for (const child of children(e)) walk(child, inside);
  };
  walk({ body: root.body }, []);
  return found;
}

/** Every combination of the styles a text may sit in: what a person may see behind it. */
function combinations(styles: ReadonlyArray<readonly Style[]>): Style[][] {
  return styles.reduce<Style[][]>((all, options) => all.flatMap((path) => options.map((o) => [...path, o])), [[]]);
}

function ratioOf(name: ThemeName, text: PlacedText, path: readonly Style[]): number {
  let below = parse(theme(name).containerStyles.default.background).rgb;
  let style: Style = 'default';
  for (const s of path) {
    below = surface(name, s, below).background;
    style = s;
  }
  const drawn = textColour(name, style, below, text.color, text.subtle);
  return contrast(drawn.text, drawn.background);
}

const templates = readdirSync(fromRoot('cards'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    name: f.replace(/\.json$/, ''),
    card: JSON.parse(readFileSync(fromRoot('cards', f), 'utf8')) as Element,
  }));

describe('the contrast ratio', () => {
  it('is 21:1 for black on white and 1:1 for a colour on itself', () => {
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrast([146, 195, 83], [146, 195, 83])).toBe(1);
  });

  it('reads as the issue measured it in the Playground: Amber text on the amber tile 1.18:1, Green 1.85:1', () => {
    const amberOnTile = contrast(parse('#f8d22a').rgb, parse('#ffe2b2').rgb);
    const greenOnTile = contrast(parse('#92c353').rgb, parse('#ccffcc').rgb);
    const greenOnWhite = contrast(parse('#92c353').rgb, parse('#ffffff').rgb);
    expect(amberOnTile).toBeCloseTo(1.18, 1);
    expect(greenOnTile).toBeCloseTo(1.85, 1);
    expect(greenOnWhite).toBeCloseTo(2.07, 1);
  });
});

describe('RAG on cards', () => {
  const ragStyles = [...new Set(Object.values(RAG_VIEW).map((v) => v.style))] as Style[];
  const cases = THEMES.flatMap((t) => ragStyles.map((s) => [t, s] as const));

  it.each(cases)('in the %s theme, text on a chip or tile of style %s reaches 4.5:1', (name, style) => {
    const below = parse(theme(name).containerStyles.default.background).rgb;
    for (const subtle of [false, true]) {
      const drawn = textColour(name, style, below, 'default', subtle);
      expect(contrast(drawn.text, drawn.background)).toBeGreaterThanOrEqual(AA);
    }
  });

  it.each(THEMES)('in the %s theme, the RAG word beside its chip, in the default colour, reaches 4.5:1', (name) => {
    const words = templates
      .flatMap((t) => textsOf(t.name, t.card))
      .filter((t) => t.text === '${rag.word}' || Object.keys(RAG_VIEW).includes(t.text));
    expect(words.length).toBeGreaterThan(0);
    for (const word of words) {
      expect(word.color, `${word.card}: ${word.text}`).toBe('default');
      for (const path of combinations(word.styles)) {
        expect(ratioOf(name, word, path), `${word.card}: ${word.text} on ${path.join(' › ')}`).toBeGreaterThanOrEqual(
          AA,
        );
      }
    }
  });

  it('gives every RAG its own chip style and its own shape, so it never rests on colour alone', () => {
    const views = Object.values(RAG_VIEW);
    expect(new Set(views.map((v) => v.style)).size).toBe(views.length);
    expect(new Set(views.map((v) => v.icon)).size).toBe(views.length);
  });
});

describe('every text of every card', () => {
  const texts = templates.flatMap((t) => textsOf(t.name, t.card));

  it('is found in the templates', () => {
    expect(new Set(texts.map((t) => t.card))).toEqual(new Set(templates.map((t) => t.name)));
  });

  it.each(THEMES)('reaches 4.5:1 against its background in the %s theme', (name) => {
    const short: string[] = [];
    for (const text of texts) {
      for (const path of combinations(text.styles)) {
        const ratio = ratioOf(name, text, path);
        if (ratio < AA)
          short.push(
            `${text.card}: "${text.text}" (${text.color}${text.subtle ? ', subtle' : ''}) on ${path.join(' › ') || 'the card'}: ${ratio.toFixed(2)}:1`,
          );
      }
    }
    expect(short).toEqual([]);
  });
});

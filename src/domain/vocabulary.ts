/**
 * A closed list of words with the synonyms people type for them (`percent` for `%`): the one
 * source for a type, its parser, its help text and the choices a form card offers.
 */
export interface Vocabulary<V extends string> {
  readonly values: readonly V[];
  /** The canonical value for a word as typed (any case, surrounding spaces ignored), or undefined. */
  read(word: string): V | undefined;
  /** For Input.ChoiceSet cards, through `$data`. */
  readonly choices: ReadonlyArray<{ title: string; value: V }>;
  /** `a, b or c`, for messages. */
  readonly listed: string;
}

export function vocabulary<const V extends string>(
  words: Readonly<Record<V, readonly string[]>>,
  titles: Partial<Readonly<Record<V, string>>> = {},
): Vocabulary<V> {
  const values = Object.keys(words) as V[];
  const lookup = new Map<string, V>();
  for (const value of values) {
    for (const word of [value, ...words[value]]) lookup.set(word.toLowerCase(), value);
  }
  return {
    values,
    read: (word) => lookup.get(word.trim().toLowerCase()),
    choices: values.map((value) => ({ title: titles[value] ?? value, value })),
    listed: listed(values),
  };
}

/** `a, b or c`. */
export function listed(items: readonly string[], last = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

/** `1 KPI`, `3 KPIs`, `1,200 readings`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}

export type ValueOf<T> = T extends Vocabulary<infer V> ? V : never;

import { NotFound } from '../errors.js';
import { closestWords } from '../parse.js';

/** Anything people name by a code (`FTF`, `R-3`, `P-2`) or by its name. */
export interface Findable {
  readonly code: string;
  readonly name: string;
}

export interface ResolveOptions<T extends Findable = Findable> {
  /** What the items are called in messages: `KPI`, `risk`, `budget line`. */
  readonly kind: string;
  /** The command that lists them, for the hint: `kpi`, `risk list`. */
  readonly listCommand: string;
  /** The partnership's name, as in "There is no KPI "X" in Cheshire ICT Shared Service." */
  readonly within: string;
  /** Reading may take a unique part of a name; a change takes only an exact code or name. */
  readonly partial?: boolean;
  /** Sub-command words the query may have been meant as, for did-you-mean (`kpi record`). */
  readonly subcommands?: readonly string[];
  /** The command suggested for a close item: `kpi FTF (First time fix)` unless given (an item known by its name alone). */
  readonly suggestion?: (item: T) => string;
  /** Explains a code that is no longer listed (removed, closed), when the caller knows it. */
  gone?(query: string): Promise<NotFound | undefined>;
}

/** Names compare without case and with runs of spaces as one, as people type them. */
export function sameName(a: string, b: string): boolean {
  return normalName(a) === normalName(b);
}

function normalName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The item a person means by `query`: its exact code or exact name (or, for reading, a unique
 * part of a name); otherwise NotFound with the closest codes and names as suggestions.
 */
export async function resolveByCodeOrName<T extends Findable>(
  query: string,
  items: readonly T[],
  options: ResolveOptions<T>,
): Promise<T> {
  const q = normalName(query);
  const exact =
    items.find((item) => item.code.toLowerCase() === q) ?? items.find((item) => normalName(item.name) === q);
  if (exact) return exact;
  const partly = items.filter((item) => normalName(item.name).includes(q));
  if (options.partial && partly.length === 1) return partly[0]!;
  const gone = await options.gone?.(query);
  if (gone) throw gone;
  throw notFound(query, q, items, partly, options);
}

function notFound<T extends Findable>(
  query: string,
  q: string,
  items: readonly T[],
  partly: readonly T[],
  options: ResolveOptions<T>,
): NotFound {
  const byName = new Map(items.map((item) => [normalName(item.name), item]));
  const byCode = new Map(items.map((item) => [item.code.toLowerCase(), item]));
  const close = new Set<T>([
    ...partly,
    ...closestWords(q, [...byCode.keys()]).map((c) => byCode.get(c)!),
    ...closestWords(q, [...byName.keys()]).map((n) => byName.get(n)!),
  ]);
  const command = options.listCommand.split(' ')[0]!;
  const subcommands = closestWords(q.split(' ')[0] ?? '', options.subcommands ?? []).map((w) => `${command} ${w}`);
  const suggestion = options.suggestion ?? ((item: T) => `${command} ${item.code} (${item.name})`);
  const suggestions = [...subcommands, ...[...close].slice(0, 3).map(suggestion)];
  return new NotFound(
    `There is no ${options.kind} "${query.trim()}" in ${options.within}.`,
    suggestions,
    `Type ${options.listCommand} to list every ${options.kind} with its code.`,
  );
}

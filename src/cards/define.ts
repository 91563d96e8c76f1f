/**
 * A card template: the name of its JSON file in the top-level cards/ folder, the type of the data
 * it binds (checked where a reply is built) and which data fields are raw input values.
 */
export interface CardTemplate<D> {
  readonly name: string;
  /**
   * Data fields whose strings go back into Input.* values as typed: they are not shown as text,
   * so they are not escaped. Every other string is escaped as card text.
   */
  readonly inputs: readonly string[];
  /** Carries the data type only. */
  readonly _data?: D;
}

const defined = new Map<string, CardTemplate<unknown>>();

/** Declares a template once, beside the data type it binds; a name declared twice is a fault at start-up. */
export function defineCard<D>(
  name: string,
  options: { inputs?: ReadonlyArray<keyof D & string> } = {},
): CardTemplate<D> {
  if (defined.has(name)) throw new Error(`card template ${name} is declared twice`);
  const template: CardTemplate<D> = { name, inputs: options.inputs ?? [] };
  defined.set(name, template);
  return template;
}

/** Every template declared so far (those of the modules loaded). */
export function declaredCards(): ReadonlyMap<string, CardTemplate<unknown>> {
  return defined;
}

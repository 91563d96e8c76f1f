import type { Role } from '../domain/roles.js';

/** Errors people can cause are values, turned into cards in one place (the router). */

export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Every problem found, each a sentence naming the field and its right form. */
  readonly problems: readonly string[];
  /** `words`: the command whose usage to show, when known. */
  constructor(
    problems: string | readonly string[],
    readonly words?: readonly string[],
  ) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join(' '));
    this.problems = list;
  }
}

export class NotAuthorised extends Error {
  override readonly name = 'NotAuthorised';
  constructor(
    readonly required: Role,
    readonly action: string,
    readonly alternative?: string,
  ) {
    super(`needs the ${required} role to ${action}`);
  }
}

export class NotFound extends Error {
  override readonly name = 'NotFound';
  constructor(
    message: string,
    readonly suggestions: readonly string[] = [],
    readonly hint?: string,
  ) {
    super(message);
  }
}

export class NotBound extends Error {
  override readonly name = 'NotBound';
  constructor() {
    super('This conversation is not linked to a partnership yet.');
  }
}

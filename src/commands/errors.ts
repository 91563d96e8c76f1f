import type { Role } from '../domain/roles.js';
import type { Reply } from './types.js';

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
    /** The options of the grant that would allow it, e.g. `council=CWAC` for an editor of one council. */
    readonly grant?: string,
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

/**
 * A command that needs one more answer before it changes anything (`0.725% or 72.5%?`). Nothing
 * was changed; the reply asks the question, with buttons and the typed commands that answer it.
 */
export class NeedsConfirmation extends Error {
  override readonly name = 'NeedsConfirmation';
  constructor(readonly reply: Reply) {
    super(reply.text.split('\n')[0]);
  }
}

import { ConflictError } from '../../storage/errors.js';
import { UsageError } from '../errors.js';

/** The plain answer to a race that retrying did not settle: nothing was changed, try again. */
const CLASH_MESSAGE = 'Someone changed this at the same moment. Nothing was changed; try again.';

/** Turns a ConflictError that reaches it into a UsageError with `message`; other errors pass. */
export async function conflictAs<T>(
  operation: Promise<T>,
  message = CLASH_MESSAGE,
  words?: readonly string[],
): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof ConflictError) throw new UsageError(message, words);
    throw error;
  }
}

/** A lost optimistic-concurrency race (412) or a create of a row that exists (409). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const code = (error as { statusCode: unknown }).statusCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** Turns the SDK's 409/412 into a typed ConflictError; anything else goes up unchanged. */
export async function orConflict<T>(operation: Promise<T>, what: string): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    const status = statusOf(error);
    if (status === 409 || status === 412) throw new ConflictError(what, { cause: error });
    throw error;
  }
}

/** A lost optimistic-concurrency race (412) or a create of a row that exists (409). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const code = error.statusCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}

/** A missing row; a missing table is a fault (the tables are created at boot) and goes up as an error. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404 && errorCodeOf(error) !== 'TableNotFound';
}

/** The service's error code (e.g. TableNotFound), wherever this SDK version put it. */
export function errorCodeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; details?: { odataError?: { code?: unknown } }; message?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.details?.odataError?.code === 'string') return e.details.odataError.code;
  return typeof e?.message === 'string' ? /"code"\s*:\s*"(\w+)"/.exec(e.message)?.[1] : undefined;
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

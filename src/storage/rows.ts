import type { TableClient, TableEntityResult } from '@azure/data-tables';
import type { z } from 'zod';
import { isNotFound } from './errors.js';

/** A stored row that no longer matches the shape the code reads: a fault naming the row, never a cast. */
export class RowFault extends Error {
  override readonly name = 'RowFault';
}

/** One row by its keys, or undefined when there is none; any other failure goes up. */
export async function getOrUndefined<T extends object>(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
  select?: readonly string[],
): Promise<TableEntityResult<T> | undefined> {
  try {
    return await table.getEntity<T>(partitionKey, rowKey, select ? { queryOptions: { select: [...select] } } : {});
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Reads a JSON column with its schema; a row that does not match is a RowFault naming the row and column. */
export function readJson<T>(
  schema: z.ZodType<T>,
  row: { partitionKey?: string; rowKey?: string },
  column: string,
  raw: unknown,
): T {
  let value: unknown;
  try {
    value = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw new RowFault(`row ${row.partitionKey}/${row.rowKey}: column ${column} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RowFault(
      `row ${row.partitionKey}/${row.rowKey}: column ${column} does not match its schema (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
    );
  }
  return parsed.data;
}

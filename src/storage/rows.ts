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

/** A property holds 64 KiB (32K UTF-16 characters): JSON is cut well below that. */
const PART_CHARS = 30_000;

/**
 * A JSON value that may outgrow one property (a vote trail with long comments), cut into the
 * properties `<name>0`, `<name>1` … with their count in `<name>Parts`. An entity holds 1 MiB.
 */
export function jsonParts(name: string, value: unknown): Record<string, string | number> {
  const json = JSON.stringify(value);
  const parts: Record<string, string | number> = {};
  let count = 0;
  for (let at = 0; at < json.length || count === 0; count++) {
    let end = Math.min(json.length, at + PART_CHARS);
    // A character outside the BMP is two UTF-16 units: never cut between them.
    if (end < json.length && /[\ud800-\udbff]/.test(json.charAt(end - 1))) end--;
    parts[`${name}${count}`] = json.slice(at, end);
    at = end;
  }
  parts[`${name}Parts`] = count;
  return parts;
}

/** Reads back what `jsonParts` wrote, with its schema; a row that does not match is a RowFault. */
export function readJsonParts<T>(
  schema: z.ZodType<T>,
  row: { partitionKey?: string; rowKey?: string } & Record<string, unknown>,
  name: string,
): T {
  const count = row[`${name}Parts`];
  if (typeof count !== 'number') throw new RowFault(`row ${row.partitionKey}/${row.rowKey}: ${name} is missing`);
  let json = '';
  for (let i = 0; i < count; i++) {
    const part = row[`${name}${i}`];
    json += typeof part === 'string' ? part : '';
  }
  return readJson(schema, row, `${name}0…`, json);
}

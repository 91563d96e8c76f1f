import {
  TableClient,
  TableServiceClient,
  type TableServiceClientOptions,
  type TransactionAction,
} from '@azure/data-tables';
import { TABLES, type TableName } from './keys.js';

export type Tables = Readonly<Record<TableName, TableClient>>;

/** One write of a transaction batch, as commands pass it on to storage without holding a table client. */
export type BatchAction = TransactionAction;

export interface Storage {
  readonly tables: Tables;
  /** The prefix of the table names: tests share one storage account side by side, or one set of tables between two bots. */
  readonly prefix: string;
  /** True when the storage account answers; used by /healthz. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Tables made one a day (`<stem><yyyymmdd>`), so a day's rows go at once by dropping its table. */
  readonly daily: DailyTables;
}

export interface DailyTables {
  /** The client of the table of `day` (yyyymmdd); it may not exist yet (`createTable` is safe to repeat). */
  table(stem: string, day: string): TableClient;
  /** Drops the tables of `stem` older than `day` (yyyymmdd); returns the days dropped. */
  dropBefore(stem: string, day: string): Promise<string[]>;
}

/**
 * A storage call that gets no answer in this time fails rather than holding the turn: the SDK does
 * not retry a request that timed out, so a storage account that stops answering costs one of
 * these, and one that refuses connections costs its retries (about half a second).
 */
export const STORAGE_REQUEST_TIMEOUT_MS = 3_000;

/** Local (Azurite) connection strings use http; the SDK refuses that unless told. */
function clientOptions(connectionString: string): TableServiceClientOptions {
  const insecure = /DefaultEndpointsProtocol=http;|UseDevelopmentStorage=true|TableEndpoint=http:\/\//i.test(
    connectionString,
  );
  return {
    allowInsecureConnection: insecure,
    retryOptions: { maxRetries: 2, retryDelayInMs: 150, maxRetryDelayInMs: 1_000 },
    additionalPolicies: [
      {
        position: 'perRetry',
        policy: {
          name: 'storageRequestTimeout',
          sendRequest(request, next) {
            if (!request.timeout || request.timeout > STORAGE_REQUEST_TIMEOUT_MS) {
              request.timeout = STORAGE_REQUEST_TIMEOUT_MS;
            }
            return next(request);
          },
        },
      },
    ],
  };
}

export function openStorage(connectionString: string, tablePrefix = ''): Storage {
  const options = clientOptions(connectionString);
  const tables = Object.fromEntries(
    TABLES.map((name) => [name, TableClient.fromConnectionString(connectionString, `${tablePrefix}${name}`, options)]),
  ) as Record<TableName, TableClient>;
  const service = TableServiceClient.fromConnectionString(connectionString, options);
  const dailyName = (stem: string, day: string) => `${tablePrefix}${stem}${day}`;
  return {
    tables,
    prefix: tablePrefix,
    async ping(timeoutMs = 2000) {
      try {
        const signal = AbortSignal.timeout(timeoutMs);
        const pages = service.listTables({ abortSignal: signal }).byPage({ maxPageSize: 1 });
        await pages.next();
        return true;
      } catch {
        return false;
      }
    },
    daily: {
      table: (stem, day) => TableClient.fromConnectionString(connectionString, dailyName(stem, day), options),
      async dropBefore(stem, day) {
        const prefix = `${tablePrefix}${stem}`;
        const old: string[] = [];
        // Table names compare as strings: every day of the stem sorts between the prefix and the cut-off.
        const filter = `TableName ge '${prefix}' and TableName lt '${dailyName(stem, day)}'`;
        for await (const table of service.listTables({ queryOptions: { filter } })) {
          const name = table.name ?? '';
          const rest = name.slice(prefix.length);
          if (name.startsWith(prefix) && /^\d{8}$/.test(rest)) old.push(rest);
        }
        await Promise.all(old.map((d) => service.deleteTable(dailyName(stem, d))));
        return old;
      },
    },
  };
}

/** Creates every table that is missing; safe to run on every boot and from several instances. */
export async function ensureTables(storage: Storage): Promise<void> {
  await Promise.all(Object.values(storage.tables).map((client) => client.createTable()));
}

import { TableClient, TableServiceClient } from '@azure/data-tables';
import { TABLES, type TableName } from './keys.js';

export type Tables = Readonly<Record<TableName, TableClient>>;

export interface Storage {
  readonly tables: Tables;
  /** The prefix of the table names: tests share one storage account side by side, or one set of tables between two bots. */
  readonly prefix: string;
  /** True when the storage account answers; used by /healthz. */
  ping(timeoutMs?: number): Promise<boolean>;
}

/** Local (Azurite) connection strings use http; the SDK refuses that unless told. */
function clientOptions(connectionString: string) {
  const insecure = /DefaultEndpointsProtocol=http;|UseDevelopmentStorage=true|TableEndpoint=http:\/\//i.test(
    connectionString,
  );
  return {
    allowInsecureConnection: insecure,
    retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
  };
}

export function openStorage(connectionString: string, tablePrefix = ''): Storage {
  const options = clientOptions(connectionString);
  const tables = Object.fromEntries(
    TABLES.map((name) => [name, TableClient.fromConnectionString(connectionString, `${tablePrefix}${name}`, options)]),
  ) as Record<TableName, TableClient>;
  const service = TableServiceClient.fromConnectionString(connectionString, options);
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
  };
}

/** Creates every table that is missing; safe to run on every boot and from several instances. */
export async function ensureTables(storage: Storage): Promise<void> {
  await Promise.all(Object.values(storage.tables).map((client) => client.createTable()));
}

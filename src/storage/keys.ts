/**
 * Every table's key layout, in one screen. Everything of a partnership lives in one partition of
 * `partnerships`, so every query is a single-partition query, one partnership never reads
 * another's rows, and a change and its audit row commit together in one transaction batch. Two
 * lookup tables are keyed otherwise because they are read before the partnership is known:
 * `bindings` (conversation -> partnership) and `conversations` (references for proactive
 * messages, stored at installation, before any binding).
 *
 * | table         | PartitionKey | RowKey                                                  |
 * | ------------- | ------------ | ------------------------------------------------------- |
 * | partnerships  | <pid>        | profile                                                 |
 * |               |              | binding|<conv key>        committee|<channel id>         |
 * |               |              | role|<user id>|<role>|<council or *>                    |
 * |               |              | kpi|<CODE>                reading|<CODE>|<period key>    |
 * |               |              | audit|<inverted time>|<random>                          |
 * | bindings      | <conv key>   | ''                                                      |
 * | conversations | <tenant id>  | <conv key>                                              |
 */

export const TABLES = ['partnerships', 'bindings', 'conversations'] as const;
export type TableName = (typeof TABLES)[number];

/** Key characters Azure Tables refuses (/ \ # ? and control characters) and % (unsafe in URLs) are escaped as ~XX. */
export function escapeKey(value: string): string {
  return value.replace(
    /[/\\#?%~\u0000-\u001f\u007f-\u009f]/g,
    (ch) => `~${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** The conversation a binding or reference is about: a team (covers all its channels) or one chat/channel. */
export type ConversationKey = { kind: 'team'; teamId: string } | { kind: 'conversation'; conversationId: string };

export function conversationKey(key: ConversationKey): string {
  return escapeKey(key.kind === 'team' ? `team:${key.teamId}` : `conv:${key.conversationId}`);
}

export const keys = {
  profile: 'profile',
  bindingRow: (conv: string) => `binding|${conv}`,
  bindingPrefix: 'binding|',
  committeeRow: (channelId: string) => `committee|${escapeKey(channelId)}`,
  committeePrefix: 'committee|',
  /** One row per person, role and council (`*` for every council), so an approver may hold several councils. */
  roleRow: (userId: string, role: string, council: string | undefined) =>
    `role|${escapeKey(userId)}|${role}|${council ?? '*'}`,
  roleOfPrefix: (userId: string, role: string) => `role|${escapeKey(userId)}|${role}|`,
  rolesOfPrefix: (userId: string) => `role|${escapeKey(userId)}|`,
  rolePrefix: 'role|',
  tenantPartition: (tenantId: string) => escapeKey(tenantId),
  kpiDefinition: (code: string) => `kpi|${escapeKey(code)}`,
  kpiDefinitionPrefix: 'kpi|',
  kpiReading: (code: string, periodKey: string) => `reading|${escapeKey(code)}|${periodKey}`,
  kpiReadingPrefix: (code: string) => `reading|${escapeKey(code)}|`,
  /** Newest first: RowKeys sort ascending, so the time is inverted. */
  auditRow: (at: Date, unique: string) =>
    `audit|${String(9_999_999_999_999 - at.getTime()).padStart(13, '0')}|${unique}`,
  auditPrefix: 'audit|',
};

/** An OData filter for RowKeys that start with `prefix` (range scan within one partition). */
export function rowKeyStartsWith(partitionKey: string, prefix: string): string {
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return `PartitionKey eq ${quote(partitionKey)} and RowKey ge ${quote(prefix)} and RowKey lt ${quote(end)}`;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

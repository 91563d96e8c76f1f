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
 * |               |              | audit|<inverted time>|<random>                          |
 * |               |              | summary|<family>|<shard>   (see summary.ts)              |
 * |               |              | seq|<name>                 numbers … (sequence.ts)|
 * |               |              | <family>|…  each family's own rows, declared with        |
 * |               |              |            familyRows() in its repository              |
 * | bindings      | <conv key>   | ''                                                      |
 * | conversations | <tenant id>  | <conv key>                                              |
 * | schedule      | <due hour>   | <kind>|<pid>|<due minute>   scheduled runs (outbox)      |
 * |               | reminded|<pid> | week|<person>|<ISO week>  approval|<person>|<ref>    |
 * |               | people|<tenant> | <user id>                personal chat, reminders on/off |
 * | seen<yyyymmdd>| <conv key>   | <activity id>   activities handled that day (deliveries.ts)|
 *
 * `schedule` is read across partnerships: every instance finds the runs due with one range query
 * over the due-hour partitions (`2026-11-30T09`, UTC), which sort before the lettered ones.
 *
 * Every part that comes from outside (ids, names, codes) goes through escapeKey, and readers that
 * match by prefix compare the id they read back: one id can never pass for another.
 */

export const TABLES = ['partnerships', 'bindings', 'conversations', 'schedule'] as const;
export type TableName = (typeof TABLES)[number];

/**
 * Key characters Azure Tables refuses (/ \ # ? and control characters), % (unsafe in URLs) and the
 * separator | (so one id can never read as two key parts) are escaped as ~XX.
 */
export function escapeKey(value: string): string {
  return value.replace(
    /[/\\#?%~|\u0000-\u001f\u007f-\u009f]/g,
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
    `role|${escapeKey(userId)}|${role}|${council === undefined ? '*' : escapeKey(council)}`,
  roleOfPrefix: (userId: string, role: string) => `role|${escapeKey(userId)}|${role}|`,
  rolesOfPrefix: (userId: string) => `role|${escapeKey(userId)}|`,
  rolePrefix: 'role|',
  tenantPartition: (tenantId: string) => escapeKey(tenantId),
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

/** An OData filter for RowKeys from `from` (inclusive) to the end of the rows that start with `prefix`. */
export function rowKeyRange(partitionKey: string, from: string, prefix: string): string {
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return `PartitionKey eq ${quote(partitionKey)} and RowKey ge ${quote(from)} and RowKey lt ${quote(end)}`;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const declared = new Set(['profile', 'binding', 'committee', 'role', 'audit', 'summary', 'seq']);

/**
 * The RowKeys of one family's rows in the partnership's partition: `<name>|<part>|<part>…`, each
 * part escaped. A name can be declared once, so two families can never share rows.
 */
export function familyRows(name: string) {
  if (!/^[a-z][a-z-]*$/.test(name)) throw new Error(`row family name ${name} must be lower-case letters`);
  if (declared.has(name)) throw new Error(`row family ${name} is declared twice`);
  declared.add(name);
  const prefix = `${name}|`;
  return {
    prefix,
    /** A row's key; a part may itself be a prefix of further rows (e.g. a KPI's readings). */
    key: (...parts: string[]) => prefix + parts.map(escapeKey).join('|'),
    /** The prefix of every row whose first parts are these. */
    under: (...parts: string[]) => prefix + parts.map((p) => `${escapeKey(p)}|`).join(''),
  };
}

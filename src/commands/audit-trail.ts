import { clipped } from '../cards/views.js';
import { formatKpiValue, type KpiUnit } from '../domain/kpi.js';
import { formatMoney, pence } from '../domain/money.js';
import type { AuditEntry } from '../storage/audit.js';
import type { CommandContext } from './types.js';

/**
 * A value in the audit, kept typed so that it is shown as the cards show it: text, a number, an
 * amount of money in pence, or a figure in a KPI's unit (`72.5%`, `7,900 hours`).
 */
export type AuditValue =
  string | number | boolean | null | { readonly pence: number } | { readonly figure: number; readonly unit: KpiUnit };

/** What an item was or became, field by field. */
export type AuditFields = Readonly<Record<string, AuditValue>>;

/**
 * What may be recorded as before or after: typed fields (as the KPI family records them), or any
 * plain object or text, shown field by field as it was stored.
 */
export type AuditRecord = AuditFields | object | string;

export function money(amount: number): AuditValue {
  return { pence: amount };
}

export function figure(value: number, unit: KpiUnit): AuditValue {
  return { figure: value, unit };
}

/** The audit row of a change: who, when, the command as typed, before and after; it is stored with the change. */
export function auditOf(
  ctx: CommandContext,
  subject: string,
  before: AuditRecord | null,
  after: AuditRecord | null,
): AuditEntry {
  return {
    at: ctx.now.toISOString(),
    actorId: ctx.actor.id,
    actorAadObjectId: ctx.actor.aadObjectId,
    actorName: ctx.actor.name,
    command: ctx.commandText,
    subject,
    before: before ?? null,
    after: after ?? null,
    conversationId: ctx.conversation.id,
  };
}

/** Longest text shown of one value; the rest is cut with an ellipsis. */
const SHOWN_CHARS = 300;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as the cards show it; values written before they were typed are shown as they were stored, nothing stripped. */
export function showValue(value: unknown): string {
  let text: string;
  if (value === null || value === undefined || value === '') text = '—';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = value.toLocaleString('en-GB', { maximumFractionDigits: 6 });
  else if (typeof value === 'boolean') text = value ? 'yes' : 'no';
  else if (isRecord(value) && typeof value.pence === 'number' && Object.keys(value).length === 1)
    text = formatMoney(pence(Math.round(value.pence)));
  else if (isRecord(value) && typeof value.figure === 'number' && typeof value.unit === 'string')
    text = formatKpiValue(value.unit as KpiUnit, value.figure);
  else if (Array.isArray(value)) text = value.map(showValue).join(', ');
  else if (isRecord(value))
    text = Object.entries(value)
      .map(([k, v]) => `${k}: ${showValue(v)}`)
      .join('; ');
  else text = typeof value === 'bigint' ? value.toString() : '—';
  return clipped(text, SHOWN_CHARS);
}

/** One field of an audit entry as a person reads it. */
export interface AuditLine {
  readonly field: string;
  readonly change: string;
}

/**
 * What an entry changed, field by field: every field of what was added or removed; for a change,
 * the fields whose shown value differs (`target 2026/27: ≥ 80% → ≥ 85%`).
 */
export function auditLines(
  before: unknown,
  after: unknown,
): { what: 'added' | 'removed' | 'changed'; lines: AuditLine[] } {
  const fields = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : v == null ? {} : { value: v });
  if (before === null || before === undefined) {
    return {
      what: 'added',
      lines: Object.entries(fields(after)).map(([field, v]) => ({ field, change: showValue(v) })),
    };
  }
  if (after === null || after === undefined) {
    return {
      what: 'removed',
      lines: Object.entries(fields(before)).map(([field, v]) => ({ field, change: showValue(v) })),
    };
  }
  const b = fields(before);
  const a = fields(after);
  const lines = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .map((field) => ({ field, was: showValue(b[field]), is: showValue(a[field]) }))
    .filter(({ was, is }) => was !== is)
    .map(({ field, was, is }) => ({ field, change: `${was} → ${is}` }));
  return { what: 'changed', lines };
}

/** Whether a change would change anything a person can see: a change that changes nothing is not written. */
export function changesAnything(before: AuditFields, after: AuditFields): boolean {
  return auditLines(before, after).lines.length > 0;
}

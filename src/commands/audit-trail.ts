import type { AuditEntry } from '../storage/audit.js';
import type { CommandContext } from './types.js';

/** The audit row of a change: who, when, the command as typed, before and after; it is stored with the change. */
export function auditOf(ctx: CommandContext, subject: string, before: unknown, after: unknown): AuditEntry {
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

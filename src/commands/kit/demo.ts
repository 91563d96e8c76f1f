import type { AuditEntry } from '../../storage/audit.js';
import type { DemoContext } from '../types.js';

/** The audit row of a piece of demo data: who set the demo up, and what was laid. */
export function demoAudit(demo: DemoContext, subject: string, after: unknown): AuditEntry {
  return {
    at: demo.now.toISOString(),
    actorId: demo.actor.id,
    actorAadObjectId: demo.actor.aadObjectId,
    actorName: demo.actor.name,
    command: 'demo data',
    subject,
    before: null,
    after,
    conversationId: 'demo',
  };
}

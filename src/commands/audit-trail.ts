import type { Services } from './services.js';
import type { BoundContext } from './types.js';

/** Every change writes one audit row: who, when, the command as typed, before and after. */
export async function recordChange(services: Services, ctx: BoundContext, subject: string, before: unknown, after: unknown): Promise<void> {
  await services.audit.write(ctx.partnership.id, {
    at: ctx.now.toISOString(),
    actorId: ctx.actor.id,
    actorAadObjectId: ctx.actor.aadObjectId,
    actorName: ctx.actor.name,
    command: ctx.commandText,
    subject,
    before: before ?? null,
    after: after ?? null,
    conversationId: ctx.conversation.id,
  });
}

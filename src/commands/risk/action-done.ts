import { dayText } from '../../cards/views.js';
import type { PlannedAction } from '../../domain/risk.js';
import { ConflictError } from '../../storage/errors.js';
import type { AuditEntry } from '../../storage/audit.js';
import type { PlannedActions } from '../../storage/planned-actions.js';
import type { StoredAction } from '../../storage/risk-rows.js';
import type { PartnershipId } from '../../domain/partnership.js';
import { UsageError } from '../errors.js';
import { notice } from '../kit/replies.js';
import type { Reply } from '../types.js';

/** The answer to marking done an action that is done: who marked it and when; nothing changes. */
export function doneAlready(id: string, action: PlannedAction): Reply | undefined {
  if (!action.done) return undefined;
  return notice(
    'default',
    `${action.id} of ${id} is done already`,
    `Marked done on ${dayText(action.done.on)} by ${action.done.by}. Nothing was changed.`,
  );
}

/**
 * Marks a risk's or an issue's action done under the ETag it was read with. When someone marked it
 * at the same moment, theirs stands and this one is told it is done already, as a second click
 * would be (the answer then), rather than to try again.
 */
export async function markActionDone(
  actions: PlannedActions,
  partnershipId: PartnershipId,
  id: string,
  stored: StoredAction,
  done: NonNullable<PlannedAction['done']>,
  audit: AuditEntry,
  words: readonly string[],
): Promise<Reply | undefined> {
  try {
    await actions.complete(partnershipId, id, stored, done, audit);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const now = await actions.get(partnershipId, id, stored.action.id);
    const already = now && doneAlready(id, now.action);
    if (already) return already;
    throw new UsageError(
      `${stored.action.id} of ${id} was changed by someone else a moment ago; nothing was changed. Try again.`,
      words,
    );
  }
}

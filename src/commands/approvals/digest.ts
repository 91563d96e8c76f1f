import { dayText } from '../../cards/views.js';
import { endOfLondonDay } from '../../domain/calendar.js';
import { pendingApprovals } from '../../domain/approvals.js';
import { listed, plural } from '../../domain/vocabulary.js';
import { summaryOf, type ApprovalEntry, type ApprovalRepository } from '../../storage/approvals.js';
import type { DigestRequest, DigestSection, ReminderItem } from '../types.js';
import { typeLabel } from './fields.js';

/** The approvals' part of a committee digest and of the reminders: read from the summary row alone. */

/** An approver is reminded when a decision waiting for them is due within this. */
const REMIND_WITHIN_MS = 24 * 60 * 60 * 1000;

function namesOf(entry: ApprovalEntry, ids: readonly string[]): string[] {
  return ids.map((id) => entry.approvers.find((a) => a.id === id)?.name ?? 'someone');
}

/** `approvals`: every pending approval, soonest due first, with who it waits for. */
export async function approvalsDigest(approvals: ApprovalRepository, request: DigestRequest): Promise<DigestSection[]> {
  const entries = await approvals.list(request.partnership.id, request.now);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const pending = pendingApprovals(entries.map(summaryOf), request.now);
  return [
    {
      key: 'approvals',
      title: 'Approvals',
      summary: pending.length === 0 ? 'No approvals pending' : `${plural(pending.length, 'approval')} pending`,
      items: pending.map((s) => ({
        text: `${s.id} ${s.title} (${typeLabel(s.type)}): due ${dayText(s.due)}, waiting for ${listed(namesOf(byId.get(s.id)!, s.awaitingIds), 'and')}`,
      })),
    },
  ];
}

/** Each approver who has yet to decide an approval due within 24 hours. */
export async function approvalReminders(
  approvals: ApprovalRepository,
  request: DigestRequest,
): Promise<ReminderItem[]> {
  const entries = await approvals.list(request.partnership.id, request.now);
  const byId = new Map(entries.map((e) => [e.id, e]));
  return pendingApprovals(entries.map(summaryOf), request.now).flatMap((s) => {
    const deadline = endOfLondonDay(s.due);
    if (deadline.getTime() - request.now.getTime() > REMIND_WITHIN_MS) return [];
    const entry = byId.get(s.id)!;
    return s.awaitingIds.map((id): ReminderItem => ({
      kind: 'approval',
      person: { id, name: namesOf(entry, [id])[0]! },
      text: `Decide ${s.id} ${s.title} by the end of ${dayText(s.due)}: type approve ${s.id}, or approval show ${s.id} for the card`,
      due: deadline.toISOString(),
    }));
  });
}

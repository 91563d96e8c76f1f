import { dayText } from '../../cards/views.js';
import { londonDate } from '../../domain/calendar.js';
import { listRisks, redSince, type AssessedRisk } from '../../domain/risk.js';
import { pointsOf, registerEntry, type RiskEntry } from '../../storage/risk-rows.js';
import type { DigestRequest, DigestSection, ReminderItem } from '../types.js';
import type { RiskKit } from './read.js';
import { scoreWithBand } from './views.js';
import { plural } from '../../domain/vocabulary.js';

/** The register's part of a committee digest and of the reminders: read-only, from the summary rows. */

/** Items a digest lists at most; the rest are counted in the summary line. */
const DIGEST_ITEMS = 12;

type Listed = AssessedRisk & Pick<RiskEntry, 'points' | 'ownerAadObjectId'>;

async function openRisks(kit: RiskKit, request: DigestRequest) {
  const [entries, { settings }, issues] = await Promise.all([
    kit.risks.list(request.partnership.id),
    kit.risks.settings(request.partnership.id),
    kit.issues.list(request.partnership.id),
  ]);
  const today = londonDate(request.now);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const open = listRisks(
    entries.map((e) => registerEntry(e, settings)),
    {},
    settings,
    today,
  ).map((r): Listed => ({ ...r, points: byId.get(r.id)!.points, ownerAadObjectId: byId.get(r.id)!.ownerAadObjectId }));
  return { open, settings, openIssues: issues.filter((i) => i.status === 'open') };
}

/**
 * Section `risk`: Red risks, risks above appetite, risks that became Red since the last digest and
 * overdue reviews, each risk once with all that applies to it, in register order.
 */
export async function riskDigest(kit: RiskKit, request: DigestRequest): Promise<DigestSection[]> {
  const { open, settings, openIssues } = await openRisks(kit, request);
  const since = request.since?.toISOString();
  const items = open.flatMap((risk) => {
    const redFrom = redSince(pointsOf(risk), settings.bands);
    const notes = [
      ...(since !== undefined && redFrom !== undefined && redFrom >= since ? ['became Red since the last digest'] : []),
      ...(risk.aboveAppetite ? [`above the ${risk.category} appetite of ${risk.appetite}`] : []),
      ...(risk.overdue ? [`review overdue since ${dayText(risk.nextReview)}`] : []),
    ];
    if (risk.band !== 'Red' && notes.length === 0) return [];
    const text = `${risk.id} ${risk.title}: ${scoreWithBand(risk.current, settings)}${notes.length > 0 ? ` — ${notes.join('; ')}` : ''} (owner ${risk.ownerName})`;
    return [{ text, rag: risk.band }];
  });
  const count = (band: string) => open.filter((r) => r.band === band).length;
  const above = open.filter((r) => r.aboveAppetite).length;
  const overdue = open.filter((r) => r.overdue).length;
  const high = openIssues.filter((i) => i.severity === 'high').length;
  const summary =
    open.length === 0
      ? 'No open risks.'
      : [
          `${plural(open.length, 'open risk')}: ${count('Red')} Red, ${count('Amber')} Amber, ${count('Green')} Green`,
          `${above} above appetite`,
          `${plural(overdue, 'review')} overdue`,
          `${plural(openIssues.length, 'open issue')} (${high} high)`,
          ...(items.length > DIGEST_ITEMS ? [`${items.length - DIGEST_ITEMS} more in risk list`] : []),
        ].join('; ');
  const rag = open.length === 0 ? 'No data' : count('Red') > 0 ? 'Red' : count('Amber') > 0 ? 'Amber' : 'Green';
  return [{ key: 'risk', title: 'Risks and issues', summary, rag, items: items.slice(0, DIGEST_ITEMS) }];
}

/** Each owner of an open risk whose review is overdue owes that review. */
export async function riskReminders(kit: RiskKit, request: DigestRequest): Promise<ReminderItem[]> {
  const { open, settings } = await openRisks(kit, request);
  return open
    .filter((risk) => risk.overdue)
    .map((risk) => ({
      kind: 'review' as const,
      person: {
        id: risk.ownerId,
        name: risk.ownerName,
        ...(risk.ownerAadObjectId ? { aadObjectId: risk.ownerAadObjectId } : {}),
      },
      text: `Review ${risk.id} ${risk.title} (${scoreWithBand(risk.current, settings)}): it was due ${dayText(risk.nextReview)}. Type risk review ${risk.id} "note" when done.`,
    }));
}

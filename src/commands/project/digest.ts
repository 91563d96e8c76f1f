import { dayText } from '../../cards/views.js';
import { projectList, staleBefore } from '../../domain/portfolio.js';
import { ragOrder, type Rag, type RagStatus } from '../../domain/rag.js';
import { projectSummaryOf, RECENT_REPORTS, type ProjectEntry, type ProjectRepository } from '../../storage/projects.js';
import type { DigestRequest, DigestSection } from '../types.js';
import { plural } from '../../domain/vocabulary.js';

/** The portfolio's part of a committee digest: RAG changes since the last digest and stale reports, from the summary row. */

interface RagChange {
  readonly entry: ProjectEntry;
  /** The RAG at `since`; `first` when the project had no report then, `unknown` when it is older than the list keeps. */
  readonly from: Rag | 'first' | 'unknown';
  readonly to: Rag;
  readonly at: string;
}

function changeText(change: RagChange): string {
  if (change.from === 'first') return `first report ${change.to}`;
  if (change.from === 'unknown') return `now ${change.to}`;
  return `${change.from} → ${change.to}`;
}

/** The project's RAG now against its RAG at `since`: a change, or a first report made since. */
function changeSince(entry: ProjectEntry, since: number): RagChange | undefined {
  const latest = entry.recent.at(-1);
  if (!latest || Date.parse(latest[1]) <= since) return undefined;
  const before = entry.recent.filter(([, at]) => Date.parse(at) <= since).at(-1);
  // The list entry keeps the last few reports: when all are later than `since`, an older one may exist.
  const from = before?.[0] ?? (entry.recent.length < RECENT_REPORTS ? 'first' : 'unknown');
  return from === latest[0] ? undefined : { entry, from, to: latest[0], at: latest[1] };
}

/** `projects`: RAG changes since `since` (the last fortnight when there was no digest before) and stale reports. */
export async function projectsDigest(projects: ProjectRepository, request: DigestRequest): Promise<DigestSection[]> {
  const entries = (await projects.list(request.partnership.id)).filter((e) => e.status === 'active');
  const since = request.since ?? staleBefore(request.now);
  const changes = entries
    .map((e) => changeSince(e, since.getTime()))
    .filter((c): c is RagChange => c !== undefined)
    .sort((a, b) => ragOrder(a.to) - ragOrder(b.to));
  const stale = projectList(entries.map(projectSummaryOf), { status: 'active' }, request.now).filter((r) => r.stale);
  const worst = entries
    .map((e): RagStatus => e.recent.at(-1)?.[0] ?? 'No data')
    .sort((a, b) => ragOrder(a) - ragOrder(b))[0];
  const summary =
    changes.length === 0 && stale.length === 0
      ? `No RAG changes since ${dayText(since)} and no stale reports`
      : `${plural(changes.length, 'RAG change')} since ${dayText(since)}; ${plural(stale.length, 'stale report')}`;
  return [
    {
      key: 'projects',
      title: 'Portfolio',
      summary,
      ...(worst ? { rag: worst } : {}),
      items: [
        ...changes.map((c) => ({
          text: `${c.entry.id} ${c.entry.name}: ${changeText(c)} (${dayText(c.at)})`,
          rag: c.to,
        })),
        ...stale.map((r) => ({
          text: `${r.id} ${r.name}: report stale, last ${r.latestRag ?? ''} on ${r.reportedAt ? dayText(r.reportedAt) : '—'}`,
          ...(r.latestRag ? { rag: r.latestRag } : {}),
        })),
      ],
    },
  ];
}

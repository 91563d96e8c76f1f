import type { StateView } from '../../cards/approvals.js';
import {
  projectDetailCard,
  projectListCard,
  type ProjectDetailData,
  type ProjectRiskData,
  type ProjectRowData,
} from '../../cards/projects.js';
import { clipped, dayText, RAG_VIEW } from '../../cards/views.js';
import { plural } from '../../domain/vocabulary.js';
import { statusOn } from '../../domain/approvals.js';
import { londonDate } from '../../domain/calendar.js';
import { formatMoney } from '../../domain/money.js';
import { councilLabel, type Partnership } from '../../domain/partnership.js';
import {
  isStale,
  latestReport,
  type ProjectListFilter,
  type ProjectListRow,
  type ProjectStatus,
  type RagReport,
} from '../../domain/portfolio.js';
import { countRag } from '../../domain/rag.js';
import { formatScore, type AssessedRisk } from '../../domain/risk.js';
import type { ApprovalEntry } from '../../storage/approvals.js';
import type { ProjectRecord } from '../../storage/projects.js';
import { statusView } from '../approvals/views.js';
import { cardReply, type Reply } from '../types.js';

/** The portfolio card and one project in detail, with their plain text. */

const STATUS: Record<ProjectStatus, StateView> = {
  proposed: { word: 'Proposed', style: 'accent', icon: '…' },
  active: { word: 'Active', style: 'good', icon: '▶' },
  rejected: { word: 'Rejected', style: 'attention', icon: '✗' },
  closed: { word: 'Closed', style: 'emphasis', icon: '■' },
};

export function projectStatusWord(status: ProjectStatus): string {
  return STATUS[status].word;
}

const STALE = 'Stale: the last report is more than 14 days old';
/** Rows on the portfolio card, Red first: enough for a real portfolio, within Teams' card size. */
export const PORTFOLIO_ROWS = 20;
/** A report's commentary in the history table is cut here; the latest is shown whole above it. */
const COMMENTARY_SHOWN = 300;

const cut = (text: string) => clipped(text, COMMENTARY_SHOWN);

function row(project: ProjectListRow): ProjectRowData {
  return {
    id: project.id,
    name: project.name,
    about: [STATUS[project.status].word, project.manager?.name ?? 'no manager', councilLabel(project.council)].join(
      ' · ',
    ),
    rag: RAG_VIEW[project.latestRag ?? 'No data'],
    reported: project.reportedAt ? `reported ${dayText(project.reportedAt)}` : 'no report yet',
    stale: project.stale ? STALE : '',
  };
}

export function portfolioReply(
  partnership: Partnership,
  rows: readonly ProjectListRow[],
  filter: ProjectListFilter,
  anyProjects: boolean,
  now: Date,
): Reply {
  const counts = countRag(rows.map((r) => r.latestRag ?? 'No data'));
  const scope = [filter.status ?? 'active and proposed', filter.rag ? `${filter.rag} only` : '']
    .filter(Boolean)
    .join(', ');
  const title = `Portfolio — ${partnership.name}`;
  const subtitle = `${plural(rows.length, 'project')}: ${counts.Red} Red, ${counts.Amber} Amber, ${counts.Green} Green${counts['No data'] > 0 ? `, ${counts['No data']} not reported` : ''} · ${scope} · as at ${dayText(now)}`;
  const emptyMessage = anyProjects
    ? 'No projects match.'
    : 'No projects yet. An editor proposes one with: project add "<name>" manager=@… sponsor=@… scope="…" budget=£… start=YYYY-MM-DD end=YYYY-MM-DD';
  const shown = rows.slice(0, PORTFOLIO_ROWS).map(row);
  const more =
    rows.length > PORTFOLIO_ROWS
      ? `Showing ${PORTFOLIO_ROWS} of ${rows.length}, Red first: narrow it with project list active red, or proposed.`
      : undefined;
  const text = [
    title,
    subtitle,
    ...(shown.length > 0
      ? shown.map(
          (r) => `${r.rag.word}: ${r.id} ${r.name} (${r.about}), ${r.reported}${r.stale ? ` — ${r.stale}` : ''}`,
        )
      : [emptyMessage]),
  ].join('\n');
  return cardReply(
    projectListCard,
    { title, subtitle, rows: shown, hasRows: shown.length > 0, emptyMessage, ...(more ? { more } : {}) },
    more ? `${text}\n${more}` : text,
  );
}

/** Linked risks on a project's card, worst first: the rest are in the register. */
export const RISKS_SHOWN = 5;
/** As the card says it when no open risk is linked. */
const NO_RISKS = 'No open risks on the register are linked to this project.';
/** A risk's title on a project's card is cut here; risk show has it whole. */
const RISK_TITLE = 60;

/** `R-1 Cyber security`, its band as word and chip, and `4×5 = 20 · above the cyber appetite of 6`. */
function riskRow(risk: AssessedRisk): ProjectRiskData {
  const appetite = risk.aboveAppetite
    ? `above the ${risk.category} appetite of ${risk.appetite}`
    : `within the ${risk.category} appetite`;
  const title = risk.title.length <= RISK_TITLE ? risk.title : `${risk.title.slice(0, RISK_TITLE - 1)}…`;
  return { id: risk.id, title, rag: RAG_VIEW[risk.band], detail: `${formatScore(risk.current)} · ${appetite}` };
}

/** `1 Apr 2026 to 31 Mar 2027`. */
function timeline(project: ProjectRecord): string {
  return project.start && project.end ? `${dayText(project.start)} to ${dayText(project.end)}` : 'not set';
}

export interface ProjectDetailInput {
  readonly project: ProjectRecord;
  readonly reports: readonly RagReport[];
  readonly approvals: readonly ApprovalEntry[];
  /** The open risks linked to this project, worst first (`listRisks`). */
  readonly risks: readonly AssessedRisk[];
  readonly now: Date;
}

export function projectDetailReply(input: ProjectDetailInput): Reply {
  const { project, reports, now } = input;
  const risks = input.risks.slice(0, RISKS_SHOWN);
  const latest = latestReport(reports);
  const stale = latest !== undefined && project.status === 'active' && isStale(latest.reportedAt, now);
  const today = londonDate(now);
  const facts = [
    { title: 'Manager', value: project.manager?.name ?? 'not set' },
    { title: 'Sponsor', value: project.sponsor?.name ?? 'not set' },
    { title: 'Budget', value: project.budget !== undefined ? formatMoney(project.budget) : 'not set' },
    { title: 'Timeline', value: timeline(project) },
    { title: 'Council', value: councilLabel(project.council) },
    { title: 'Proposed by', value: `${project.createdBy.name} on ${dayText(project.createdAt)}` },
    ...(project.closed
      ? [{ title: 'Closed', value: `${dayText(project.closed.at)} by ${project.closed.by}: ${project.closed.reason}` }]
      : []),
  ];
  const data: ProjectDetailData = {
    id: project.id,
    name: project.name,
    status: STATUS[project.status],
    rag: RAG_VIEW[latest?.rag ?? 'No data'],
    latest: latest
      ? `reported by ${latest.reportedBy.name} on ${dayText(latest.reportedAt)}${stale ? ' — stale: more than 14 days old' : ''}`
      : 'No RAG report yet',
    commentary: latest?.commentary ?? '',
    scope: project.scope ?? '',
    facts,
    history: reports.map((r) => ({
      when: dayText(r.reportedAt),
      rag: RAG_VIEW[r.rag],
      by: r.reportedBy.name,
      commentary: cut(r.commentary),
    })),
    hasHistory: reports.length > 0,
    approvals: input.approvals.map((a) => ({
      id: a.id,
      title: a.title,
      status: statusView(statusOn(a, today)).word,
    })),
    hasApprovals: input.approvals.length > 0,
    risks: risks.map(riskRow),
    hasRisks: risks.length > 0,
    risksMore:
      input.risks.length > RISKS_SHOWN
        ? `${input.risks.length - RISKS_SHOWN} more linked open risks, less severe: risk list shows the whole register.`
        : '',
  };
  const text = [
    `${project.name} (${project.id}): ${STATUS[project.status].word}, ${data.rag.word}`,
    data.latest,
    ...(data.commentary ? [data.commentary] : []),
    data.scope,
    ...facts.map((f) => `${f.title}: ${f.value}`),
    ...data.history.map((h) => `${h.when} ${h.rag.word} (${h.by}): ${h.commentary}`),
    ...data.approvals.map((a) => `${a.id} ${a.title}: ${a.status}`),
    'Open risks',
    ...(data.hasRisks ? data.risks.map((r) => `${r.rag.word}: ${r.id} ${r.title} (${r.detail})`) : [NO_RISKS]),
    ...(data.risksMore ? [data.risksMore] : []),
  ].join('\n');
  return cardReply(projectDetailCard, data, text);
}

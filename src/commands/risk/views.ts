import {
  riskDetailCard,
  riskRegisterCard,
  type HeatMapData,
  type ListItemData,
  type RiskDetailData,
  type RiskPageData,
  type RiskRegisterData,
  type RiskRowData,
} from '../../cards/risk.js';
import { clipped, dayText, pageOf, RAG_VIEW, type RagView } from '../../cards/views.js';
import { councilLabel, type Partnership } from '../../domain/partnership.js';
import type { ApprovalEntry } from '../../storage/approvals.js';
import type { IssueEntry } from '../../storage/issues.js';
import type { ProjectEntry } from '../../storage/projects.js';
import {
  actionState,
  bandOf,
  compareIds,
  describeBands,
  formatScore,
  heatMap,
  isOverdue,
  reviewDue,
  scoreOf,
  type AssessedRisk,
  type PlannedAction,
  type RiskControl,
  type RiskScore,
  type RiskSettings,
  type RiskTrend,
  type ScoreRecord,
} from '../../domain/risk.js';
import { issueRag } from '../../domain/risk-issue.js';
import type { Closure } from '../../storage/risk-rows.js';
import type { StoredRisk } from '../../storage/risks.js';
import { cardReply, type Reply } from '../types.js';
import { plural } from '../../domain/vocabulary.js';

/** How risks read on cards and in the plain text beside them. */

/** Rows per register card: 15 long risks and the heat map stay under Teams' card size limit; the rest come with "Show more". */
export const PAGE_SIZE = 15;

/** What a detail card shows at most, so a risk with a long past stays under the card size limit. */
const HISTORY_SHOWN = 6;
const CONTROLS_SHOWN = 6;
const ACTIONS_SHOWN = 8;
const ISSUES_SHOWN = 5;
/** Characters of a control's or action's text, or a note, a detail card shows. */
const ITEM_TEXT = 100;
/** Characters of a list item and of the description the plain version of a card keeps. */
export const TEXT_ITEM = 70;
export const TEXT_DESCRIPTION = 300;

const TRENDS: Record<RiskTrend, string> = { up: '▲ rising', down: '▼ falling', same: '▶ steady' };

export function trendText(trend: RiskTrend | undefined): string {
  return trend ? TRENDS[trend] : '– not re-scored';
}

export function bandView(score: RiskScore, settings: RiskSettings): RagView {
  return RAG_VIEW[bandOf(scoreOf(score), settings.bands)];
}

/** `4×5 = 20 Red`. */
export function scoreWithBand(score: RiskScore, settings: RiskSettings): string {
  return `${formatScore(score)} ${bandOf(scoreOf(score), settings.bands)}`;
}

export function reviewText(nextReview: string, overdue: boolean): string {
  return overdue ? `Review overdue (was due ${dayText(nextReview)})` : `Review by ${dayText(nextReview)}`;
}

export function appetiteText(risk: Pick<AssessedRisk, 'aboveAppetite' | 'appetite'>): string {
  return risk.aboveAppetite ? `Above appetite (${risk.appetite})` : '';
}

/** How much of a title and an owner's name a register row shows: fifteen rows of the longest stay under the card limit. */
export const ROW_TITLE = 80;
export const ROW_NAME = 30;

function row(risk: AssessedRisk): RiskRowData {
  const closed = risk.status === 'closed' ? 'Closed' : reviewText(risk.nextReview, risk.overdue);
  return {
    id: risk.id,
    title: clipped(risk.title, ROW_TITLE),
    score: formatScore(risk.current),
    rag: RAG_VIEW[risk.band],
    appetite: appetiteText(risk),
    trend: trendText(risk.trend),
    byline: `Owner ${clipped(risk.ownerName, ROW_NAME)} · ${closed}`,
  };
}

function heatMapData(risks: readonly AssessedRisk[], settings: RiskSettings): { data: HeatMapData; text: string[] } {
  const map = heatMap(risks, settings.bands);
  const data: HeatMapData = {
    rows: map.rows.map((r) => ({
      impact: String(r.impact),
      cells: r.cells.map((c) => ({
        text: c.text,
        style: RAG_VIEW[c.band].style,
        weight: c.count > 0 ? 'Bolder' : 'Default',
      })),
    })),
  };
  const text = map.rows.map((r) => `Impact ${r.impact}: ${r.cells.map((c) => c.text).join(' | ')}`);
  return { data, text: [...text, 'Likelihood 1 to 5, left to right.'] };
}

export interface RegisterOptions {
  readonly offset: number;
  readonly now: Date;
  /** The filters as people read them (`Red, council CEC`), empty for none. */
  readonly scope: string;
  readonly showHeatMap: boolean;
  readonly page: Omit<RiskPageData, 'offset'>;
}

/** The register card: counts of the open register, the heat map of the risks listed, and a page of rows. */
export function registerReply(
  partnership: Partnership,
  open: readonly AssessedRisk[],
  listed: readonly AssessedRisk[],
  settings: RiskSettings,
  options: RegisterOptions,
): Reply {
  const count = (band: string) => open.filter((r) => r.band === band).length;
  const counts = { red: count('Red'), amber: count('Amber'), green: count('Green') };
  const above = open.filter((r) => r.aboveAppetite).length;
  const overdue = open.filter((r) => r.overdue).length;
  const page = pageOf(listed, options.offset, PAGE_SIZE);
  const title = `Risk register — ${partnership.name}`;
  const subtitle = [
    `${plural(open.length, 'open risk')}: ${counts.red} Red, ${counts.amber} Amber, ${counts.green} Green`,
    `${above} above appetite`,
    `${plural(overdue, 'review')} overdue`,
    `as at ${dayText(options.now)}`,
    ...(options.scope ? [`${listed.length} match ${options.scope}`] : []),
  ].join(' · ');
  const map = heatMapData(listed, settings);
  const emptyMessage =
    open.length === 0 && !options.scope
      ? 'No risks yet. An editor can add one with: risk add "Cyber security" likelihood=4 impact=5'
      : `No risks match ${options.scope || 'the register'}.`;
  const rows = page.items.map(row);
  const data: RiskRegisterData = {
    title,
    subtitle,
    counts,
    showHeatMap: options.showHeatMap,
    heatMap: map.data,
    legend: `R Red, A Amber, G Green (${describeBands(settings.bands)}); a number is how many risks sit in the cell.`,
    rows,
    ...page.view,
    emptyMessage,
    ...(page.next !== undefined ? { more: { ...options.page, offset: page.next } } : {}),
  };
  const text = [
    title,
    subtitle,
    ...(options.showHeatMap ? ['Heat map (open risks by current score):', ...map.text] : []),
    ...(rows.length > 0
      ? page.items.map(
          (r, i) =>
            `${r.id} ${rows[i]!.title} — ${rows[i]!.score} ${r.band}${r.aboveAppetite ? `, ${appetiteText(r).toLowerCase()}` : ''}, ${rows[i]!.trend}, ${rows[i]!.byline}`,
        )
      : [emptyMessage]),
    ...page.showing,
  ].join('\n');
  return cardReply(riskRegisterCard, data, text);
}

export function changesText(changes: ScoreRecord['changes']): string {
  return changes.map((c) => `${c.which} ${c.from ? `${formatScore(c.from)} → ` : ''}${formatScore(c.to)}`).join('; ');
}

export function historyItem(record: ScoreRecord): ListItemData {
  const why = clipped(record.why, ITEM_TEXT);
  return {
    heading: `${dayText(record.at)} · ${record.by}`,
    detail: `${record.changes.length > 0 ? changesText(record.changes) : 'reviewed, scores unchanged'}${why ? ` — “${why}”` : ''}`,
  };
}

export function actionItem(action: PlannedAction, today: string): ListItemData {
  const state = actionState(action, today);
  const status =
    state === 'done'
      ? `done ${dayText(action.done!.on)} by ${action.done!.by}`
      : state === 'overdue'
        ? `overdue: was due ${dayText(action.due)}`
        : `due ${dayText(action.due)}`;
  return { heading: `${action.id} · ${clipped(action.text, ITEM_TEXT)}`, detail: `${action.owner.name} · ${status}` };
}

export function controlItem(control: RiskControl): ListItemData {
  return {
    heading: `${control.id} · ${clipped(control.text, ITEM_TEXT)}`,
    detail: `${control.owner.name} · effectiveness ${control.effectiveness}`,
  };
}

export interface RiskShown {
  readonly stored: StoredRisk;
  readonly history: readonly ScoreRecord[];
  readonly controls: readonly RiskControl[];
  readonly actions: readonly PlannedAction[];
  readonly issues: readonly IssueEntry[];
  readonly approvals: readonly ApprovalEntry[];
  /** The project the risk names, as the portfolio has it now; undefined when it names none or it is gone. */
  readonly project: Pick<ProjectEntry, 'id' | 'name' | 'status'> | undefined;
}

/** `P-2 User migration`, with its status once it no longer runs. */
function projectFact(id: string, project: RiskShown['project']): string {
  if (!project) return `${id} (no longer in the portfolio)`;
  const running = project.status === 'active' || project.status === 'proposed';
  return `${project.id} ${project.name}${running ? '' : ` (${project.status})`}`;
}

/** The first `max` items, and a line saying how many more there are. */
export function capped(items: readonly ListItemData[], max: number, more: string): ListItemData[] {
  if (items.length <= max) return [...items];
  return [...items.slice(0, max), { heading: `${items.length - max} more`, detail: more }];
}

/** Open actions first, soonest due first; then those done, latest first. */
export function actionOrder(a: PlannedAction, b: PlannedAction): number {
  if (!a.done !== !b.done) return a.done ? 1 : -1;
  if (a.done && b.done) return b.done.on.localeCompare(a.done.on);
  return a.due.localeCompare(b.due) || compareIds(a.id, b.id);
}

function closedText(closure: Closure | undefined): string {
  return closure ? `Closed ${dayText(closure.on)} by ${closure.by}: ${closure.reason}` : 'Closed';
}

/** One risk: its three scores, appetite, controls, actions, recent history, linked issues and approvals. */
export function detailReply(shown: RiskShown, settings: RiskSettings, today: string): Reply {
  const { risk, closure } = shown.stored;
  const score = scoreOf(risk.current);
  const appetite = settings.appetite[risk.category];
  const above = score > appetite;
  const next = reviewDue(risk, settings);
  const overdue = risk.status === 'open' && isOverdue(next, today);
  const headline =
    risk.status === 'closed'
      ? closedText(closure)
      : `Current ${scoreWithBand(risk.current, settings)} · ${above ? `above the ${risk.category} appetite of ${appetite}` : `within the ${risk.category} appetite of ${appetite}`}`;
  const scores = (['inherent', 'current', 'target'] as const).map((which) => ({
    which: which.charAt(0).toUpperCase() + which.slice(1),
    score: formatScore(risk[which]),
    rag: bandView(risk[which], settings),
  }));
  const facts = [
    { title: 'Category', value: risk.category },
    { title: 'Appetite', value: `${appetite} (${above ? 'above appetite' : 'within appetite'})` },
    { title: 'Owner', value: risk.owner.name },
    { title: 'Council', value: councilLabel(risk.council) },
    ...(risk.project ? [{ title: 'Project', value: projectFact(risk.project, shown.project) }] : []),
    { title: 'Last review', value: dayText(risk.lastReview) },
    ...(risk.status === 'open' ? [{ title: 'Next review', value: reviewText(next, overdue) }] : []),
  ];
  const issues = shown.issues.slice(0, ISSUES_SHOWN).map((i) => ({
    heading: `${i.id} · ${clipped(i.title, ROW_TITLE)}`,
    detail: `${issueRag(i.severity)} (${i.severity}) · ${i.status === 'open' ? 'open' : `resolved ${dayText(i.resolvedOn ?? i.raisedOn)}`}`,
  }));
  const controls = capped(shown.controls.map(controlItem), CONTROLS_SHOWN, 'the oldest controls are in the audit');
  const actions = capped(
    [...shown.actions].sort(actionOrder).map((a) => actionItem(a, today)),
    ACTIONS_SHOWN,
    'actions done longest ago are in the audit',
  );
  const history = shown.history.slice(0, HISTORY_SHOWN).map(historyItem);
  const approvals = shown.approvals.slice(0, ISSUES_SHOWN).map((a) => ({
    heading: `${a.id} · ${clipped(a.title, ROW_TITLE)}`,
    detail: `${a.type} · ${a.status}${a.status === 'pending' ? ` · due ${dayText(a.due)}` : ''}`,
  }));
  const data: RiskDetailData = {
    id: risk.id,
    title: risk.title,
    description: risk.description,
    rag: bandView(risk.current, settings),
    headline,
    scores,
    facts,
    controls,
    hasControls: controls.length > 0,
    actions,
    hasActions: actions.length > 0,
    history,
    hasHistory: history.length > 0,
    issues,
    hasIssues: issues.length > 0,
    approvals,
    hasApprovals: approvals.length > 0,
    hint:
      risk.status === 'open'
        ? `Change it with: risk update ${risk.id} likelihood=‹1-5› impact=‹1-5› "why" · risk review ${risk.id} · risk action ${risk.id} "‹action›" owner=@person due=YYYY-MM-DD`
        : 'A closed risk stays in the register for the record: risk list closed.',
  };
  // The plain version lists each item by its heading: the card carries the detail.
  const list = (heading: string, items: readonly ListItemData[]) =>
    items.length > 0 ? [heading, ...items.map((i) => `  ${clipped(i.heading, TEXT_ITEM)}`)] : [];
  const text = [
    `${risk.id} ${risk.title}: ${bandOf(score, settings.bands)}`,
    headline,
    ...(risk.description ? [clipped(risk.description, TEXT_DESCRIPTION)] : []),
    ...scores.map((s) => `${s.which}: ${s.score} ${s.rag.word}`),
    ...facts.map((f) => `${f.title}: ${f.value}`),
    ...list('Controls in place', controls),
    ...list('Actions planned', actions),
    ...list('Issues raised from this risk', issues),
    ...list('Score history', history),
  ].join('\n');
  return cardReply(riskDetailCard, data, text);
}

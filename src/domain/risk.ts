/** The risk register: 5×5 scoring, bands, appetite, review dates, ordering, heat map and the list filters. */
import type { Rag } from './rag.js';
import { addMonths, isIsoDate } from './calendar.js';
import type { ProjectId, ProjectStatus } from './portfolio.js';
import { naturalCompare } from './names.js';
import { plural } from './vocabulary.js';

export const RISK_CATEGORIES = [
  'cyber',
  'financial',
  'workforce',
  'delivery',
  'supplier',
  'legal',
  'reputational',
  'other',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export function parseRiskCategory(text: string): RiskCategory | undefined {
  const word = text.trim().toLowerCase();
  return RISK_CATEGORIES.find((category) => category === word);
}

// ---- Ids: R-<n> per partnership, A-<n> within a risk ----

export type RiskId = string & { readonly __brand: 'RiskId' };
export type ActionId = string & { readonly __brand: 'ActionId' };

/** Formats `<prefix>-<n>` for a sequence number from 1. */
export function formatSequenceId(prefix: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`an id number must be a whole number from 1, got ${n}`);
  return `${prefix}-${n}`;
}

/** The number in `R-3`, `r-3`, `R3` or `R 3` for prefix R; undefined for anything else. */
export function parseSequenceId(prefix: string, text: string): number | undefined {
  const match = new RegExp(`^\\s*${prefix}\\s*-?\\s*(\\d{1,9})\\s*$`, 'i').exec(text);
  const n = Number(match?.[1]);
  return match && n >= 1 ? n : undefined;
}

export const formatRiskId = (n: number): RiskId => formatSequenceId('R', n) as RiskId;
export const parseRiskId = (text: string): number | undefined => parseSequenceId('R', text);
export const formatActionId = (n: number): ActionId => formatSequenceId('A', n) as ActionId;
export const parseActionId = (text: string): number | undefined => parseSequenceId('A', text);

/** Natural order of ids: R-2 before R-10. */
export const compareIds = naturalCompare;

// ---- Scores ----

export const RISK_LEVELS = [1, 2, 3, 4, 5] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface RiskScore {
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
}

export function isRiskLevel(n: number): n is RiskLevel {
  return Number.isInteger(n) && n >= 1 && n <= 5;
}

export function scoreOf(score: RiskScore): number {
  if (!isRiskLevel(score.likelihood) || !isRiskLevel(score.impact)) {
    throw new RangeError(`likelihood and impact must be 1 to 5, got ${score.likelihood}×${score.impact}`);
  }
  return score.likelihood * score.impact;
}

/** Every score likelihood × impact can make: 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25. */
export const POSSIBLE_SCORES: readonly number[] = [
  ...new Set(RISK_LEVELS.flatMap((l) => RISK_LEVELS.map((i) => l * i))),
].sort((a, b) => a - b);

/** `4x5`, `4×5`, `4*5` (spaces allowed) → likelihood 4, impact 5. */
export function parseScore(text: string): RiskScore | undefined {
  const match = /^\s*(\d)\s*[x×*]\s*(\d)\s*$/i.exec(text);
  const likelihood = Number(match?.[1]);
  const impact = Number(match?.[2]);
  return isRiskLevel(likelihood) && isRiskLevel(impact) ? { likelihood, impact } : undefined;
}

export function formatScore(score: RiskScore): string {
  return `${score.likelihood}×${score.impact} = ${scoreOf(score)}`;
}

/** A target is where mitigation should bring the risk, so it may not score above the current score. */
export function targetExceedsCurrent(current: RiskScore, target: RiskScore): boolean {
  return scoreOf(target) > scoreOf(current);
}

// ---- Bands ----

/** The lowest score that is Amber and the lowest that is Red. */
export interface RiskBands {
  readonly amber: number;
  readonly red: number;
}

export const DEFAULT_RISK_BANDS: RiskBands = { amber: 5, red: 15 };

/** Why these bands cannot be used, or undefined when they can. */
export function riskBandsProblem(bands: RiskBands): string | undefined {
  const { amber, red } = bands;
  if (!Number.isInteger(amber) || !Number.isInteger(red)) return 'amber and red must be whole numbers';
  if (amber < 2 || amber > 25 || red < 2 || red > 25) return 'amber and red must each be between 2 and 25';
  if (amber >= red) return `amber (${amber}) must be lower than red (${red})`;
  // 13 and 14 are not products of two levels, so amber=13 red=14 would leave no score Amber.
  if (!POSSIBLE_SCORES.some((s) => s >= amber && s < red)) {
    return `no risk can score from ${amber} to ${red - 1} (likelihood × impact), so nothing would be Amber`;
  }
  return undefined;
}

export function bandOf(score: number, bands: RiskBands = DEFAULT_RISK_BANDS): Rag {
  if (!Number.isInteger(score) || score < 1 || score > 25)
    throw new RangeError(`a risk score is 1 to 25, got ${score}`);
  return score >= bands.red ? 'Red' : score >= bands.amber ? 'Amber' : 'Green';
}

/** `Green 1–4, Amber 5–12, Red 15–25`, counting only scores a risk can have. */
export function describeBands(bands: RiskBands = DEFAULT_RISK_BANDS): string {
  const range = (band: Rag): string => {
    const scores = POSSIBLE_SCORES.filter((s) => bandOf(s, bands) === band);
    const [first, last] = [scores[0], scores[scores.length - 1]];
    return first === last ? `${band} ${first}` : `${band} ${first}–${last}`;
  };
  return `${range('Green')}, ${range('Amber')}, ${range('Red')}`;
}

// ---- Appetite ----

/** The highest score the partnership accepts for each category. */
export type RiskAppetite = Readonly<Record<RiskCategory, number>>;

export const DEFAULT_APPETITE = 12;
export const DEFAULT_RISK_APPETITE: RiskAppetite = Object.fromEntries(
  RISK_CATEGORIES.map((category) => [category, DEFAULT_APPETITE]),
) as Record<RiskCategory, number>;

export function isValidAppetite(score: number): boolean {
  return Number.isInteger(score) && score >= 1 && score <= 25;
}

/** A risk scoring exactly the appetite is within it. */
export function aboveAppetite(score: number, appetite: number): boolean {
  return score > appetite;
}

// ---- Review dates ----

/** Months from one review to the next, by band. */
export type ReviewMonths = Readonly<Record<Rag, number>>;

export const DEFAULT_REVIEW_MONTHS: ReviewMonths = { Red: 1, Amber: 3, Green: 6 };

export function reviewMonthsProblem(months: ReviewMonths): string | undefined {
  const values = [months.Red, months.Amber, months.Green];
  if (!values.every((m) => Number.isInteger(m) && m >= 1 && m <= 12)) {
    return 'review intervals must be whole numbers of months from 1 to 12';
  }
  if (months.Red > months.Amber || months.Amber > months.Green) {
    return 'a Red risk must be reviewed at least as often as an Amber one, and an Amber one as often as a Green one';
  }
  return undefined;
}

export function nextReviewDate(lastReview: string, band: Rag, months: ReviewMonths = DEFAULT_REVIEW_MONTHS): string {
  return addMonths(lastReview, months[band]);
}

/** Overdue from the day after the review date; `today` is `londonDate(now)`, worked out once per request. */
export function isOverdue(nextReview: string, today: string): boolean {
  if (!isIsoDate(nextReview) || !isIsoDate(today)) {
    throw new RangeError(`isOverdue needs ISO dates, got "${nextReview}" and "${today}"`);
  }
  return nextReview < today;
}

// ---- Trend and likely scores ----

/** In risk words a higher score is worse: 'up' means the risk has grown. */
export type RiskTrend = 'up' | 'down' | 'same';

export function riskTrend(current: RiskScore, previous: RiskScore | undefined): RiskTrend | undefined {
  if (previous === undefined) return undefined;
  const [now, before] = [scoreOf(current), scoreOf(previous)];
  return now > before ? 'up' : now < before ? 'down' : 'same';
}

/** Offered after an action is done: likelihood one lower, impact one lower, then the target; none below the target's score or above the current one. */
export function likelyScores(current: RiskScore, target: RiskScore): RiskScore[] {
  const [ceiling, floor] = [scoreOf(current), scoreOf(target)];
  const candidates = [
    { likelihood: current.likelihood - 1, impact: current.impact },
    { likelihood: current.likelihood, impact: current.impact - 1 },
    target,
  ];
  const chosen: RiskScore[] = [];
  for (const { likelihood, impact } of candidates) {
    if (!isRiskLevel(likelihood) || !isRiskLevel(impact)) continue;
    if (likelihood * impact < floor || likelihood * impact > ceiling) continue;
    if (likelihood === current.likelihood && impact === current.impact) continue;
    if (chosen.some((c) => c.likelihood === likelihood && c.impact === impact)) continue;
    chosen.push({ likelihood, impact });
  }
  return chosen;
}

// ---- Score history, review dates under today's settings, controls and actions ----

/** A setting of the current score and when it was made (ISO instant), oldest first in a risk's list. */
export interface ScorePoint {
  readonly on: string;
  readonly score: RiskScore;
}

/** The latest re-score of the current score, which the trend compares; undefined before the first. */
export function lastScoreChangeOf(points: readonly ScorePoint[]): ScoreChange | undefined {
  if (points.length < 2) return undefined;
  const [before, last] = [points[points.length - 2]!, points[points.length - 1]!];
  return { from: before.score, on: last.on };
}

/**
 * When the risk's present spell in Red began, from its recent current scores under today's bands;
 * undefined when it is not Red now. With the oldest points dropped, the oldest kept one stands in.
 */
export function redSince(points: readonly ScorePoint[], bands: RiskBands = DEFAULT_RISK_BANDS): string | undefined {
  const isRed = (p: ScorePoint) => bandOf(scoreOf(p.score), bands) === 'Red';
  let i = points.length - 1;
  if (i < 0 || !isRed(points[i]!)) return undefined;
  while (i > 0 && isRed(points[i - 1]!)) i--;
  return points[i]!.on;
}

/** Reviews fall due by the band and the intervals in force now, so a change of settings moves every date. */
export function reviewDue(
  risk: { readonly lastReview: string; readonly current: RiskScore },
  settings: RiskSettings,
): string {
  return nextReviewDate(risk.lastReview, bandOf(scoreOf(risk.current), settings.bands), settings.reviewMonths);
}

export type ScoreKind = 'inherent' | 'current' | 'target';

/** One change of a risk's scores: who, when (ISO instant), why, and each score before and after. */
export interface ScoreRecord {
  readonly at: string;
  readonly by: string;
  readonly why: string;
  readonly changes: ReadonlyArray<{ readonly which: ScoreKind; readonly from?: RiskScore; readonly to: RiskScore }>;
}

export const CONTROL_EFFECTIVENESS = ['good', 'partial', 'weak'] as const;
export type ControlEffectiveness = (typeof CONTROL_EFFECTIVENESS)[number];

/** What is in place against a risk now. */
export interface RiskControl {
  readonly id: string;
  readonly text: string;
  readonly owner: RiskOwner;
  readonly effectiveness: ControlEffectiveness;
  readonly addedOn: string;
  readonly addedBy: string;
}

/** What is planned against a risk (or to resolve an issue); `due` and `done.on` are ISO dates. */
export interface PlannedAction {
  readonly id: ActionId;
  readonly text: string;
  readonly owner: RiskOwner;
  readonly due: string;
  readonly done: { readonly on: string; readonly by: string } | undefined;
  readonly addedOn: string;
  readonly addedBy: string;
}

export type ActionState = 'done' | 'overdue' | 'open';

/** Overdue from the day after its due date, as reviews are. */
export function actionState(action: Pick<PlannedAction, 'due' | 'done'>, today: string): ActionState {
  return action.done ? 'done' : isOverdue(action.due, today) ? 'overdue' : 'open';
}

// ---- The register ----

export type RiskStatus = 'open' | 'closed';

export interface RiskOwner {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string | undefined;
}

export interface Risk {
  readonly id: RiskId;
  readonly title: string;
  readonly description: string;
  readonly category: RiskCategory;
  readonly owner: RiskOwner;
  /** A council code of the partnership, or SHARED (kpi-assessment.ts) for a risk every council carries. */
  readonly council: string;
  /** The project of the partnership's portfolio this risk threatens, if it names one. */
  readonly project: ProjectId | undefined;
  readonly status: RiskStatus;
  /** Before any mitigation; set when the risk is added. */
  readonly inherent: RiskScore;
  readonly current: RiskScore;
  readonly target: RiskScore;
  /** ISO dates. */
  readonly lastReview: string;
  readonly nextReview: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** The current score before the latest re-score, and that re-score's date: what the trend compares. */
export interface ScoreChange {
  readonly from: RiskScore;
  readonly on: string;
}

/** One risk as the list reads it from the summary row; appetite, band and overdue are worked out at read time. */
export interface RiskSummaryEntry {
  readonly id: RiskId;
  readonly title: string;
  readonly category: RiskCategory;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly council: string;
  /** Kept in the entry so that a project's card finds its risks in the register's summary. */
  readonly project?: ProjectId | undefined;
  readonly status: RiskStatus;
  readonly current: RiskScore;
  readonly inherent: RiskScore;
  readonly target: RiskScore;
  readonly nextReview: string;
  readonly lastScoreChange: ScoreChange | undefined;
}

export function riskSummaryOf(risk: Risk, lastScoreChange: ScoreChange | undefined): RiskSummaryEntry {
  const { id, title, category, owner, council, project, status, current, inherent, target, nextReview } = risk;
  return {
    id,
    title,
    category,
    ownerId: owner.id,
    ownerName: owner.name,
    council,
    project,
    status,
    current,
    inherent,
    target,
    nextReview,
    lastScoreChange,
  };
}

export interface RiskSettings {
  readonly bands: RiskBands;
  readonly appetite: RiskAppetite;
  readonly reviewMonths: ReviewMonths;
}

export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  bands: DEFAULT_RISK_BANDS,
  appetite: DEFAULT_RISK_APPETITE,
  reviewMonths: DEFAULT_REVIEW_MONTHS,
};

export interface AssessedRisk extends RiskSummaryEntry {
  readonly score: number;
  readonly band: Rag;
  readonly appetite: number;
  readonly aboveAppetite: boolean;
  /** Only an open risk can be overdue for review. */
  readonly overdue: boolean;
  readonly trend: RiskTrend | undefined;
}

export function assessRisk(entry: RiskSummaryEntry, settings: RiskSettings, today: string): AssessedRisk {
  const score = scoreOf(entry.current);
  const appetite = settings.appetite[entry.category];
  return {
    ...entry,
    score,
    band: bandOf(score, settings.bands),
    appetite,
    aboveAppetite: aboveAppetite(score, appetite),
    overdue: entry.status === 'open' && isOverdue(entry.nextReview, today),
    trend: riskTrend(entry.current, entry.lastScoreChange?.from),
  };
}

const BAND_RANK: Record<Rag, number> = { Red: 0, Amber: 1, Green: 2 };

/** Worst band first; within a band, risks above appetite first, then by score, then R-2 before R-10. */
export function compareForRegister(
  a: Pick<AssessedRisk, 'band' | 'aboveAppetite' | 'score' | 'id'>,
  b: Pick<AssessedRisk, 'band' | 'aboveAppetite' | 'score' | 'id'>,
): number {
  return (
    BAND_RANK[a.band] - BAND_RANK[b.band] ||
    Number(b.aboveAppetite) - Number(a.aboveAppetite) ||
    b.score - a.score ||
    compareIds(a.id, b.id)
  );
}

/** What `risk list` may be narrowed by; filters of different kinds combine, bands given together widen. */
export interface RiskFilters {
  readonly bands?: readonly Rag[];
  readonly council?: string;
  readonly ownerId?: string;
  readonly category?: RiskCategory;
  readonly overdue?: boolean;
  readonly aboveAppetite?: boolean;
  /** Risks that name this project. */
  readonly project?: ProjectId;
  /** Open risks unless asked otherwise. */
  readonly status?: RiskStatus | 'all';
}

export function listRisks(
  entries: readonly RiskSummaryEntry[],
  filters: RiskFilters,
  settings: RiskSettings,
  today: string,
): AssessedRisk[] {
  const status = filters.status ?? 'open';
  return entries
    .filter((e) => status === 'all' || e.status === status)
    .map((e) => assessRisk(e, settings, today))
    .filter(
      (r) =>
        (!filters.bands?.length || filters.bands.includes(r.band)) &&
        (filters.council === undefined || r.council === filters.council) &&
        (filters.ownerId === undefined || r.ownerId === filters.ownerId) &&
        (filters.category === undefined || r.category === filters.category) &&
        (filters.project === undefined || r.project === filters.project) &&
        (!filters.overdue || r.overdue) &&
        (!filters.aboveAppetite || r.aboveAppetite),
    )
    .sort(compareForRegister);
}

// ---- Risks to projects ----

/** A risk may newly name a project that is proposed or active; one closed or rejected keeps the links it had. */
export function takesNewRisks(status: ProjectStatus): boolean {
  return status === 'proposed' || status === 'active';
}

// ---- Heat map ----

export interface HeatMapCell {
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
  readonly score: number;
  readonly band: Rag;
  readonly count: number;
  /** Readable without colour: `3 R`, or just `G` for an empty cell. */
  readonly text: string;
  /** For a text fallback or screen reader: `3 risks, likelihood 4 × impact 5 = 20, Red`. */
  readonly label: string;
}

/** Rows run impact 5 → 1 (top to bottom), cells likelihood 1 → 5 (left to right), as councils draw it. */
export interface HeatMap {
  readonly rows: readonly { readonly impact: RiskLevel; readonly cells: readonly HeatMapCell[] }[];
  readonly total: number;
}

const cellKey = (likelihood: number, impact: number): number => likelihood * 10 + impact;

/** Counts open risks by their current score (or inherent or target, for a before-and-after picture). */
export function heatMap(
  risks: readonly Pick<RiskSummaryEntry, 'status' | 'current' | 'inherent' | 'target'>[],
  bands: RiskBands = DEFAULT_RISK_BANDS,
  which: 'current' | 'inherent' | 'target' = 'current',
): HeatMap {
  const counts = new Map<number, number>();
  const open = risks.filter((r) => r.status === 'open');
  for (const risk of open) {
    const score = risk[which];
    scoreOf(score); // throws on a level outside 1–5, so no open risk goes uncounted
    const key = cellKey(score.likelihood, score.impact);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = [...RISK_LEVELS].reverse().map((impact) => ({
    impact,
    cells: RISK_LEVELS.map((likelihood) => {
      const score = likelihood * impact;
      const band = bandOf(score, bands);
      const count = counts.get(cellKey(likelihood, impact)) ?? 0;
      return {
        likelihood,
        impact,
        score,
        band,
        count,
        text: count === 0 ? band.charAt(0) : `${count} ${band.charAt(0)}`,
        label: `${plural(count, 'risk')}, likelihood ${likelihood} × impact ${impact} = ${score}, ${band}`,
      };
    }),
  }));
  return { rows, total: open.length };
}

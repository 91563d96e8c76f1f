/**
 * The shared project portfolio: a project is admitted through the gateway only with a project manager,
 * sponsor, scope, budget and timeline; the same project is not run twice for different councils; and
 * project managers report RAG every fortnight.
 */
import { addDays, isIsoDate, londonDate, startOfLondonDay } from './calendar.js';
import { ragOrder, type Rag } from './rag.js';
import type { Pence } from './money.js';
import type { Person } from './people.js';
import { editDistance, foldAccents, MINOR_WORDS } from './names.js';

export type ProjectId = string & { readonly __brand: 'ProjectId' };

/** `P-2` for the second project of a partnership. */
export function projectIdOf(n: number): ProjectId {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`a project number is a whole number from 1, got ${n}`);
  return `P-${n}` as ProjectId;
}

/** `P-2`, `p2`, `P-002` → `P-2`; anything else is not a project id. */
export function parseProjectId(text: string): ProjectId | undefined {
  const match = /^P-?0*([1-9]\d{0,14})$/i.exec(text.trim());
  const n = Number(match?.[1]);
  return match && Number.isSafeInteger(n) ? projectIdOf(n) : undefined;
}

/** The number in a project id, for ordering `P-9` before `P-10`. */
export function projectNumber(id: ProjectId): number {
  return Number(id.slice(2));
}

export const PROJECT_STATUSES = ['proposed', 'active', 'rejected', 'closed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface RagReport {
  readonly rag: Rag;
  readonly commentary: string;
  readonly reportedBy: Person;
  /** ISO instant. */
  readonly reportedAt: string;
}

export interface Project {
  readonly id: ProjectId;
  readonly name: string;
  readonly manager: Person | undefined;
  readonly sponsor: Person | undefined;
  readonly scope: string | undefined;
  readonly budget: Pence | undefined;
  /** ISO dates. */
  readonly start: string | undefined;
  readonly end: string | undefined;
  /** A council code of the partnership, or SHARED. */
  readonly council: string;
  readonly status: ProjectStatus;
  /** Every RAG report, in any order; `latestReport` picks the newest. */
  readonly reports: readonly RagReport[];
  readonly createdAt: string;
  readonly createdBy: Person;
}

/** What the gateway asks for; the timeline is a start and an end date. */
export const GATEWAY_FIELDS = ['manager', 'sponsor', 'scope', 'budget', 'start', 'end'] as const;
export type GatewayField = (typeof GATEWAY_FIELDS)[number];

export interface GatewayGap {
  readonly field: GatewayField;
  /** In words: `a project manager`. */
  readonly label: string;
  /** How to give it: `manager=@name`. */
  readonly form: string;
}

const GAPS: Record<GatewayField, Omit<GatewayGap, 'field'>> = {
  manager: { label: 'a project manager', form: 'manager=@name' },
  sponsor: { label: 'a sponsor', form: 'sponsor=@name' },
  scope: { label: 'a scope', form: 'scope="what the project will deliver"' },
  budget: { label: 'a budget', form: 'budget=£250k' },
  start: { label: 'a start date', form: 'start=2026-04-01' },
  end: { label: 'an end date', form: 'end=2027-03-31' },
};

export type GatewayFields = Pick<Project, GatewayField>;

/** What the gateway still needs, in the order the gateway asks for it. */
export function gatewayGaps(project: GatewayFields): GatewayGap[] {
  const given: Record<GatewayField, boolean> = {
    manager: project.manager !== undefined,
    sponsor: project.sponsor !== undefined,
    scope: (project.scope ?? '').trim() !== '',
    budget: project.budget !== undefined,
    start: project.start !== undefined,
    end: project.end !== undefined,
  };
  return GATEWAY_FIELDS.filter((field) => !given[field]).map((field) => ({ field, ...GAPS[field] }));
}

/** `a project manager (manager=@name) and a budget (budget=£250k)`. */
export function describeGaps(gaps: readonly GatewayGap[]): string {
  const parts = gaps.map((gap) => `${gap.label} (${gap.form})`);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export type ProjectProblem =
  | { readonly kind: 'not-a-date'; readonly field: 'start' | 'end'; readonly reason: string }
  | { readonly kind: 'end-before-start'; readonly reason: string }
  | { readonly kind: 'negative-budget'; readonly reason: string };

/** Checks the values given (not what is missing): real dates, the end not before the start, no negative budget. */
export function projectProblems(project: Partial<Pick<Project, 'budget' | 'start' | 'end'>>): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  for (const field of ['start', 'end'] as const) {
    const date = project[field];
    if (date !== undefined && !isIsoDate(date)) {
      problems.push({
        kind: 'not-a-date',
        field,
        reason: `${field}=${date} is not a date: write it as ${GAPS[field].form}`,
      });
    }
  }
  const { start, end } = project;
  if (start !== undefined && end !== undefined && isIsoDate(start) && isIsoDate(end) && end < start) {
    problems.push({ kind: 'end-before-start', reason: `the end date ${end} is before the start date ${start}` });
  }
  if (project.budget !== undefined && project.budget < 0) {
    problems.push({ kind: 'negative-budget', reason: 'a budget cannot be negative' });
  }
  return problems;
}

export interface GatewayCheck {
  /** True when nothing is missing and nothing given is wrong. */
  readonly passes: boolean;
  readonly missing: readonly GatewayGap[];
  readonly problems: readonly ProjectProblem[];
}

/** The portfolio gateway: a project manager, sponsor, scope, budget and timeline, all given and sound. */
export function gatewayCheck(project: GatewayFields): GatewayCheck {
  const missing = gatewayGaps(project);
  const problems = projectProblems(project);
  return { passes: missing.length === 0 && problems.length === 0, missing, problems };
}

const MOVES: Record<ProjectStatus, readonly ProjectStatus[]> = {
  proposed: ['active', 'rejected'],
  active: ['closed'],
  rejected: [],
  closed: [],
};

export type StatusChange = { ok: true } | { ok: false; reason: string };

/** Proposed projects are admitted (active) through the gateway or rejected; active ones are closed. */
export function canChangeStatus(project: GatewayFields & Pick<Project, 'status'>, to: ProjectStatus): StatusChange {
  if (!MOVES[project.status].includes(to)) {
    return { ok: false, reason: `a project that is ${project.status} cannot become ${to}` };
  }
  if (to === 'active') {
    const check = gatewayCheck(project);
    if (check.missing.length > 0) {
      return { ok: false, reason: `the gateway needs ${describeGaps(check.missing)}` };
    }
    if (check.problems.length > 0) {
      return { ok: false, reason: check.problems.map((p) => p.reason).join('; ') };
    }
  }
  return { ok: true };
}

// In a project's name, `project` says no more than `the` does.
const SMALL_WORDS: ReadonlySet<string> = new Set([...MINOR_WORDS, 'project']);

/** The significant words of a name: case, accents, punctuation, `&`/`and` and small words set aside. */
export function significantWords(name: string): string[] {
  const words = foldAccents(name)
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Wi-Fi is wifi and council's is councils; other punctuation separates words.
    .replace(/([a-z0-9])['’-](?=[a-z0-9])/g, '$1')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  const significant = words.filter((word) => !SMALL_WORDS.has(word));
  return significant.length > 0 ? significant : words;
}

/** Typos allowed within one word: none in short words, where one letter makes another word. */
function wordsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const longer = Math.max(a.length, b.length);
  const allowed = longer >= 10 ? 2 : longer >= 6 ? 1 : 0;
  return allowed > 0 && editDistance(a, b) <= allowed;
}

function sharedWords(a: readonly string[], b: readonly string[]): number {
  const leftA = [...a];
  const leftB = [...b];
  let shared = 0;
  // Exact matches first, so a near match never takes a word that another matches exactly.
  for (let i = leftA.length - 1; i >= 0; i--) {
    const at = leftB.indexOf(leftA[i]!);
    if (at >= 0) {
      leftB.splice(at, 1);
      leftA.splice(i, 1);
      shared++;
    }
  }
  for (const word of leftA) {
    const at = leftB.findIndex((other) => wordsMatch(word, other));
    if (at >= 0) {
      leftB.splice(at, 1);
      shared++;
    }
  }
  return shared;
}

function spellingCloseness(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - editDistance(a, b) / longer;
}

/** Shared significant words, counted in both names, over all of them: 2 shared of 2 + 4 words is 0.67. */
const DUPLICATE_SHARED_WORDS = 0.6;
/** At most one edit in five letters. */
const DUPLICATE_SPELLING = 0.8;

/** How alike two project names are, from 0 to 1, and whether they are alike enough to ask. */
export function nameSimilarity(a: string, b: string): { score: number; possibleDuplicate: boolean } {
  const wordsA = significantWords(a);
  const wordsB = significantWords(b);
  const total = wordsA.length + wordsB.length;
  const shared = total === 0 ? 1 : (2 * sharedWords(wordsA, wordsB)) / total;
  const spelling = Math.max(
    spellingCloseness(wordsA.join(''), wordsB.join('')),
    spellingCloseness([...wordsA].sort().join(' '), [...wordsB].sort().join(' ')),
  );
  return {
    score: Math.max(shared, spelling),
    possibleDuplicate: shared >= DUPLICATE_SHARED_WORDS || spelling >= DUPLICATE_SPELLING,
  };
}

export interface SimilarProject<T> {
  readonly project: T;
  readonly score: number;
}

/** Existing projects whose names are close to a new one (the gateway refuses duplicates), closest first. */
export function similarProjects<T extends Pick<Project, 'id' | 'name'>>(
  name: string,
  existing: readonly T[],
  limit = 3,
): SimilarProject<T>[] {
  return existing
    .map((project) => ({ project, ...nameSimilarity(name, project.name) }))
    .filter((x) => x.possibleDuplicate)
    .sort((x, y) => y.score - x.score || projectNumber(x.project.id) - projectNumber(y.project.id))
    .slice(0, limit)
    .map(({ project, score }) => ({ project, score }));
}

/** RAG is reported fortnightly, so a report more than 14 days old is stale. */
export const RAG_STALE_AFTER_DAYS = 14;

/** The newest report; of two at the same instant, the one recorded later in the list. */
export function latestReport(reports: readonly RagReport[]): RagReport | undefined {
  let latest: RagReport | undefined;
  for (const report of reports) {
    if (!latest || Date.parse(report.reportedAt) >= Date.parse(latest.reportedAt)) latest = report;
  }
  return latest;
}

/**
 * Reports made before this instant are stale: the start of the London day 14 days before today, so a
 * report made on 1 October is fresh to the end of 15 October. Worked out once for a whole list.
 */
export function staleBefore(now: Date): Date {
  return startOfLondonDay(addDays(londonDate(now), -RAG_STALE_AFTER_DAYS));
}

export function isStale(reportedAt: string, now: Date): boolean {
  return Date.parse(reportedAt) < staleBefore(now).getTime();
}

/** The row `project list` reads for one project. */
export interface ProjectSummary {
  readonly id: ProjectId;
  readonly name: string;
  readonly status: ProjectStatus;
  readonly council: string;
  readonly manager: Person | undefined;
  readonly latestRag: Rag | undefined;
  readonly reportedAt: string | undefined;
}

export function summariseProject(project: Project): ProjectSummary {
  const latest = latestReport(project.reports);
  return {
    id: project.id,
    name: project.name,
    status: project.status,
    council: project.council,
    manager: project.manager,
    latestRag: latest?.rag,
    reportedAt: latest?.reportedAt,
  };
}

export interface ProjectListFilter {
  /** Without one, the live portfolio: active and proposed projects. */
  readonly status?: ProjectStatus | undefined;
  readonly rag?: Rag | undefined;
}

export interface ProjectListRow extends ProjectSummary {
  /** An active project whose latest report is more than 14 days old. */
  readonly stale: boolean;
}

const STATUS_ORDER: Record<ProjectStatus, number> = { active: 0, proposed: 1, closed: 2, rejected: 3 };

/** `project list [active|proposed|closed] [red|amber|green]`: active before proposed, Red first, then by number. */
export function projectList(
  summaries: readonly ProjectSummary[],
  filter: ProjectListFilter,
  now: Date,
): ProjectListRow[] {
  const cutoff = staleBefore(now).getTime();
  const statuses: readonly ProjectStatus[] = filter.status ? [filter.status] : ['active', 'proposed'];
  return summaries
    .filter((s) => statuses.includes(s.status) && (filter.rag === undefined || s.latestRag === filter.rag))
    .map((s) => ({
      ...s,
      stale: s.status === 'active' && s.reportedAt !== undefined && Date.parse(s.reportedAt) < cutoff,
    }))
    .sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        ragOrder(a.latestRag ?? 'No data') - ragOrder(b.latestRag ?? 'No data') ||
        projectNumber(a.id) - projectNumber(b.id),
    );
}

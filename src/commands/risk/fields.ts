import { z } from 'zod';
import { addDays, isIsoDate, londonDate } from '../../domain/calendar.js';
import { SHARED, type Partnership } from '../../domain/partnership.js';
import { parseProjectId } from '../../domain/portfolio.js';
import type { Rag } from '../../domain/rag.js';
import { formatIssueId, parseIssueId } from '../../domain/risk-issue.js';
import {
  formatActionId,
  formatRiskId,
  formatScore,
  isValidAppetite,
  parseActionId,
  parseRiskId,
  parseScore,
  RISK_CATEGORIES,
  targetExceedsCurrent,
  type RiskCategory,
  type RiskFilters,
  type RiskLevel,
  type RiskScore,
} from '../../domain/risk.js';
import { vocabulary } from '../../domain/vocabulary.js';
import * as field from '../kit/fields.js';
import type { ArgScope, UserRef } from '../types.js';

/** The risk and issue fields as typed: the same checks for commands and the add form's inputs. */

export const CATEGORIES = vocabulary<RiskCategory>({
  cyber: ['cybersecurity', 'cyber-security', 'security', 'information'],
  financial: ['finance', 'money', 'budget'],
  workforce: ['staff', 'people', 'hr'],
  delivery: ['service', 'programme', 'project'],
  supplier: ['suppliers', 'contract', 'contracts', 'vendor'],
  legal: ['compliance', 'regulatory'],
  reputational: ['reputation'],
  other: [],
});

export const EFFECTIVENESS = vocabulary({
  good: ['effective', 'strong'],
  partial: ['partly', 'partially', 'some', 'moderate'],
  weak: ['poor', 'ineffective', 'none'],
});

export const SEVERITIES = vocabulary({ high: ['red'], medium: ['amber', 'med'], low: ['green'] });

const LEVEL_WORDS = {
  likelihood: '1 (rare) to 5 (almost certain)',
  impact: '1 (negligible) to 5 (severe)',
} as const;

/** `likelihood=4`, `impact=5`: a whole number from 1 to 5. */
export function level(key: 'likelihood' | 'impact', example: RiskLevel) {
  return field
    .option(key, 10, `${key}= is missing: e.g. ${key}=${example}, a whole number from ${LEVEL_WORDS[key]}`)
    .trim()
    .transform((s, ctx): RiskLevel => {
      const n = /^\d+$/.test(s) ? Number(s) : NaN;
      if (n >= 1 && n <= 5) return n as RiskLevel;
      ctx.addIssue({
        code: 'custom',
        message: `${key}=${s} is not ${key === 'impact' ? 'an' : 'a'} ${key}: give a whole number from ${LEVEL_WORDS[key]}, e.g. ${key}=${example}`,
      });
      return z.NEVER;
    });
}

/** `target=2x3`, `inherent=5x5`: likelihood × impact. */
export function scoreOption(key: 'target' | 'inherent', example: string) {
  return field
    .option(key, 20)
    .trim()
    .transform((s, ctx): RiskScore => {
      const score = parseScore(s);
      if (score) return score;
      ctx.addIssue({
        code: 'custom',
        message: `${key}=${s} is not a score: write likelihood x impact, each a whole number from 1 to 5, e.g. ${key}=${example}`,
      });
      return z.NEVER;
    });
}

/** The id as the domain writes it, when the text reads as a number of its kind. */
const mapped = <T>(n: number | undefined, format: (n: number) => T): T | undefined =>
  n === undefined ? undefined : format(n);

export const riskId = (example = 'risk show R-3') =>
  field.itemId('risk', 'R-3', (s) => mapped(parseRiskId(s), formatRiskId), example);
export const issueId = (example = 'issue show I-2') =>
  field.itemId('issue', 'I-2', (s) => mapped(parseIssueId(s), formatIssueId), example);
export const actionId = (example = 'risk done R-3 A-2') =>
  field.itemId('action', 'A-2', (s) => mapped(parseActionId(s), formatActionId), example);

export const title = (example: string) => field.text('the title', example, 150);
export const note = (what: string, max = 1000) =>
  z
    .string({ error: `${what} must be text between quotes, not a person` })
    .trim()
    .max(max, `${what} is too long: keep it under ${max.toLocaleString('en-GB')} characters`)
    .optional();
export const owner = () => field.user('owner=').optional();
export const severity = () =>
  field
    .option('severity', 20, `severity= is missing: use ${SEVERITIES.listed}, e.g. severity=high`)
    .pipe(field.choice('severity', SEVERITIES, { option: true }));
export const category = () => field.option('category', 30).pipe(field.choice('category', CATEGORIES, { option: true }));
export const councilOf = (partnership: Partnership | undefined) =>
  field.option('council').pipe(field.council(partnership, { shared: true }));

/**
 * `project=P-2` or `project="User migration"`: the project a risk threatens, found in the
 * portfolio when the change is made; `project=none` (null) takes the link away. Text that starts
 * like an id is read as one, so a mistyped id is named as such rather than looked up as a name.
 */
export function projectLink(example: string) {
  return field
    .option('project', 100)
    .trim()
    .transform((s, ctx): string | null => {
      if (/^(none|no|-)$/i.test(s)) return null;
      if (s !== '' && (parseProjectId(s) || !/^p[-\d]/i.test(s))) return s;
      ctx.addIssue({
        code: 'custom',
        message: `project=${s} is not a project id: write it like P-2 (project list shows them), e.g. ${example}, or project=none for no project`,
      });
      return z.NEVER;
    });
}

/** A due date for something new: a real date, today or later in London. */
export function futureDate(scope: ArgScope, key = 'due') {
  const today = londonDate(scope.now);
  const example = addDays(today, 30);
  return field
    .option(key, 20)
    .pipe(field.date(`${key}=`, example))
    .superRefine((date, ctx) => {
      if (isIsoDate(date) && date < today) {
        ctx.addIssue({
          code: 'custom',
          message: `${key}=${date} is in the past: give today or a later date, e.g. ${key}=${example}`,
        });
      }
    });
}

/** A target typed above the current score: the problem, naming both and a target that would do. */
export function targetProblem(current: RiskScore, target: RiskScore): string | undefined {
  if (!targetExceedsCurrent(current, target)) return undefined;
  return `target=${formatScore(target)} is above the current score ${formatScore(current)}: a target is where the actions should bring the risk, so give one no higher, e.g. target=${current.likelihood}x${current.impact} or lower`;
}

export interface NewRisk {
  readonly title: string;
  readonly description: string;
  readonly category: RiskCategory;
  readonly owner: UserRef | undefined;
  readonly council: string;
  readonly current: RiskScore;
  readonly target: RiskScore;
  /** A project's id or name as typed, found in the portfolio when the risk is added. */
  readonly project: string | undefined;
}

/** `risk add` options and the add form's inputs: every field checked, the new risk as the result. */
export function newRiskArgs(scope: ArgScope) {
  return z
    .strictObject({
      title: title('risk add "Cyber security" likelihood=4 impact=5'),
      description: note('the description'),
      likelihood: level('likelihood', 4),
      impact: level('impact', 5),
      owner: owner(),
      council: councilOf(scope.partnership).optional(),
      category: category().optional(),
      target: scoreOption('target', '2x3').optional(),
      project: projectLink('risk add "Tenancy build slips" likelihood=3 impact=4 project=P-2').optional(),
    })
    .transform((args, ctx): NewRisk => {
      const current = { likelihood: args.likelihood, impact: args.impact };
      const target = args.target ?? current;
      const problem = targetProblem(current, target);
      if (problem) ctx.addIssue({ code: 'custom', path: ['target'], message: problem });
      return {
        title: args.title,
        description: args.description ?? '',
        category: args.category ?? 'other',
        owner: args.owner,
        council: args.council ?? SHARED,
        current,
        target,
        project: args.project ?? undefined,
      };
    });
}

/** The register's filter words: bands widen one another, the rest narrow. */
const FILTER_WORDS: Record<string, Partial<Pick<RiskFilters, 'overdue' | 'aboveAppetite' | 'status'>> | Rag> = {
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  overdue: { overdue: true },
  'above-appetite': { aboveAppetite: true },
  open: { status: 'open' },
  closed: { status: 'closed' },
  all: { status: 'all' },
};
export const FILTER_LIST = 'red, amber, green, overdue, above-appetite, closed or all';

/** What the filter words ask for: bands widen one another, the rest narrow. */
export interface WordFilters {
  readonly bands: Rag[];
  readonly overdue?: true;
  readonly aboveAppetite?: true;
  readonly status?: RiskFilters['status'];
}

/** `red overdue` and the like: each word a filter, or an issue naming the filters there are. */
export function filterWords() {
  return z
    .string({ error: 'filters are words such as red or overdue; give a person with owner=@person' })
    .max(200, 'that is too long for a list of filters')
    .transform((text, ctx) => {
      const filters: { -readonly [K in keyof WordFilters]: WordFilters[K] } = { bands: [] };
      for (const typed of text.trim().split(/\s+/).filter(Boolean)) {
        const word = typed
          .toLowerCase()
          .replace(/_/g, '-')
          .replace(/^aboveappetite$/, 'above-appetite');
        const meaning = FILTER_WORDS[word];
        if (typeof meaning === 'string') filters.bands.push(meaning);
        else if (meaning) Object.assign(filters, meaning);
        else
          ctx.addIssue({ code: 'custom', message: `"${typed}" is not a filter of the register: use ${FILTER_LIST}` });
      }
      return filters;
    });
}

/** What follows `risk`: one risk's id (`risk R-3` shows it), or filter words. */
export function registerQuery() {
  return z
    .string({ error: 'filters are words such as red or overdue; give a person with owner=@person' })
    .transform((text, ctx): WordFilters | { show: string } => {
      const n = parseRiskId(text);
      if (n !== undefined) return { show: formatRiskId(n) };
      const parsed = filterWords().safeParse(text);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    });
}

/** The list's options beside the filter words. */
export function listOptions(scope: ArgScope) {
  return {
    council: councilOf(scope.partnership).optional(),
    owner: owner(),
    category: category().optional(),
  };
}

export const categoryOf = (word: string): RiskCategory | undefined => CATEGORIES.read(word);
export const RISK_CATEGORY_LIST = RISK_CATEGORIES.join(', ');

/** `cyber=6`: the highest score accepted in a category, 1 to 25. */
export function appetiteArgs() {
  const appetite = (key: RiskCategory) =>
    field
      .option(key, 10)
      .trim()
      .transform((s, ctx) => {
        const n = /^\d+$/.test(s) ? Number(s) : NaN;
        if (isValidAppetite(n)) return n;
        ctx.addIssue({
          code: 'custom',
          message: `${key}=${s} is not an appetite: give the highest score accepted for ${key} risks, a whole number from 1 to 25, e.g. ${key}=6`,
        });
        return z.NEVER;
      })
      .optional();
  const shape = Object.fromEntries(RISK_CATEGORIES.map((c) => [c, appetite(c)])) as Record<
    RiskCategory,
    ReturnType<typeof appetite>
  >;
  return z.strictObject(shape).superRefine((given, ctx) => {
    if (Object.values(given).every((v) => v === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: `give the appetite of at least one category, e.g. risk appetite cyber=6 financial=12 (categories: ${RISK_CATEGORY_LIST})`,
      });
    }
  });
}

/** A whole number in a range, for the bands (2–25) and the review intervals in months (1–12). */
export function wholeOption(key: string, min: number, max: number, example: number, what: string) {
  return field
    .option(key, 10)
    .trim()
    .transform((s, ctx) => {
      const n = /^\d+$/.test(s) ? Number(s) : NaN;
      if (n >= min && n <= max) return n;
      ctx.addIssue({
        code: 'custom',
        message: `${key}=${s} is not ${what}: give a whole number from ${min} to ${max}, e.g. ${key}=${example}`,
      });
      return z.NEVER;
    })
    .optional();
}

import { z } from 'zod';
import { riskFormCard, type RiskFormData } from '../../cards/risk.js';
import { dayText } from '../../cards/views.js';
import { londonDate } from '../../domain/calendar.js';
import { councilLabel, SHARED } from '../../domain/partnership.js';
import type { ProjectId, ProjectStatus } from '../../domain/portfolio.js';
import {
  formatScore,
  RISK_LEVELS,
  takesNewRisks,
  targetExceedsCurrent,
  reviewDue,
  type Risk,
  type RiskOwner,
  type RiskScore,
  type ScoreRecord,
} from '../../domain/risk.js';
import { retryOnConflict } from '../../storage/errors.js';
import type { ProjectEntry } from '../../storage/projects.js';
import { auditOf, type AuditFields } from '../audit-trail.js';
import { NotAuthorised, NotFound, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { done, notice } from '../kit/replies.js';
import { resolveProject } from '../project/read.js';
import { problemsOf } from '../router.js';
import { cardReply, type Actor, type BoundContext, type CommandRequest, type Reply, type UserRef } from '../types.js';
import { alertCommittees, alertReason, alertState } from './alerts.js';
import { CATEGORIES, newRiskArgs, targetProblem, type NewRisk } from './fields.js';
import { findRisk, type RiskKit } from './read.js';
import { scoreWithBand } from './views.js';

/** Changing the register: add (by command or form), update, review, close, and re-score after an action. */

/** Adds are retried until they win a number: twenty people adding at once all get one. */
const ADD_ATTEMPTS = 40;

export function ownerOf(person: UserRef | Actor): RiskOwner {
  return { id: person.id, name: person.name, aadObjectId: person.aadObjectId };
}

export function forCouncil(council: string): string {
  return council === SHARED ? 'every council' : council;
}

/** What a risk looks like in the audit. */
export function snapshot(risk: Risk): AuditFields {
  return {
    title: risk.title,
    category: risk.category,
    owner: risk.owner.name,
    council: councilLabel(risk.council),
    ...(risk.project ? { project: risk.project } : {}),
    status: risk.status,
    inherent: formatScore(risk.inherent),
    current: formatScore(risk.current),
    target: formatScore(risk.target),
    lastReview: risk.lastReview,
  };
}

/** Editors of the risk's council may change it; its owner may update, review and plan it. */
export function mayChange(ctx: BoundContext, risk: Risk, ownerMay: boolean): boolean {
  return ctx.access.mayEdit(risk.council) || (ownerMay && risk.owner.id === ctx.actor.id);
}

export function refusal(risk: Risk, action: string, ownerMay: boolean): NotAuthorised {
  return new NotAuthorised(
    'editor',
    `${action} ${risk.id}`,
    ownerMay
      ? `for ${forCouncil(risk.council)}, or being the risk's owner (${risk.owner.name})`
      : `for ${forCouncil(risk.council)}`,
  );
}

export function refuseClosed(risk: Risk, words: readonly string[]): void {
  if (risk.status === 'closed') {
    throw new UsageError(
      `${risk.id} is closed: a closed risk stays as it was. Add a new risk if it has returned.`,
      words,
    );
  }
}

const sameScore = (a: RiskScore, b: RiskScore) => a.likelihood === b.likelihood && a.impact === b.impact;

/** How project= is given, said with every refusal of it. */
const PROJECT_FORM = 'give a proposed or active project of the portfolio as project=P-‹n› (project list shows them)';

/**
 * The project a risk is to name, found by its id or name among this partnership's portfolio (one
 * read of its summary), with did-you-mean; refused with a problem naming project= unless it still
 * takes risks. The project a risk names already is kept whatever its status: one closed since
 * keeps the risks it had. Another partnership's projects are not in this portfolio.
 */
async function linkableProject(
  ctx: BoundContext,
  kit: RiskKit,
  query: string,
  words: readonly string[],
  kept?: ProjectId,
): Promise<LinkedProject> {
  let found: ProjectEntry;
  try {
    found = await resolveProject(kit.projects, ctx, query, {
      suggestion: (item) => `project=${item.code} (${item.name})`,
    });
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    throw new NotFound(
      `project=${query}: there is no project ${query} in ${ctx.partnership.name}; ${PROJECT_FORM}. Nothing was changed.`,
      error.suggestions,
      error.hint,
    );
  }
  const project = { id: found.id as ProjectId, name: found.name, status: found.status };
  if (project.id !== kept && !takesNewRisks(project.status)) {
    throw new UsageError(
      `project=${query}: ${projectText(project)} is ${project.status}, so a risk cannot be linked to it now; ${PROJECT_FORM}, or leave project= out.`,
      words,
    );
  }
  return project;
}

/** A project as a risk names it. */
export interface LinkedProject {
  readonly id: ProjectId;
  readonly name: string;
  readonly status: ProjectStatus;
}

/** `P-2 User migration`. */
export function projectText(project: Pick<LinkedProject, 'id' | 'name'>): string {
  return `${project.id} ${project.name}`;
}

export interface ScoreChanges {
  readonly likelihood?: RiskScore['likelihood'];
  readonly impact?: RiskScore['impact'];
  readonly target?: RiskScore;
  readonly inherent?: RiskScore;
  readonly owner?: UserRef;
  /** A project's id or name as typed; null takes the link to a project away. */
  readonly project?: string | null;
}

export function riskChanges(kit: RiskKit) {
  const { risks } = kit;

  async function add(ctx: BoundContext, draft: NewRisk): Promise<Reply> {
    if (!ctx.access.mayEdit(draft.council)) {
      throw new NotAuthorised(
        'editor',
        `add a risk for ${forCouncil(draft.council)}`,
        '(an editor for one council adds risks of that council only)',
      );
    }
    const [{ settings }, project] = await Promise.all([
      risks.settings(ctx.partnership.id),
      draft.project ? linkableProject(ctx, kit, draft.project, ['risk', 'add']) : undefined,
    ]);
    const today = londonDate(ctx.now);
    const at = ctx.now.toISOString();
    const make = (id: Risk['id']): Risk => {
      const reviewed = { lastReview: today, current: draft.current };
      return {
        id,
        title: draft.title,
        description: draft.description,
        category: draft.category,
        owner: ownerOf(draft.owner ?? ctx.actor),
        council: draft.council,
        project: project?.id,
        status: 'open',
        inherent: draft.current,
        target: draft.target,
        ...reviewed,
        nextReview: reviewDue(reviewed, settings),
        createdAt: at,
        createdBy: ctx.actor.name,
      };
    };
    const risk = await conflictAs(
      retryOnConflict(
        () =>
          risks.add(ctx.partnership.id, make, { at, by: ctx.actor.name, why: 'added' }, (r) =>
            auditOf(ctx, `risk ${r.id}`, null, snapshot(r)),
          ),
        { deadline: ctx.deadline, attempts: ADD_ATTEMPTS },
      ),
      undefined,
      ['risk', 'add'],
    );
    const state = alertState(risk, settings);
    const reason = alertReason(undefined, state, risk, settings);
    if (reason) alertCommittees(kit, ctx.partnership, risk, reason, ctx.actor.name, settings, ctx.now);
    return done(
      `Risk added: ${risk.id} ${risk.title}`,
      `Current ${state.score} ${state.band}${state.above ? `, above the ${risk.category} appetite of ${settings.appetite[risk.category]}` : ''}. Review by ${dayText(risk.nextReview)}.`,
      {
        facts: [
          { title: 'Inherent', value: scoreWithBand(risk.inherent, settings) },
          { title: 'Current', value: scoreWithBand(risk.current, settings) },
          { title: 'Target', value: scoreWithBand(risk.target, settings) },
          { title: 'Category', value: risk.category },
          { title: 'Owner', value: risk.owner.name },
          { title: 'Council', value: councilLabel(risk.council) },
          ...(project ? [{ title: 'Project', value: projectText(project) }] : []),
        ],
        hint: `Record what is in place with risk control ${risk.id} "…", and plan with risk action ${risk.id} "…" owner=@person due=YYYY-MM-DD. Red risks and risks above appetite are posted to the committee channels.`,
      },
    );
  }

  /** The add form, with what was typed and every problem found. */
  function form(ctx: BoundContext, values: Record<string, string>, errors: readonly string[]): Reply {
    const levels = (words: readonly string[]) =>
      RISK_LEVELS.map((n) => ({ title: `${n} ${words[n - 1]}`, value: String(n) }));
    const data: RiskFormData = {
      errors,
      hasErrors: errors.length > 0,
      values: {
        title: '',
        description: '',
        likelihood: '',
        impact: '',
        category: 'other',
        council: 'shared',
        target: '',
        ...values,
      },
      levelChoices: {
        likelihood: levels(['rare', 'unlikely', 'possible', 'likely', 'almost certain']),
        impact: levels(['negligible', 'minor', 'moderate', 'major', 'severe']),
      },
      categoryChoices: CATEGORIES.choices,
      councilChoices: [
        { title: 'Shared by all councils', value: 'shared' },
        ...ctx.partnership.councils.map((c) => ({ title: c.code, value: c.code })),
      ],
    };
    const text = [
      'Add a risk',
      ...errors,
      'Or type: risk add "<title>" likelihood=<1-5> impact=<1-5> [owner=@person] [category=…] [target=<L>x<I>]',
    ].join('\n');
    return cardReply(riskFormCard, data, text);
  }

  async function addRisk(ctx: CommandRequest<NewRisk>): Promise<Reply> {
    return add(ctx, ctx.args);
  }

  /** The form's button: the same checks as the command, with the problems shown on the form. */
  async function addFromForm(ctx: CommandRequest<Record<string, unknown>>): Promise<Reply> {
    const values = Object.fromEntries(
      Object.entries(ctx.args).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''),
    );
    const parsed = newRiskArgs(ctx).safeParse(values);
    if (!parsed.success) return form(ctx, values, problemsOf(parsed.error));
    try {
      return await add(ctx, parsed.data);
    } catch (error) {
      if (error instanceof UsageError) return form(ctx, values, error.problems);
      throw error;
    }
  }

  /**
   * Re-scores a risk and changes its owner, checked against what is stored now on every attempt;
   * the committee channels hear when it moves into Red or above appetite.
   */
  async function update(ctx: BoundContext, id: string, changes: ScoreChanges, note: string, words: string[]) {
    const outcome = await conflictAs(
      retryOnConflict(
        async () => {
          const stored = await findRisk(ctx, kit, id);
          const { risk } = stored;
          if (!mayChange(ctx, risk, true)) throw refusal(risk, 'update', true);
          refuseClosed(risk, words);
          const { settings } = await risks.settings(ctx.partnership.id);
          const current = {
            likelihood: changes.likelihood ?? risk.current.likelihood,
            impact: changes.impact ?? risk.current.impact,
          };
          // A target the new score has passed comes down with it; a target typed above the score is refused.
          const target = changes.target ?? (targetExceedsCurrent(current, risk.target) ? current : risk.target);
          const problem = targetProblem(current, target);
          if (problem) throw new UsageError(problem, words);
          const linked = changes.project
            ? await linkableProject(ctx, kit, changes.project, words, risk.project)
            : undefined;
          const project = changes.project === undefined ? risk.project : linked?.id;
          const changed: Risk = {
            ...risk,
            current,
            target,
            inherent: changes.inherent ?? risk.inherent,
            owner: changes.owner ? ownerOf(changes.owner) : risk.owner,
            project,
          };
          const next: Risk = { ...changed, nextReview: reviewDue(changed, settings) };
          const scoreChanges = (['inherent', 'current', 'target'] as const)
            .filter((which) => !sameScore(risk[which], next[which]))
            .map((which) => ({ which, from: risk[which], to: next[which] }));
          if (scoreChanges.length === 0 && next.owner.id === risk.owner.id && next.project === risk.project) {
            return { risk, settings, unchanged: true };
          }
          const record: ScoreRecord | undefined =
            scoreChanges.length > 0
              ? { at: ctx.now.toISOString(), by: ctx.actor.name, why: note, changes: scoreChanges }
              : undefined;
          await risks.change(
            ctx.partnership.id,
            stored,
            { risk: next, closure: stored.closure, counters: stored.counters },
            record ? { record } : {},
            auditOf(ctx, `risk ${risk.id}`, snapshot(risk), { ...snapshot(next), ...(note ? { note } : {}) }),
          );
          const reason = alertReason(alertState(risk, settings), alertState(next, settings), next, settings);
          const targetFollowed = changes.target === undefined && !sameScore(target, risk.target);
          const link =
            next.project === risk.project
              ? ''
              : linked
                ? ` It now threatens project ${projectText(linked)}.`
                : ` It is no longer linked to project ${risk.project}.`;
          return { risk: next, settings, unchanged: false, reason, targetFollowed, link };
        },
        { deadline: ctx.deadline },
      ),
      `${id} was changed by someone else a moment ago; nothing was changed. Check it with risk show ${id} and try again.`,
      words,
    );
    const { risk, settings } = outcome;
    const now = `${risk.id} ${risk.title}: current ${scoreWithBand(risk.current, settings)}, target ${scoreWithBand(risk.target, settings)}`;
    const followed =
      'targetFollowed' in outcome && outcome.targetFollowed
        ? ' The target was above the new score, so it came down with it.'
        : '';
    if (outcome.unchanged) return notice('default', `${risk.id} is unchanged`, `${now}. Nothing was changed.`);
    if ('reason' in outcome && outcome.reason) {
      alertCommittees(kit, ctx.partnership, risk, outcome.reason, ctx.actor.name, settings, ctx.now);
    }
    const link = 'link' in outcome ? outcome.link : '';
    return done(
      `${risk.id} updated`,
      `${now}.${followed}${link} Owner ${risk.owner.name}. Review by ${dayText(reviewDue(risk, settings))}.`,
    );
  }

  async function updateRisk(ctx: CommandRequest<ScoreChanges & { id: string; note?: string }>): Promise<Reply> {
    const { id, note, ...changes } = ctx.args;
    if (Object.values(changes).every((v) => v === undefined)) {
      throw new UsageError(
        `Say what to change, e.g. risk update ${id} likelihood=3 "after the phishing tools went live", or risk update ${id} project=P-2.`,
        ['risk', 'update'],
      );
    }
    return update(ctx, id, changes, note ?? '', ['risk', 'update']);
  }

  /** The buttons of the card after an action is done: the score chosen, or the same score for no change. */
  async function rescore(
    ctx: CommandRequest<{
      risk: string;
      action: string;
      likelihood: RiskScore['likelihood'];
      impact: RiskScore['impact'];
    }>,
  ): Promise<Reply> {
    const { risk, action, likelihood, impact } = ctx.args;
    return update(ctx, risk, { likelihood, impact }, action ? `after ${action} was done` : '', ['risk', 'update']);
  }

  /** Records a review: the next one falls due by the band from today. */
  async function reviewRisk(ctx: CommandRequest<{ id: string; note?: string }>): Promise<Reply> {
    const { id, note = '' } = ctx.args;
    const words = ['risk', 'review'];
    const { risk, settings } = await conflictAs(
      retryOnConflict(
        async () => {
          const stored = await findRisk(ctx, kit, id);
          if (!mayChange(ctx, stored.risk, true)) throw refusal(stored.risk, 'review', true);
          refuseClosed(stored.risk, words);
          const { settings } = await risks.settings(ctx.partnership.id);
          const reviewed = { ...stored.risk, lastReview: londonDate(ctx.now) };
          const next: Risk = { ...reviewed, nextReview: reviewDue(reviewed, settings) };
          const record: ScoreRecord = { at: ctx.now.toISOString(), by: ctx.actor.name, why: note, changes: [] };
          await risks.change(
            ctx.partnership.id,
            stored,
            { risk: next, closure: stored.closure, counters: stored.counters },
            { record },
            auditOf(
              ctx,
              `risk ${id} review`,
              { lastReview: stored.risk.lastReview },
              { lastReview: next.lastReview, note },
            ),
          );
          return { risk: next, settings };
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      words,
    );
    return done(
      `${risk.id} reviewed`,
      `${risk.title} stays at ${scoreWithBand(risk.current, settings)}. Next review by ${dayText(risk.nextReview)}.`,
      { hint: `If the score has changed, type risk update ${risk.id} likelihood=‹1-5› impact=‹1-5› "why".` },
    );
  }

  async function closeRisk(ctx: CommandRequest<{ id: string; reason: string }>): Promise<Reply> {
    const { id, reason } = ctx.args;
    const words = ['risk', 'close'];
    const risk = await conflictAs(
      retryOnConflict(
        async () => {
          const stored = await findRisk(ctx, kit, id);
          if (!mayChange(ctx, stored.risk, false)) throw refusal(stored.risk, 'close', false);
          if (stored.closure || stored.risk.status === 'closed') {
            const when = stored.closure ? ` on ${dayText(stored.closure.on)} by ${stored.closure.by}` : '';
            throw new UsageError(`${id} is closed already${when}. Nothing was changed.`, words);
          }
          const next: Risk = { ...stored.risk, status: 'closed' };
          const closure = { on: londonDate(ctx.now), by: ctx.actor.name, reason };
          await risks.change(
            ctx.partnership.id,
            stored,
            { risk: next, closure, counters: stored.counters },
            {},
            auditOf(ctx, `risk ${id}`, snapshot(stored.risk), { ...snapshot(next), reason }),
          );
          return next;
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      words,
    );
    return done(`${risk.id} closed`, `${risk.title} is closed: ${reason}`, {
      hint: 'It stays in the register for the record: risk list closed.',
    });
  }

  return {
    addRisk,
    addForm: (ctx: BoundContext) => Promise.resolve(form(ctx, {}, [])),
    addFromForm,
    updateRisk,
    rescore,
    reviewRisk,
    closeRisk,
  };
}

/** The add form's inputs as they arrive from the card: text, or nothing. */
export const formInputs = z.record(z.string(), z.unknown());

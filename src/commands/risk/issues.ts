import { dayText } from '../../cards/views.js';
import { londonDate } from '../../domain/calendar.js';
import { SHARED } from '../../domain/partnership.js';
import { issueRag, type Issue, type IssueSeverity } from '../../domain/risk-issue.js';
import { bandOf, formatActionId, scoreOf, type PlannedAction } from '../../domain/risk.js';
import { retryOnConflict } from '../../storage/errors.js';
import type { StoredIssue } from '../../storage/issues.js';
import { auditOf, type AuditRecord } from '../audit-trail.js';
import { NotAuthorised, NotFound, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { done } from '../kit/replies.js';
import type { BoundContext, CommandRequest, Reply, UserRef } from '../types.js';
import { doneAlready, markActionDone } from './action-done.js';
import { forCouncil, mayChange, ownerOf, refusal } from './change.js';
import { issueDetailReply, issueListReply, type IssueStatusFilter } from './issue-views.js';
import { findRisk, type RiskKit } from './read.js';

/** The issue log: raise (or raise from a risk that materialised), list, show, update, plan, resolve. */

const SEVERITY_OF_BAND = { Red: 'high', Amber: 'medium', Green: 'low' } as const;

function issueSnapshot(issue: Issue): Record<string, unknown> {
  return {
    title: issue.title,
    severity: issue.severity,
    owner: issue.owner.name,
    council: issue.council,
    status: issue.status,
    targetDate: issue.targetDate ?? null,
    linkedRisk: issue.linkedRisk ?? null,
  };
}

export interface NewIssue {
  readonly title: string;
  readonly description?: string | undefined;
  readonly severity: IssueSeverity;
  readonly owner?: UserRef | undefined;
  readonly due?: string | undefined;
  readonly council?: string | undefined;
}

export interface IssueChanges {
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly severity?: IssueSeverity | undefined;
  readonly owner?: UserRef | undefined;
  readonly due?: string | undefined;
}

export function issueLog(kit: RiskKit) {
  const { issues } = kit;

  async function findIssue(ctx: BoundContext, id: string): Promise<StoredIssue> {
    const stored = await issues.get(ctx.partnership.id, id);
    if (stored) return stored;
    throw new NotFound(
      `There is no issue ${id} in ${ctx.partnership.name}.`,
      [],
      'Type issue list all to see every issue with its id.',
    );
  }

  /** An editor of the issue's council, or its owner, may change it. */
  function checkRights(ctx: BoundContext, issue: Issue, action: string): void {
    if (ctx.access.mayEdit(issue.council) || issue.owner.id === ctx.actor.id) return;
    throw new NotAuthorised(
      'editor',
      `${action} ${issue.id}`,
      `for ${forCouncil(issue.council)}, or being the issue's owner (${issue.owner.name})`,
    );
  }

  function refuseResolved(issue: Issue, words: readonly string[]): void {
    if (issue.status === 'resolved') {
      const when = issue.resolvedOn ? ` on ${dayText(issue.resolvedOn)}` : '';
      throw new UsageError(
        `${issue.id} was resolved${when}. Nothing was changed; raise a new issue if it is back.`,
        words,
      );
    }
  }

  async function raise(ctx: BoundContext, draft: Omit<Issue, 'id'>): Promise<Issue> {
    return conflictAs(
      retryOnConflict(
        () =>
          issues.add(
            ctx.partnership.id,
            (id) => ({ ...draft, id }),
            (issue) => auditOf(ctx, `issue ${issue.id}`, null, issueSnapshot(issue)),
          ),
        { deadline: ctx.deadline, attempts: 40 },
      ),
    );
  }

  function raised(issue: Issue): Reply {
    return done(
      `Issue raised: ${issue.id} ${issue.title}`,
      `${issueRag(issue.severity)} (${issue.severity} severity), owner ${issue.owner.name}.`,
      {
        facts: [
          ...(issue.targetDate ? [{ title: 'Target resolution', value: dayText(issue.targetDate) }] : []),
          ...(issue.linkedRisk ? [{ title: 'From risk', value: issue.linkedRisk }] : []),
        ],
        hint: `Plan with issue action ${issue.id} "‹action›" owner=@person due=YYYY-MM-DD.`,
      },
    );
  }

  async function addIssue(ctx: CommandRequest<NewIssue>): Promise<Reply> {
    const { title, description = '', severity, owner, due, council = SHARED } = ctx.args;
    if (!ctx.access.mayEdit(council)) {
      throw new NotAuthorised(
        'editor',
        `raise an issue for ${forCouncil(council)}`,
        '(an editor for one council raises issues of that council only)',
      );
    }
    const issue = await raise(ctx, {
      title,
      description,
      severity,
      owner: ownerOf(owner ?? ctx.actor),
      council,
      status: 'open',
      linkedRisk: undefined,
      raisedOn: londonDate(ctx.now),
      targetDate: due,
      resolvedOn: undefined,
      resolution: undefined,
      createdBy: ctx.actor.name,
    });
    return raised(issue);
  }

  /** `risk materialise R-3`: the risk has happened; an issue is raised from it, linking both. */
  async function materialise(
    ctx: CommandRequest<{ id: string; description?: string; severity?: IssueSeverity; due?: string }>,
  ): Promise<Reply> {
    const { id, description, severity, due } = ctx.args;
    const [stored, all, { settings }] = await Promise.all([
      findRisk(ctx, kit, id),
      issues.list(ctx.partnership.id),
      kit.risks.settings(ctx.partnership.id),
    ]);
    const { risk } = stored;
    if (!mayChange(ctx, risk, false)) throw refusal(risk, 'raise an issue from', false);
    const already = all.find((i) => i.linkedRisk === id && i.status === 'open');
    if (already) {
      throw new UsageError(
        `${id} has materialised already as ${already.id} (open): update that issue, or resolve it first.`,
        ['risk', 'materialise'],
      );
    }
    const issue = await raise(ctx, {
      title: risk.title,
      description: description ?? risk.description,
      severity: severity ?? SEVERITY_OF_BAND[bandOf(scoreOf(risk.current), settings.bands)],
      owner: risk.owner,
      council: risk.council,
      status: 'open',
      linkedRisk: risk.id,
      raisedOn: londonDate(ctx.now),
      targetDate: due,
      resolvedOn: undefined,
      resolution: undefined,
      createdBy: ctx.actor.name,
    });
    const reply = raised(issue);
    return {
      ...reply,
      text: `${reply.text}\n${risk.id} stays open; close it with risk close ${risk.id} "why" if it no longer applies.`,
    };
  }

  async function list(ctx: BoundContext, status: IssueStatusFilter, offset: number): Promise<Reply> {
    const all = await issues.list(ctx.partnership.id);
    return issueListReply(ctx.partnership, all, status, offset, ctx.now, londonDate(ctx.now));
  }

  async function issueList(ctx: CommandRequest<{ status?: IssueStatusFilter }>): Promise<Reply> {
    return list(ctx, ctx.args.status ?? 'open', 0);
  }

  async function issuePage(ctx: CommandRequest<{ offset: number; status: IssueStatusFilter }>): Promise<Reply> {
    return list(ctx, ctx.args.status, ctx.args.offset);
  }

  async function showIssue(ctx: CommandRequest<{ id: string }>): Promise<Reply> {
    const { id } = ctx.args;
    const [stored, actions] = await Promise.all([findIssue(ctx, id), issues.actions.list(ctx.partnership.id, id)]);
    const risk = stored.issue.linkedRisk ? await kit.risks.get(ctx.partnership.id, stored.issue.linkedRisk) : undefined;
    return issueDetailReply(
      stored.issue,
      actions.map((a) => a.action),
      risk?.risk.title,
      londonDate(ctx.now),
    );
  }

  /** Applies `change` to the issue read afresh on each attempt, with a new action when it adds one. */
  async function changeIssue(
    ctx: BoundContext,
    id: string,
    words: readonly string[],
    change: (stored: StoredIssue) => {
      issue: Issue;
      action?: PlannedAction;
      audit: [AuditRecord | null, AuditRecord | null];
    },
  ): Promise<{ issue: Issue; action?: PlannedAction }> {
    return conflictAs(
      retryOnConflict(
        async () => {
          const stored = await findIssue(ctx, id);
          const next = change(stored);
          const actions = next.action ? stored.actions + 1 : stored.actions;
          await issues.change(
            ctx.partnership.id,
            stored,
            { issue: next.issue, actions },
            next.action,
            auditOf(ctx, `issue ${id}`, ...next.audit),
          );
          return next;
        },
        { deadline: ctx.deadline },
      ),
      `${id} was changed by someone else a moment ago; nothing was changed. Check it with issue show ${id} and try again.`,
      words,
    );
  }

  async function updateIssue(ctx: CommandRequest<IssueChanges & { id: string; note?: string }>): Promise<Reply> {
    const { id, note, ...changes } = ctx.args;
    const words = ['issue', 'update'];
    if (Object.values(changes).every((v) => v === undefined)) {
      throw new UsageError(
        `Say what to change, e.g. issue update ${id} severity=medium "income recovered in Q3".`,
        words,
      );
    }
    const { issue } = await changeIssue(ctx, id, words, ({ issue }) => {
      checkRights(ctx, issue, 'update');
      refuseResolved(issue, words);
      const next: Issue = {
        ...issue,
        title: changes.title ?? issue.title,
        description: changes.description ?? issue.description,
        severity: changes.severity ?? issue.severity,
        owner: changes.owner ? ownerOf(changes.owner) : issue.owner,
        targetDate: changes.due ?? issue.targetDate,
      };
      return { issue: next, audit: [issueSnapshot(issue), { ...issueSnapshot(next), ...(note ? { note } : {}) }] };
    });
    return done(
      `${issue.id} updated`,
      `${issue.title}: ${issueRag(issue.severity)} (${issue.severity} severity), owner ${issue.owner.name}.`,
    );
  }

  async function resolveIssue(ctx: CommandRequest<{ id: string; how: string }>): Promise<Reply> {
    const { id, how } = ctx.args;
    const words = ['issue', 'resolve'];
    const { issue } = await changeIssue(ctx, id, words, ({ issue }) => {
      checkRights(ctx, issue, 'resolve');
      refuseResolved(issue, words);
      const next: Issue = { ...issue, status: 'resolved', resolvedOn: londonDate(ctx.now), resolution: how };
      return { issue: next, audit: [issueSnapshot(issue), { ...issueSnapshot(next), resolution: how }] };
    });
    return done(`${issue.id} resolved`, `${issue.title}: ${how}`, {
      hint: 'It stays in the log for the record: issue list resolved.',
    });
  }

  async function issueAction(
    ctx: CommandRequest<{ id: string; text: string; owner: UserRef; due: string }>,
  ): Promise<Reply> {
    const { id, text, owner, due } = ctx.args;
    const words = ['issue', 'action'];
    const { action } = await changeIssue(ctx, id, words, (stored) => {
      checkRights(ctx, stored.issue, 'plan an action for');
      refuseResolved(stored.issue, words);
      const action: PlannedAction = {
        id: formatActionId(stored.actions + 1),
        text,
        owner: ownerOf(owner),
        due,
        done: undefined,
        addedOn: londonDate(ctx.now),
        addedBy: ctx.actor.name,
      };
      return { issue: stored.issue, action, audit: [null, { action: action.id, text, owner: owner.name, due }] };
    });
    return done(`Action ${action!.id} planned for ${id}`, text, {
      facts: [
        { title: 'Owner', value: owner.name },
        { title: 'Due', value: dayText(due) },
      ],
      hint: `When it is done, type issue done ${id} ${action!.id}.`,
    });
  }

  async function issueDone(ctx: CommandRequest<{ id: string; action: string }>): Promise<Reply> {
    const { id, action: actionId } = ctx.args;
    const [stored, storedAction] = await Promise.all([
      findIssue(ctx, id),
      issues.actions.get(ctx.partnership.id, id, actionId),
    ]);
    if (!storedAction)
      throw new NotFound(`${id} has no action ${actionId}.`, [], `Type issue show ${id} to see its actions.`);
    const { action } = storedAction;
    if (action.owner.id !== ctx.actor.id) checkRights(ctx, stored.issue, `mark ${action.id} done for`);
    const already = doneAlready(id, action);
    if (already) return already;
    const raced = await markActionDone(
      issues.actions,
      ctx.partnership.id,
      id,
      storedAction,
      { on: londonDate(ctx.now), by: ctx.actor.name },
      auditOf(ctx, `issue ${id} action ${action.id}`, { done: false }, { done: true }),
      ['issue', 'done'],
    );
    if (raced) return raced;
    return done(`${action.id} done: ${action.text}`, `For ${id} ${stored.issue.title}.`, {
      hint: `When the issue is over, type issue resolve ${id} "how".`,
    });
  }

  return { addIssue, materialise, issueList, issuePage, showIssue, updateIssue, resolveIssue, issueAction, issueDone };
}

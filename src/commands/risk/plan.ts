import { riskRescoreCard, type RiskRescoreData, type ScoreChoice } from '../../cards/risk.js';
import { dayText } from '../../cards/views.js';
import { londonDate } from '../../domain/calendar.js';
import {
  formatActionId,
  formatSequenceId,
  likelyScores,
  type ControlEffectiveness,
  type PlannedAction,
  type RiskControl,
  type RiskScore,
  type RiskSettings,
} from '../../domain/risk.js';
import { retryOnConflict } from '../../storage/errors.js';
import { auditOf } from '../audit-trail.js';
import { NotAuthorised, NotFound } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { done } from '../kit/replies.js';
import { cardReply, type CommandRequest, type Reply, type UserRef } from '../types.js';
import { forCouncil, mayChange, ownerOf, refusal, refuseClosed } from './change.js';
import { findRisk, type RiskKit } from './read.js';
import { scoreWithBand } from './views.js';
import { doneAlready, markActionDone } from './action-done.js';

/** What is in place against a risk (controls) and what is planned (actions), and completing an action. */

export function riskPlanning(kit: RiskKit) {
  const { risks } = kit;

  async function addControl(
    ctx: CommandRequest<{ id: string; text: string; owner?: UserRef; effectiveness?: ControlEffectiveness }>,
  ): Promise<Reply> {
    const { id, text, owner, effectiveness = 'partial' } = ctx.args;
    const words = ['risk', 'control'];
    const control = await conflictAs(
      retryOnConflict(
        async () => {
          const stored = await findRisk(ctx, kit, id);
          if (!mayChange(ctx, stored.risk, false)) throw refusal(stored.risk, 'add a control to', false);
          refuseClosed(stored.risk, words);
          const counters = { ...stored.counters, controls: stored.counters.controls + 1 };
          const control: RiskControl = {
            id: formatSequenceId('C', counters.controls),
            text,
            owner: ownerOf(owner ?? stored.risk.owner),
            effectiveness,
            addedOn: londonDate(ctx.now),
            addedBy: ctx.actor.name,
          };
          await risks.change(
            ctx.partnership.id,
            stored,
            { risk: stored.risk, closure: stored.closure, counters },
            { control },
            auditOf(ctx, `risk ${id} control ${control.id}`, null, {
              text,
              owner: control.owner.name,
              effectiveness,
            }),
          );
          return control;
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      words,
    );
    return done(`Control ${control.id} added to ${id}`, control.text, {
      facts: [
        { title: 'Owner', value: control.owner.name },
        { title: 'Effectiveness', value: control.effectiveness },
      ],
      hint: `If the control changes the score, type risk update ${id} likelihood=‹1-5› impact=‹1-5› "why".`,
    });
  }

  async function addAction(
    ctx: CommandRequest<{ id: string; text: string; owner: UserRef; due: string }>,
  ): Promise<Reply> {
    const { id, text, owner, due } = ctx.args;
    const words = ['risk', 'action'];
    const action = await conflictAs(
      retryOnConflict(
        async () => {
          const stored = await findRisk(ctx, kit, id);
          if (!mayChange(ctx, stored.risk, true)) throw refusal(stored.risk, 'plan an action for', true);
          refuseClosed(stored.risk, words);
          const counters = { ...stored.counters, actions: stored.counters.actions + 1 };
          const action: PlannedAction = {
            id: formatActionId(counters.actions),
            text,
            owner: ownerOf(owner),
            due,
            done: undefined,
            addedOn: londonDate(ctx.now),
            addedBy: ctx.actor.name,
          };
          await risks.change(
            ctx.partnership.id,
            stored,
            { risk: stored.risk, closure: stored.closure, counters },
            { action },
            auditOf(ctx, `risk ${id} action ${action.id}`, null, { text, owner: owner.name, due }),
          );
          return action;
        },
        { deadline: ctx.deadline },
      ),
      undefined,
      words,
    );
    return done(`Action ${action.id} planned for ${id}`, action.text, {
      facts: [
        { title: 'Owner', value: action.owner.name },
        { title: 'Due', value: dayText(action.due) },
      ],
      hint: `When it is done, type risk done ${id} ${action.id}.`,
    });
  }

  /** The card after an action is done: does the current score change? Buttons with the likely scores. */
  function rescoreReply(
    id: string,
    action: PlannedAction,
    current: RiskScore,
    target: RiskScore,
    settings: RiskSettings,
  ): Reply {
    const choice = (score: RiskScore, title: string): ScoreChoice => ({
      title,
      risk: id,
      action: action.id,
      likelihood: String(score.likelihood),
      impact: String(score.impact),
    });
    const choices = likelyScores(current, target).map((s) => choice(s, scoreWithBand(s, settings)));
    const typed = `risk update ${id} likelihood=‹1-5› impact=‹1-5› "after ${action.id}"`;
    const data: RiskRescoreData = {
      title: `${action.id} done: ${action.text}`,
      message: `Marked done for ${id} on ${dayText(action.done!.on)} by ${action.done!.by}.`,
      question: `Does the current score of ${id} change? It is ${scoreWithBand(current, settings)}; the target is ${scoreWithBand(target, settings)}.`,
      choices,
      keep: choice(current, 'No change'),
      typed,
    };
    const text = [
      data.title,
      data.message,
      data.question,
      `Choose ${[...choices.map((c) => c.title), 'No change'].join(', ')}, or type: ${typed.replace(/‹/g, '<').replace(/›/g, '>')}`,
    ].join('\n');
    return cardReply(riskRescoreCard, data, text);
  }

  /** `risk done R-3 A-2`: the action's owner, the risk's owner or an editor marks it done. */
  async function completeAction(ctx: CommandRequest<{ id: string; action: string }>): Promise<Reply> {
    const { id, action: actionId } = ctx.args;
    const words = ['risk', 'done'];
    const [stored, storedAction, { settings }] = await Promise.all([
      findRisk(ctx, kit, id),
      risks.actions.get(ctx.partnership.id, id, actionId),
      risks.settings(ctx.partnership.id),
    ]);
    if (!storedAction) {
      throw new NotFound(`${id} has no action ${actionId}.`, [], `Type risk show ${id} to see its actions.`);
    }
    const { action } = storedAction;
    if (!mayChange(ctx, stored.risk, true) && action.owner.id !== ctx.actor.id) {
      throw new NotAuthorised(
        'editor',
        `mark ${action.id} of ${id} done`,
        `for ${forCouncil(stored.risk.council)}, or owning the risk (${stored.risk.owner.name}) or the action (${action.owner.name})`,
      );
    }
    const already = doneAlready(id, action);
    if (already) return already;
    const finished = { on: londonDate(ctx.now), by: ctx.actor.name };
    const audit = auditOf(ctx, `risk ${id} action ${action.id}`, { done: false }, { done: true });
    const raced = await markActionDone(risks.actions, ctx.partnership.id, id, storedAction, finished, audit, words);
    if (raced) return raced;
    const completed = { ...action, done: finished };
    const { risk } = stored;
    if (risk.status === 'closed' || likelyScores(risk.current, risk.target).length === 0) {
      return done(`${action.id} done: ${action.text}`, `${id} stays at ${scoreWithBand(risk.current, settings)}.`);
    }
    return rescoreReply(id, completed, risk.current, risk.target, settings);
  }

  return { addControl, addAction, completeAction };
}

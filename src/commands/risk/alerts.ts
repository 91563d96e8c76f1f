import { riskAlertCard, type RiskAlertData } from '../../cards/risk.js';
import { dayText } from '../../cards/views.js';
import { londonDate } from '../../domain/calendar.js';
import { councilLabel, type Partnership } from '../../domain/partnership.js';
import type { Rag } from '../../domain/rag.js';
import { bandOf, formatScore, reviewDue, scoreOf, type Risk, type RiskSettings } from '../../domain/risk.js';
import { postToCommittees } from '../kit/notify.js';
import { cardReply } from '../types.js';
import type { RiskKit } from './read.js';
import { actionItem, bandView, scoreWithBand } from './views.js';

/** Red-risk alerts: a risk added as Red, moved into Red or gone above appetite is posted to the committee channels. */

export interface AlertState {
  readonly band: Rag;
  readonly above: boolean;
  readonly score: string;
}

export function alertState(risk: Pick<Risk, 'current' | 'category'>, settings: RiskSettings): AlertState {
  const score = scoreOf(risk.current);
  return {
    band: bandOf(score, settings.bands),
    above: score > settings.appetite[risk.category],
    score: formatScore(risk.current),
  };
}

/** Why the committee should hear of this change, or undefined when it need not. */
export function alertReason(
  before: AlertState | undefined,
  after: AlertState,
  risk: Pick<Risk, 'category'>,
  settings: RiskSettings,
): string | undefined {
  const appetite = `the ${risk.category} appetite of ${settings.appetite[risk.category]}`;
  const intoRed = after.band === 'Red' && before?.band !== 'Red';
  const overAppetite = after.above && !before?.above;
  if (!intoRed && !overAppetite) return undefined;
  if (before === undefined) {
    if (intoRed) return `Added as Red${after.above ? `, above ${appetite}` : ''}.`;
    return `Added above ${appetite}.`;
  }
  if (intoRed) {
    return `Moved into Red from ${before.band} (${before.score})${after.above && !before.above ? `, and above ${appetite}` : ''}.`;
  }
  return `Went above ${appetite} (from ${before.score}).`;
}

/**
 * Posts the alert after the command has answered: the open actions are read, then the card goes
 * through the bot's one proactive sender. Nothing here can delay or fail the command.
 */
export function alertCommittees(
  kit: RiskKit,
  partnership: Partnership,
  risk: Risk,
  reason: string,
  by: string,
  settings: RiskSettings,
  now: Date,
): void {
  void (async () => {
    const detail = await kit.risks.detail(partnership.id, risk.id);
    const today = londonDate(now);
    const open = detail.actions.map((a) => a.action).filter((a) => !a.done);
    const actions = open.map((a) => actionItem(a, today));
    const state = alertState(risk, settings);
    const title = `${state.band === 'Red' ? 'Red risk' : 'Risk above appetite'}: ${risk.id} ${risk.title}`;
    const facts = [
      { title: 'Current score', value: scoreWithBand(risk.current, settings) },
      {
        title: 'Appetite',
        value: `${risk.category} ${settings.appetite[risk.category]} (${state.above ? 'above appetite' : 'within appetite'})`,
      },
      { title: 'Target', value: scoreWithBand(risk.target, settings) },
      { title: 'Owner', value: risk.owner.name },
      { title: 'Council', value: councilLabel(risk.council) },
      { title: 'Next review', value: dayText(reviewDue(risk, settings)) },
    ];
    const data: RiskAlertData = {
      title,
      reason: `${reason} By ${by}.`,
      rag: bandView(risk.current, settings),
      facts,
      actions,
      hasActions: actions.length > 0,
      hint: `Type risk show ${risk.id} for its controls, actions and score history.`,
    };
    const text = [
      title,
      data.reason,
      ...facts.map((f) => `${f.title}: ${f.value}`),
      ...(actions.length > 0 ? ['Mitigating actions:', ...actions.map((a) => `  ${a.heading} — ${a.detail}`)] : []),
      data.hint,
    ].join('\n');
    postToCommittees(kit.services, partnership, cardReply(riskAlertCard, data, text), `risk alert ${risk.id}`);
  })().catch((error: unknown) =>
    kit.services.logger.error({ err: error, partnership: partnership.id, risk: risk.id }, 'risk alert failed'),
  );
}

import type { Fact, Tone } from '../cards/catalogue.js';
import { cardReply, type Reply } from './types.js';

/** The one small card for confirmations, refusals and explanations: a title, a sentence, facts, a hint. */
export function notice(
  tone: Tone,
  title: string,
  message: string,
  extra: { facts?: readonly Fact[]; hint?: string } = {},
): Reply {
  const facts = extra.facts ?? [];
  const text = [
    title,
    message,
    ...facts.map((f) => `${f.title}: ${f.value}`),
    ...(extra.hint ? [extra.hint] : []),
  ].join('\n');
  return cardReply('notice', { tone, title, message, facts, ...(extra.hint ? { hint: extra.hint } : {}) }, text);
}

export function done(title: string, message: string, extra: { facts?: readonly Fact[]; hint?: string } = {}): Reply {
  return notice('good', title, message, extra);
}

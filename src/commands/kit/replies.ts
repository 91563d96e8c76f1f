import { noticeCard, type Fact, type Tone } from '../../cards/core.js';
import { cardReply, type Reply } from '../types.js';

export interface NoticeExtra {
  readonly facts?: readonly Fact[];
  readonly hint?: string;
}

/** The one small card for confirmations, refusals and explanations: a title, a sentence, facts, a hint. */
export function notice(tone: Tone, title: string, message: string, extra: NoticeExtra = {}): Reply {
  const facts = extra.facts ?? [];
  const text = [
    title,
    message,
    ...facts.map((f) => `${f.title}: ${f.value}`),
    ...(extra.hint ? [extra.hint] : []),
  ].join('\n');
  return cardReply(noticeCard, { tone, title, message, facts, ...(extra.hint ? { hint: extra.hint } : {}) }, text);
}

/** A change that was made. */
export function done(title: string, message: string, extra: NoticeExtra = {}): Reply {
  return notice('good', title, message, extra);
}

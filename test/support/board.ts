/**
 * A partnership with a board, for the approvals and portfolio tests: Alex sets it up (admin), Sam
 * is an editor, Priya approves for CEC, Jo for CWAC, and Chris for every council. Ruth has no role.
 * The clock stands at 25 Nov 2026 and moves a second per request, so votes have an order.
 */
import { expect } from 'vitest';
import type { PartnershipId } from '../../src/domain/partnership.js';
import { startTestBot, TEST_NOW, type Reply, type TestBot, type TestBotOptions } from './bot-harness.js';
import { action, type Answer } from './cards.js';
import { alex, groupChat, jo, mentions, priya, sam, type Person, type Where } from './teams.js';

export const chris: Person = {
  id: '29:1chris-chair-of-board',
  aadObjectId: 'e5c2a7f6-0006-4e0f-8a51-66ff77008811',
  name: 'Chris Hughes',
};
export const ruth: Person = {
  id: '29:1ruth-officer',
  aadObjectId: 'f6d3b807-0007-4f10-9b62-770088119922',
  name: 'Ruth Davies',
};

export interface Board {
  readonly bot: TestBot;
  readonly where: Where;
  readonly partnershipId: PartnershipId;
  /** In memory, for the rules of a command. */
  ask(who: Person, text: Parameters<TestBot['ask']>[2]): Promise<Reply>;
  press(who: Person, verb: string, data?: Record<string, unknown>): Promise<Reply>;
  close(): Promise<void>;
}

/** A ticking clock from TEST_NOW, shared by the bots of one storage account. */
export function tickingClock(start = TEST_NOW): () => Date {
  let tick = 0;
  return () => new Date(start.getTime() + 1000 * tick++);
}

export async function boardPartnership(
  name: string,
  options: TestBotOptions & { where?: Where; chair?: boolean } = {},
): Promise<Board> {
  const bot = await startTestBot({ now: tickingClock(), ...options });
  const where = options.where ?? groupChat(`19:${name}@thread.v2`);
  const setup = await bot.ask(where, alex, `setup partnership "${name} ICT" councils=CEC:50,CWAC:50`);
  expect(setup.text).toContain('is set up');
  for (const grant of [
    mentions`role grant ${sam} editor`,
    mentions`role grant ${priya} approver council=CEC`,
    mentions`role grant ${jo} approver council=CWAC`,
    ...(options.chair === false ? [] : [mentions`role grant ${chris} approver`]),
  ]) {
    expect((await bot.ask(where, alex, grant)).text).toContain(' is now ');
  }
  const binding = await bot.app.services.partnerships.findBinding([
    { kind: 'conversation', conversationId: where.conversationId },
  ]);
  if (!binding) throw new Error('the chat is not bound to the partnership');
  return {
    bot,
    where,
    partnershipId: binding.partnershipId,
    ask: (who, text) => bot.ask(where, who, text),
    press: (who, verb, data) => bot.press(where, who, verb, data),
    close: () => bot.close(),
  };
}

/** Links another chat to the board's partnership, as an admin's setup link would. */
export async function linkChat(board: Board, where: Where, label: string): Promise<void> {
  const at = TEST_NOW.toISOString();
  await board.bot.app.services.partnerships.link(
    {
      partnershipId: board.partnershipId,
      key: { kind: 'conversation', conversationId: where.conversationId },
      label,
      boundBy: alex.name,
      boundAt: at,
    },
    {
      at,
      actorId: alex.id,
      actorAadObjectId: alex.aadObjectId,
      actorName: alex.name,
      command: 'setup link (test)',
      subject: `link ${label}`,
      before: null,
      after: { linked: label },
      conversationId: where.conversationId,
    },
    (await board.bot.app.services.partnerships.get(board.partnershipId))!,
  );
}

/** The buttons a person sees on an approval card. */
export function buttons(answer: Answer): string[] {
  return ['Approve', 'Reject', 'Request changes'].filter((title) => action(answer, title) !== undefined);
}

/** The card's refresh block: who gets their own view, and the verb Teams sends for it. */
export function refreshOf(
  answer: Answer,
): { userIds: string[]; verb: string; data: Record<string, unknown> } | undefined {
  const refresh = answer.card?.refresh as
    { userIds?: string[]; action?: { verb?: string; data?: Record<string, unknown> } } | undefined;
  return (
    refresh && { userIds: refresh.userIds ?? [], verb: refresh.action?.verb ?? '', data: refresh.action?.data ?? {} }
  );
}

/** The status word in the approval card's header (Pending, Approved …). */
export function statusOf(answer: Answer): string {
  const lines = answer.text.split('\n');
  const words = ['Pending', 'Approved', 'Rejected', 'Changes requested', 'Expired', 'Withdrawn'];
  return lines.find((line) => words.includes(line)) ?? '';
}

export { alex, jo, priya, sam };

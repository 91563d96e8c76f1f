/**
 * The approval card as it crosses the wire: invoke activities (`adaptiveCard/action`) to
 * /api/messages, the card's refresh for approvers and for everyone else, and every posted copy
 * updated in place through the connector stub (PUT .../activities/:id) after the invoke is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalId } from '../../src/domain/approvals.js';
import { ApprovalRepository } from '../../src/storage/approvals.js';
import { replyOf, startTestBot, type Reply, type TestBot } from '../support/bot-harness.js';
import { meetAt } from '../support/concurrency.js';
import {
  boardPartnership,
  buttons,
  chris,
  jo,
  linkChat,
  priya,
  refreshOf,
  ruth,
  sam,
  statusOf,
  type Board,
} from '../support/board.js';
import { inputs, lines } from '../support/cards.js';
import type { SentActivity } from '../support/connector-stub.js';
import {
  alex,
  channel,
  invokeResponseCard,
  mentions,
  personalChat,
  postActivity,
  type Person,
  type Where,
} from '../support/teams.js';
import { cardText } from '../support/connector-stub.js';

/** Teams answers a card button within about 5 s, or shows an error. */
const INVOKE_LIMIT_MS = 5_000;

/** Posts an invoke and gives the card it answered with, and how long the answer took. */
async function invoke(
  board: { bot: TestBot },
  where: Where,
  who: Person,
  verb: string,
  data: Record<string, unknown>,
  trigger: 'manual' | 'automatic' = 'manual',
): Promise<Reply & { ms: number }> {
  const started = Date.now();
  const result = await postActivity(board.bot.url, board.bot.teams.invoke(where, who, verb, data, { trigger }));
  const ms = Date.now() - started;
  expect(result.status).toBe(200);
  const card = invokeResponseCard(result.body);
  return { text: card ? cardText(card) : '', card, activity: undefined, ms };
}

const vote = (board: { bot: TestBot }, where: Where, who: Person, decision: string, comment = '', id = 'A-1') =>
  invoke(board, where, who, 'approval.vote', { approvalId: id, decision, ...(comment ? { comment } : {}) });

/** The newest update of each copy, once every copy has one that passes `ready`. */
async function copiesWhen(
  board: Board,
  ids: readonly string[],
  ready: (copy: Reply) => boolean,
): Promise<Map<string, Reply>> {
  const latest = (sent: SentActivity[]) => {
    const byId = new Map<string, Reply>();
    for (const update of sent.filter((a) => a.delivery.kind === 'update'))
      byId.set(update.delivery.activityId!, replyOf(update));
    return byId;
  };
  const sent = await board.bot.stub.waitFor(
    (all) =>
      ids.every((id) => {
        const copy = latest(all).get(id);
        return copy !== undefined && ready(copy);
      }),
    8_000,
    `every copy (${ids.join(', ')}) updated`,
  );
  return latest(sent);
}

async function storedApproval(board: Board, id = 'A-1') {
  const stored = await new ApprovalRepository(board.bot.app.services.tables).get(board.partnershipId, id as ApprovalId);
  return stored!.approval;
}

describe('the approval card over the wire', () => {
  let board: Board;
  const thread = channel({ teamId: '19:wire-team@thread.tacv2', channelId: '19:wire-board@thread.tacv2' });
  const chrisChat = personalChat(chris);
  const copies: Array<{ where: string; activityId: string }> = [];

  beforeAll(async () => {
    board = await boardPartnership('wire');
    await linkChat(board, thread, 'the board channel');
    await linkChat(board, chrisChat, 'chat with Chris');
  });
  afterAll(() => board.close());

  it('posts the card with the status for everyone and a refresh for the approvers still to vote', async () => {
    const card = await board.bot.say(
      board.where,
      sam,
      'approval request "Accept the firewall risk" type=risk-acceptance approvers=board policy=per-council',
    );
    copies.push({ where: 'group chat', activityId: card.activity!.id });
    expect(statusOf(card)).toBe('Pending');
    expect(buttons(card)).toEqual([]);
    expect(refreshOf(card)).toEqual({
      userIds: [chris.id, jo.id, priya.id],
      verb: 'approval.view',
      data: { approvalId: 'A-1', record: false },
    });
    expect(card.text).toContain('Buttons not working? Type approve A-1 "comment"');
  });

  it('refreshes to the buttons and the comment box for an approver, and to the status for anyone else', async () => {
    const approver = await invoke(
      board,
      board.where,
      priya,
      'approval.view',
      { approvalId: 'A-1', record: false },
      'automatic',
    );
    expect(buttons(approver)).toEqual(['Approve', 'Reject', 'Request changes']);
    expect(Object.keys(inputs(approver))).toEqual(['comment']);
    const viewer = await invoke(
      board,
      board.where,
      ruth,
      'approval.view',
      { approvalId: 'A-1', record: false },
      'automatic',
    );
    expect(buttons(viewer)).toEqual([]);
    expect(statusOf(viewer)).toBe('Pending');
  });

  it('keeps a copy posted in a channel thread and one in a personal chat, which shows its viewer’s own buttons', async () => {
    const inChannel = await board.bot.say(thread, ruth, 'approval show A-1');
    expect(inChannel.activity!.delivery.conversationId).toMatch(/^19:wire-board@thread\.tacv2;messageid=/);
    copies.push({ where: 'channel thread', activityId: inChannel.activity!.id });
    const inChat = await board.bot.say(chrisChat, chris, 'approval show A-1');
    expect(buttons(inChat)).toEqual(['Approve', 'Reject', 'Request changes']);
    copies.push({ where: 'personal chat', activityId: inChat.activity!.id });
  });

  it('answers a vote within 5 s with the voter’s card, then updates every copy in place', async () => {
    const answer = await vote(board, board.where, priya, 'approve', 'CEC agrees');
    expect(answer.ms).toBeLessThan(INVOKE_LIMIT_MS);
    expect(lines(answer)[0]).toBe('Your approval is counted.');
    expect(buttons(answer)).toEqual([]);
    expect(answer.text).toContain('You approved on 25 Nov');
    expect(refreshOf(answer)?.userIds).toEqual([chris.id, jo.id]);
    const updated = await copiesWhen(
      board,
      copies.map((c) => c.activityId),
      (copy) => copy.text.includes('by Priya Shah'),
    );
    const [group, inChannel, inChat] = copies.map((c) => updated.get(c.activityId)!);
    expect(buttons(group!)).toEqual([]);
    expect(inChannel!.activity!.delivery.conversationId).toMatch(/;messageid=/);
    expect(inChannel!.text).toContain('Vote trail');
    expect(buttons(inChat!)).toEqual(['Approve', 'Reject', 'Request changes']);
  });

  it('asks for a reason when Reject is pressed with an empty comment box, and stores nothing', async () => {
    const asked = await vote(board, board.where, jo, 'reject');
    expect(asked.text).toContain('Write your reason in the comment box, then press Reject.');
    expect(buttons(asked)).toEqual(['Approve', 'Reject', 'Request changes']);
    expect((await storedApproval(board)).votes).toHaveLength(1);
  });

  it('tells someone who is not an approver so, and changes nothing', async () => {
    const refused = await vote(board, board.where, ruth, 'approve');
    expect(lines(refused)[0]).toBe('You are not an approver for this: nothing was changed.');
    expect((await storedApproval(board)).votes).toHaveLength(1);
  });

  it('when decided, every copy shows the outcome, who decided and when, and no buttons or refresh', async () => {
    const deciding = await vote(board, board.where, jo, 'approve', 'CWAC agrees');
    expect(statusOf(deciding)).toBe('Approved');
    const updated = await copiesWhen(
      board,
      copies.map((c) => c.activityId),
      (copy) => statusOf(copy) === 'Approved',
    );
    for (const copy of updated.values()) {
      expect(copy.text).toMatch(/Approved by Jo Williams on 25 Nov, \d\d:\d\d\./);
      expect(buttons(copy)).toEqual([]);
      expect(refreshOf(copy)).toBeUndefined();
    }
  });

  it('answers a click after the decision with "already decided" and changes nothing', async () => {
    const late = await vote(board, chrisChat, chris, 'approve');
    expect(lines(late)[0]).toBe('Already decided: nothing was changed.');
    expect((await storedApproval(board)).votes.map((v) => v.approverId)).toEqual([priya.id, jo.id]);
  });

  it('updates the copies after a typed vote too, and forgets a copy that was deleted', async () => {
    await board.bot.say(
      board.where,
      sam,
      'approval request "Extend the print contract" type=other approvers=board policy=all',
    );
    const copy = board.bot.stub.sent.at(-1)!;
    board.bot.stub.failNext(1, { status: 404, match: (r) => r.method === 'PUT' });
    const typed = await board.bot.say(board.where, chris, 'approve A-2 "Fine by me"');
    expect(lines(typed)[0]).toBe('You approved A-2');
    const approvals = new ApprovalRepository(board.bot.app.services.tables);
    await expect.poll(() => approvals.posts(board.partnershipId, 'A-2' as ApprovalId).then((p) => p.length)).toBe(0);
    expect(
      board.bot.stub.requests.some((r) => r.method === 'PUT' && r.activityId === copy.id && r.status === 404),
    ).toBe(true);
  });
});

describe('votes at the same moment', () => {
  let board: Board;
  const twenty: Person[] = Array.from({ length: 20 }, (_, i) => ({
    id: `29:1board-member-${i + 1}`,
    aadObjectId: `00000000-0008-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Member ${String(i + 1).padStart(2, '0')}`,
  }));

  beforeAll(async () => {
    board = await boardPartnership('crowd');
    for (const member of twenty) {
      expect((await board.ask(alex, mentions`role grant ${member} approver`)).text).toContain('is now approver');
    }
  });
  afterAll(() => board.close());

  it('counts each of 20 approvers clicking Approve at once exactly once, each answered within 5 s', async () => {
    const card = await board.bot.say(
      board.where,
      sam,
      'approval request "Adopt the cloud first policy" type=other approvers=board policy=all',
    );
    const approvers = [...twenty, priya, jo, chris];
    const early = approvers.slice(0, 20);
    // Every vote is held until all 20 have read the approval as pending: then they race to be written.
    const meeting = meetAt(ApprovalRepository.prototype, 'get', 20);
    const answers = await Promise.all(
      early.map((who) => vote(board, board.where, who, 'approve', `agreed by ${who.name}`)),
    ).finally(() => meeting.restore());
    for (const answer of answers) {
      expect(lines(answer)[0]).toBe('Your approval is counted.');
      expect(answer.ms).toBeLessThan(INVOKE_LIMIT_MS);
    }
    const approval = await storedApproval(board);
    expect(new Set(approval.votes.map((v) => v.approverId))).toEqual(new Set(early.map((p) => p.id)));
    expect(approval.votes).toHaveLength(20);
    expect(statusOf(await invoke(board, board.where, ruth, 'approval.view', { approvalId: 'A-1' }))).toBe('Pending');
    for (const who of approvers.slice(20)) await vote(board, board.where, who, 'approve');
    const decided = await copiesWhen(board, [card.activity!.id], (copy) => statusOf(copy) === 'Approved');
    expect(decided.get(card.activity!.id)!.text).toMatch(/Approved by Chris Hughes on 25 Nov/);
  });

  it('counts a double click once', async () => {
    await board.bot.say(
      board.where,
      sam,
      'approval request "Renew the firewall support" type=other approvers=board policy=all',
    );
    const meeting = meetAt(ApprovalRepository.prototype, 'get', 2);
    const [first, second] = await Promise.all([
      vote(board, board.where, priya, 'approve', '', 'A-2'),
      vote(board, board.where, priya, 'approve', '', 'A-2'),
    ]).finally(() => meeting.restore());
    expect([lines(first)[0], lines(second)[0]].sort()).toEqual([
      'You have already voted, and a vote is final: nothing was changed.',
      'Your approval is counted.',
    ]);
    expect((await storedApproval(board, 'A-2')).votes).toHaveLength(1);
  });
});

describe('two bot processes on one storage account', () => {
  it('decide votes that arrive at both at once exactly once, and agree on the outcome', async () => {
    const first = await boardPartnership('two-processes');
    const second = {
      bot: await startTestBot({
        tablePrefix: first.bot.tablePrefix,
        stub: first.bot.stub,
        now: () => new Date('2026-11-25T12:05:00Z'),
      }),
    };
    try {
      await first.bot.say(
        first.where,
        sam,
        'approval request "Stop the legacy CRM" type=stop-go approvers=board policy=majority',
      );
      // All four read the approval as pending before any is written: a double click by Jo reaches each process.
      const meeting = meetAt(ApprovalRepository.prototype, 'get', 4);
      const answers = await Promise.all([
        vote(first, first.where, priya, 'approve'),
        vote(second, first.where, jo, 'approve'),
        vote(first, first.where, chris, 'reject', 'Too early'),
        vote(first, first.where, jo, 'approve'),
      ]).finally(() => meeting.restore());
      const approval = await storedApproval(first);
      const voters = approval.votes.map((v) => v.approverId);
      expect(new Set(voters).size).toBe(voters.length);
      expect(voters.filter((id) => id === jo.id)).toHaveLength(1);
      const counted = answers.filter((a) => lines(a)[0]?.endsWith('is counted.'));
      expect(counted).toHaveLength(voters.length);
      for (const refused of answers.filter((a) => !counted.includes(a))) {
        expect(lines(refused)[0]).toMatch(/^(Already decided|You have already voted)/);
      }
      for (const bot of [first, second]) {
        expect(statusOf(await invoke(bot, first.where, ruth, 'approval.view', { approvalId: 'A-1' }))).toBe('Approved');
      }
    } finally {
      await second.bot.close();
      await first.close();
    }
  });
});

describe('the benchmark’s approval', () => {
  it('is ready for each of its voters to click Approve once, answered within 5 s', async () => {
    const board = await boardPartnership('bench-seed');
    try {
      const { seedApprovalForVoting } = await import('../../src/commands/approvals/seed.js');
      const partnership = (await board.bot.app.services.partnerships.get(board.partnershipId))!;
      const seed = await seedApprovalForVoting(board.bot.app.services, partnership, {
        approvers: 3,
        requester: { id: sam.id, name: sam.name },
        now: board.bot.app.services.clock(),
      });
      for (const [i, voter] of seed.voters.entries()) {
        const answer = await invoke(board, board.where, { ...voter, aadObjectId: '' }, seed.verb, { ...seed.data });
        expect(lines(answer)[0]).toBe('Your approval is counted.');
        expect(answer.ms).toBeLessThan(INVOKE_LIMIT_MS);
        expect(statusOf(answer)).toBe(i < seed.voters.length - 1 ? 'Pending' : 'Approved');
      }
    } finally {
      await board.close();
    }
  });
});

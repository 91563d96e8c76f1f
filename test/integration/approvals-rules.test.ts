/**
 * The approval commands' rules, run in memory against Azurite: asking for a decision, every bad
 * request refused with nothing stored, the typed votes that do what the buttons do, declared
 * interests, withdrawal, expiry at the end of the due day, the pending list and the full record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalRepository } from '../../src/storage/approvals.js';
import { startTestBot, type Reply } from '../support/bot-harness.js';
import {
  alex,
  boardPartnership,
  buttons,
  chris,
  jo,
  priya,
  ruth,
  sam,
  statusOf,
  type Board,
} from '../support/board.js';
import { fact, lines, plain } from '../support/cards.js';
import { mentions, type Person, type TeamsText } from '../support/teams.js';

const TITLE = 'approval request "Move £40k from hardware to licences" type=budget-change';
const request = (rest: string) => `${TITLE} ${rest}`;

/** The request with these people @mentioned as its approvers, as Teams sends it. */
function naming(people: readonly Person[], rest: string): TeamsText {
  const strings = [`${TITLE} approvers=`, ...people.slice(1).map(() => ','), ` ${rest}`];
  return mentions(Object.assign(strings, { raw: strings }), ...people);
}

async function requested(board: Board, text: Parameters<Board['ask']>[1]): Promise<Reply> {
  const reply = await board.ask(sam, text);
  expect(lines(reply)[0], reply.text).toMatch(/^Approval requested: A-\d+/);
  return reply;
}

async function stored(board: Board) {
  const approvals = new ApprovalRepository(board.bot.app.services.tables);
  return approvals.list(board.partnershipId, new Date());
}

describe('approval request', () => {
  let board: Board;
  beforeAll(async () => {
    board = await boardPartnership('request');
  });
  afterAll(() => board.close());

  it('posts the card with the title, type, details, requester, due date, the policy in words and who is waiting', async () => {
    const card = await requested(
      board,
      naming([priya, jo], `policy=all due=2026-12-11 "Licence true-up due in January"`),
    );
    expect(statusOf(card)).toBe('Pending');
    expect(fact(card, 'Type')).toBe('Budget change');
    expect(fact(card, 'Requested by')).toBe('Sam Jones, 25 Nov 2026');
    expect(fact(card, 'Due')).toBe('11 Dec 2026');
    expect(fact(card, 'Approvers')).toBe('Priya Shah and Jo Williams');
    expect(fact(card, 'Decided by')).toBe('every approver');
    expect(card.text).toContain('Licence true-up due in January');
    expect(card.text).toContain('Waiting for approval from Priya Shah and Jo Williams.');
    expect(card.text).toContain('Buttons not working? Type approve A-1 "comment", reject A-1 "reason"');
  });

  it('resolves approvers=board to everyone with the approver role, shown by name', async () => {
    const card = await requested(board, request('approvers=board policy=majority'));
    expect(fact(card, 'Approvers')).toBe('Chris Hughes, Jo Williams and Priya Shah');
    expect(fact(card, 'Decided by')).toBe('more than half of the 3 approvers');
  });

  it('gives two weeks to decide when no due date is given', async () => {
    const card = await requested(board, request('approvers=board policy=any'));
    expect(fact(card, 'Due')).toBe('9 Dec 2026');
  });

  it('shows a per-council approval by council, and says what it concerns', async () => {
    for (const title of ['Legacy firewall', 'Data centre lease', 'Single supplier']) {
      expect((await board.ask(sam, `risk add "${title}" likelihood=3 impact=4`)).text).toContain('Risk added');
    }
    const card = await requested(board, request('approvers=board policy=per-council item=R-3'));
    expect(fact(card, 'Concerns')).toBe('Risk R-3');
    expect(fact(card, 'Decided by')).toBe('at least one approver from each council (CEC, CWAC) and no rejection');
    expect(card.text).toContain('Waiting for approvals for CEC and CWAC.');
  });

  it('is for editors: a viewer is refused and nothing is stored', async () => {
    const before = (await stored(board)).length;
    const refused = await board.ask(ruth, request('approvers=board policy=any'));
    expect(lines(refused)[0]).toBe('You need the editor role');
    expect((await stored(board)).length).toBe(before);
  });

  describe('bad requests get a clear card and store nothing', () => {
    const cases: Array<[string, Parameters<Board['ask']>[1], RegExp]> = [
      [
        'an approver who is not in the partnership',
        naming([priya, ruth], `policy=all`),
        /Ruth Davies is not an approver in this partnership/,
      ],
      [
        'a due date in the past',
        request('approvers=board policy=any due=2026-11-24'),
        /the due date 2026-11-24 has passed/,
      ],
      ['a date that is not one', request('approvers=board policy=any due=2026-02-30'), /due=2026-02-30 is not a date/],
      ['a missing title', 'approval request type=other approvers=board policy=any', /the title is missing/],
      [
        'an unknown type',
        request('approvers=board policy=any').replace('budget-change', 'whim'),
        /type=whim is not a type/,
      ],
      ['a missing policy', request('approvers=board'), /policy= is missing/],
      ['typed names for approvers', request('approvers=Priya policy=any'), /approvers=Priya is not a person/],
      ['an unknown project', request('approvers=board policy=any item=P-9'), /There is no project P-9/],
      ['an unknown risk', request('approvers=board policy=any item=R-99'), /There is no risk R-99 in request ICT/],
      ['an unknown budget line', request('approvers=board policy=any item=NOPE'), /There is no budget line NOPE/],
      ['an approval as the item', request('approvers=board policy=any item=A-1'), /There is no budget line A-1/],
    ];
    it.each(cases)('%s', async (_, text, problem) => {
      const before = (await stored(board)).length;
      const refused = await board.ask(sam, text);
      expect(plain(refused)).toMatch(problem);
      expect(refused.text).not.toMatch(/^Approval requested/);
      expect((await stored(board)).length).toBe(before);
    });

    it('per-council when a council has no approver named, naming the council', async () => {
      const refused = await board.ask(sam, naming([priya], 'policy=per-council'));
      expect(refused.text).toContain(
        'no approver for CWAC is named: per-council needs at least one approver from each council',
      );
    });
  });
});

describe('typed votes do what the buttons do', () => {
  let board: Board;
  beforeAll(async () => {
    board = await boardPartnership('typed');
  });
  afterAll(() => board.close());

  it('approve counts the vote with its comment and says what the approval still waits for', async () => {
    await requested(board, naming([priya, jo], `policy=all`));
    const counted = await board.ask(priya, 'approve A-1 "Content with the savings"');
    expect(lines(counted)[0]).toBe('You approved A-1');
    expect(counted.text).toContain('Waiting for approval from Jo Williams.');
    const shown = await board.ask(priya, 'approval show A-1');
    expect(shown.text).toContain('Priya Shah approved');
    expect(shown.text).toContain('“Content with the savings”');
  });

  it('a second vote by the same approver is refused: a vote is final', async () => {
    const again = await board.ask(priya, 'reject A-1 "Changed my mind"');
    expect(lines(again)[0]).toBe('You have already voted on A-1');
    expect(again.text).toContain('Nothing was changed.');
  });

  it('someone who is not an approver is told so and nothing changes', async () => {
    const refused = await board.ask(sam, 'approve A-1');
    expect(lines(refused)[0]).toBe('You are not an approver for this');
    expect(statusOf(await board.ask(sam, 'approval show A-1'))).toBe('Pending');
  });

  it('reject needs a reason, and one rejection rejects under every approver', async () => {
    const noReason = await board.ask(jo, 'reject A-1');
    expect(noReason.text).toContain('the reason is missing');
    const rejected = await board.ask(jo, 'reject A-1 "No budget line for the running costs"');
    expect(rejected.text).toMatch(/Rejected by Jo Williams on 25 Nov, \d\d:\d\d\./);
    const late = await board.ask(chris, 'approve A-1');
    expect(lines(late)[0]).toBe('You are not an approver for this');
  });

  it('a vote after the decision is refused as already decided', async () => {
    await requested(board, request('approvers=board policy=any'));
    await board.ask(chris, 'approve A-2');
    const late = await board.ask(priya, 'approve A-2');
    expect(lines(late)[0]).toBe('A-2 is already decided');
    expect(late.text).toMatch(/Approved by Chris Hughes/);
  });

  it('approval changes ends the approval as changes-requested', async () => {
    await requested(board, request('approvers=board policy=majority'));
    const asked = await board.ask(jo, 'approval changes A-3 "Add the exit costs"');
    expect(lines(asked)[0]).toBe('You asked for changes to A-3');
    expect(statusOf(await board.ask(jo, 'approval show A-3'))).toBe('Changes requested');
  });

  it('an abstainer leaves the count, and when no one is left to decide the card says so', async () => {
    await requested(board, naming([priya, jo], `policy=per-council`));
    const declared = await board.ask(jo, 'approval abstain A-4 "My partner works for the supplier"');
    expect(lines(declared)[0]).toBe('You declared an interest in A-4');
    const card = await board.ask(priya, 'approval show A-4');
    expect(card.text).toContain('No one is left to decide: no one is left to decide for CWAC');
    expect(card.text).toContain('Jo Williams declared an interest');
    expect(card.text).toContain('“My partner works for the supplier”');
  });

  it('approve alone lists what waits for me, soonest due first', async () => {
    await requested(board, request('approvers=board policy=any due=2026-12-04'));
    await requested(board, request('approvers=board policy=any due=2026-12-01'));
    const mine = await board.ask(chris, 'approve');
    expect(lines(mine)[0]).toBe('Approvals waiting for you');
    expect(mine.text.match(/^A-\d+$/gm)).toEqual(['A-6', 'A-5']);
    expect(mine.text).toContain('Budget change · Due 1 Dec 2026');
    expect(mine.text).toContain('Requested by Sam Jones · waiting for Chris Hughes, Jo Williams and Priya Shah');
    expect((await board.ask(ruth, 'approval list')).text).toContain('Nothing is waiting for your decision.');
  });
});

describe('withdrawal and expiry', () => {
  let board: Board;
  beforeAll(async () => {
    board = await boardPartnership('withdraw');
    await requested(board, request('approvers=board policy=any due=2026-11-26'));
  });
  afterAll(() => board.close());

  it('is refused to someone who neither asked nor is an admin', async () => {
    const refused = await board.ask(priya, 'approval withdraw A-1');
    expect(lines(refused)[0]).toBe('You need the admin role');
    expect(refused.text).toContain('or being the one who requested it, Sam Jones');
  });

  it('is done by the requester, and votes after it are refused', async () => {
    const withdrawn = await board.ask(sam, 'approval withdraw A-1');
    expect(lines(withdrawn)[0]).toBe('A-1 withdrawn');
    expect(lines(await board.ask(chris, 'approve A-1'))[0]).toBe('A-1 was withdrawn');
    expect(statusOf(await board.ask(chris, 'approval show A-1'))).toBe('Withdrawn');
  });

  it('an approval past the end of its due day in London is expired when read', async () => {
    await requested(board, request('approvers=board policy=any due=2026-11-26'));
    // Another instance on the same tables, just after midnight at the end of the due day.
    const later = await startTestBot({
      tablePrefix: board.bot.tablePrefix,
      now: () => new Date('2026-11-27T00:00:01Z'),
    });
    try {
      const card = await later.ask(board.where, chris, 'approval show A-2');
      expect(statusOf(card)).toBe('Expired');
      expect(card.text).toContain('Expired: not decided by the end of 26 Nov 2026.');
      expect(buttons(card)).toEqual([]);
      expect(lines(await later.ask(board.where, chris, 'approve A-2'))[0]).toBe('A-2 has expired');
    } finally {
      await later.close();
    }
  });

  it('an admin may withdraw what someone else asked for', async () => {
    await requested(board, request('approvers=board policy=any'));
    expect(lines(await board.ask(alex, 'approval withdraw A-3'))[0]).toBe('A-3 withdrawn');
  });
});

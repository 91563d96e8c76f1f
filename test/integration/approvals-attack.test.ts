/**
 * Approval buttons as a stranger might forge them: data of the wrong shape or type gets a plain
 * answer naming what is wrong, and no vote is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardPartnership, priya, sam, type Board } from '../support/board.js';

describe('a forged vote button', () => {
  let board: Board;
  beforeAll(async () => {
    board = await boardPartnership('forged-vote');
    await board.ask(sam, 'approval request "Renew the firewall" type=other approvers=board policy=all');
  });
  afterAll(() => board.close());

  it.each([
    ['no data at all', {}, /approvalId= is missing/],
    ['no decision', { approvalId: 'A-1' }, /decision= is missing/],
    [
      'a decision no button sends',
      { approvalId: 'A-1', decision: 'APPROVE' },
      /decision= has a value this button does not send/,
    ],
    [
      'an id that is not text',
      { approvalId: { id: 'A-1' }, decision: 'approve' },
      /approvalId= has a value this button does not send/,
    ],
    [
      'a comment that is a number',
      { approvalId: 'A-1', decision: 'reject', comment: 5 },
      /comment= has a value this button does not send/,
    ],
  ])('answers %s plainly and counts no vote', async (_, data, said) => {
    const reply = await board.press(priya, 'approval.vote', data);
    expect(reply.text).toMatch(said);
    expect(reply.text).toContain('Nothing was changed');
    expect(reply.text).not.toMatch(/undefined|Invalid|expected|\[object/);
    const shown = await board.ask(priya, 'approval show A-1');
    expect(shown.text).toContain('Waiting for approval from Chris Hughes, Jo Williams and Priya Shah.');
  });
});

/**
 * The portfolio commands' rules, run in memory against Azurite: the gateway's fields, possible
 * duplicates, the gateway approval that makes a project active or rejected, RAG reports and their
 * history, closing, the portfolio list, and the digest sections and reminders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalFamily } from '../../src/commands/approvals/index.js';
import { projectFamily } from '../../src/commands/project/index.js';
import { ProjectRepository } from '../../src/storage/projects.js';
import { startTestBot, type Reply } from '../support/bot-harness.js';
import { alex, boardPartnership, chris, jo, priya, ruth, sam, statusOf, type Board } from '../support/board.js';
import { fact, lines, plain, tableRows } from '../support/cards.js';
import { mentions, type Person } from '../support/teams.js';

const proposal = (name: string, manager: Person, sponsor: Person, extra = '') =>
  mentions`project add "${name}" manager=${manager} sponsor=${sponsor} scope="Round-the-clock security monitoring" budget=£420k start=2027-01-04 end=2028-12-22 ${extra}`;

async function proposed(board: Board, name: string): Promise<Reply> {
  const reply = await board.ask(sam, proposal(name, jo, priya));
  expect(lines(reply)[0], reply.text).toMatch(/^Project P-\d+ .* is proposed\./);
  return reply;
}

async function projectCount(board: Board): Promise<number> {
  return (await new ProjectRepository(board.bot.app.services.tables).list(board.partnershipId)).length;
}

describe('project add: the gateway', () => {
  let board: Board;
  beforeAll(async () => {
    board = await boardPartnership('gateway');
  });
  afterAll(() => board.close());

  it('proposes the project and posts its gateway approval to the board, per council', async () => {
    const card = await proposed(board, 'SOC partner procurement');
    expect(lines(card)[0]).toBe(
      'Project P-1 SOC partner procurement is proposed. It joins the portfolio when the board approves this gateway (A-1).',
    );
    expect(fact(card, 'Type')).toBe('Gateway');
    expect(fact(card, 'Concerns')).toBe('Project P-1');
    expect(fact(card, 'Approvers')).toBe('Chris Hughes, Jo Williams and Priya Shah');
    expect(fact(card, 'Decided by')).toBe('at least one approver from each council (CEC, CWAC) and no rejection');
    expect(card.text).toContain(
      'Budget £420,000 · 4 Jan 2027 to 22 Dec 2028 · manager Jo Williams · sponsor Priya Shah',
    );
    const shown = await board.ask(ruth, 'project show P-1');
    expect(shown.text).toMatch(/^Proposed$/m);
    expect(fact(shown, 'Proposed by')).toBe('Sam Jones on 25 Nov 2026');
    expect(shown.text).toContain('A-1 Gateway: SOC partner procurement: Pending');
  });

  it('lists every field the gateway still needs, and the timeline, and stores nothing', async () => {
    const before = await projectCount(board);
    const refused = await board.ask(
      sam,
      mentions`project add "Wi-Fi refresh" manager=${jo} start=2027-04-01 end=2027-03-01`,
    );
    expect(plain(refused).split('\n').slice(0, 6)).toEqual([
      'I could not do that',
      '• the gateway needs a sponsor: add sponsor=@name',
      '• the gateway needs a scope: add scope="what the project will deliver"',
      '• the gateway needs a budget: add budget=£250k',
      '• the end date 2027-03-01 is before the start date 2027-04-01',
      'Nothing was changed.',
    ]);
    expect(await projectCount(board)).toBe(before);
  });

  it('flags a name close to an existing project as a possible duplicate', async () => {
    const card = await board.ask(sam, proposal('SOC partner procurment', jo, priya));
    expect(lines(card)[0]).toContain('It may duplicate a project in the portfolio: see below.');
    expect(card.text).toContain(
      'Possible duplicate of P-1 SOC partner procurement: check it is not the same project before approving.',
    );
  });

  it('refuses the same name as a project in the portfolio', async () => {
    const before = await projectCount(board);
    const refused = await board.ask(sam, proposal('SOC Partner  procurement', jo, priya));
    expect(refused.text).toContain('P-1 SOC partner procurement is in the portfolio already (proposed)');
    expect(await projectCount(board)).toBe(before);
  });

  it('is for editors, and an editor for one council proposes only that council’s projects', async () => {
    expect(lines(await board.ask(ruth, proposal('Laptop refresh', jo, priya)))[0]).toBe('You need the editor role');
    await board.ask(alex, mentions`role grant ${ruth} editor council=CEC`);
    const shared = await board.ask(ruth, proposal('Laptop refresh', jo, priya));
    expect(shared.text).toContain('"propose a project for every council" needs the role');
    expect(lines(await board.ask(ruth, proposal('Laptop refresh', jo, priya, 'council=CEC')))[0]).toMatch(
      /^Project P-\d+ Laptop refresh is proposed/,
    );
  });

  it('refuses a per-council gateway when a council has no approver, naming it', async () => {
    const lonely = await boardPartnership('gateway-lonely', { chair: false });
    try {
      await lonely.ask(alex, mentions`role revoke ${jo} approver`);
      const before = await projectCount(lonely);
      const refused = await lonely.ask(sam, proposal('Print contract', jo, priya));
      expect(refused.text).toContain(
        'no approver for CWAC is named: per-council needs at least one approver from each council',
      );
      expect(await projectCount(lonely)).toBe(before);
    } finally {
      await lonely.close();
    }
  });
});

describe('the gateway decides the project', () => {
  let board: Board;
  beforeAll(async () => {
    board = await boardPartnership('decides');
    await proposed(board, 'User migration');
    await proposed(board, 'Printer estate');
  });
  afterAll(() => board.close());

  it('approval by every council makes the project active', async () => {
    await board.ask(priya, 'approve A-1');
    expect((await board.ask(ruth, 'project show P-1')).text).toMatch(/^Proposed$/m);
    const decided = await board.ask(jo, 'approve A-1 "CWAC agrees"');
    expect(decided.text).toContain('Project P-1 User migration is now active in the portfolio.');
    expect((await board.ask(ruth, 'project show P-1')).text).toMatch(/^Active$/m);
  });

  it('a rejection rejects it, and it leaves the live portfolio', async () => {
    await board.ask(chris, 'reject A-2 "Covered by the managed print contract"');
    expect((await board.ask(ruth, 'project show P-2')).text).toMatch(/^Rejected$/m);
    const live = await board.ask(ruth, 'project list');
    expect(live.text).toContain('User migration (P-1)');
    expect(live.text).not.toContain('Printer estate (P-2)');
    expect((await board.ask(ruth, 'project list rejected')).text).toContain('Printer estate (P-2)');
  });

  it('takes RAG reports from the manager and keeps their history, newest first', async () => {
    const first = await board.ask(jo, 'project status P-1 green "Pilot group moved"');
    expect(lines(first)[0]).toBe('User migration (P-1) is Green');
    const second = await board.ask(jo, 'project status P-1 red "CWAC file shares need re-permissioning"');
    expect(second.text).toContain('The report before was Green');
    const shown = await board.ask(ruth, 'project show P-1');
    expect(shown).toShowRag('Red');
    expect(tableRows(shown).map((r) => [r.rag, r.cells[3]])).toEqual([
      ['Red', 'CWAC file shares need re-permissioning'],
      ['Green', 'Pilot group moved'],
    ]);
    expect(shown.text).toContain('No open risks on the register are linked to this project.');
  });

  it('refuses a RAG report from someone who is neither its manager nor an editor, or for a project not active', async () => {
    const refused = await board.ask(priya, 'project status P-1 green "All fine"');
    expect(lines(refused)[0]).toBe('You need the editor role');
    expect(refused.text).toContain('or being its project manager (Jo Williams)');
    expect((await board.ask(sam, 'project status P-2 green "x"')).text).toContain(
      'P-2 Printer estate is rejected: RAG is reported for active projects only.',
    );
    expect((await board.ask(sam, 'project status P-1 purple "x"')).text).toContain('"purple" is not a RAG');
    expect((await board.ask(sam, 'project status P-9 green "x"')).text).toContain('There is no project P-9');
  });

  it('lists the portfolio filtered by RAG, and closes a project with its reason', async () => {
    expect((await board.ask(ruth, 'project red')).text).toContain('User migration (P-1)');
    expect((await board.ask(ruth, 'project list active green')).text).toContain('No projects match.');
    expect((await board.ask(ruth, 'project list purple')).text).toContain('"purple" is not a filter');
    expect(lines(await board.ask(ruth, 'project close P-1 "Done"'))[0]).toBe('You need the editor role');
    const closed = await board.ask(sam, 'project close P-1 "Every mailbox moved"');
    expect(lines(closed)[0]).toBe('User migration (P-1) closed');
    expect((await board.ask(sam, 'project close P-1 "Again"')).text).toContain(
      'a project that is closed cannot become closed',
    );
    expect((await board.ask(ruth, 'project list closed')).text).toContain('User migration (P-1)');
  });
});

describe('digest sections and reminders', () => {
  it('gives pending approvals with due dates, RAG changes since the last digest, stale reports, and who must decide within a day', async () => {
    const board = await boardPartnership('digest');
    try {
      await proposed(board, 'User migration');
      await board.ask(priya, 'approve A-1');
      await board.ask(jo, 'approve A-1');
      await board.ask(jo, 'project status P-1 amber "Mailbox moves behind"');
      await board.ask(
        sam,
        'approval request "Accept the firewall risk" type=risk-acceptance approvers=board policy=any due=2026-11-26',
      );
      const partnership = (await board.bot.app.services.partnerships.get(board.partnershipId))!;
      const services = board.bot.app.services;
      const request = { partnership, now: new Date('2026-11-26T09:00:00Z'), since: new Date('2026-11-20T00:00:00Z') };
      const [approvals] = await approvalFamily(services).digest!(request);
      expect(approvals).toMatchObject({ key: 'approvals', summary: '1 approval pending' });
      expect(approvals!.items.map((i) => i.text)).toEqual([
        'A-2 Accept the firewall risk (Risk acceptance): due 26 Nov 2026, waiting for Chris Hughes, Jo Williams and Priya Shah',
      ]);
      const [portfolio] = await projectFamily(services).digest!(request);
      expect(portfolio).toMatchObject({ key: 'projects', summary: '1 RAG change since 20 Nov 2026; 0 stale reports' });
      expect(portfolio!.items).toEqual([
        { text: 'P-1 User migration: first report Amber (25 Nov 2026)', rag: 'Amber' },
      ]);
      const fortnightLater = await projectFamily(services).digest!({
        ...request,
        now: new Date('2026-12-12T09:00:00Z'),
      });
      expect(fortnightLater[0]!.items.map((i) => i.text)).toContain(
        'P-1 User migration: report stale, last Amber on 25 Nov 2026',
      );
      const reminders = await approvalFamily(services).reminders!(request);
      expect(reminders.map((r) => [r.person.name, r.due])).toEqual([
        ['Chris Hughes', '2026-11-27T00:00:00.000Z'],
        ['Jo Williams', '2026-11-27T00:00:00.000Z'],
        ['Priya Shah', '2026-11-27T00:00:00.000Z'],
      ]);
      expect(await approvalFamily(services).reminders!({ ...request, now: new Date('2026-11-25T09:00:00Z') })).toEqual(
        [],
      );
    } finally {
      await board.close();
    }
  });
});

describe('the demo', () => {
  it('lays a pending gateway, a decided business case, a portfolio of five with RAG history and the risks that threaten it', async () => {
    const bot = await startTestBot();
    try {
      const { seedDemo } = await import('../../scripts/demo-seed.js');
      const place = {
        tenantId: '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70',
        user: { id: alex.id, name: alex.name, aadObjectId: alex.aadObjectId },
        people: [sam, priya, jo, chris, ruth].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })),
        personalChatId: 'a:1demo-personal',
        groupChat: { id: '19:demo-group@thread.v2', name: 'Board' },
        teamId: '19:demo-team@thread.tacv2',
        teamName: 'Shared ICT',
        committeeChannel: undefined,
      };
      const now = bot.app.services.clock();
      await seedDemo(bot.app.services, place, now);
      await seedDemo(bot.app.services, place, now);
      const chat = {
        kind: 'personal' as const,
        conversationId: place.personalChatId,
        tenantId: place.tenantId,
        person: alex,
      };
      const portfolio = await bot.ask(chat, alex, 'project list');
      expect(portfolio.text).toContain('4 projects: 1 Red, 0 Amber, 2 Green, 1 not reported');
      expect(portfolio.text).toContain('Stale: the last report is more than 14 days old');
      expect((await bot.ask(chat, alex, 'project list closed')).text).toContain('Wi-Fi refresh at Westfields (P-4)');
      const gateway = await bot.ask(chat, alex, 'approval show A-2');
      expect(statusOf(gateway)).toBe('Pending');
      expect(gateway.text).toContain('Waiting for an approval for CEC.');
      expect(gateway.text).toContain('Priya Shah approved');
      const mine = await bot.ask(chat, alex, 'approve');
      expect(mine.text.match(/^A-\d+$/gm)).toEqual(['A-2']);
      const businessCase = await bot.ask(chat, alex, 'approval show A-1');
      expect(statusOf(businessCase)).toBe('Approved');
      expect(businessCase.text).toContain('Sam Jones approved');
      expect(businessCase.text).toContain('Priya Shah approved');
      // The cyber risk threatens the SOC partner procurement; the tenancy and portal risks their projects.
      const soc = await bot.ask(chat, alex, 'project show P-5');
      expect(soc).toShowRag('Red');
      expect(soc.text).toMatch(
        /^R-1 Information management and data security.* · 4×5 = 20 · above the cyber appetite of 6$/m,
      );
      expect(fact(await bot.ask(chat, alex, 'risk show R-1'), 'Project')).toBe('P-5 SOC partner procurement');
      expect((await bot.ask(chat, alex, 'project show P-1')).text).toMatch(
        /^R-\d+ Delay to the new CWAC tenancy build · /m,
      );
      expect((await bot.ask(chat, alex, 'project show P-3')).text).toMatch(/^R-\d+ Portal channel shift stalls · /m);
      // A project is found by its name too, or a unique part of it, with did-you-mean for a typo.
      expect(lines(await bot.ask(chat, alex, 'project show SOC partner procurement'))[0]).toBe(lines(soc)[0]);
      expect(lines(await bot.ask(chat, alex, 'project show soc partner'))[0]).toBe(lines(soc)[0]);
      const typo = await bot.ask(chat, alex, 'project show SOC partner procurment');
      expect(typo.text).toContain('There is no project "SOC partner procurment"');
      expect(typo.text).toContain('project P-5 (SOC partner procurement)');
    } finally {
      await bot.close();
    }
  });
});

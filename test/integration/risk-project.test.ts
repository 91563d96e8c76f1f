/**
 * Risks and the projects they threaten: project= on risk add and risk update (an id or a name of
 * the partnership's portfolio, project=none to unlink), refused with nothing stored when the
 * project is unknown, mistyped or closed; risk show names the project, and project show lists the
 * open risks linked to it. Sam is an editor; Priya (CEC) and Jo (CWAC) approve gateways; Alex is
 * the admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entrySchema } from '../../src/storage/risk-rows.js';
import { RiskRepository } from '../../src/storage/risks.js';
import { Summary } from '../../src/storage/summary.js';
import { type Reply } from '../support/bot-harness.js';
import { alex, boardPartnership, jo, priya, ruth, sam, type Board } from '../support/board.js';
import { allElements, auditEntries, fact, lines, plain, textsIn } from '../support/cards.js';
import { mentions } from '../support/teams.js';

const proposal = (name: string) =>
  mentions`project add "${name}" manager=${jo} sponsor=${priya} scope="What the project delivers" budget=£420k start=2027-01-04 end=2028-12-22`;

/** The linked-risk rows of a project card: band word and the line beside it. */
function riskRows(reply: Reply): Array<{ rag: string; text: string }> {
  return allElements(reply.card)
    .filter((e) => e.type === 'ColumnSet')
    .map((set) => textsIn(set))
    .filter((texts) => texts.length === 3 && /^R-\d+ /.test(texts[2]!))
    .map(([, rag, text]) => ({ rag: rag!, text: text! }));
}

describe('risks linked to projects', () => {
  let board: Board;
  let risks: RiskRepository;
  const count = async () => (await risks.list(board.partnershipId)).length;
  const stored = async (id: string) => (await risks.get(board.partnershipId, id))?.risk;
  const entry = async (id: string) => (await risks.list(board.partnershipId)).find((e) => e.id === id);

  beforeAll(async () => {
    board = await boardPartnership('risk-project');
    risks = new RiskRepository(board.bot.app.services.tables);
    for (const name of ['User migration', 'SOC partner procurement', 'Wi-Fi refresh at Westfields']) {
      expect(lines(await board.ask(sam, proposal(name)))[0]).toMatch(/^Project P-\d+ .* is proposed\./);
    }
    // P-1 and P-3 pass the gateway; P-3 is then delivered and closed.
    for (const gateway of ['A-1', 'A-3']) {
      await board.ask(priya, `approve ${gateway}`);
      await board.ask(jo, `approve ${gateway} "CWAC agrees"`);
    }
    expect((await board.ask(sam, 'project close P-3 "Delivered: every floor on the new network"')).text).toContain(
      'P-3',
    );
    expect((await board.ask(ruth, 'project show P-3')).text).toMatch(/^Closed$/m);
  });
  afterAll(() => board.close());

  it('links a risk to a project when it is added, and shows it on the risk', async () => {
    const added = await board.ask(
      sam,
      'risk add "Mailbox moves slip" likelihood=3 impact=4 category=delivery project=P-1',
    );
    expect(lines(added)[0]).toBe('Risk added: R-1 Mailbox moves slip');
    expect(fact(added, 'Project')).toBe('P-1 User migration');
    expect((await stored('R-1'))?.project).toBe('P-1');
    expect((await entry('R-1'))?.project).toBe('P-1');
    expect(fact(await board.ask(ruth, 'risk show R-1'), 'Project')).toBe('P-1 User migration');
  });

  it('links a risk on update, by id or by name, and unlinks it with project=none, each with its audit row', async () => {
    await board.ask(sam, 'risk add "Security logs go unread" likelihood=4 impact=4 category=cyber');
    expect(fact(await board.ask(ruth, 'risk show R-2'), 'Project')).toBeUndefined();

    const linked = await board.ask(sam, 'risk update R-2 project=P-2');
    expect(linked.text).toContain('It now threatens project P-2 SOC partner procurement.');
    expect((await stored('R-2'))?.project).toBe('P-2');
    expect(fact(await board.ask(ruth, 'risk show R-2'), 'Project')).toBe('P-2 SOC partner procurement');
    const audited = auditEntries(await board.ask(alex, 'audit'))[0];
    expect(audited?.command).toBe('risk update R-2 project=P-2');
    expect(audited?.fields.project).toContain('P-2');

    const unlinked = await board.ask(sam, 'risk update R-2 project=none');
    expect(unlinked.text).toContain('It is no longer linked to project P-2.');
    expect((await stored('R-2'))?.project).toBeUndefined();
    expect((await entry('R-2'))?.project).toBeUndefined();
    expect(fact(await board.ask(ruth, 'risk show R-2'), 'Project')).toBeUndefined();

    const byName = await board.ask(sam, 'risk update R-2 project="soc partner procurement"');
    expect(byName.text).toContain('It now threatens project P-2 SOC partner procurement.');
    expect((await stored('R-2'))?.project).toBe('P-2');
  });

  it('says so when the link is already there, and stores nothing', async () => {
    const again = await board.ask(sam, 'risk update R-2 project=P-2');
    expect(lines(again)[0]).toBe('R-2 is unchanged');
  });

  it('refuses a project the portfolio does not have, naming project=, and stores nothing', async () => {
    const before = await count();
    const refused = await board.ask(sam, 'risk add "Printer fleet lapses" likelihood=2 impact=2 project=P-9');
    expect(refused.text).toContain(
      'project=P-9: there is no project P-9 in risk-project ICT; give a proposed or active project of the portfolio as project=P-‹n› (project list shows them). Nothing was changed.',
    );
    expect(await count()).toBe(before);

    const misspelt = await board.ask(sam, 'risk update R-1 project="User migraton"');
    expect(misspelt.text).toContain('project=User migraton: there is no project User migraton');
    expect(misspelt.text).toContain('Did you mean: project=P-1 (User migration)?');
    expect((await stored('R-1'))?.project).toBe('P-1');
  });

  it('refuses text that is not a project id, with the right form', async () => {
    const before = await count();
    const refused = await board.ask(sam, 'risk add "Printer fleet lapses" likelihood=2 impact=2 project=P-x');
    expect(plain(refused)).toContain(
      'project=P-x is not a project id: write it like P-2 (project list shows them), e.g. risk add "Tenancy build slips" likelihood=3 impact=4 project=P-2, or project=none for no project',
    );
    expect(await count()).toBe(before);
  });

  it('refuses a closed project for a new link, and stores nothing', async () => {
    const refused = await board.ask(sam, 'risk update R-2 project=P-3');
    expect(refused.text).toContain(
      'project=P-3: P-3 Wi-Fi refresh at Westfields is closed, so a risk cannot be linked to it now',
    );
    expect((await stored('R-2'))?.project).toBe('P-2');
  });

  it('lists on project show the open risks linked to the project, worst first, and not closed ones', async () => {
    await board.ask(sam, 'risk add "File shares need re-permissioning" likelihood=4 impact=4 project="User migration"');
    await board.ask(sam, 'risk add "Migration slots run out" likelihood=2 impact=2 category=delivery project=P-1');
    await board.ask(sam, 'risk close R-4 "slots agreed for the year"');
    const shown = await board.ask(ruth, 'project show P-1');
    expect(riskRows(shown)).toEqual([
      { rag: 'Red', text: 'R-3 File shares need re-permissioning · 4×4 = 16 · above the other appetite of 12' },
      { rag: 'Amber', text: 'R-1 Mailbox moves slip · 3×4 = 12 · within the delivery appetite' },
    ]);
    expect(shown).toShowRag('Red');
    expect(shown.text).not.toContain('R-4');

    const none = await board.ask(ruth, 'project show P-3');
    expect(riskRows(none)).toEqual([]);
    expect(none.text).toContain('No open risks on the register are linked to this project.');
  });

  it('rebuilds a register summary written before risks named projects when a change meets it', async () => {
    // The summary as version 1 wrote it: the same risks, with no project in their entries.
    const tables = board.bot.app.services.tables;
    const older = new Summary(tables.partnerships, {
      family: 'risk',
      entry: entrySchema,
      version: 1,
      // The RowKeys of risk rows: risk|R-1 (storage/risk-rows.ts).
      itemPrefix: 'risk|',
    });
    const entries = await risks.list(board.partnershipId);
    await older.rebuild(board.partnershipId, () =>
      Promise.resolve(entries.map(({ project: _project, ...e }) => [e.id, { ...e }] as const)),
    );
    expect((await risks.summary.readAll(board.partnershipId)).current).toBe(false);

    const linked = await board.ask(sam, 'risk update R-2 project=P-1');
    expect(linked.text).toContain('It now threatens project P-1 User migration.');
    expect((await risks.summary.readAll(board.partnershipId)).current).toBe(true);
    expect((await entry('R-1'))?.project).toBe('P-1');
    expect((await entry('R-2'))?.project).toBe('P-1');
    expect(riskRows(await board.ask(ruth, 'project show P-1')).map((r) => r.text.split(' ')[0])).toEqual([
      'R-2',
      'R-3',
      'R-1',
    ]);
  });
});

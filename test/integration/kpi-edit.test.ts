/**
 * `kpi edit` and `kpi remove`, the rights of an editor for one council, and a change with its audit row.
 * The partnership, its people and the clock: test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KpiRepository } from '../../src/storage/kpis.js';
import { replyOf } from '../support/bot-harness.js';
import { auditEntries, countsLine, fact, kpiRow, kpiRows, lines } from '../support/cards.js';
import { meetAt } from '../support/concurrency.js';
import { added, auditRowCount, cheshirePartnership, recorded, type Performance } from '../support/kpi-fixtures.js';
import { alex, jo, mentions, postActivity, priya, sam } from '../support/teams.js';

const summaryRows = kpiRows;
const row = kpiRow;

describe('kpi edit and kpi remove', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-edit-remove');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await recorded(p, sam, 'kpi record FTF 82 period=2026-10');
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1');
    await recorded(p, sam, 'kpi record MI 1 period=2026-10');
  });
  afterAll(() => p.close());

  it('changes the target for an editor, and the RAG on the summary follows', async () => {
    expect(row(await p.say(jo, 'kpi'), 'FTF')).toMatchObject({ target: '≥ 80%', rag: 'Green' });

    const reply = await p.say(sam, 'kpi edit FTF target=85');

    expect(lines(reply)[0]).toBe('First time fix (FTF) updated');
    expect(reply.text).toContain('Target 2026/27 ≥ 85%, higher is better.');
    const summary = await p.say(jo, 'kpi');
    expect(row(summary, 'FTF')).toMatchObject({ value: '82%', target: '≥ 85%', rag: 'Amber' });
    expect(countsLine(summary)).toBe('2 KPIs: 1 Green, 1 Amber, 0 Red');
  });

  it('refuses to change the unit of a KPI that has readings', async () => {
    const reply = await p.say(sam, 'kpi edit FTF unit=count target=3');

    expect(reply.text).toContain('FTF has readings, so its unit and frequency cannot change: add a new KPI instead');
    expect(reply.text).toContain('Nothing was changed.');
    expect(fact(await p.say(jo, 'kpi FTF'), 'Target 2026/27')).toBe('≥ 85% (higher is better)');
  });

  it('changes the unit of a KPI that has no readings yet', async () => {
    await added(p, sam, 'kpi add "Time to resolve" code=TTR target=8 unit=hours polarity=lower');
    const reply = await p.say(sam, 'kpi edit TTR unit=days target=1');
    expect(lines(reply)[0]).toBe('Time to resolve (TTR) updated');
    expect(fact(await p.say(jo, 'kpi TTR'), 'Target 2026/27')).toBe('≤ 1 day (lower is better)');
  });

  it('refuses kpi edit from a viewer', async () => {
    const reply = await p.say(jo, 'kpi edit FTF target=10');
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(fact(await p.say(jo, 'kpi FTF'), 'Target 2026/27')).toBe('≥ 85% (higher is better)');
  });

  it('refuses kpi remove from an editor: only an admin removes a KPI', async () => {
    const reply = await p.say(sam, 'kpi remove FTF');

    expect(lines(reply)[0]).toBe('You need the admin role');
    expect(reply.text).toContain('"kpi remove" needs the role admin');
    expect(reply.text).toContain('Nothing was changed.');
    expect(lines(await p.say(jo, 'kpi FTF'))[0]).toBe('First time fix');
  });

  it('removes a KPI for an admin: gone from kpi, not found by code, and in the audit', async () => {
    const reply = await p.say(alex, 'kpi remove FTF');

    expect(lines(reply)[0]).toBe('First time fix (FTF) removed');
    const summary = await p.say(jo, 'kpi');
    expect(summaryRows(summary).map((r) => r.code)).not.toContain('FTF');
    expect(countsLine(summary)).toBe('2 KPIs: 1 Green, 0 Amber, 0 Red, 1 with no data');
    const asked = await p.say(jo, 'kpi FTF');
    expect(lines(asked)[0]).toBe('Not found');
    expect(asked.text).toContain('There is no KPI "FTF" in Cheshire ICT Shared Service.');

    const removal = auditEntries(await p.say(alex, 'audit')).find((e) => e.command === 'kpi remove FTF');
    expect(removal?.who).toBe('Alex Morgan');
    expect(removal?.change).toBe('kpi FTF removed');
    expect(removal?.fields).toMatchObject({ name: 'First time fix', 'target 2026/27': '85%' });
  });

  it('says who removed a KPI and when, to anyone who records, edits or removes it by its code', async () => {
    const before = await p.kpis.readings(p.partnershipId, 'FTF');
    for (const [who, typed] of [
      [sam, 'kpi record FTF 90'],
      [sam, 'kpi edit FTF target=90'],
      [alex, 'kpi remove FTF'],
    ] as const) {
      const reply = await p.say(who, typed);
      expect(lines(reply)[0], typed).toBe('Not found');
      expect(reply.text, typed).toContain('First time fix (FTF) was removed by Alex Morgan on 2026-11-25.');
      expect(reply.text, typed).toContain('Its history stays in the audit; add a new KPI to measure it again.');
    }
    expect(await p.kpis.readings(p.partnershipId, 'FTF')).toEqual(before);
    expect((await p.kpis.get(p.partnershipId, 'FTF'))?.definition.targets.at(-1)?.target).toBe(85);
    const audit = auditEntries(await p.say(alex, 'audit')).map((e) => e.command);
    expect(audit).not.toContain('kpi record FTF 90');
    expect(audit).not.toContain('kpi edit FTF target=90');
    expect(audit.filter((c) => c === 'kpi remove FTF')).toHaveLength(1);
  });

  it("keeps a removed KPI's code taken, so the audit stays unambiguous", async () => {
    const reply = await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    expect(lines(reply)[0]).toBe('KPI added: First time fix (FTF2)');
  });
});

describe('an editor for one council', () => {
  let p: Performance;
  /** What is stored of a KPI, straight from the table: its target and the periods it has readings for. */
  const stored = async (code: string) => {
    const kpi = await p.kpis.get(p.partnershipId, code);
    const readings = await p.kpis.readings(p.partnershipId, code);
    return {
      target: kpi?.definition.targets.at(-1)?.target,
      council: kpi?.definition.council,
      periods: readings.map((r) => r.period),
    };
  };
  const auditCommands = async () => auditEntries(await p.say(alex, 'audit')).map((e) => e.command);

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-council-editor');
    // Priya edits CEC's KPIs only; Sam, an editor for every council, sets up one KPI of each kind.
    expect((await p.say(alex, mentions`role grant ${priya} editor council=CEC`)).text).toContain(
      'Priya Shah is now editor for CEC',
    );
    await added(p, sam, 'kpi add "CEC laptops rebuilt" code=CECL target=40 unit=count polarity=higher council=CEC');
    await added(p, sam, 'kpi add "CWAC laptops rebuilt" code=CWL target=40 unit=count polarity=higher council=CWAC');
    await added(p, sam, 'kpi add "First time fix" code=FTF target=80 unit=% polarity=higher');
  });
  afterAll(() => p.close());

  it("adds, records and edits the council's own KPIs", async () => {
    const reply = await added(
      p,
      priya,
      'kpi add "CEC printers" code=CECP target=95 unit=% polarity=higher council=CEC',
    );
    expect(fact(reply, 'Council')).toBe('CEC');
    expect(lines(await p.say(priya, 'kpi record CECL 41 period=2026-10'))[0]).toBe(
      'CEC laptops rebuilt: 41 for Oct 2026 is Green',
    );
    expect(lines(await p.say(priya, 'kpi edit CECL target=45'))[0]).toBe('CEC laptops rebuilt (CECL) updated');
    expect(await stored('CECL')).toEqual({ target: 45, council: 'CEC', periods: ['2026-10'] });
    expect(await auditCommands()).toEqual(
      expect.arrayContaining(['kpi edit CECL target=45', 'kpi record CECL 41 period=2026-10']),
    );
  });

  it('refuses to add a KPI for another council, names the role it needs, and adds nothing', async () => {
    const reply = await p.say(priya, 'kpi add "CWAC printers" code=CWP target=95 unit=% polarity=higher council=CWAC');

    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(reply.text).toContain('"add a KPI for CWAC" needs the role editor');
    expect(reply.text).toContain('(an editor for one council adds KPIs of that council only)');
    expect(reply.text).toContain('Nothing was changed.');
    expect(await p.kpis.get(p.partnershipId, 'CWP')).toBeUndefined();
    expect(await auditCommands()).not.toContain(
      'kpi add "CWAC printers" code=CWP target=95 unit=% polarity=higher council=CWAC',
    );
  });

  it("refuses to add a shared KPI, which is every council's", async () => {
    const reply = await p.say(priya, 'kpi add "Shared printers" code=SHP target=95 unit=% polarity=higher');
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(reply.text).toContain('"add a KPI for every council" needs the role editor');
    expect(await p.kpis.get(p.partnershipId, 'SHP')).toBeUndefined();
  });

  it('refuses the add form for another council too', async () => {
    const reply = await p.click(priya, 'kpi.add', {
      name: 'CWAC printers',
      code: 'CWP',
      target: '95',
      unit: '%',
      polarity: 'higher',
      council: 'CWAC',
    });
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(await p.kpis.get(p.partnershipId, 'CWP')).toBeUndefined();
  });

  it("refuses to record another council's KPI or a shared one, and stores nothing", async () => {
    for (const [code, council] of [
      ['CWL', 'CWAC'],
      ['FTF', 'every council'],
    ] as const) {
      const reply = await p.say(priya, `kpi record ${code} 50 period=2026-09`);
      expect(lines(reply)[0], code).toBe('You need the editor role');
      expect(reply.text).toContain(`"record ${code}" needs the role editor`);
      expect(reply.text).toContain(`for ${council}, or being the KPI's owner`);
      expect((await stored(code)).periods).toEqual([]);
    }
    const audit = await auditCommands();
    expect(audit).not.toContain('kpi record CWL 50 period=2026-09');
    expect(audit).not.toContain('kpi record FTF 50 period=2026-09');
  });

  it("refuses to edit another council's KPI or a shared one, or to move its own KPI to another council", async () => {
    for (const [typed, council] of [
      ['kpi edit CWL target=10', 'CWAC'],
      ['kpi edit FTF target=10', 'every council'],
      ['kpi edit CECL council=CWAC', 'CWAC'],
      ['kpi edit CECL council=shared', 'every council'],
    ] as const) {
      const reply = await p.say(priya, typed);
      expect(lines(reply)[0], typed).toBe('You need the editor role');
      expect(reply.text, typed).toContain(`"change KPIs of ${council}" needs the role editor`);
      expect(reply.text, typed).toContain('Nothing was changed.');
    }
    expect(await stored('CWL')).toMatchObject({ target: 40, council: 'CWAC' });
    expect(await stored('FTF')).toMatchObject({ target: 80, council: 'SHARED' });
    expect(await stored('CECL')).toMatchObject({ council: 'CEC' });
    expect((await auditCommands()).filter((c) => c.startsWith('kpi edit') && c !== 'kpi edit CECL target=45')).toEqual(
      [],
    );
  });

  it("lets an editor for every council, and an admin, change any council's KPIs", async () => {
    expect(lines(await p.say(sam, 'kpi record CWL 39 period=2026-10'))[0]).toBe(
      'CWAC laptops rebuilt: 39 for Oct 2026 is Amber',
    );
    expect(lines(await p.say(sam, 'kpi edit CECL target=42'))[0]).toBe('CEC laptops rebuilt (CECL) updated');
    expect(lines(await p.say(alex, 'kpi record FTF 81 period=2026-10'))[0]).toBe(
      'First time fix: 81% for Oct 2026 is Green',
    );
    expect(lines(await p.say(alex, 'kpi edit CWL council=CEC'))[0]).toBe('CWAC laptops rebuilt (CWL) updated');
    expect(await stored('CWL')).toMatchObject({ council: 'CEC' });
  });

  it('shows the council of the grant in setup show', async () => {
    expect(fact(await p.say(priya, 'setup show'), 'Your roles')).toBe('editor for CEC');
  });
});

describe('a change and its audit row', () => {
  let p: Performance;
  const auditRows = () => auditRowCount(p);

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-audit-together');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
  });
  afterAll(() => p.close());

  it('writes exactly one audit row for each change, and none for a refusal', async () => {
    const start = await auditRows();
    await recorded(p, sam, 'kpi record FTF 81 period=2026-10');
    expect(await auditRows()).toBe(start + 1);
    expect(lines(await p.say(sam, 'kpi edit FTF target=82'))[0]).toBe('First time fix (FTF) updated');
    expect(await auditRows()).toBe(start + 2);
    expect(lines(await p.say(sam, 'kpi record FTF 101'))[0]).toBe('I could not do that');
    expect(lines(await p.say(jo, 'kpi edit FTF target=10'))[0]).toBe('You need the editor role');
    expect(await auditRows()).toBe(start + 2);

    const [edit, record] = auditEntries(await p.say(alex, 'audit'));
    expect(edit).toMatchObject({ who: 'Sam Jones', command: 'kpi edit FTF target=82' });
    expect(edit?.change).toBe('kpi FTF changed');
    expect(edit?.fields).toEqual({ 'target 2026/27': '80% → 82%' });
    expect(record).toMatchObject({
      who: 'Sam Jones',
      command: 'kpi record FTF 81 period=2026-10',
      change: 'kpi FTF 2026-10 added',
      fields: { value: '81%', commentary: '—', by: 'Sam Jones' },
    });
  });

  it('shows a long command in the audit cut to 200 characters with its ellipsis', async () => {
    const commentary = 'the new triage script and the portal change together '.repeat(6).trim();
    const typed = `kpi record FTF 79 period=2026-09 "${commentary}"`;
    expect(typed.length).toBeGreaterThan(200);
    await recorded(p, sam, typed);
    const [latest] = auditEntries(await p.say(alex, 'audit'));
    expect(latest?.command).toBe(`${typed.slice(0, 199).trimEnd()}…`);
  });

  it('leaves no audit row for a kpi edit that loses the race to another edit', async () => {
    const kpis = p.kpis;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the instance's own `this`
    const update = KpiRepository.prototype.update;
    const before = p.bot.stub.sent.length;
    // Alex's edit is handled whole while Sam's is between reading FTF and writing it.
    const raced = vi.spyOn(KpiRepository.prototype, 'update').mockImplementationOnce(async function (
      this: KpiRepository,
      ...args
    ) {
      const meanwhile = await p.say(alex, 'kpi edit FTF target=70');
      expect(lines(meanwhile)[0]).toBe('First time fix (FTF) updated');
      return update.apply(this, args);
    });
    const start = await auditRows();
    try {
      await postActivity(p.bot.url, p.bot.teams.message(p.where, sam, 'kpi edit FTF target=90'));
    } finally {
      raced.mockRestore();
    }
    const answers = (await p.bot.stub.waitForSent(before + 2)).slice(before).map((a) => replyOf(a).text);
    const lost = answers.find((a) => a.includes('FTF was changed by someone else a moment ago; nothing was changed.'));
    expect(lost, answers.join('\n---\n')).toBeDefined();

    expect((await kpis.get(p.partnershipId, 'FTF'))?.definition.targets.at(-1)?.target).toBe(70);
    expect(await auditRows()).toBe(start + 1);
    const commands = auditEntries(await p.say(alex, 'audit')).map((e) => e.command);
    expect(commands[0]).toBe('kpi edit FTF target=70');
    expect(commands).not.toContain('kpi edit FTF target=90');
  });

  it('leaves no audit row for a kpi add whose code was taken a moment before it was written', async () => {
    const meeting = meetAt(KpiRepository.prototype, 'add', 2);
    const start = await auditRows();
    const before = p.bot.stub.sent.length;
    try {
      await Promise.all([
        postActivity(
          p.bot.url,
          p.bot.teams.message(p.where, sam, 'kpi add "Laptops rebuilt" code=LR target=40 unit=count polarity=higher'),
        ),
        postActivity(
          p.bot.url,
          p.bot.teams.message(p.where, alex, 'kpi add "Laptop repairs" code=LR target=30 unit=count polarity=higher'),
        ),
      ]);
    } finally {
      meeting.restore();
    }
    const answers = (await p.bot.stub.waitForSent(before + 2)).slice(before).map((a) => replyOf(a).text);
    expect(
      answers.filter((a) => a.startsWith('KPI added: ')),
      answers.join('\n---\n'),
    ).toHaveLength(1);
    expect(answers.filter((a) => a.includes('code LR was taken a moment ago: choose another code'))).toHaveLength(1);

    // The losing batch held the KPI and its audit row: neither was written.
    expect(await auditRows()).toBe(start + 1);
    const winner = answers.find((a) => a.startsWith('KPI added: '))!.includes('Laptops rebuilt')
      ? 'Laptops rebuilt'
      : 'Laptop repairs';
    expect((await p.kpis.get(p.partnershipId, 'LR'))?.definition.name).toBe(winner);
    expect(auditEntries(await p.say(alex, 'audit')).filter((e) => e.change.startsWith('kpi LR '))).toHaveLength(1);
  });
});

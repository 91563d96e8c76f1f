/**
 * `kpi add`: a KPI by command or by the form, with every field checked.
 * The partnership, its people and the clock: test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KpiRepository } from '../../src/storage/kpis.js';
import { replyOf } from '../support/bot-harness.js';
import { action, countsLine, fact, inputs, kpiRows, lines, plain } from '../support/cards.js';
import { meetAt } from '../support/concurrency.js';
import { added, cheshirePartnership, recorded, type Performance } from '../support/kpi-fixtures.js';
import { alex, jo, mentions, postActivity, sam } from '../support/teams.js';

const summaryRows = kpiRows;

describe('kpi add', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-add');
  });
  afterAll(() => p.close());

  it('adds a KPI with every option and confirms it on a card', async () => {
    const reply = await p.say(
      sam,
      mentions`kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1 frequency=monthly owner=${jo} council=CEC description="Priority 1 outages that stop a service for more than one council"`,
    );

    expect(lines(reply)[0]).toBe('KPI added: Major incidents (MI)');
    expect(plain(reply)).toContain('Record its first reading with: kpi record MI <value>');
    expect(fact(reply, 'Target 2026/27')).toBe('≤ 2 (lower is better)');
    expect(fact(reply, 'Frequency')).toBe('monthly');
    expect(fact(reply, 'Council')).toBe('CEC');

    const detail = await p.say(jo, 'kpi MI');
    expect(lines(detail)[0]).toBe('Major incidents');
    expect(detail.text).toContain('Priority 1 outages that stop a service for more than one council');
    expect(fact(detail, 'Target 2026/27')).toBe('≤ 2 (lower is better)');
    expect(fact(detail, 'Tolerance')).toBe('1 — Amber up to 3');
    expect(fact(detail, 'Frequency')).toBe('monthly');
    expect(fact(detail, 'Owner')).toBe('Jo Williams');
    expect(fact(detail, 'Council')).toBe('CEC');
  });

  it('derives the code from the name when none is given', async () => {
    const ftf = await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    expect(lines(ftf)[0]).toBe('KPI added: First time fix (FTF)');
    expect(fact(ftf, 'Council')).toBe('shared');

    const portal = await added(p, sam, 'kpi add "Channel shift to the portal" target=60 unit=% polarity=higher');
    expect(lines(portal)[0]).toBe('KPI added: Channel shift to the portal (CSP)');
  });

  it('takes the tolerance as a percentage of the target, 5% unless given', async () => {
    await added(
      p,
      sam,
      'kpi add "Password resets within one hour" code=PR target=90 unit=% polarity=higher tolerance=10%',
    );
    expect(fact(await p.say(sam, 'kpi PR'), 'Tolerance')).toBe('10% — Amber down to 81%');
    expect(fact(await p.say(sam, 'kpi FTF'), 'Tolerance')).toBe('5% — Amber down to 76%');
  });

  it('adds a quarterly KPI', async () => {
    const reply = await added(
      p,
      sam,
      'kpi add "Customer satisfaction" code=CSAT target=4.5 unit=score polarity=higher frequency=quarterly council=CWAC',
    );
    expect(fact(reply, 'Frequency')).toBe('quarterly');
    expect(fact(reply, 'Council')).toBe('CWAC');
    expect(lines(await p.say(jo, 'kpi CSAT'))).toContain('No reading for Q2 2026/27 yet');
  });

  it('refuses kpi add from a viewer, names the editor role, and adds nothing', async () => {
    const reply = await p.say(jo, 'kpi add "Laptops rebuilt" target=40 unit=count polarity=higher');
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(reply.text).toContain('Nothing was changed.');
    expect(reply.text).toContain('role grant @you editor');
    expect(lines(await p.say(jo, 'kpi "Laptops rebuilt"'))[0]).toBe('Not found');
  });

  it('posts the form card when kpi add is typed alone', async () => {
    const form = await p.say(sam, 'kpi add');

    expect(lines(form)[0]).toBe('Add a KPI');
    expect(Object.keys(inputs(form)).sort()).toEqual([
      'code',
      'council',
      'description',
      'frequency',
      'name',
      'polarity',
      'target',
      'tolerance',
      'unit',
    ]);
    expect(inputs(form)).toMatchObject({
      name: '',
      target: '',
      unit: '%',
      polarity: 'higher',
      tolerance: '5%',
      frequency: 'monthly',
      council: 'shared',
    });
    for (const council of ['Shared by all councils', 'CEC', 'CWAC']) expect(lines(form)).toContain(council);
    expect(action(form, 'Add KPI')).toMatchObject({ type: 'Action.Execute', verb: 'kpi.add' });
  });

  it('returns the form with the errors listed and the typed values kept, and adds nothing', async () => {
    const before = countsLine(await p.say(sam, 'kpi'));

    const form = await p.click(sam, 'kpi.add', { name: '', target: 'abc', unit: '%', polarity: 'higher' });

    expect(lines(form)[0]).toBe('Add a KPI');
    expect(lines(form)).toContain('Please correct:');
    expect(lines(form)).toContain('• the KPI name is missing: e.g. "First time fix"');
    expect(form.text).toContain('• target=abc is not a number: e.g. target=80');
    expect(inputs(form)).toMatchObject({ name: '', target: 'abc', unit: '%', polarity: 'higher' });
    expect(action(form, 'Add KPI')).toMatchObject({ verb: 'kpi.add' });
    expect(countsLine(await p.say(sam, 'kpi'))).toBe(before);
  });

  it('keeps every typed value on the form when one of them is wrong', async () => {
    const typed = {
      name: 'Calls answered in a minute',
      target: '85',
      unit: '%',
      polarity: 'higher',
      tolerance: '3',
      frequency: 'monthly',
      council: 'WARR',
      code: 'CA60',
      description: 'Service desk calls',
    };
    const form = await p.click(sam, 'kpi.add', typed);

    expect(form.text).toContain(
      '• council=WARR is not a council of Cheshire ICT Shared Service: use CEC, CWAC or shared',
    );
    expect(inputs(form)).toMatchObject(typed);
    expect(lines(await p.say(sam, 'kpi CA60'))[0]).toBe('Not found');
  });

  it('adds the KPI when the form is valid', async () => {
    const reply = await p.click(sam, 'kpi.add', {
      name: 'Calls answered in a minute',
      target: '85',
      unit: '%',
      polarity: 'higher',
      tolerance: '3',
      frequency: 'monthly',
      council: 'CWAC',
      code: 'CA60',
      description: 'Service desk calls answered within 60 seconds',
    });

    expect(lines(reply)[0]).toBe('KPI added: Calls answered in a minute (CA60)');
    const detail = await p.say(jo, 'kpi CA60');
    expect(detail.text).toContain('Service desk calls answered within 60 seconds');
    expect(fact(detail, 'Tolerance')).toBe('3 — Amber down to 82%');
    expect(fact(detail, 'Council')).toBe('CWAC');
  });

  it('refuses the form from a viewer', async () => {
    const reply = await p.click(jo, 'kpi.add', {
      name: 'Laptops rebuilt',
      target: '40',
      unit: 'count',
      polarity: 'higher',
    });
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(lines(await p.say(jo, 'kpi "Laptops rebuilt"'))[0]).toBe('Not found');
  });

  it('sends the form back with what was typed in its inputs as typed, angle brackets and all', async () => {
    const form = await p.click(sam, 'kpi.add', {
      name: 'Calls < 60 seconds',
      target: 'abc',
      unit: '%',
      polarity: 'higher',
      description: 'answered in <1 min>',
    });
    expect(lines(form)[0]).toBe('Add a KPI');
    expect(inputs(form)).toMatchObject({ name: 'Calls < 60 seconds', description: 'answered in <1 min>' });
  });

  it('reads the tolerance of a £ KPI as money: tolerance=£5,000 is £5,000, Amber down to £95,000 for a £100,000 target', async () => {
    const reply = await added(
      p,
      sam,
      'kpi add "Savings delivered" code=SAV target=£100,000 unit=£ polarity=higher tolerance=£5,000',
    );
    expect(fact(reply, 'Target 2026/27')).toBe('≥ £100,000 (higher is better)');
    expect(fact(reply, 'Tolerance')).toBe('£5,000');
    expect(fact(await p.say(jo, 'kpi SAV'), 'Tolerance')).toBe('£5,000 — Amber down to £95,000');
    const stored = await p.kpis.get(p.partnershipId, 'SAV');
    expect(stored?.definition).toMatchObject({
      unit: '£',
      targets: [{ from: 2026, target: 10_000_000, tolerance: { kind: 'absolute', value: 500_000 } }],
    });

    expect(lines(await recorded(p, sam, 'kpi record SAV £96,000 period=2026-09'))[0]).toBe(
      'Savings delivered: £96,000 for Sep 2026 is Amber',
    );
    expect(lines(await recorded(p, sam, 'kpi record SAV £94,999 period=2026-10'))[0]).toBe(
      'Savings delivered: £94,999 for Oct 2026 is Red',
    );
  });

  it('reads a plain tolerance=5000 of a £ KPI as £5,000 too, and a percentage as a percentage', async () => {
    await added(p, sam, 'kpi add "Income recovered" code=INC target=100000 unit=£ polarity=higher tolerance=5000');
    expect(fact(await p.say(jo, 'kpi INC'), 'Tolerance')).toBe('£5,000 — Amber down to £95,000');
    expect((await p.kpis.get(p.partnershipId, 'INC'))?.definition.targets[0].tolerance).toEqual({
      kind: 'absolute',
      value: 500_000,
    });

    await added(p, sam, 'kpi add "Overspend" code=OVS target=£20,000 unit=£ polarity=lower tolerance=10%');
    expect(fact(await p.say(jo, 'kpi OVS'), 'Tolerance')).toBe('10% — Amber up to £22,000');

    const edited = await p.say(sam, 'kpi edit INC tolerance=£2,500');
    expect(lines(edited)[0]).toBe('Income recovered (INC) updated');
    expect(fact(await p.say(jo, 'kpi INC'), 'Tolerance')).toBe('£2,500 — Amber down to £97,500');
  });

  it('refuses a £ tolerance it cannot read as money, and says how to write one', async () => {
    const reply = await p.say(
      sam,
      'kpi add "Costs avoided" code=CAV target=£50,000 unit=£ polarity=higher tolerance=lots',
    );
    expect(reply.text).toContain(
      "tolerance=lots is not a tolerance: give a percentage of the target (tolerance=5%) or an amount in the KPI's unit (tolerance=2, or tolerance=£5,000 for a £ KPI)",
    );
    expect(reply.text).toContain('Nothing was changed.');
    expect(lines(await p.say(jo, 'kpi CAV'))[0]).toBe('Not found');
  });

  it('never derives a code the kpi command reads as a word: "Reductions" is RED2, and kpi red still lists the Red ones', async () => {
    const reply = await added(p, sam, 'kpi add "Reductions" target=10 unit=count polarity=higher');
    expect(lines(reply)[0]).toBe('KPI added: Reductions (RED2)');
    expect(lines(await p.say(jo, 'kpi RED2'))[0]).toBe('Reductions');
    expect(lines(await p.say(jo, 'kpi red'))[1]).toContain('Red only');
  });

  it('takes a KPI whose name has a slash in it, and finds it by that name', async () => {
    const reply = await added(p, sam, 'kpi add "Calls answered/abandoned" target=90 unit=% polarity=higher');
    const code = /\(([A-Z0-9]+)\)$/.exec(lines(reply)[0]!)?.[1];
    expect(code).toMatch(/^[A-Z][A-Z0-9]+$/);
    expect(lines(await p.say(jo, 'kpi Calls answered/abandoned'))[0]).toBe('Calls answered/abandoned');
    expect(lines(await recorded(p, sam, 'kpi record "Calls answered/abandoned" 91 period=2026-10'))[0]).toBe(
      'Calls answered/abandoned: 91% for Oct 2026 is Green',
    );
  });
});

describe('KPI names', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-names');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower');
  });
  afterAll(() => p.close());

  it('are unique in a partnership, whatever their case and spacing', async () => {
    const reply = await p.say(sam, 'kpi add "first  TIME fix " code=FTF9 target=70 unit=% polarity=higher');
    expect(reply.text).toContain('A KPI called "first TIME fix" exists already');
    expect(await p.kpis.get(p.partnershipId, 'FTF9')).toBeUndefined();
  });

  it('cannot be taken by a rename either', async () => {
    const reply = await p.say(sam, 'kpi edit MI name="FIRST time fix"');
    expect(reply.text).toContain('a KPI called "FIRST time fix" exists already: choose another name');
    expect((await p.kpis.get(p.partnershipId, 'MI'))?.definition.name).toBe('Major incidents');
  });

  it('go to one of two KPIs added with the same name at the same moment, and the other is told', async () => {
    const meeting = meetAt(KpiRepository.prototype, 'add', 2);
    const before = p.bot.stub.sent.length;
    try {
      await Promise.all([
        postActivity(
          p.bot.url,
          p.bot.teams.message(p.where, sam, 'kpi add "Laptops rebuilt" code=LR1 target=40 unit=count polarity=higher'),
        ),
        postActivity(
          p.bot.url,
          p.bot.teams.message(
            p.where,
            alex,
            'kpi add "laptops  Rebuilt" code=LR2 target=30 unit=count polarity=higher',
          ),
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
    expect(answers.filter((a) => a.includes('was added a moment ago: choose another name'))).toHaveLength(1);
    const stored = [await p.kpis.get(p.partnershipId, 'LR1'), await p.kpis.get(p.partnershipId, 'LR2')];
    expect(stored.filter(Boolean)).toHaveLength(1);
    expect(summaryRows(await p.say(jo, 'kpi')).filter((r) => /laptops rebuilt/i.test(r.name))).toHaveLength(1);
  });
});

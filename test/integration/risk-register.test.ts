/**
 * The risk register as officers use it in a team channel: adding risks (by command and by form),
 * the register card with its heat map and filters, one risk in detail, re-scoring, reviews,
 * controls, actions and closing. Sam is an editor, Jo a committee member who views, Alex the admin.
 * The clock stands at 25 Nov 2026.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, fact, inputs, lines, plain } from '../support/cards.js';
import { heatCell, heatCells, heading, listUnder, riskRow, riskRows } from '../support/risk-cards.js';
import { riskRegister, type Register } from '../support/risk-register.js';
import { alex, jo, mentions, sam } from '../support/teams.js';

describe('risk add', () => {
  let r: Register;
  beforeAll(async () => {
    r = await riskRegister('risk-add');
  });
  afterAll(() => r.close());

  it('adds a risk with every option, scored three times, and shows it in detail', async () => {
    const reply = await r.ask(
      sam,
      mentions`risk add "Information management and data security" likelihood=4 impact=5 owner=${jo} council=shared category=cyber target=2x4 "Phishing, ransomware and gaps in log monitoring"`,
    );
    expect(heading(reply)).toBe('Risk added: R-1 Information management and data security');
    expect(fact(reply, 'Inherent')).toBe('4×5 = 20 Red');
    expect(fact(reply, 'Current')).toBe('4×5 = 20 Red');
    expect(fact(reply, 'Target')).toBe('2×4 = 8 Amber');
    expect(fact(reply, 'Owner')).toBe('Jo Williams');

    const detail = await r.ask(jo, 'risk show R-1');
    expect(heading(detail)).toBe('Information management and data security');
    expect(detail.text).toContain('Phishing, ransomware and gaps in log monitoring');
    expect(lines(detail)).toContain('Current 4×5 = 20 Red · above the cyber appetite of 12');
    expect(fact(detail, 'Category')).toBe('cyber');
    expect(fact(detail, 'Council')).toBe('shared');
    expect(fact(detail, 'Next review')).toBe('Review by 25 Dec 2026');
    expect(listUnder(detail, 'Score history')).toEqual([
      '25 Nov 2026 · Sam Jones — inherent 4×5 = 20; current 4×5 = 20; target 2×4 = 8 — “added”',
    ]);
  });

  it('numbers risks in order, makes the person adding the owner, and sets the target to the current score', async () => {
    const second = await r.ask(sam, 'risk add "Loss of service desk analysts" likelihood=3 impact=3 council=CEC');
    expect(heading(second)).toBe('Risk added: R-2 Loss of service desk analysts');
    expect(fact(second, 'Owner')).toBe('Sam Jones');
    expect(fact(second, 'Target')).toBe('3×3 = 9 Amber');
    expect(fact(second, 'Category')).toBe('other');
    expect(await r.added(sam, 'risk add "Network outage" likelihood=1 impact=2')).toBe('R-3');
  });

  it('sets the first review by band: a month for Red, three for Amber, six for Green', async () => {
    expect(fact(await r.ask(jo, 'risk show R-2'), 'Next review')).toBe('Review by 25 Feb 2027');
    expect(fact(await r.ask(jo, 'risk show R-3'), 'Next review')).toBe('Review by 25 May 2027');
  });

  it('posts the form when risk add is typed alone, with the one line that names the typed command', async () => {
    const form = await r.ask(sam, 'risk add');
    expect(heading(form)).toBe('Add a risk');
    expect(Object.keys(inputs(form)).sort()).toEqual([
      'category',
      'council',
      'description',
      'impact',
      'likelihood',
      'target',
      'title',
    ]);
    const typed = lines(form).filter((l) => l.includes('type instead'));
    expect(typed).toHaveLength(1);
    expect(plain({ text: typed[0]!, card: undefined })).toContain(
      'If the button does not work (some Teams mobile apps), type instead: risk add "<title>" likelihood=<1-5> impact=<1-5>',
    );
    expect(action(form, 'Add risk')?.verb).toBe('risk.add');
  });

  it('adds a risk from the form, with the same checks as the command', async () => {
    const wrong = await r.press(sam, 'risk.add', {
      title: 'Citrix savings',
      likelihood: '3',
      impact: '2',
      target: '4x9',
    });
    expect(heading(wrong)).toBe('Add a risk');
    expect(wrong.text).toContain('target=4x9 is not a score');
    expect(inputs(wrong).title).toBe('Citrix savings');

    const reply = await r.press(sam, 'risk.add', {
      title: 'Citrix savings not confirmed',
      likelihood: '3',
      impact: '2',
      category: 'supplier',
      council: 'CWAC',
      target: '1x2',
    });
    expect(heading(reply)).toBe('Risk added: R-4 Citrix savings not confirmed');
    expect(fact(reply, 'Council')).toBe('CWAC');
    expect(fact(reply, 'Target')).toBe('1×2 = 2 Green');
  });
});

describe('the register card', () => {
  let r: Register;
  beforeAll(async () => {
    r = await riskRegister('risk-list');
    await r.ask(alex, 'risk appetite financial=8');
    await r.added(sam, mentions`risk add "Cyber attack" likelihood=4 impact=5 category=cyber owner=${jo}`); // R-1 20 Red
    await r.added(sam, 'risk add "Hours below budget" likelihood=3 impact=3 category=financial'); // R-2 9 Amber, above 8
    await r.added(sam, 'risk add "Supplier failure" likelihood=2 impact=5 category=supplier council=CEC'); // R-3 10 Amber
    await r.added(
      sam,
      mentions`risk add "Analysts leave" likelihood=2 impact=2 category=workforce council=CWAC owner=${jo}`,
    ); // R-4 4 Green
    await r.added(sam, 'risk add "Data centre lease" likelihood=4 impact=4 category=legal council=CEC'); // R-5 16 Red
  });
  afterAll(() => r.close());

  it('lists Red first, above appetite first within a band, then by score', async () => {
    const register = await r.ask(jo, 'risk');
    expect(heading(register)).toBe('Risk register — Cheshire ICT Shared Service');
    expect(lines(register)[1]).toMatch(/^5 open risks: 2 Red, 2 Amber, 1 Green · 3 above appetite · 0 reviews overdue/);
    expect(riskRows(register).map((row) => row.id)).toEqual(['R-1', 'R-5', 'R-2', 'R-3', 'R-4']);
    expect(riskRow(register, 'R-2')).toMatchObject({ score: '3×3 = 9', band: 'Amber', appetite: 'Above appetite (8)' });
    expect(riskRow(register, 'R-3')).toMatchObject({ score: '2×5 = 10', band: 'Amber', appetite: '' });
    expect(riskRow(register, 'R-1').byline).toBe('Owner Jo Williams · Review by 25 Dec 2026');
  });

  it('shows a 5×5 heat map, impact 5 at the top, that reads without colour', async () => {
    const register = await r.ask(jo, 'risk list');
    const cells = heatCells(register);
    expect(cells).toHaveLength(25);
    expect(cells.slice(0, 5).map((c) => c.impact)).toEqual([5, 5, 5, 5, 5]);
    expect(heatCell(register, 4, 5)).toEqual({ likelihood: 4, impact: 5, text: '1 R', style: 'attention' });
    expect(heatCell(register, 4, 4)).toMatchObject({ text: '1 R', style: 'attention' });
    expect(heatCell(register, 3, 3)).toMatchObject({ text: '1 A', style: 'warning' });
    expect(heatCell(register, 1, 1)).toMatchObject({ text: 'G', style: 'good' });
    expect(heatCell(register, 5, 5)).toMatchObject({ text: 'R', style: 'attention' });
    expect(register.text).toContain('R Red, A Amber, G Green (Green 1–4, Amber 5–12, Red 15–25)');
  });

  it.each([
    ['risk list red', ['R-1', 'R-5']],
    ['risk red', ['R-1', 'R-5']],
    ['risk list red green', ['R-1', 'R-5', 'R-4']],
    ['risk list council=CEC', ['R-5', 'R-3']],
    ['risk list council=shared', ['R-1', 'R-2']],
    ['risk list category=cyber', ['R-1']],
    ['risk list above-appetite', ['R-1', 'R-5', 'R-2']],
    ['risk list amber above-appetite', ['R-2']],
    ['risk list red council=CEC category=legal', ['R-5']],
  ])('filters: %s', async (command, ids) => {
    const register = await r.ask(jo, command);
    expect(riskRows(register).map((row) => row.id)).toEqual(ids);
  });

  it('filters by owner, a mentioned person', async () => {
    const register = await r.ask(sam, mentions`risk list owner=${jo}`);
    expect(riskRows(register).map((row) => row.id)).toEqual(['R-1', 'R-4']);
    expect(lines(register)[1]).toContain('2 match owner Jo Williams');
  });

  it('counts only the risks listed on the heat map', async () => {
    const register = await r.ask(jo, 'risk list council=CEC');
    expect(heatCell(register, 4, 4).text).toBe('1 R');
    expect(heatCell(register, 4, 5).text).toBe('R');
  });

  it('says when nothing matches', async () => {
    const register = await r.ask(jo, 'risk list green council=CEC');
    expect(riskRows(register)).toEqual([]);
    expect(register.text).toContain('No risks match Green, council CEC.');
  });

  it('shows a risk by its id typed after risk', async () => {
    expect(heading(await r.ask(jo, 'risk R-5'))).toBe('Data centre lease');
  });

  it('marks overdue reviews on the row and lists them with risk list overdue', async () => {
    r.advance(40); // R-1 and R-5 (Red, a month) are past their review; the Amber ones are not
    const overdue = await r.ask(jo, 'risk list overdue');
    expect(riskRows(overdue).map((row) => row.id)).toEqual(['R-1', 'R-5']);
    expect(riskRow(overdue, 'R-1').byline).toBe('Owner Jo Williams · Review overdue (was due 25 Dec 2026)');
    expect(lines(overdue)[1]).toContain('2 reviews overdue');
    const detail = await r.ask(jo, 'risk show R-1');
    expect(fact(detail, 'Next review')).toBe('Review overdue (was due 25 Dec 2026)');
  });
});

describe('a register longer than one card', () => {
  let r: Register;
  beforeAll(async () => {
    r = await riskRegister('risk-pages');
    // Scores 6, 9 and 12: all Amber.
    for (let i = 1; i <= 17; i++) await r.added(sam, `risk add "Risk number ${i}" likelihood=${2 + (i % 3)} impact=3`);
    await r.added(sam, 'risk add "The one Red risk" likelihood=5 impact=5');
  });
  afterAll(() => r.close());

  it('shows 15 rows and a Show more button that brings the rest in the same order', async () => {
    const first = await r.ask(jo, 'risk list');
    expect(riskRows(first)).toHaveLength(15);
    expect(riskRows(first)[0]!.id).toBe('R-18');
    expect(first.text).toContain('Showing 1–15 of 18.');
    const more = action(first, 'Show more');
    expect(more?.verb).toBe('risk.page');
    const second = await r.press(jo, 'risk.page', more!.data);
    expect(riskRows(second)).toHaveLength(3);
    expect(second.text).toContain('Showing 16–18 of 18.');
    const all = [...riskRows(first), ...riskRows(second)].map((row) => row.id);
    expect(new Set(all).size).toBe(18);
    expect(action(second, 'Show more')).toBeUndefined();
  });

  it('keeps the filters on the next page', async () => {
    const first = await r.ask(jo, 'risk list amber');
    expect(riskRows(first)).toHaveLength(15);
    const second = await r.press(jo, 'risk.page', action(first, 'Show more')!.data);
    expect(riskRows(second).map((row) => row.band)).toEqual(['Amber', 'Amber']);
    expect(second.text).toContain('Showing 16–17 of 17.');
    expect(lines(second)[1]).toContain('17 match Amber');
  });
});

/**
 * The audit card shows each change field by field, every value as the KPI cards show it, and a
 * change that changes nothing writes nothing. The partnership, its people and the clock:
 * test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, lines } from '../support/cards.js';
import { added, auditRowCount, cheshirePartnership, recorded, type Performance } from '../support/kpi-fixtures.js';
import { alex, sam } from '../support/teams.js';

describe('the audit', () => {
  let p: Performance;
  const latest = async () => auditEntries(await p.say(alex, 'audit'))[0];

  beforeAll(async () => {
    p = await cheshirePartnership('audit-fields');
    await added(p, sam, 'kpi add "Forecast overspend" code=OVS target=£1m unit=£ polarity=lower');
    await added(p, sam, 'kpi add "Staff hours saved" code=HRS target=7,500 unit=hours polarity=higher');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
  });
  afterAll(() => p.close());

  it('shows money and hours as the cards do, with their thousands', async () => {
    await recorded(p, sam, 'kpi record OVS £845,000');
    expect((await latest())?.fields.value).toBe('£845,000');
    await recorded(p, sam, 'kpi record HRS 7,900');
    expect((await latest())?.fields.value).toBe('7,900 hours');
  });

  it('shows a new KPI field by field, with its target for the year', async () => {
    const added = auditEntries(await p.say(alex, 'audit')).find((e) => e.change === 'kpi OVS added');
    expect(added?.fields).toMatchObject({
      name: 'Forecast overspend',
      unit: '£',
      'target 2026/27': '£1,000,000',
      'tolerance 2026/27': '5%',
    });
  });

  it('keeps quotes, braces and colons in commentary', async () => {
    await recorded(p, sam, "kpi record FTF 79 period=2026-09 “Sam's {phase 2} fix: done, at last”");
    expect((await latest())?.fields.commentary).toBe("Sam's {phase 2} fix: done, at last");
  });

  it('shows long commentary whole up to 300 characters, and marks where longer text was cut', async () => {
    const long = 'triage script and portal change '.repeat(8).trim();
    await recorded(p, sam, `kpi record FTF 78 period=2026-08 "${long}"`);
    expect((await latest())?.fields.commentary).toBe(long);
    const longer = 'the service desk moved to the new portal '.repeat(10).trim();
    await recorded(p, sam, `kpi record FTF 77 period=2026-07 "${longer}"`);
    const shown = (await latest())?.fields.commentary ?? '';
    // Cut within 300 characters, at a word's end when the cut falls on a space.
    expect(shown.length).toBeLessThanOrEqual(300);
    expect(shown.length).toBeGreaterThanOrEqual(299);
    expect(shown.endsWith('…')).toBe(true);
    expect(longer.startsWith(shown.slice(0, -1))).toBe(true);
  });

  it('shows only what an edit changed, before and after', async () => {
    await p.say(sam, 'kpi edit FTF target=82 description="Fixed at the first call"');
    const entry = await latest();
    expect(entry?.change).toBe('kpi FTF changed');
    expect(entry?.fields).toEqual({ 'target 2026/27': '80% → 82%', description: '— → Fixed at the first call' });
  });

  it('writes nothing for an edit that changes nothing, and says so', async () => {
    const start = await auditRowCount(p);
    const reply = await p.say(sam, 'kpi edit FTF target=82 description="Fixed at the first call"');
    expect(lines(reply)[0]).toBe('First time fix (FTF) is like that already');
    expect(reply.text).toContain('Nothing was changed.');
    expect(await auditRowCount(p)).toBe(start);
  });

  it('writes nothing for a reading recorded again as it was, and says so', async () => {
    const start = await auditRowCount(p);
    const reply = await p.say(sam, 'kpi record OVS £845,000');
    expect(lines(reply)[0]).toBe('Forecast overspend has £845,000 for Oct 2026 already');
    expect(await auditRowCount(p)).toBe(start);
  });
});

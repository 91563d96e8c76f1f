/**
 * Several lines in one message (issue: "pasting several lines records only the first"): each line
 * is its own command, answered in one reply; a table pasted under `kpi record` is stored whole or
 * not at all. The partnership, its people and the clock: test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINES } from '../../src/commands/lines.js';
import type { Reply } from '../support/bot-harness.js';
import { auditEntries, fact, lines } from '../support/cards.js';
import {
  added,
  auditRowCount,
  cheshirePartnership,
  recorded,
  storedReadings,
  type Performance,
} from '../support/kpi-fixtures.js';
import { alex, jo, mentions, priya, sam } from '../support/teams.js';

/** The lines card as [line, status, outcome]. */
function outcomes(reply: Reply): string[] {
  return lines(reply).filter((l) => /^(Done|Not done): /.test(l));
}

describe('a message of several lines', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-lines');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1');
    await added(p, sam, 'kpi add "Portal channel shift" code=PTCS target=65 unit=% polarity=higher council=CWAC');
  });
  afterAll(() => p.close());

  it('runs each line as its own command and answers once, listing what came of each', async () => {
    const before = p.bot.stub.sent.length;
    const reply = await p.say(sam, 'kpi record FTF 72.5 period=2026-09<br>kpi record MI 1 period=2026-09');

    expect(p.bot.stub.sent.length).toBe(before + 1);
    expect(lines(reply).slice(0, 2)).toEqual(['2 commands', '2 done, 0 not done']);
    expect(outcomes(reply)).toEqual([
      'Done: First time fix: 72.5% for Sep 2026 is Red',
      'Done: Major incidents: 1 for Sep 2026 is Green',
    ]);
    expect(await storedReadings(p, 'FTF')).toEqual(['2026-09 72.5']);
    expect(await storedReadings(p, 'MI')).toEqual(['2026-09 1']);
  });

  it('reads the lines Teams sends as paragraphs, with the bot mentioned on the first line only', async () => {
    const reply = await p.say(sam, '<p>kpi record FTF 73 period=2026-08</p><p>kpi record MI 2 period=2026-08</p>');
    expect(outcomes(reply)).toHaveLength(2);
    expect(await storedReadings(p, 'MI')).toContain('2026-08 2');
  });

  it('reads a mention of the bot on a line of its own as the start of the message, not as a command', async () => {
    const reply = await p.say(sam, {
      text: '<p><at>Governance Bot</at></p><p>kpi record FTF 71 period=2026-05</p><p>kpi record MI 1 period=2026-05</p>',
      entities: [],
    });
    expect(outcomes(reply)).toEqual([
      'Done: First time fix: 71% for May 2026 is Red',
      'Done: Major incidents: 1 for May 2026 is Green',
    ]);
  });

  it('still does the other lines when one is refused, and says which was not done and why', async () => {
    const reply = await p.say(
      sam,
      'kpi record FTF 74 period=2026-07\nkpi record XYZ 1\nkpi record MI 0 period=2026-07',
    );

    expect(lines(reply)[1]).toBe('2 done, 1 not done');
    expect(outcomes(reply)).toEqual([
      'Done: First time fix: 74% for Jul 2026 is Red',
      'Not done: Not found',
      'Done: Major incidents: 0 for Jul 2026 is Green',
    ]);
    expect(reply.text).toContain('There is no KPI "XYZ" in Cheshire ICT Shared Service.');
  });

  it(`refuses more than ${MAX_LINES} lines whole, before running any`, async () => {
    const many = Array.from({ length: MAX_LINES + 1 }, (_, i) => `kpi record MI ${i % 3} period=2025-0${(i % 9) + 1}`);
    const start = await auditRowCount(p);

    const reply = await p.say(sam, many.join('\n'));

    expect(lines(reply)[0]).toBe(`That is ${MAX_LINES + 1} commands in one message`);
    expect(reply.text).toContain(`I run up to ${MAX_LINES} commands from one message`);
    expect(await auditRowCount(p)).toBe(start);
    expect((await storedReadings(p, 'MI')).filter((r) => r.startsWith('2025-'))).toEqual([]);
  });

  it('keeps a line that is no command of its own as more of the command above it', async () => {
    const reply = await p.say(sam, 'kpi record FTF 75 period=2026-06\n"after the portal change"');
    expect(lines(reply)[0]).toBe('First time fix: 75% for Jun 2026 is Red');
    expect(fact(reply, 'Commentary')).toBe('after the portal change');
  });
});

describe('a table pasted under kpi record', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-table');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1');
    await added(p, sam, 'kpi add "Portal channel shift" code=PTCS target=65 unit=% polarity=higher council=CWAC');
    await added(p, sam, mentions`kpi add "Laptops rebuilt" code=LR target=40 unit=count polarity=higher owner=${jo}`);
  });
  afterAll(() => p.close());

  it('records every row, as copied from Excel with tabs, in one change with one audit entry', async () => {
    const start = await auditRowCount(p);

    const reply = await p.say(sam, 'kpi record\nFTF\t72.5\nMI\t1\nPTCS\t68.4');

    expect(lines(reply)[0]).toBe('3 readings recorded');
    expect(fact(reply, 'First time fix (FTF)')).toBe('72.5% for Oct 2026: Red');
    expect(fact(reply, 'Major incidents (MI)')).toBe('1 for Oct 2026: Green');
    expect(fact(reply, 'Portal channel shift (PTCS)')).toBe('68.4% for Oct 2026: Green');
    expect(await storedReadings(p, 'FTF')).toEqual(['2026-10 72.5']);
    expect(await storedReadings(p, 'PTCS')).toEqual(['2026-10 68.4']);
    expect(await auditRowCount(p)).toBe(start + 1);
    const [entry] = auditEntries(await p.say(alex, 'audit'));
    expect(entry?.change).toBe('kpi readings (3) changed');
    expect(entry?.fields).toEqual({
      'FTF 2026-10': '— → 72.5%',
      'MI 2026-10': '— → 1',
      'PTCS 2026-10': '— → 68.4%',
    });
  });

  it('reads the table Teams makes of a range pasted from Excel, for the period given', async () => {
    const table =
      '<table itemprop="copy-paste-table"><tbody>' +
      '<tr><td><p>Code</p></td><td><p>Value</p></td></tr>' +
      '<tr><td><p>FTF</p></td><td><p>71</p></td></tr>' +
      '<tr><td><p>Major incidents</p></td><td><p>2</p></td></tr>' +
      '</tbody></table>';

    const reply = await p.say(sam, `<p>kpi record period=2026-09</p>${table}`);

    expect(lines(reply)[0]).toBe('2 readings recorded');
    expect(await storedReadings(p, 'FTF')).toContain('2026-09 71');
    expect(await storedReadings(p, 'MI')).toContain('2026-09 2');
  });

  it('reads rows separated by commas, and says which it replaced', async () => {
    const reply = await p.say(sam, 'kpi record\nFTF,73\nMI,1');
    expect(fact(reply, 'First time fix (FTF)')).toBe('73% for Oct 2026: Red (replaces 72.5%)');
    expect(reply.text).toContain('1 row was recorded already and left as they were.');
  });

  it('records nothing when a row is wrong, and names every row at fault', async () => {
    const stored = () => Promise.all(['FTF', 'MI', 'PTCS', 'LR'].map((code) => storedReadings(p, code)));
    const before = await stored();
    const start = await auditRowCount(p);

    const reply = await p.say(sam, 'kpi record\nFTF\t74\nFFT\t75\nMI\t1\nPTCS\t0.684\nMI\t3\nLR\tseventy');

    expect(reply.text).toContain('Nothing was recorded: the table is stored whole or not at all.');
    expect(reply.text).toContain(
      'row 2 (FFT 75): There is no KPI "FFT" in Cheshire ICT Shared Service. Did you mean kpi FTF (First time fix)?',
    );
    expect(reply.text).toContain('row 4 (PTCS 0.684): 0.684% or 68.4%? Write 68.4, or 0.684% to record 0.684%');
    expect(reply.text).toContain('row 5: MI for Oct 2026 is on row 3 too: give it once');
    expect(reply.text).toContain('row 6 (LR seventy): LR (count): "seventy" is not a number');
    expect(reply.text).not.toContain('row 1 (');
    expect(reply.text).not.toContain('row 3 (');
    expect(reply.text.indexOf('row 5:')).toBeLessThan(reply.text.indexOf('row 6 ('));
    expect(await stored()).toEqual(before);
    expect(await auditRowCount(p)).toBe(start);
  });

  it('refuses the whole table when one row is a KPI the person may not record, and says who may', async () => {
    const reply = await p.say(jo, 'kpi record\nLR\t41\nFTF\t80');
    expect(reply.text).toContain(
      "row 2 (FTF 80): recording FTF needs the role editor for every council, or being the KPI's owner",
    );
    expect(await storedReadings(p, 'LR')).toEqual([]);
    expect(lines(await p.say(jo, 'kpi record\nLR\t41'))[0]).toBe('1 reading recorded');
    expect(lines(await p.say(priya, 'kpi record\nLR\t42'))[0]).toBe('I could not do that');
  });

  it('answers kpi record alone, with nothing under it, with how to use it', async () => {
    const reply = await p.say(sam, 'kpi record');
    expect(reply.text).toContain('the KPI code is missing: e.g. kpi record FTF 72.5');
  });

  it('refuses rows= typed as an option', async () => {
    const reply = await p.say(sam, 'kpi record rows=FTF');
    expect(reply.text).toContain('rows= is not an option: paste the rows on the lines under the command');
  });

  it('records a table in a recorded period too, and the list shows it', async () => {
    await recorded(p, sam, 'kpi record LR 39 period=2026-08');
    const reply = await p.say(sam, 'kpi record period=2026-08\nLR\t44');
    expect(fact(reply, 'Laptops rebuilt (LR)')).toBe('44 for Aug 2026: Green (replaces 39)');
  });
});

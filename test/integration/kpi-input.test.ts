/**
 * Bad input to the KPI commands: a clear card, the correct form, and nothing stored.
 * The partnership, its people and the clock: test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, countsLine, fact, kpiRows, lines, plain } from '../support/cards.js';
import {
  added,
  cheshirePartnership,
  readingRows,
  recorded,
  storedReadings,
  type Performance,
  type ReadingRow,
} from '../support/kpi-fixtures.js';
import { alex, jo, mentions, sam } from '../support/teams.js';

const summaryRows = kpiRows;

describe('bad input to the KPI commands', () => {
  let p: Performance;
  /** What a person sees of FTF and the list before each mistake, to compare with afterwards. */
  let ftfBefore: ReadingRow[];
  let countsBefore: string;

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-bad-input');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1');
    await recorded(p, sam, 'kpi record FTF 78.5 period=2026-09');
    await recorded(p, sam, 'kpi record FTF 82 period=2026-10');
    ftfBefore = readingRows(await p.say(jo, 'kpi FTF'));
    countsBefore = countsLine(await p.say(jo, 'kpi'));
    expect(ftfBefore).toHaveLength(2);
  });
  afterAll(() => p.close());

  async function nothingStored(): Promise<void> {
    expect(readingRows(await p.say(jo, 'kpi FTF'))).toEqual(ftfBefore);
    expect(countsLine(await p.say(jo, 'kpi'))).toBe(countsBefore);
    expect(await storedReadings(p, 'FTF')).toEqual(['2026-09 78.5', '2026-10 82']);
  }

  it('refuses a value that is not a number and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FTF seventy period=2026-08');

    expect(reply.text).toContain('I could not do that');
    expect(reply.text).toContain('FTF (%): "seventy" is not a number: give the value as a number, e.g. 72.5.');
    expect(reply.text).toContain('Nothing was changed.');
    expect(plain(reply)).toContain('kpi record <code> <value> [period=<period>] ["commentary"]');
    await nothingStored();
  });

  it('refuses a percentage over 100 and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FTF 101 period=2026-08');

    expect(reply.text).toContain('FTF (%): a percentage cannot be over 100: give a value from 0 to 100, e.g. 72.5.');
    expect(reply.text).toContain('Nothing was changed.');
    await nothingStored();
  });

  it('refuses a period more than one period in the future and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FTF 90 period=2027-01');

    expect(reply.text).toContain(
      'period=2027-01 is in the future: the latest period you can record is Nov 2026 (period=2026-11).',
    );
    expect(plain(reply)).toContain('kpi record <code> <value> [period=<period>] ["commentary"]');
    await nothingStored();
  });

  it('refuses a period it cannot read and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FTF 90 period=Octember');

    expect(reply.text).toContain('period=Octember is not a period: write a month as period=2026-10');
    await nothingStored();
  });

  it('refuses a count that is not a whole number and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record MI 1.5 period=2026-10');

    expect(reply.text).toContain('MI (count): a count must be a whole number: give e.g. 8.');
    expect(reply.text).toContain('Nothing was changed.');
    expect(await storedReadings(p, 'MI')).toEqual([]);
    expect(lines(await p.say(jo, 'kpi MI'))).toContain('No reading for Oct 2026 yet');
  });

  it('refuses an unknown council and adds nothing', async () => {
    const reply = await p.say(sam, 'kpi add "Fix rate" target=80 unit=% polarity=higher council=WARR');

    expect(reply.text).toContain(
      'council=WARR is not a council of Cheshire ICT Shared Service: use CEC, CWAC or shared',
    );
    expect(reply.text).toContain('Nothing was changed.');
    expect(plain(reply)).toContain('kpi add "<name>" target=<n> unit=<unit> polarity=<higher|lower>');
    expect(lines(await p.say(jo, 'kpi "Fix rate"'))[0]).toBe('Not found');
    await nothingStored();
  });

  it('refuses an unknown council in the list filter', async () => {
    const reply = await p.say(jo, 'kpi council=WARR');
    expect(reply.text).toContain(
      'council=WARR is not a council of Cheshire ICT Shared Service: use CEC, CWAC or shared',
    );
    expect(summaryRows(reply)).toEqual([]);
  });

  it('refuses a duplicate code and leaves the KPI that holds it as it was', async () => {
    const reply = await p.say(sam, 'kpi add "Fixed on first contact" code=FTF target=70 unit=% polarity=higher');

    expect(reply.text).toContain(
      'code FTF is taken by another KPI (or was used by a removed one): choose another code',
    );
    expect(reply.text).toContain('Nothing was changed.');
    const detail = await p.say(jo, 'kpi FTF');
    expect(lines(detail)[0]).toBe('First time fix');
    expect(fact(detail, 'Target 2026/27')).toBe('≥ 80% (higher is better)');
    expect(lines(await p.say(jo, 'kpi "Fixed on first contact"'))[0]).toBe('Not found');
    await nothingStored();
  });

  it('lists every problem of a kpi add at once', async () => {
    const reply = await p.say(sam, 'kpi add "Fix rate" target=high unit=furlongs polarity=sideways');

    expect(reply.text).toContain('unit=furlongs is not a unit: use %, count, £, days, hours or score');
    expect(reply.text).toContain('polarity=sideways is not a polarity');
    await nothingStored();
  });

  it('refuses a target over 100 for a % KPI', async () => {
    const reply = await p.say(sam, 'kpi add "Fix rate" target=120 unit=% polarity=higher');
    expect(reply.text).toContain('target=120: a percentage cannot be over 100');
    await nothingStored();
  });

  it('says an unknown KPI is not found and suggests the closest, for kpi "First tme fix"', async () => {
    const reply = await p.say(jo, 'kpi "First tme fix"');

    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('There is no KPI "First tme fix" in Cheshire ICT Shared Service.');
    expect(reply.text).toContain('Did you mean: kpi FTF (First time fix)?');
  });

  it('says an unknown code is not found when recording, suggests the closest, and stores nothing', async () => {
    const reply = await p.say(sam, 'kpi record FT 80 period=2026-08');

    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('There is no KPI "FT" in Cheshire ICT Shared Service.');
    expect(reply.text).toContain('Did you mean: kpi FTF (First time fix)?');
    await nothingStored();
  });

  it('records only for an exact code or name: "kpi record fix 12" is refused and nothing is stored', async () => {
    const reply = await p.say(sam, 'kpi record fix 12 period=2026-08');

    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('There is no KPI "fix" in Cheshire ICT Shared Service.');
    expect(reply.text).toContain('kpi FTF (First time fix)');
    await nothingStored();
    expect(auditEntries(await p.say(alex, 'audit')).map((e) => e.command)).not.toContain(
      'kpi record fix 12 period=2026-08',
    );
    // Reading is another matter: part of a name that fits one KPI shows it.
    expect(lines(await p.say(jo, 'kpi fix'))[0]).toBe('First time fix');
  });

  it('edits and removes only an exact code or name too', async () => {
    const edit = await p.say(sam, 'kpi edit fix target=10');
    expect(lines(edit)[0]).toBe('Not found');
    expect(edit.text).toContain('There is no KPI "fix"');
    const remove = await p.say(alex, 'kpi remove incidents');
    expect(lines(remove)[0]).toBe('Not found');
    expect(remove.text).toContain('kpi MI (Major incidents)');

    expect(fact(await p.say(jo, 'kpi FTF'), 'Target 2026/27')).toBe('≥ 80% (higher is better)');
    expect(lines(await p.say(jo, 'kpi MI'))[0]).toBe('Major incidents');
    await nothingStored();
  });

  it.each(['RED', 'amber', 'Green', 'NODATA', 'add', 'RECORD', 'edit', 'Remove'])(
    'refuses code=%s, a word the kpi command reads itself, and adds nothing',
    async (code) => {
      const reply = await p.say(sam, `kpi add "Reserved words" code=${code} target=5 unit=count polarity=lower`);

      expect(reply.text).toContain(`code=${code} is a word the kpi command uses itself: choose another code`);
      expect(reply.text).toContain('Nothing was changed.');
      expect(lines(await p.say(jo, 'kpi "Reserved words"'))[0]).toBe('Not found');
      await nothingStored();
    },
  );

  it('refuses a person where text is expected, and says where mentions go', async () => {
    const reply = await p.say(sam, mentions`kpi add "Fix rate" target=${sam} unit=% polarity=higher`);

    expect(reply.text).toContain('target= takes text, not a person: @mentions go in owner= only');
    expect(reply.text).toContain('Nothing was changed.');
    await nothingStored();
  });

  it.each([
    [
      'a name over 80 characters',
      `kpi add "${'N'.repeat(81)}" target=80 unit=% polarity=higher`,
      'name= is too long: keep it under 80 characters',
    ],
    [
      'a description over 500 characters',
      `kpi add "Fix rate" target=80 unit=% polarity=higher description="${'d'.repeat(501)}"`,
      'description= is too long: keep it under 500 characters',
    ],
    [
      'a unit over 60 characters',
      `kpi add "Fix rate" target=80 unit=${'u'.repeat(61)} polarity=higher`,
      'unit= is too long: keep it under 60 characters',
    ],
    [
      'a target over 60 characters',
      `kpi add "Fix rate" target=${'9'.repeat(61)} unit=% polarity=higher`,
      'target= is too long: keep it under 60 characters',
    ],
    [
      'a period over 60 characters',
      `kpi record FTF 80 period=${'2'.repeat(61)}`,
      'period= is too long: keep it under 60 characters',
    ],
  ])('refuses %s with a clear message and stores nothing', async (_case, typed, problem) => {
    const reply = await p.say(sam, typed);

    expect(reply.text).toContain(problem);
    expect(reply.text).toContain('Nothing was changed.');
    await nothingStored();
  });

  it('says how to list the KPIs when nothing is close', async () => {
    const reply = await p.say(jo, 'kpi "Carbon emissions"');
    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('Type kpi to list every KPI with its code.');
  });

  it('says a KPI with a slash in its name is not found, rather than failing', async () => {
    const asked = await p.say(jo, 'kpi "Calls answered/abandoned"');
    expect(lines(asked)[0]).toBe('Not found');
    expect(asked.text).toContain('There is no KPI "Calls answered/abandoned"');

    const recording = await p.say(sam, 'kpi record N/A 5');
    expect(lines(recording)[0]).toBe('Not found');
    for (const [who, typed] of [
      [jo, 'kpi N/A'],
      [jo, 'kpi ../FTF'],
      [sam, 'kpi edit N/A target=5'],
      [alex, 'kpi remove N/A'],
      [sam, 'kpi record "a/b#c?d" 5'],
    ] as const) {
      const reply = await p.say(who, typed);
      expect(lines(reply)[0], `${typed}\n${reply.text}`).toBe('Not found');
      expect(reply.text).not.toContain('Something went wrong');
    }
    await nothingStored();
  });
});

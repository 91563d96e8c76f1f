import { describe, expect, it } from 'vitest';
import { firstWord, groupLines, messageLines, visible } from '../../src/commands/lines.js';
import { tableRows } from '../../src/commands/kpi/record-fields.js';

const COMMANDS = new Set(['kpi', 'help', 'setup', 'role', 'audit']);
const groups = (raw: string) => groupLines(messageLines(raw), (line) => COMMANDS.has(firstWord(line, [BOT])));
const BOT = '<at>Governance Bot</at>';

describe('a message of several lines', () => {
  it('reads each line Teams sends, as paragraphs, after <br> or as line breaks', () => {
    expect(messageLines('<p>kpi record FTF 72.5</p><p>kpi record MI 1</p>')).toEqual([
      '<p>kpi record FTF 72.5',
      '<p>kpi record MI 1',
    ]);
    expect(messageLines('kpi record FTF 72.5<br>kpi record MI 1')).toEqual(['kpi record FTF 72.5', 'kpi record MI 1']);
    expect(messageLines('kpi record FTF 72.5\r\nkpi record MI 1\n')).toEqual([
      'kpi record FTF 72.5',
      'kpi record MI 1',
    ]);
  });

  it('leaves out lines that show nothing', () => {
    expect(messageLines('<p>kpi</p><p>&nbsp;</p><p></p><br>')).toEqual(['<p>kpi']);
  });

  it('reads a range pasted from Excel as a table: a line a row, a tab between cells, paragraphs kept in their cell', () => {
    const table =
      '<table itemprop="copy-paste-table"><tbody><tr><td><p>FTF</p></td><td><p>72.5</p></td></tr><tr><td><p>MI</p></td><td><p>1</p></td></tr></tbody></table>';
    expect(messageLines(`<p>kpi record</p>${table}`).map(visible)).toEqual(['kpi record', 'FTF\t72.5', 'MI\t1']);
  });

  it('makes each line that starts with a command word a command, with the bot mentioned on the first line only', () => {
    expect(groups(`${BOT} kpi record FTF 72.5<br>kpi record MI 1<br>/kpi red`)).toEqual([
      { head: `${BOT} kpi record FTF 72.5`, following: [] },
      { head: 'kpi record MI 1', following: [] },
      { head: '/kpi red', following: [] },
    ]);
  });

  it('gives the lines that are not commands to the command above them, and a row with a tab is never a command', () => {
    expect(groups('kpi record\nFTF\t72.5\nkpi\t3\nMI\t1')).toEqual([
      { head: 'kpi record', following: ['FTF\t72.5', 'kpi\t3', 'MI\t1'] },
    ]);
    expect(groups('kpi record FTF 72.5\nperiod=2026-09')).toEqual([
      { head: 'kpi record FTF 72.5', following: ['period=2026-09'] },
    ]);
  });

  it('keeps a first line that is no command as a line of its own', () => {
    expect(groups('hello\nkpi')).toEqual([
      { head: 'hello', following: [] },
      { head: 'kpi', following: [] },
    ]);
  });
});

describe('the rows of a table pasted under kpi record', () => {
  it('reads cells split by tabs, as Excel copies them, with any commentary after the value', () => {
    expect(tableRows(['FTF\t72.5', 'MI\t1\tone P1 at Westfields'])).toEqual([
      { line: 1, kpi: 'FTF', value: '72.5', commentary: '' },
      { line: 2, kpi: 'MI', value: '1', commentary: 'one P1 at Westfields' },
    ]);
  });

  it('splits a comma-separated row at its first comma, so an amount keeps its thousands', () => {
    expect(tableRows(['INC,£1,200', 'FTF, 72.5'])).toEqual([
      { line: 1, kpi: 'INC', value: '£1,200', commentary: '' },
      { line: 2, kpi: 'FTF', value: '72.5', commentary: '' },
    ]);
  });

  it('reads a row typed with spaces as a code and a value', () => {
    expect(tableRows(['FTF 72.5'])).toEqual([{ line: 1, kpi: 'FTF', value: '72.5', commentary: '' }]);
  });

  it('leaves out a heading copied with the table, and no other row', () => {
    expect(tableRows(['Code\tValue', 'FTF\t72.5']).map((r) => r.kpi)).toEqual(['FTF']);
    expect(tableRows(['FTF\tseventy', 'MI\t1']).map((r) => r.kpi)).toEqual(['FTF', 'MI']);
  });
});

/** A `key=value` option on the command's own line, quoted values included. */
const OPTION = /(?:^|[ \t])[a-z][a-z0-9_-]*=(?:"[^"]*"|\u201c[^\u201d]*\u201d|\S+)/gi;

const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The rows of a block pasted after a command (`ctx.lines`): the rest of the command's own line, its
 * `key=value` options left out, when anything is left, then every later line, each as typed (tabs
 * between cells kept). The command's words may be split over lines.
 */
export function blockRows(lines: readonly string[], words: readonly string[]): string[] {
  const lead = new RegExp(`^\\s*${words.map(escaped).join('\\s+')}(?=\\s|$)`, 'i');
  const [first = '', ...later] = lines.join('\n').replace(lead, '').split('\n');
  const own = first.replace(OPTION, ' ').trim();
  return [...(own ? [own] : []), ...later.map((line) => line.trim()).filter((line) => line !== '')];
}

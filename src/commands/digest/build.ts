import type { Logger } from 'pino';
import { clipped, momentText } from '../../cards/views.js';
import { plural, vocabulary, type ValueOf } from '../../domain/vocabulary.js';
import type { AuditEntry, AuditLog } from '../../storage/audit.js';
import type { CommandFamily, DigestRequest, DigestSection } from '../types.js';

/**
 * A digest's content: each registered family's sections (a family that is absent gives none) and
 * the generic "changed since the last digest" from the audit log. Families read their summary
 * rows; this module never reads another family's rows.
 */

/** The words of `sections=`: the families' keys in the order a digest shows them, and the changes. */
export const SECTION_WORDS = vocabulary({
  kpi: ['kpis'],
  risk: ['risks'],
  budget: ['budgets', 'finance'],
  approvals: ['approval', 'decisions'],
  projects: ['project', 'portfolio'],
  changes: ['changed', 'audit'],
});
export type SectionKey = ValueOf<typeof SECTION_WORDS>;
export const ALL_SECTIONS: readonly SectionKey[] = SECTION_WORDS.values;

/** The digest of one partnership at one moment, before it is cut to a conversation's sections. */
export interface DigestContent {
  readonly request: DigestRequest;
  readonly sections: readonly DigestSection[];
  /** Families whose sections could not be read just now (said on the card, never a stack trace). */
  readonly unavailable: readonly string[];
}

export interface DigestSources {
  readonly families: () => readonly CommandFamily[];
  readonly audit: AuditLog;
  readonly logger: Logger;
}

/** Asks every family for its sections, in parallel, and reads the changes: once per partnership and run. */
export async function collectDigest(sources: DigestSources, request: DigestRequest): Promise<DigestContent> {
  const givers = sources.families().filter((f) => f.digest !== undefined);
  const unavailable: string[] = [];
  const read = async (family: CommandFamily): Promise<readonly DigestSection[]> => {
    try {
      return (await family.digest?.(request)) ?? [];
    } catch (error) {
      sources.logger.error({ err: error, family: family.words[0], partnership: request.partnership.id }, 'digest');
      unavailable.push(family.words[0] ?? family.area);
      return [];
    }
  };
  const [bySection, changes] = await Promise.all([
    Promise.all(givers.map(read)),
    changesSection(sources.audit, request).catch((error: unknown) => {
      sources.logger.error({ err: error, partnership: request.partnership.id }, 'digest changes');
      unavailable.push('changes');
      return undefined;
    }),
  ]);
  const sections = [...bySection.flat(), ...(changes ? [changes] : [])];
  return { request, sections: orderSections(sections), unavailable };
}

/** Families' sections in the order of `SECTION_WORDS` (unknown keys after them, changes last); stable within a key. */
export function orderSections(sections: readonly DigestSection[]): DigestSection[] {
  const rank = (key: string) => {
    const known = SECTION_WORDS.values.indexOf(key as SectionKey);
    if (key === 'changes') return SECTION_WORDS.values.length + 1;
    return known === -1 ? SECTION_WORDS.values.length : known;
  };
  return sections
    .map((section, index) => ({ section, index }))
    .sort((a, b) => rank(a.section.key) - rank(b.section.key) || a.index - b.index)
    .map(({ section }) => section);
}

/** Only the sections a conversation asked for. */
export function sectionsFor(content: DigestContent, keys: readonly string[]): DigestSection[] {
  const wanted = new Set(keys);
  return content.sections.filter((s) => wanted.has(s.key));
}

// ---------------------------------------------------------------------------------------------
// Changed since the last digest
// ---------------------------------------------------------------------------------------------

/** Audit rows read for the changes section: a committee reads counts, and a few items. */
const CHANGES_READ = 200;
const NOTABLE_SHOWN = 6;
/** With no digest before, "changed" means this week. */
const FIRST_DIGEST_LOOKBACK_MS = 7 * 24 * 3600 * 1000;

const AREA_NAMES: Readonly<Record<string, string>> = {
  kpi: 'KPI',
  risk: 'risk',
  issue: 'issue',
  budget: 'budget',
  approval: 'approval',
  project: 'project',
  role: 'role',
  partnership: 'partnership',
};

/** The area a change belongs to: the first word of its subject (`kpi FTF` → KPI). */
function areaOf(entry: AuditEntry): string {
  const word = entry.subject.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return AREA_NAMES[word] ?? (word || 'other');
}

/** Digest subscriptions and their pauses are about the digest itself, not the partnership's business. */
function isAboutDigests(entry: AuditEntry): boolean {
  return /^digest\b/i.test(entry.subject.trim());
}

/** Additions and removals (a new risk, a KPI removed, a role granted) before routine updates. */
function isNotable(entry: AuditEntry): boolean {
  return entry.before === null || entry.before === undefined || entry.after === null || entry.after === undefined;
}

export async function changesSection(audit: AuditLog, request: DigestRequest): Promise<DigestSection> {
  const now = request.now.getTime();
  const from = request.since?.getTime() ?? now - FIRST_DIGEST_LOOKBACK_MS;
  const read = await audit.latest(request.partnership.id, CHANGES_READ);
  const inWindow = read.filter((e) => {
    const at = Date.parse(e.at);
    return at > from && at <= now && !isAboutDigests(e);
  });
  const reachedEnd = read.length < CHANGES_READ || Date.parse(read.at(-1)!.at) <= from;
  const window = request.since ? `since the last digest (${momentText(request.since)})` : 'in the last 7 days';
  const title = request.since ? 'Changed since the last digest' : 'Changed in the last 7 days';
  if (inWindow.length === 0) return { key: 'changes', title, summary: `No changes ${window}.`, items: [] };

  const byArea = new Map<string, number>();
  for (const e of inWindow) byArea.set(areaOf(e), (byArea.get(areaOf(e)) ?? 0) + 1);
  const areas = [...byArea].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const count = reachedEnd ? plural(inWindow.length, 'change') : `More than ${plural(inWindow.length, 'change')}`;
  const summary = `${count} ${window}: ${areas.map(([area, n]) => `${n} ${area}`).join(', ')}.`;
  const notable = [...inWindow.filter(isNotable), ...inWindow.filter((e) => !isNotable(e))].slice(0, NOTABLE_SHOWN);
  return {
    key: 'changes',
    title,
    summary,
    items: notable.map((e) => ({ text: `${momentText(e.at)} · ${e.actorName}: ${what(e)}` })),
  };
}

/** The command as typed, which names what it changed; else (an import, the demo) what it changed too. */
function what(entry: AuditEntry): string {
  const area = entry.subject.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const typed = clip(entry.command, 160);
  return area !== '' && entry.command.toLowerCase().includes(area) ? typed : `${typed} (${clip(entry.subject, 60)})`;
}

/** On one line: a command typed over several lines reads as one. */
function clip(text: string, max: number): string {
  return clipped(text.replace(/\s+/g, ' ').trim(), max);
}

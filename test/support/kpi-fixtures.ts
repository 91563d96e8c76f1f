/**
 * A partnership set up in a team channel, as the KPI tests start from: Alex sets up the
 * partnership and is its admin, Sam is an editor, Jo is a committee member who only views,
 * Priya is a board member with no role. Each test file (each describe block) has its own bot,
 * tables and team, so what one records never shows in another's cards. The clock stands at
 * 25 Nov 2026 (the last complete month is Oct 2026) and moves on a second per request, as a
 * real one would, so the audit lists changes newest first.
 */
import { expect } from 'vitest';
import type { KpiDefinition } from '../../src/domain/kpi-assessment.js';
import type { PartnershipId } from '../../src/domain/partnership.js';
import type { AuditEntry } from '../../src/storage/audit.js';
import { KpiRepository } from '../../src/storage/kpis.js';
import { startTestBot, TEST_NOW, type Reply, type TestBot } from './bot-harness.js';
import { lines, tableRows } from './cards.js';
import { alex, channel, mentions, sam, type Person, type TeamChannel, type TeamsText } from './teams.js';

export interface Performance {
  readonly bot: TestBot;
  readonly where: TeamChannel;
  readonly partnershipId: PartnershipId;
  readonly kpis: KpiRepository;
  say(who: Person, text: string | TeamsText): Promise<Reply>;
  click(who: Person, verb: string, data?: Record<string, unknown>): Promise<Reply>;
  close(): Promise<void>;
}

/** A fresh bot and team: Alex sets up the partnership (and becomes its admin) and makes Sam an editor. */
export async function cheshirePartnership(team: string): Promise<Performance> {
  let tick = 0;
  const bot = await startTestBot({ now: () => new Date(TEST_NOW.getTime() + 1000 * tick++) });
  const where = channel({
    teamId: `19:${team}@thread.tacv2`,
    channelId: `19:${team}-performance@thread.tacv2`,
    teamName: `Shared ICT Service (${team})`,
    channelName: 'Performance',
  });
  const setup = await bot.say(where, alex, 'setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50');
  expect(setup.text).toContain('Cheshire ICT Shared Service is set up');
  const grant = await bot.say(where, alex, mentions`role grant ${sam} editor`);
  expect(grant.text).toContain('Sam Jones is now editor');
  const binding = await bot.app.services.partnerships.findBinding([{ kind: 'team', teamId: where.teamId }]);
  if (!binding) throw new Error(`the team ${where.teamId} is not bound to the partnership`);
  return {
    bot,
    where,
    partnershipId: binding.partnershipId,
    kpis: new KpiRepository(bot.app.storage.tables),
    say: (who, text) => bot.say(where, who, text),
    click: (who, verb, data) => bot.click(where, who, verb, data),
    close: () => bot.close(),
  };
}

export interface ReadingRow {
  readonly period: string;
  readonly value: string;
  readonly rag: string;
  readonly by: string;
}

/** The "Recent readings" table of the detail card, newest first. */
export function readingRows(reply: Reply): ReadingRow[] {
  return tableRows(reply).map(({ cells: [period = '', value = '', , by = ''], rag = '' }) => ({
    period,
    value,
    rag,
    by,
  }));
}

/** Records a reading and checks that the bot confirmed it (so a setup mistake fails where it happens). */
export async function recorded(performance: Performance, who: Person, text: string): Promise<Reply> {
  const reply = await performance.say(who, text);
  expect(lines(reply)[0], `${text}\n---\n${reply.text}`).toMatch(/ for .* is (Green|Amber|Red)$/);
  return reply;
}

export async function added(performance: Performance, who: Person, text: string | TeamsText): Promise<Reply> {
  const reply = await performance.say(who, text);
  expect(lines(reply)[0], reply.text).toMatch(/^KPI added: /);
  return reply;
}

/** The readings stored for a KPI, straight from the table, as `period value`. */
export async function storedReadings(performance: Performance, code: string): Promise<string[]> {
  return (await performance.kpis.readings(performance.partnershipId, code)).map((r) => `${r.period} ${r.value}`);
}

/** The audit rows kept for the partnership, straight from the table. */
export async function auditRowCount(performance: Performance): Promise<number> {
  let count = 0;
  const filter = `PartitionKey eq '${performance.partnershipId}' and RowKey ge 'audit|' and RowKey lt 'audit}'`;
  for await (const _row of performance.bot.app.storage.tables.partnerships.listEntities({ queryOptions: { filter } }))
    count++;
  return count;
}

/** A KPI definition for data written straight to storage: First time fix unless told otherwise. */
export function aKpi(overrides: Partial<KpiDefinition> = {}): KpiDefinition {
  return {
    code: 'FTF',
    name: 'First time fix',
    description: '',
    unit: '%',
    polarity: 'higher',
    targets: [{ from: 2026, target: 80, tolerance: { kind: 'percent', value: 5 } }],
    frequency: 'monthly',
    owner: undefined,
    council: 'SHARED',
    createdAt: TEST_NOW.toISOString(),
    createdBy: 'Alex Morgan',
    ...overrides,
  };
}

/** The audit row of test data written straight to storage. */
export function testDataAudit(performance: Performance, subject: string): AuditEntry {
  return {
    at: TEST_NOW.toISOString(),
    actorId: alex.id,
    actorAadObjectId: alex.aadObjectId,
    actorName: alex.name,
    command: '(test data)',
    subject,
    before: null,
    after: { subject },
    conversationId: performance.where.teamId,
  };
}

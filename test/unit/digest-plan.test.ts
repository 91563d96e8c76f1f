import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CATCH_UP_WINDOW_MS,
  nextRun,
  parseCronSpec,
  parseWeeklySpec,
  type ScheduleSpec,
} from '../../src/domain/schedule.js';
import type { Delivery, StoredSubscription } from '../../src/storage/digests.js';
import { planDigestRun, sinceOf } from '../../src/scheduler/plan.js';

const HOUR = 3600_000;
const at = (iso: string) => new Date(iso);

function spec(result: ReturnType<typeof parseWeeklySpec>): ScheduleSpec {
  if (!result.ok) throw new Error(result.problem);
  return result.spec;
}
const mondayNine = spec(parseWeeklySpec('Monday', '09:00'));
const hourly = spec(parseCronSpec('0 * * * *'));
const fridayFour = spec(parseWeeklySpec('Friday', '16:00'));

let n = 0;
function subscription(conversationId: string, s: ScheduleSpec, sections = ['kpi', 'risk']): StoredSubscription {
  n++;
  return {
    etag: `e${n}`,
    subscription: {
      id: `D-${n}`,
      conversation: { conversationId, tenantId: 't', type: 'channel', label: conversationId },
      spec: s,
      sections,
      createdBy: 'Sam Jones',
      createdAt: '2026-11-01T10:00:00.000Z',
    },
  };
}

const none = new Map<string, Delivery>();
const DUE = at('2026-11-30T09:00:00Z');

describe('planning a digest run', () => {
  it('takes the subscriptions whose schedule has a run at that minute, and no others', () => {
    const board = subscription('board', mondayNine);
    const finance = subscription('finance', fridayFour);
    const plan = planDigestRun([board, finance], none, DUE, at('2026-11-30T09:00:20Z'));
    expect(plan.recipients.map((r) => r.conversation.conversationId)).toEqual(['board']);
    expect(plan.next).toEqual([at('2026-12-07T09:00:00Z')]);
  });

  it('sends one digest to a conversation with two subscriptions due together, with the sections of both', () => {
    const weekly = subscription('board', mondayNine, ['kpi']);
    const everyHour = subscription('board', hourly, ['risk', 'kpi', 'changes']);
    const plan = planDigestRun([weekly, everyHour], none, DUE, at('2026-11-30T09:00:20Z'));
    expect(plan.recipients).toHaveLength(1);
    expect(plan.recipients[0]!.sections).toEqual(['kpi', 'risk', 'changes']);
    expect(plan.recipients[0]!.subscriptions).toEqual([weekly, everyHour]);
    expect(plan.next).toEqual([at('2026-11-30T10:00:00Z'), at('2026-12-07T09:00:00Z')]);
  });

  it('leaves out a conversation that already had this run (its holder died during the fan-out)', () => {
    const board = subscription('board', mondayNine);
    const finance = subscription('finance', mondayNine);
    const deliveries = new Map<string, Delivery>([['board', { lastDue: DUE.toISOString(), missed: [] }]]);
    const plan = planDigestRun([board, finance], deliveries, DUE, at('2026-11-30T09:04:00Z'));
    expect(plan.recipients.map((r) => r.conversation.conversationId)).toEqual(['finance']);
    expect(plan.alreadySent).toBe(1);
  });

  it('sends a run 2 hours late', () => {
    const plan = planDigestRun([subscription('board', mondayNine)], none, DUE, at('2026-11-30T11:00:00Z'));
    expect(plan.recipients).toHaveLength(1);
    expect(plan.missed).toEqual([]);
  });

  it('skips a run 13 hours late, to be mentioned, and goes on from the next one', () => {
    const plan = planDigestRun([subscription('board', mondayNine)], none, DUE, at('2026-11-30T22:00:00Z'));
    expect(plan.recipients).toEqual([]);
    expect(plan.missed).toEqual([{ conversationId: 'board', dues: [DUE], since: undefined }]);
    expect(plan.next).toEqual([at('2026-12-07T09:00:00Z')]);
  });

  it('skips an older run when a later one is also due, so a conversation gets one catch-up digest', () => {
    const plan = planDigestRun([subscription('ops', hourly)], none, DUE, at('2026-11-30T12:20:00Z'));
    expect(plan.recipients).toEqual([]);
    expect(plan.missed[0]!.dues).toEqual([
      at('2026-11-30T09:00:00Z'),
      at('2026-11-30T10:00:00Z'),
      at('2026-11-30T11:00:00Z'),
    ]);
    expect(plan.next).toEqual([at('2026-11-30T12:00:00Z')]);
  });

  it('takes "since the last digest" from the conversation that had it longest ago', () => {
    const recipient = (lastSentAt?: string) => ({
      conversation: { conversationId: 'x', tenantId: 't', type: 'channel' as const, label: 'x' },
      subscriptions: [],
      sections: [],
      delivery: lastSentAt ? { lastSentAt, missed: [] } : undefined,
    });
    expect(sinceOf([recipient('2026-11-23T09:00:00Z'), recipient('2026-11-16T09:00:00Z')])).toEqual(
      at('2026-11-16T09:00:00Z'),
    );
    expect(sinceOf([recipient('2026-11-23T09:00:00Z'), recipient()])).toBeUndefined();
  });

  it('accounts for every subscription in the run: sent, skipped or sent before; and lays a later run', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(mondayNine, hourly, fridayFour), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 40 * HOUR }),
        fc.boolean(),
        (specs, lateness, oneServed) => {
          const subs = specs.map((s, i) => subscription(`c${i % 3}`, s));
          const deliveries = new Map<string, Delivery>(
            oneServed ? [['c0', { lastDue: DUE.toISOString(), missed: [] }]] : [],
          );
          const now = new Date(DUE.getTime() + lateness);
          const plan = planDigestRun(subs, deliveries, DUE, now);
          const inRun = subs.filter(
            (s) => nextRun(s.subscription.spec, new Date(DUE.getTime() - 1)).getTime() === DUE.getTime(),
          );
          const conversations = new Set(inRun.map((s) => s.subscription.conversation.conversationId));
          const sentNow = plan.recipients.map((r) => r.conversation.conversationId);
          expect(new Set(sentNow).size).toBe(sentNow.length);
          for (const id of sentNow) expect(conversations.has(id)).toBe(true);
          if (lateness >= CATCH_UP_WINDOW_MS) expect(sentNow).toEqual([]);
          if (inRun.length > 0) expect(plan.next.length).toBeGreaterThan(0);
          for (const next of plan.next) expect(next.getTime()).toBeGreaterThan(DUE.getTime());
          expect(sentNow.length + plan.alreadySent + plan.missed.length).toBeGreaterThanOrEqual(
            conversations.size > 0 ? 1 : 0,
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});

import type { Services } from '../src/commands/services.js';
import { partnershipIdFor, type Partnership, type PartnershipId } from '../src/domain/partnership.js';
import { parseCronSpec, runsAt, type ScheduleSpec } from '../src/domain/schedule.js';
import type { AuditEntry } from '../src/storage/audit.js';
import type { ConversationRecord } from '../src/storage/conversations.js';
import { DigestRepository } from '../src/storage/digests.js';
import { ScheduleStore } from '../src/storage/schedule.js';

/**
 * The digest fan-out scenario for `npm run bench`: one partnership whose digest is due at one
 * minute in N channels of one tenant. It lays, straight through the repositories, the channels'
 * conversation references (pointing at the bench's connector sink), one subscription per channel
 * and the outbox run. To run it: set the bot's clock to `due` or later and call
 * `app.scheduler.tick()`; the digest is built once and sent to every channel through the bot's
 * one sender. `fanOutFloorMs` is the least time Teams' limits allow, for the ratio.
 */
export interface DigestFanOut {
  readonly partnershipId: PartnershipId;
  readonly tenantId: string;
  /** The channels' conversation ids, in the order laid: each must receive exactly one digest. */
  readonly conversationIds: readonly string[];
  readonly due: Date;
}

export interface DigestFanOutOptions {
  /** How many channels (1,000 in the bench). */
  readonly channels: number;
  /** The connector the references point at (the sink's url). */
  readonly serviceUrl: string;
  /** The minute the digest falls due (whole minute). */
  readonly due: Date;
  readonly tenantId?: string;
  readonly bot?: { readonly id: string; readonly name: string };
  /** An existing partnership to subscribe; else one is created for the fan-out. */
  readonly partnershipId?: PartnershipId;
}

const FANOUT_PARTNERSHIP = 'Digest fan-out (benchmark)';
const TEAM_ID = '19:bench-fanout-team@thread.tacv2';
const LAY_AT_ONCE = 32;

export async function seedDigestFanOut(services: Services, options: DigestFanOutOptions): Promise<DigestFanOut> {
  const tenantId = options.tenantId ?? '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70';
  const bot = options.bot ?? { id: '28:bench-governance-bot', name: 'Governance Bot' };
  const now = services.clock();
  const partnershipId = options.partnershipId ?? (await fanOutPartnership(services, tenantId, now));
  const spec = dailyAt(options.due);

  const conversationIds = Array.from(
    { length: options.channels },
    (_, i) => `19:bench-fanout-${String(i).padStart(5, '0')}@thread.tacv2`,
  );
  for (let start = 0; start < conversationIds.length; start += LAY_AT_ONCE) {
    await Promise.all(
      conversationIds
        .slice(start, start + LAY_AT_ONCE)
        .map((conversationId, i) =>
          services.conversations.save(
            reference(tenantId, conversationId, `Committee ${start + i + 1}`, options.serviceUrl, bot, now),
          ),
        ),
    );
  }
  await new DigestRepository(services.tables).seed(
    partnershipId,
    conversationIds.map((conversationId, i) => ({
      conversation: {
        conversationId,
        tenantId,
        teamId: TEAM_ID,
        type: 'channel' as const,
        label: `Committee ${i + 1}`,
      },
      spec,
      sections: ['kpi', 'risk', 'budget', 'approvals', 'projects', 'changes'],
      createdBy: 'Benchmark',
      createdAt: now.toISOString(),
    })),
  );
  await new ScheduleStore(services.tables).ensureRun('digest', partnershipId, options.due);
  return { partnershipId, tenantId, conversationIds, due: options.due };
}

/** The least time a fan-out of `messages` to distinct conversations can take under a per-tenant rate. */
export function fanOutFloorMs(messages: number, perTenantPerSecond: number): number {
  return (Math.max(0, messages - 1) / perTenantPerSecond) * 1000;
}

/** Every day at the London wall-clock time of `due`, so that `due` is one of its runs. */
function dailyAt(due: Date): ScheduleSpec {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(due);
  const part = (type: 'hour' | 'minute') => Number(parts.find((p) => p.type === type)?.value);
  const parsed = parseCronSpec(`${part('minute')} ${part('hour')} * * *`);
  if (!parsed.ok || !runsAt(parsed.spec, due)) throw new RangeError(`no daily digest runs at ${due.toISOString()}`);
  return parsed.spec;
}

function reference(
  tenantId: string,
  conversationId: string,
  name: string,
  serviceUrl: string,
  bot: { id: string; name: string },
  now: Date,
): ConversationRecord {
  return {
    tenantId,
    conversationId,
    conversationType: 'channel',
    serviceUrl,
    botId: bot.id,
    botName: bot.name,
    teamId: TEAM_ID,
    channelId: conversationId,
    name,
    active: true,
    updatedAt: now.toISOString(),
    inactiveReason: undefined,
  };
}

async function fanOutPartnership(services: Services, tenantId: string, now: Date): Promise<PartnershipId> {
  const id = partnershipIdFor(FANOUT_PARTNERSHIP, tenantId);
  if (await services.partnerships.get(id)) return id;
  const at = now.toISOString();
  const partnership: Partnership = {
    id,
    name: FANOUT_PARTNERSHIP,
    tenantId,
    councils: [
      { code: 'CEC', shareBasisPoints: 5000 },
      { code: 'CWAC', shareBasisPoints: 5000 },
    ],
    createdAt: at,
    createdBy: 'Benchmark',
  };
  const audit: AuditEntry = {
    at,
    actorId: 'bench',
    actorAadObjectId: undefined,
    actorName: 'Benchmark',
    command: 'bench',
    subject: `partnership ${FANOUT_PARTNERSHIP}`,
    before: null,
    after: null,
    conversationId: TEAM_ID,
  };
  await services.partnerships.create(
    partnership,
    {
      userId: 'bench',
      userName: 'Benchmark',
      aadObjectId: undefined,
      role: 'admin',
      council: undefined,
      grantedBy: 'Benchmark',
      grantedAt: at,
    },
    {
      partnershipId: id,
      key: { kind: 'team', teamId: TEAM_ID },
      label: 'team bench',
      boundBy: 'Benchmark',
      boundAt: at,
    },
    audit,
  );
  return id;
}

import type { Services } from '../src/commands/services.js';
import type { KpiDefinition } from '../src/domain/kpi-assessment.js';
import { partnershipIdFor, type Partnership } from '../src/domain/partnership.js';
import { lastCompletePeriod, parsePeriod, periodsBack } from '../src/domain/periods.js';
import type { AuditEntry } from '../src/storage/audit.js';
import type { ConversationKey } from '../src/storage/keys.js';

/** The Playground's people and conversations (from .m365agentsplayground.yml) that the demo links. */
export interface DemoPlace {
  readonly tenantId: string;
  readonly user: { id: string; name: string; aadObjectId: string };
  readonly personalChatId: string;
  readonly groupChatId: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly committeeChannel: { id: string; name: string } | undefined;
}

export const DEMO_PARTNERSHIP = 'Cheshire ICT Shared Service';

/**
 * 24 months of the three KPIs of the mid-year committee report, ending with the last complete
 * month: first time fix below target (Red), major incidents and portal channel shift on target
 * (Green), and 8 major incidents from April to October against 18 a year before.
 */
const SERIES: ReadonlyArray<{
  definition: Omit<KpiDefinition, 'createdAt' | 'createdBy' | 'owner'>;
  values: readonly number[];
  notes: Readonly<Record<number, string>>;
}> = [
  {
    definition: {
      code: 'FTF',
      name: 'First time fix',
      description: 'Service desk contacts resolved at the first contact, without passing to another team.',
      unit: '%',
      polarity: 'higher',
      target: 80,
      tolerance: { kind: 'percent', value: 5 },
      frequency: 'monthly',
      council: 'SHARED',
    },
    values: [
      81.2, 80.6, 79.8, 80.9, 81.5, 82.0, 81.1, 80.4, 79.9, 80.8, 81.3, 79.0, 78.4, 79.6, 80.2, 81.0, 80.5, 79.1, 78.2,
      77.4, 76.8, 75.9, 74.1, 72.5,
    ],
    notes: {
      23: 'Dip after the service desk moved to the new portal; triage training booked for December.',
      22: 'Two experienced analysts left in September.',
    },
  },
  {
    definition: {
      code: 'MI',
      name: 'Major incidents',
      description: 'Priority 1 incidents across the shared estate.',
      unit: 'count',
      polarity: 'lower',
      target: 2,
      tolerance: { kind: 'absolute', value: 1 },
      frequency: 'monthly',
      council: 'SHARED',
    },
    values: [3, 2, 3, 2, 3, 3, 2, 4, 2, 3, 2, 2, 2, 3, 1, 2, 2, 2, 1, 1, 2, 0, 1, 1],
    notes: { 23: 'One P1: network outage at Westfields, restored in 3 hours.' },
  },
  {
    definition: {
      code: 'PTCS',
      name: 'Portal vs telephone channel shift',
      description: 'Share of service desk contacts logged on the self-service portal rather than by telephone.',
      unit: '%',
      polarity: 'higher',
      target: 65,
      tolerance: { kind: 'percent', value: 5 },
      frequency: 'monthly',
      council: 'SHARED',
    },
    values: [
      48.2, 49.0, 49.9, 50.6, 51.8, 52.5, 53.1, 54.0, 54.8, 55.9, 56.4, 57.2, 58.1, 58.9, 59.6, 60.8, 61.5, 62.3, 63.0,
      64.2, 65.1, 66.0, 67.3, 68.4,
    ],
    notes: { 23: 'Self-service catalogue relaunched; telephone line now offers a portal link.' },
  },
];

/** Links the Playground's chats and team to the demo partnership and loads its KPIs; safe to run again. */
export async function seedDemo(services: Services, place: DemoPlace, now: Date): Promise<void> {
  const at = now.toISOString();
  const partnership: Partnership = {
    id: partnershipIdFor(DEMO_PARTNERSHIP, place.tenantId),
    name: DEMO_PARTNERSHIP,
    tenantId: place.tenantId,
    councils: [
      { code: 'CEC', shareBasisPoints: 5000 },
      { code: 'CWAC', shareBasisPoints: 5000 },
    ],
    createdAt: at,
    createdBy: place.user.name,
  };
  const by = {
    actorId: place.user.id,
    actorAadObjectId: place.user.aadObjectId,
    actorName: place.user.name,
    command: 'demo data',
    conversationId: place.personalChatId,
    at,
  };
  const audit = (subject: string, after: unknown): AuditEntry => ({ ...by, subject, before: null, after });
  const grant = (role: 'admin' | 'editor' | 'approver') => ({
    userId: place.user.id,
    userName: place.user.name,
    aadObjectId: place.user.aadObjectId,
    role,
    council: undefined,
    grantedBy: 'demo data',
    grantedAt: at,
  });
  const binding = (key: ConversationKey, label: string) => ({
    partnershipId: partnership.id,
    key,
    label,
    boundBy: place.user.name,
    boundAt: at,
  });

  const personal = binding(
    { kind: 'conversation', conversationId: place.personalChatId },
    `personal chat with ${place.user.name}`,
  );
  if (!(await services.partnerships.get(partnership.id))) {
    await services.partnerships.create(
      partnership,
      grant('admin'),
      personal,
      audit(`partnership ${DEMO_PARTNERSHIP}`, { councils: 'CEC 50%, CWAC 50%', admin: place.user.name }),
    );
  }
  const bound = new Set((await services.partnerships.listBindings(partnership.id)).map((b) => JSON.stringify(b.key)));
  for (const b of [
    personal,
    binding({ kind: 'conversation', conversationId: place.groupChatId }, 'group chat ICT Board members'),
    binding({ kind: 'team', teamId: place.teamId }, `team ${place.teamName}`),
  ]) {
    if (!bound.has(JSON.stringify(b.key)))
      await services.partnerships.link(b, audit(`link ${b.label}`, { linked: b.label }));
  }
  if (place.committeeChannel && !(await services.partnerships.isCommittee(partnership.id, place.committeeChannel.id))) {
    const label = `${place.teamName} › ${place.committeeChannel.name}`;
    await services.partnerships.markCommittee(
      partnership.id,
      { channelId: place.committeeChannel.id, teamId: place.teamId, label, markedBy: place.user.name, markedAt: at },
      audit(`committee channel ${label}`, { committee: true }),
    );
  }
  for (const role of ['editor', 'approver'] as const) {
    if (!(await services.roles.get(partnership.id, place.user.id, role, undefined)))
      await services.roles.grant(partnership.id, grant(role), audit(`role ${role} for ${place.user.name}`, { role }));
  }

  // The readings are laid again at every start, so the demo always ends with the last complete month.
  const periods = periodsBack(lastCompletePeriod('monthly', now), 24);
  const sortKey = (label: string) => parsePeriod(label)?.sortKey ?? label;
  for (const series of SERIES) {
    const definition: KpiDefinition = {
      ...series.definition,
      owner: { id: place.user.id, name: place.user.name, aadObjectId: place.user.aadObjectId },
      createdAt: at,
      createdBy: 'demo data',
    };
    if (!(await services.kpis.get(partnership.id, definition.code)))
      await services.kpis.add(partnership.id, definition, audit(`kpi ${definition.code}`, { name: definition.name }));
    await services.kpis.importReadings(
      partnership.id,
      definition.code,
      periods.map((p, i) => ({
        period: p.label,
        periodKey: p.sortKey,
        value: series.values[i]!,
        commentary: series.notes[i] ?? '',
        recordedBy: place.user.name,
        recordedById: place.user.id,
        recordedAt: at,
      })),
      sortKey,
      audit(`kpi ${definition.code} readings`, { months: `${periods[0]!.label} to ${periods.at(-1)!.label}` }),
    );
  }
}

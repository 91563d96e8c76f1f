import { FAMILIES } from '../src/commands/index.js';
import type { Services } from '../src/commands/services.js';
import type { DemoContext, UserRef } from '../src/commands/types.js';
import { partnershipIdFor, type Partnership } from '../src/domain/partnership.js';
import type { AuditEntry } from '../src/storage/audit.js';
import type { ConversationKey } from '../src/storage/keys.js';

/** The Playground's people and conversations (from .m365agentsplayground.yml) that the demo links. */
export interface DemoPlace {
  readonly tenantId: string;
  readonly user: { id: string; name: string; aadObjectId: string };
  readonly people: ReadonlyArray<{ id: string; name: string; aadObjectId: string }>;
  readonly personalChatId: string;
  readonly groupChat: { id: string; name: string };
  readonly teamId: string;
  readonly teamName: string;
  readonly committeeChannel: { id: string; name: string } | undefined;
}

/** Not the name the README uses for a first partnership, so the two are never confused. */
export const DEMO_PARTNERSHIP = 'Cheshire Shared ICT (demo)';

/**
 * Sets up the demo partnership (CEC and CWAC, 50% each), links the Playground's chats and team to
 * it, makes the Playground's user its admin, editor and approver, and lets every command family
 * lay its demo data. Safe to run again: what is there already is left as it is.
 */
export async function seedDemo(services: Services, place: DemoPlace, now: Date): Promise<Partnership> {
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
  const audit = (subject: string, after: unknown): AuditEntry => ({
    at,
    actorId: place.user.id,
    actorAadObjectId: place.user.aadObjectId,
    actorName: place.user.name,
    command: 'demo data',
    subject,
    before: null,
    after,
    conversationId: place.personalChatId,
  });
  const grant = (role: 'admin' | 'editor' | 'approver') => ({
    userId: place.user.id,
    userName: place.user.name,
    aadObjectId: place.user.aadObjectId,
    role,
    council: undefined,
    grantedBy: 'demo data',
    grantedAt: at,
  });
  const binding = (key: ConversationKey, label: string, name?: string) => ({
    partnershipId: partnership.id,
    key,
    label,
    ...(name ? { name } : {}),
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
    binding(
      { kind: 'conversation', conversationId: place.groupChat.id },
      `group chat ${place.groupChat.name}`,
      place.groupChat.name,
    ),
    binding({ kind: 'team', teamId: place.teamId }, `team ${place.teamName}`, place.teamName),
  ]) {
    if (!bound.has(JSON.stringify(b.key)))
      await services.partnerships.link(b, audit(`link ${b.label}`, { linked: b.label }), partnership);
  }
  if (place.committeeChannel && !(await services.partnerships.isCommittee(partnership.id, place.committeeChannel.id))) {
    const label = `${place.teamName} › ${place.committeeChannel.name}`;
    await services.partnerships.markCommittee(
      partnership.id,
      {
        channelId: place.committeeChannel.id,
        teamId: place.teamId,
        label,
        teamName: place.teamName,
        channelName: place.committeeChannel.name,
        markedBy: place.user.name,
        markedAt: at,
      },
      audit(`committee channel ${label}`, { committee: true }),
    );
  }
  for (const role of ['editor', 'approver'] as const) {
    if (!(await services.roles.get(partnership.id, place.user.id, role, undefined))) {
      await services.roles.grant(partnership.id, grant(role), audit(`role ${role} for ${place.user.name}`, { role }));
    }
  }

  const people: UserRef[] = place.people.map((p) => ({
    kind: 'user',
    id: p.id,
    name: p.name,
    aadObjectId: p.aadObjectId,
  }));
  const demo: DemoContext = {
    partnership,
    actor: place.user,
    now,
    people,
    committeeChannels: place.committeeChannel ? [{ id: place.committeeChannel.id, teamId: place.teamId }] : [],
  };
  for (const family of FAMILIES) await family(services).seedDemo?.(demo);
  return partnership;
}

import { z } from 'zod';
import { roleListCard } from '../cards/core.js';
import { listed } from '../domain/vocabulary.js';
import { describeRole, type RoleGrant } from '../domain/roles.js';
import { retryOnConflict } from '../storage/errors.js';
import { LastAdmin } from '../storage/roles.js';
import { auditOf, type AuditFields } from './audit-trail.js';
import { UsageError } from './errors.js';
import { conflictAs } from './kit/conflict.js';
import * as field from './kit/fields.js';
import { done } from './kit/replies.js';
import { BOT_NAME } from './help.js';
import { placeOf } from './places.js';
import type { Services } from './services.js';
import {
  cardReply,
  command,
  type ArgScope,
  type CommandFamily,
  type CommandRequest,
  type Reply,
  type UserRef,
} from './types.js';

/** Teams and chats whose members are searched for a person given by email. */
const MAX_PLACES = 10;

const GRANTABLE = ['admin', 'approver', 'editor'] as const;

const roleArg = z
  .string({
    error: (i) =>
      i.input === undefined ? `the role is missing: one of ${listed(GRANTABLE)}` : 'the role must be a word',
  })
  .transform((s) => s.toLowerCase())
  .refine(
    (s) => s !== 'viewer',
    'everyone in a linked conversation is a viewer already: grant admin, approver or editor',
  )
  .pipe(z.enum(GRANTABLE, { error: (i) => `"${String(i.input)}" is not a role: use ${listed(GRANTABLE)}` }));

/** A name typed in place of a mention runs on into the role's place: the last word is the role. */
const PERSON_AND_ROLE = [{ name: 'person' }, { name: 'role' }, { name: 'more', optional: true, rest: true }];

/** An email address or sign-in name (UPN), as Teams' member lists give them. */
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** Where to name a person from, when nobody can be mentioned here. */
const WHERE = `in a channel of the team, mention the person (@${BOT_NAME} role grant @Sam editor), or give their email or sign-in name (role grant sam.patel@council.gov.uk editor)`;

/** The person: @mentioned, or by email or UPN, looked up in the members of this chat or team and of those linked. */
function personIn(typed: unknown): UserRef | string | { problem: string } {
  if (field.isUserRef(typed)) return typed;
  if (typeof typed === 'string' && EMAIL.test(typed)) return typed;
  if (typed === undefined) return { problem: `the person is missing: ${WHERE}` };
  const text = typeof typed === 'string' ? typed : 'that';
  if (text.startsWith('@'))
    return {
      problem: `"${text}" is not a mention: type @ and pick the person from the list, so that Teams links them; or give their email or sign-in name`,
    };
  return { problem: `"${text}" is not a person I can find here: ${WHERE}` };
}

/** `council=all` (or none) means every council, stored as no council. */
const personRoleArgs = ({ partnership }: ArgScope) =>
  z
    .strictObject({
      person: z.unknown(),
      role: z.unknown(),
      more: z.string().optional(),
      council: z
        .string()
        .optional()
        .transform((c) => (c?.toLowerCase() === 'all' ? undefined : c))
        .pipe(field.council(partnership, { alsoListed: ['all'] }).optional()),
    })
    .transform((a, ctx) => {
      // `role grant Sam Patel editor`: a name typed in words, where a mention or an email goes.
      if (a.more !== undefined && typeof a.person === 'string') {
        const words = [a.person, String(a.role), ...a.more.split(' ')];
        ctx.addIssue({
          code: 'custom',
          message: `"${words.slice(0, -1).join(' ')}" is not a person I can find here: ${WHERE}`,
        });
        return z.NEVER;
      }
      if (a.more !== undefined) {
        ctx.addIssue({ code: 'custom', message: `I did not expect "${a.more}" after the role` });
        return z.NEVER;
      }
      const person = personIn(a.person);
      const role = roleArg.safeParse(a.role);
      if (typeof person === 'object' && 'problem' in person) ctx.addIssue({ code: 'custom', message: person.problem });
      for (const issue of role.error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message });
      if ((typeof person === 'object' && 'problem' in person) || !role.success) return z.NEVER;
      if (role.data === 'admin' && a.council) {
        ctx.addIssue({
          code: 'custom',
          message: 'An admin looks after the whole partnership: grant admin without council=.',
        });
        return z.NEVER;
      }
      return { person, role: role.data, council: a.council };
    });

type PersonRole = z.infer<ReturnType<typeof personRoleArgs>>;

const forCouncil = (council: string | undefined) => (council ? ` for ${council}` : '');
const RACED = 'Another admin changed the admins a moment ago. Nothing was changed; check with role list and try again.';

function shown(grant: RoleGrant): AuditFields {
  return { person: grant.userName, role: grant.role, council: grant.council ?? 'all councils' };
}

export function roleFamily(services: Services): CommandFamily {
  /** The person named: as mentioned, or the member of this place or a linked one with that email or UPN. */
  async function personOf(ctx: CommandRequest<PersonRole>): Promise<UserRef> {
    const named = ctx.args.person;
    if (typeof named !== 'string') return named;
    const linked = (await services.partnerships.listBindings(ctx.partnership.id)).map((b) =>
      b.key.kind === 'team'
        ? { tenantId: ctx.partnership.tenantId, conversationId: b.key.teamId, teamId: b.key.teamId }
        : { tenantId: ctx.partnership.tenantId, conversationId: b.key.conversationId, teamId: undefined },
    );
    const here = placeOf(ctx.conversation);
    const places = [here, ...linked.filter((p) => p.conversationId !== here.conversationId)].slice(0, MAX_PLACES);
    for (const place of places) {
      const found = await services.directory.findMember(place, named);
      if (found) return found;
    }
    throw new UsageError(
      `I could not find ${named} among the members of this ${ctx.conversation.teamId ? 'team' : 'chat'} or of the teams and chats linked to ${ctx.partnership.name}: ${WHERE}.`,
      ['role', ctx.commandText.toLowerCase().includes('revoke') ? 'revoke' : 'grant'],
    );
  }

  async function grant(ctx: CommandRequest<PersonRole>): Promise<Reply> {
    const { role, council } = ctx.args;
    const person = await personOf(ctx);
    if (await services.roles.get(ctx.partnership.id, person.id, role, council)) {
      return done(`${person.name} is ${role}${forCouncil(council)} already`, 'Nothing was changed.');
    }
    const granted: RoleGrant = {
      userId: person.id,
      userName: person.name,
      aadObjectId: person.aadObjectId,
      role: role,
      council,
      grantedBy: ctx.actor.name,
      grantedAt: ctx.now.toISOString(),
    };
    const audit = auditOf(ctx, `role ${role} for ${person.name}`, null, shown(granted));
    await conflictAs(
      retryOnConflict(() => services.roles.grant(ctx.partnership.id, granted, audit), { deadline: ctx.deadline }),
      RACED,
      ['role', 'grant'],
    );
    return done(`${person.name} is now ${role}${forCouncil(council)}`, `As ${describeRole(role)}.`);
  }

  async function revoke(ctx: CommandRequest<PersonRole>): Promise<Reply> {
    const { role, council } = ctx.args;
    const person = await personOf(ctx);
    const audit = auditOf(
      ctx,
      `role ${role} for ${person.name}`,
      { person: person.name, role, council: council ?? 'all councils' },
      null,
    );
    let removed: RoleGrant[];
    try {
      removed = await conflictAs(
        retryOnConflict(() => services.roles.revoke(ctx.partnership.id, person.id, role, council, audit), {
          deadline: ctx.deadline,
        }),
        RACED,
        ['role', 'revoke'],
      );
    } catch (error) {
      if (!(error instanceof LastAdmin)) throw error;
      throw new UsageError(
        `${person.name} is the only admin of ${ctx.partnership.name}: grant admin to someone else first.`,
        ['role', 'revoke'],
      );
    }
    if (removed.length === 0)
      return done(`${person.name} is not ${role}${forCouncil(council)}`, 'Nothing was changed.');
    return done(
      `${person.name} is no longer ${role}${forCouncil(council)}`,
      'They keep read access as a viewer while they are in a linked conversation.',
    );
  }

  async function list(ctx: CommandRequest<unknown>): Promise<Reply> {
    const order = { admin: 0, approver: 1, editor: 2 } as const;
    const grants = (await services.roles.list(ctx.partnership.id)).sort(
      (a, b) => order[a.role] - order[b.role] || a.userName.localeCompare(b.userName),
    );
    const rows = grants.map((g) => ({
      name: g.userName,
      role: g.role,
      council: g.council ?? 'all',
      since: g.grantedAt.slice(0, 10),
    }));
    const text = [
      `Roles in ${ctx.partnership.name}`,
      ...rows.map((r) => `${r.name}: ${r.role} (${r.council})`),
      'Everyone in a linked conversation is a viewer.',
    ].join('\n');
    return cardReply(
      roleListCard,
      { partnershipName: ctx.partnership.name, grants: rows, hasGrants: rows.length > 0 },
      text,
    );
  }

  return {
    words: ['role'],
    area: 'Partnership and roles',
    summary: 'Who may change what: grant, revoke and list roles',
    commands: [
      command({
        words: ['role', 'grant'],
        help: {
          summary: 'Give a person a role in the partnership (admin)',
          usage: 'role grant <@person|email> <admin|approver|editor> [council=<CODE>]',
          examples: [
            'role grant @Sam editor',
            'role grant @Priya approver council=CEC',
            'role grant sam.patel@council.gov.uk editor',
          ],
          details:
            "Editors record KPIs, risks and figures; approvers decide approvals; with council= the role covers that council's items only (grant it again for another council). Admins set up the partnership and grant roles. Name the person with an @mention, or, where nobody can be mentioned (a personal chat), by their email or sign-in name: they are looked up among the members of the teams and chats linked to the partnership.",
        },
        role: 'admin',
        bound: true,
        positional: PERSON_AND_ROLE,
        args: personRoleArgs,
        run: grant,
      }),
      command({
        words: ['role', 'revoke'],
        help: {
          summary: 'Take a role away from a person (admin)',
          usage: 'role revoke <@person|email> <admin|approver|editor> [council=<CODE>]',
          examples: ['role revoke @Sam editor', 'role revoke @Priya approver council=CEC'],
          details: 'Without council= the role is taken away for every council.',
        },
        role: 'admin',
        bound: true,
        positional: PERSON_AND_ROLE,
        args: personRoleArgs,
        run: revoke,
      }),
      command({
        words: ['role', 'list'],
        help: { summary: 'List who holds which role', usage: 'role list', examples: ['role list'] },
        role: 'viewer',
        bound: true,
        positional: [],
        args: z.strictObject({}),
        run: list,
      }),
    ],
  };
}

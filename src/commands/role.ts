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
import type { Services } from './services.js';
import { cardReply, command, type ArgScope, type CommandFamily, type CommandRequest, type Reply } from './types.js';

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

const PERSON_AND_ROLE = [{ name: 'person' }, { name: 'role' }];

/** `council=all` (or none) means every council, stored as no council. */
const personRoleArgs = ({ partnership }: ArgScope) =>
  z
    .strictObject({
      person: field.user('the person'),
      role: roleArg,
      council: z
        .string()
        .optional()
        .transform((c) => (c?.toLowerCase() === 'all' ? undefined : c))
        .pipe(field.council(partnership, { alsoListed: ['all'] }).optional()),
    })
    .refine((a) => !(a.role === 'admin' && a.council), {
      message: 'An admin looks after the whole partnership: grant admin without council=.',
      path: ['council'],
    });

type PersonRole = z.infer<ReturnType<typeof personRoleArgs>>;

const forCouncil = (council: string | undefined) => (council ? ` for ${council}` : '');
const RACED = 'Another admin changed the admins a moment ago. Nothing was changed; check with role list and try again.';

function shown(grant: RoleGrant): AuditFields {
  return { person: grant.userName, role: grant.role, council: grant.council ?? 'all councils' };
}

export function roleFamily(services: Services): CommandFamily {
  async function grant(ctx: CommandRequest<PersonRole>): Promise<Reply> {
    const { person, role, council } = ctx.args;
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
    const { person, role, council } = ctx.args;
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
          usage: 'role grant @person <admin|approver|editor> [council=<CODE>]',
          examples: ['role grant @Sam editor', 'role grant @Priya approver council=CEC'],
          details:
            "Editors record KPIs, risks and figures; approvers decide approvals; with council= the role covers that council's items only (grant it again for another council). Admins set up the partnership and grant roles.",
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
          usage: 'role revoke @person <admin|approver|editor> [council=<CODE>]',
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

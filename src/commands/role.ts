import { z } from 'zod';
import { findCouncil, type Partnership } from '../domain/partnership.js';
import { describeRole, type RoleGrant } from '../domain/roles.js';
import { ConflictError } from '../storage/errors.js';
import { LastAdmin } from '../storage/roles.js';
import * as arg from './args.js';
import { auditOf } from './audit-trail.js';
import { UsageError } from './errors.js';
import { done } from './replies.js';
import type { Services } from './services.js';
import { cardReply, command, type CommandFamily } from './types.js';

const GRANTABLE = ['admin', 'approver', 'editor'] as const;

const roleArg = z
  .string({
    error: (i) =>
      i.input === undefined ? 'the role is missing: one of admin, approver, editor' : 'the role must be a word',
  })
  .transform((s) => s.toLowerCase())
  .refine(
    (s) => s !== 'viewer',
    'everyone in a linked conversation is a viewer already: grant admin, approver or editor',
  )
  .pipe(z.enum(GRANTABLE, { error: (i) => `"${String(i.input)}" is not a role: use admin, approver or editor` }));

const PERSON_AND_ROLE = [{ name: 'person' }, { name: 'role' }];
const personRoleArgs = z.strictObject({
  person: arg.user('the person'),
  role: roleArg,
  council: z.string().max(10).optional(),
});

/** `all` means every council, which is stored as no council. */
function councilOf(partnership: Partnership, raw: string, words: string[]): string | undefined {
  if (raw.toLowerCase() === 'all') return undefined;
  const found = findCouncil(partnership, raw);
  if (!found)
    throw new UsageError(
      `council=${raw} is not a council of ${partnership.name}: use ${partnership.councils.map((c) => c.code).join(', ')} or all.`,
      words,
    );
  return found.code;
}

function shown(grant: RoleGrant): object {
  return { person: grant.userName, role: grant.role, council: grant.council ?? 'all councils' };
}

const forCouncil = (council: string | undefined) => (council ? ` for ${council}` : '');

export function roleFamily(services: Services): CommandFamily {
  const raced = (words: string[]) =>
    new UsageError(
      'Another admin changed the admins a moment ago. Nothing was changed; check with role list and try again.',
      words,
    );

  return {
    word: 'role',
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
        async run(ctx) {
          const { person, role } = ctx.args;
          const council =
            ctx.args.council === undefined
              ? undefined
              : councilOf(ctx.partnership, ctx.args.council, ['role', 'grant']);
          if (role === 'admin' && council)
            throw new UsageError('An admin looks after the whole partnership: grant admin without council=.', [
              'role',
              'grant',
            ]);
          if (await services.roles.get(ctx.partnership.id, person.id, role, council))
            return done(`${person.name} is ${role}${forCouncil(council)} already`, 'Nothing was changed.');
          const grant: RoleGrant = {
            userId: person.id,
            userName: person.name,
            aadObjectId: person.aadObjectId,
            role,
            council,
            grantedBy: ctx.actor.name,
            grantedAt: ctx.now.toISOString(),
          };
          try {
            await services.roles.grant(
              ctx.partnership.id,
              grant,
              auditOf(ctx, `role ${role} for ${person.name}`, null, shown(grant)),
            );
          } catch (error) {
            if (error instanceof ConflictError) throw raced(['role', 'grant']);
            throw error;
          }
          return done(`${person.name} is now ${role}${forCouncil(council)}`, `As ${describeRole(role)}.`);
        },
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
        async run(ctx) {
          const { person, role } = ctx.args;
          const council =
            ctx.args.council === undefined
              ? undefined
              : councilOf(ctx.partnership, ctx.args.council, ['role', 'revoke']);
          let removed: RoleGrant[];
          try {
            removed = await services.roles.revoke(
              ctx.partnership.id,
              person.id,
              role,
              council,
              auditOf(
                ctx,
                `role ${role} for ${person.name}`,
                { person: person.name, role, council: council ?? 'all councils' },
                null,
              ),
            );
          } catch (error) {
            if (error instanceof LastAdmin)
              throw new UsageError(
                `${person.name} is the only admin of ${ctx.partnership.name}: grant admin to someone else first.`,
                ['role', 'revoke'],
              );
            if (error instanceof ConflictError) throw raced(['role', 'revoke']);
            throw error;
          }
          if (removed.length === 0)
            return done(`${person.name} is not ${role}${forCouncil(council)}`, 'Nothing was changed.');
          return done(
            `${person.name} is no longer ${role}${forCouncil(council)}`,
            'They keep read access as a viewer while they are in a linked conversation.',
          );
        },
      }),
      command({
        words: ['role', 'list'],
        help: { summary: 'List who holds which role', usage: 'role list', examples: ['role list'] },
        role: 'viewer',
        bound: true,
        positional: [],
        args: z.strictObject({}),
        async run(ctx) {
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
            'role-list',
            { partnershipName: ctx.partnership.name, grants: rows, hasGrants: rows.length > 0 },
            text,
          );
        },
      }),
    ],
  };
}

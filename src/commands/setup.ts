import { z } from 'zod';
import {
  formatShare,
  isValidPartnershipName,
  parseCouncilShares,
  partnershipIdFor,
  type Partnership,
} from '../domain/partnership.js';
import { ConflictError } from '../storage/errors.js';
import type { ConversationKey } from '../storage/keys.js';
import { AlreadyLinked, type Binding } from '../storage/partnerships.js';
import { setupShowCard } from '../cards/core.js';
import { vocabulary } from '../domain/vocabulary.js';
import * as arg from './kit/fields.js';
import { auditOf } from './audit-trail.js';
import { accessOf, adminNames, bindingCandidates } from './context.js';
import { NotAuthorised, NotFound, UsageError } from './errors.js';
import { done } from './kit/replies.js';
import type { Services } from './services.js';
import { cardReply, command, type CommandContext, type CommandFamily } from './types.js';

/** A channel is linked through its team, so one link covers every channel of the team. */
function keyFor(ctx: CommandContext): ConversationKey {
  return ctx.conversation.teamId
    ? { kind: 'team', teamId: ctx.conversation.teamId }
    : { kind: 'conversation', conversationId: ctx.conversation.id };
}

function labelFor(ctx: CommandContext): string {
  const c = ctx.conversation;
  if (c.teamId) return `team ${c.teamName ?? c.teamId}`;
  if (c.type === 'personal') return `personal chat with ${ctx.actor.name}`;
  return c.name ? `group chat ${c.name}` : 'a group chat';
}

function place(ctx: CommandContext): string {
  return ctx.conversation.teamId ? 'team' : 'conversation';
}

export function setupFamily(services: Services): CommandFamily {
  const notLinkedYet = (ctx: CommandContext) => {
    if (ctx.partnership)
      throw new UsageError(
        `This ${place(ctx)} is already linked to ${ctx.partnership.name}. Type setup show to see it.`,
        ['setup'],
      );
  };
  const bindingOf = (ctx: CommandContext, partnership: Partnership): Binding => ({
    partnershipId: partnership.id,
    key: keyFor(ctx),
    label: labelFor(ctx),
    boundBy: ctx.actor.name,
    boundAt: ctx.now.toISOString(),
  });
  const linkedElsewhere = (ctx: CommandContext) =>
    new UsageError(
      `This ${place(ctx)} was linked to another partnership a moment ago. Nothing was changed; type setup show to see which.`,
      ['setup'],
    );

  return {
    words: ['setup'],
    area: 'Getting started',
    summary: 'Create the partnership, link conversations to it, mark committee channels',
    commands: [
      command({
        words: ['setup', 'partnership'],
        help: {
          summary: 'Create a partnership of councils with their cost shares and link this conversation to it',
          usage: 'setup partnership "<name>" councils=<CODE>:<share>,<CODE>:<share>',
          examples: [
            'setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50',
            'setup partnership "Tri-borough ICT" councils=LBHF:37.5,RBKC:37.5,WCC:25',
          ],
          details:
            "Shares are percentages (whole or decimal) that add up to 100; 2 to 10 councils. You become the partnership's admin. In a channel, the whole team is linked.",
        },
        role: 'viewer',
        bound: false,
        positional: [{ name: 'name', rest: true }],
        args: z.strictObject({
          name: arg
            .text('the partnership name', '"Cheshire ICT Shared Service"')
            .refine(
              isValidPartnershipName,
              'the partnership name needs 3 to 80 characters with some letters or digits',
            ),
          councils: arg.text('councils=', 'councils=CEC:50,CWAC:50'),
        }),
        async run(ctx) {
          notLinkedYet(ctx);
          const shares = parseCouncilShares(ctx.args.councils);
          if (!shares.ok)
            throw new UsageError(`councils=${ctx.args.councils}: ${shares.problem}.`, ['setup', 'partnership']);
          const at = ctx.now.toISOString();
          const partnership: Partnership = {
            id: partnershipIdFor(ctx.args.name, ctx.conversation.tenantId),
            name: ctx.args.name,
            tenantId: ctx.conversation.tenantId,
            councils: shares.councils,
            createdAt: at,
            createdBy: ctx.actor.name,
          };
          const admin = {
            userId: ctx.actor.id,
            userName: ctx.actor.name,
            aadObjectId: ctx.actor.aadObjectId,
            role: 'admin' as const,
            council: undefined,
            grantedBy: ctx.actor.name,
            grantedAt: at,
          };
          const councils = partnership.councils.map((c) => `${c.code} ${formatShare(c.shareBasisPoints)}`).join(', ');
          const audit = auditOf(ctx, `partnership ${partnership.name}`, null, {
            councils,
            linked: labelFor(ctx),
            admin: ctx.actor.name,
          });
          try {
            await services.partnerships.create(partnership, admin, bindingOf(ctx, partnership), audit);
          } catch (error) {
            if (error instanceof ConflictError) {
              throw new UsageError(
                `A partnership called "${ctx.args.name}" exists already. To use it here, ask its admin to type: setup link "${ctx.args.name}"`,
                ['setup', 'link'],
              );
            }
            if (error instanceof AlreadyLinked) throw linkedElsewhere(ctx);
            throw error;
          }
          return done(`${partnership.name} is set up`, `This ${place(ctx)} is linked to it and you are its admin.`, {
            facts: partnership.councils.map((c) => ({
              title: c.code,
              value: `${formatShare(c.shareBasisPoints)} share`,
            })),
            hint: 'Next: grant roles with role grant @person editor, then try kpi.',
          });
        },
      }),
      command({
        words: ['setup', 'link'],
        help: {
          summary: 'Link this conversation (or this team) to an existing partnership',
          usage: 'setup link "<name>"',
          examples: ['setup link "Cheshire ICT Shared Service"'],
          details: 'Only an admin of that partnership can link a conversation to it.',
        },
        role: 'viewer',
        bound: false,
        positional: [{ name: 'name', rest: true }],
        args: z.strictObject({ name: arg.text('the partnership name', '"Cheshire ICT Shared Service"') }),
        async run(ctx) {
          notLinkedYet(ctx);
          const partnership = await services.partnerships.get(
            partnershipIdFor(ctx.args.name, ctx.conversation.tenantId),
          );
          if (!partnership || partnership.tenantId !== ctx.conversation.tenantId)
            throw new NotFound(
              `There is no partnership called "${ctx.args.name}".`,
              [],
              'Check the name with its admin, or create one with setup partnership.',
            );
          if (!(await accessOf(services, partnership, ctx.actor)).holds('admin')) {
            const admins = await adminNames(services, partnership);
            throw new NotAuthorised(
              'admin',
              `link a conversation to ${partnership.name}`,
              admins.length > 0 ? `(its admins: ${admins.join(', ')})` : undefined,
            );
          }
          const bound = { ...ctx, partnership };
          try {
            await services.partnerships.link(
              bindingOf(ctx, partnership),
              auditOf(bound, `link ${labelFor(ctx)}`, null, { partnership: partnership.name, linked: labelFor(ctx) }),
              partnership,
            );
          } catch (error) {
            if (error instanceof AlreadyLinked) throw linkedElsewhere(ctx);
            throw error;
          }
          return done(
            `Linked to ${partnership.name}`,
            `Everyone in this ${place(ctx)} can now read the partnership's KPIs and reports.`,
          );
        },
      }),
      command({
        words: ['setup', 'unlink'],
        help: {
          summary: 'Unlink this conversation (or, in a channel, its team) from the partnership (admin)',
          usage: 'setup unlink',
          examples: ['setup unlink'],
          details: 'The partnership and its data stay; the conversation can be linked again with setup link.',
        },
        role: 'admin',
        bound: true,
        positional: [],
        args: z.strictObject({}),
        async run(ctx) {
          const binding = await services.partnerships.findBinding(bindingCandidates(ctx.conversation));
          const label =
            binding?.key.kind === 'team' ? `team ${ctx.conversation.teamName ?? binding.key.teamId}` : labelFor(ctx);
          const unlinked = binding
            ? await services.partnerships.unlink(
                ctx.partnership.id,
                binding.key,
                auditOf(ctx, `link ${label}`, { partnership: ctx.partnership.name, linked: label }, null),
              )
            : false;
          if (!unlinked)
            return done('Nothing to unlink', `This ${place(ctx)} was not linked to ${ctx.partnership.name}.`);
          return done(
            `Unlinked from ${ctx.partnership.name}`,
            `The ${label} no longer sees the partnership. Its data is kept; an admin can link it again with setup link "${ctx.partnership.name}".`,
          );
        },
      }),
      command({
        words: ['setup', 'show'],
        help: {
          summary: 'Show the partnership, its councils and shares, and the linked conversations',
          usage: 'setup show',
          examples: ['setup show'],
        },
        role: 'viewer',
        readsRoles: true,
        bound: true,
        positional: [],
        args: z.strictObject({}),
        async run(ctx) {
          const p = ctx.partnership;
          const [bindings, committees, admins] = await Promise.all([
            services.partnerships.listBindings(p.id),
            services.partnerships.listCommitteeChannels(p.id),
            adminNames(services, p),
          ]);
          const councils = p.councils.map((c) => ({ code: c.code, share: formatShare(c.shareBasisPoints) }));
          const conversations = bindings.map((b) => ({
            label: b.label,
            kind: b.key.kind === 'team' ? 'all channels' : 'this chat only',
          }));
          const yourRoles = ctx.access.describe();
          const text = [
            p.name,
            `Councils: ${councils.map((c) => `${c.code} ${c.share}`).join(', ')}`,
            `Linked: ${conversations.map((c) => c.label).join('; ')}`,
            ...(committees.length > 0 ? [`Committee channels: ${committees.map((c) => c.label).join('; ')}`] : []),
            `Admins: ${admins.join(', ') || 'none'}`,
            `Your roles: ${yourRoles}`,
          ].join('\n');
          return cardReply(
            setupShowCard,
            {
              name: p.name,
              councils,
              conversations,
              committeeChannels: committees.map((c) => ({ label: c.label })),
              hasCommitteeChannels: committees.length > 0,
              here: labelFor(ctx),
              yourRoles,
              admins: admins.join(', ') || 'none',
            },
            text,
          );
        },
      }),
      command({
        words: ['setup', 'channel'],
        help: {
          summary: 'Mark this channel as a committee channel (it will get alerts and digests)',
          usage: 'setup channel committee',
          examples: ['setup channel committee'],
        },
        role: 'admin',
        bound: true,
        positional: [{ name: 'kind' }],
        args: z.strictObject({ kind: arg.choice('channel kind', vocabulary({ committee: [] })) }),
        async run(ctx) {
          const { teamId, channelId, name } = ctx.conversation;
          if (ctx.conversation.type !== 'channel' || !teamId || !channelId) {
            throw new UsageError("setup channel works in a team channel only: post it in the committee's channel.", [
              'setup',
              'channel',
            ]);
          }
          const label = `${ctx.conversation.teamName ?? 'team'} › ${name ?? 'General'}`;
          if (await services.partnerships.isCommittee(ctx.partnership.id, channelId))
            return done('This is a committee channel', 'It was one already; nothing changed.');
          const channel = { channelId, teamId, label, markedBy: ctx.actor.name, markedAt: ctx.now.toISOString() };
          await services.partnerships.markCommittee(
            ctx.partnership.id,
            channel,
            auditOf(ctx, `committee channel ${label}`, null, { committee: true }),
          );
          return done(
            'This is a committee channel',
            'Alerts and scheduled digests for the committee will be posted here.',
          );
        },
      }),
    ],
  };
}

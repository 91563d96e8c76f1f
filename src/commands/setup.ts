import { z } from 'zod';
import { formatShare, isValidPartnershipName, parseCouncilShares, partnershipIdFor, type Partnership } from '../domain/partnership.js';
import { holdsRole } from '../domain/roles.js';
import { ConflictError } from '../storage/errors.js';
import type { ConversationKey } from '../storage/keys.js';
import * as arg from './args.js';
import { recordChange } from './audit-trail.js';
import { adminNames, rolesOf } from './context.js';
import { NotAuthorised, NotFound, UsageError } from './errors.js';
import type { Services } from './services.js';
import { cardReply, command, type CommandContext, type CommandFamily, type Reply } from './types.js';

/** A channel is bound through its team, so one binding covers every channel of the team. */
function keyFor(ctx: CommandContext): ConversationKey {
  return ctx.conversation.teamId ? { kind: 'team', teamId: ctx.conversation.teamId } : { kind: 'conversation', conversationId: ctx.conversation.id };
}

function labelFor(ctx: CommandContext): string {
  const c = ctx.conversation;
  if (c.teamId) return `team ${c.teamName ?? c.teamId}`;
  if (c.type === 'personal') return `personal chat with ${ctx.actor.name}`;
  return c.name ? `group chat ${c.name}` : 'a group chat';
}

function done(title: string, message: string, facts: { title: string; value: string }[] = [], hint?: string): Reply {
  const text = [title, message, ...facts.map((f) => `${f.title}: ${f.value}`), ...(hint ? [hint] : [])].join('\n');
  return cardReply('notice', { tone: 'good', title, message, facts, ...(hint ? { hint } : {}) }, text);
}

export function setupFamily(services: Services): CommandFamily {
  const alreadyBound = (ctx: CommandContext) => {
    if (ctx.partnership) throw new UsageError(`This conversation is already linked to ${ctx.partnership.name}. Type setup show to see it.`, ['setup']);
  };

  return {
    word: 'setup',
    area: 'Getting started',
    summary: 'Create the partnership, link conversations to it, mark committee channels',
    commands: [
      command({
        words: ['setup', 'partnership'],
        help: {
          summary: 'Create a partnership of councils with their cost shares and link this conversation to it',
          usage: 'setup partnership "<name>" councils=<CODE>:<share>,<CODE>:<share>',
          examples: ['setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50', 'setup partnership "Tri-borough ICT" councils=LBHF:37.5,RBKC:37.5,WCC:25'],
          details: 'Shares are percentages (whole or decimal) that add up to 100; 2 to 10 councils. You become the partnership\'s admin. In a channel, the whole team is linked.',
        },
        role: 'viewer',
        bound: false,
        positional: [{ name: 'name', rest: true }],
        args: z.strictObject({
          name: arg.text('the partnership name', '"Cheshire ICT Shared Service"').refine(isValidPartnershipName, 'the partnership name needs 3 to 80 characters with some letters or digits'),
          councils: arg.text('councils=', 'councils=CEC:50,CWAC:50'),
        }),
        async run(ctx) {
          alreadyBound(ctx);
          const shares = parseCouncilShares(ctx.args.councils);
          if (!shares.ok) throw new UsageError(`councils=${ctx.args.councils}: ${shares.problem}.`, ['setup', 'partnership']);
          const partnership: Partnership = {
            id: partnershipIdFor(ctx.args.name),
            name: ctx.args.name,
            tenantId: ctx.conversation.tenantId,
            councils: shares.councils,
            createdAt: ctx.now.toISOString(),
            createdBy: ctx.actor.name,
          };
          try {
            await services.partnerships.create(partnership);
          } catch (error) {
            if (error instanceof ConflictError) {
              throw new UsageError(`A partnership called "${ctx.args.name}" exists already. To use it here, ask its admin to type: setup link "${ctx.args.name}"`, ['setup', 'link']);
            }
            throw error;
          }
          const bound = { ...ctx, partnership };
          await services.roles.grant(partnership.id, { userId: ctx.actor.id, userName: ctx.actor.name, aadObjectId: ctx.actor.aadObjectId, role: 'admin', council: undefined, grantedBy: ctx.actor.name, grantedAt: ctx.now.toISOString() });
          await services.partnerships.bind({ partnershipId: partnership.id, key: keyFor(ctx), label: labelFor(ctx), boundBy: ctx.actor.name, boundAt: ctx.now.toISOString() });
          await recordChange(services, bound, `partnership ${partnership.name}`, null, { councils: partnership.councils.map((c) => `${c.code} ${formatShare(c.shareBasisPoints)}`).join(', '), linked: labelFor(ctx), admin: ctx.actor.name });
          return done(
            `${partnership.name} is set up`,
            `This ${ctx.conversation.teamId ? 'team' : 'conversation'} is linked to it and you are its admin.`,
            partnership.councils.map((c) => ({ title: c.code, value: `${formatShare(c.shareBasisPoints)} share` })),
            'Next: grant roles with role grant @person editor, then try kpi.',
          );
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
          alreadyBound(ctx);
          const partnership = await services.partnerships.get(partnershipIdFor(ctx.args.name));
          if (!partnership || partnership.tenantId !== ctx.conversation.tenantId) {
            throw new NotFound(`There is no partnership called "${ctx.args.name}".`, [], 'Check the name with its admin, or create one with setup partnership.');
          }
          const roles = await rolesOf(services, partnership, ctx.actor);
          if (!holdsRole(roles, 'admin')) {
            const admins = await adminNames(services, partnership);
            throw new NotAuthorised('admin', `link a conversation to ${partnership.name}`, admins.length > 0 ? `(its admins: ${admins.join(', ')})` : undefined);
          }
          const bound = { ...ctx, partnership, roles };
          await services.partnerships.bind({ partnershipId: partnership.id, key: keyFor(ctx), label: labelFor(ctx), boundBy: ctx.actor.name, boundAt: ctx.now.toISOString() });
          await recordChange(services, bound, `link ${labelFor(ctx)}`, null, { partnership: partnership.name, linked: labelFor(ctx) });
          return done(`Linked to ${partnership.name}`, `Everyone in this ${ctx.conversation.teamId ? 'team' : 'conversation'} can now read the partnership's KPIs and reports.`);
        },
      }),
      command({
        words: ['setup', 'show'],
        help: { summary: 'Show the partnership, its councils and shares, and the linked conversations', usage: 'setup show', examples: ['setup show'] },
        role: 'viewer',
        bound: true,
        positional: [],
        args: z.strictObject({}),
        async run(ctx) {
          const p = ctx.partnership;
          const [bindings, committees, admins] = await Promise.all([services.partnerships.listBindings(p.id), services.partnerships.listCommitteeChannels(p.id), adminNames(services, p)]);
          const councils = p.councils.map((c) => ({ code: c.code, share: formatShare(c.shareBasisPoints) }));
          const conversations = bindings.map((b) => ({ label: b.label, kind: b.key.kind === 'team' ? 'all channels' : 'this chat only' }));
          const yourRoles = [...ctx.roles].filter((r) => r !== 'viewer').join(', ') || 'viewer';
          const text = [
            p.name,
            `Councils: ${councils.map((c) => `${c.code} ${c.share}`).join(', ')}`,
            `Linked: ${conversations.map((c) => c.label).join('; ')}`,
            ...(committees.length > 0 ? [`Committee channels: ${committees.map((c) => c.label).join('; ')}`] : []),
            `Admins: ${admins.join(', ') || 'none'}`,
            `Your roles: ${yourRoles}`,
          ].join('\n');
          return cardReply('setup-show', {
            name: p.name,
            councils,
            conversations,
            committeeChannels: committees.map((c) => ({ label: c.label })),
            hasCommitteeChannels: committees.length > 0,
            here: labelFor(ctx),
            yourRoles,
            admins: admins.join(', ') || 'none',
          }, text);
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
        args: z.strictObject({ kind: arg.choice('channel kind', ['committee']) }),
        async run(ctx) {
          const { teamId, channelId, name } = ctx.conversation;
          if (ctx.conversation.type !== 'channel' || !teamId || !channelId) {
            throw new UsageError('setup channel works in a team channel only: post it in the committee\'s channel.', ['setup', 'channel']);
          }
          const label = name ? `${ctx.conversation.teamName ?? 'team'} › ${name}` : `${ctx.conversation.teamName ?? 'team'} channel`;
          const before = await services.partnerships.isCommittee(ctx.partnership.id, channelId);
          await services.partnerships.markCommittee(ctx.partnership.id, { channelId, teamId, label, markedBy: ctx.actor.name, markedAt: ctx.now.toISOString() });
          if (!before) await recordChange(services, ctx, `committee channel ${label}`, null, { committee: true });
          return done('This is a committee channel', before ? 'It was one already; nothing changed.' : 'Alerts and scheduled digests for the committee will be posted here.');
        },
      }),
    ],
  };
}

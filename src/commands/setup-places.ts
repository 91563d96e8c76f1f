import { setupShowCard } from '../cards/core.js';
import { formatShare, partnershipIdFor, type Partnership } from '../domain/partnership.js';
import { ConflictError } from '../storage/errors.js';
import type { ConversationKey } from '../storage/keys.js';
import { AlreadyLinked, type Binding } from '../storage/partnerships.js';
import { auditOf } from './audit-trail.js';
import { accessOf, adminNames, bindingCandidates } from './context.js';
import { NotAuthorised, NotFound, UsageError } from './errors.js';
import { done } from './kit/replies.js';
import { bindingLabel, committeeLabel, namesHere } from './places.js';
import type { Services } from './services.js';
import { BOT_NAME } from './help.js';
import { cardReply, type CommandContext, type CommandRequest, type OpenRequest, type Reply } from './types.js';

/** The set-up commands: create a partnership, link and unlink conversations, show them, mark committee channels. */

/** A channel is linked through its team, so one link covers every channel of the team. */
function keyFor(ctx: CommandContext): ConversationKey {
  return ctx.conversation.teamId
    ? { kind: 'team', teamId: ctx.conversation.teamId }
    : { kind: 'conversation', conversationId: ctx.conversation.id };
}

function place(ctx: CommandContext): string {
  return ctx.conversation.teamId ? 'team' : 'conversation';
}

/** `This team (team Shared ICT Service)`, or `This team` when Teams did not say its name. */
function thisPlace(ctx: CommandContext, linked: string): string {
  return linked.startsWith('this ') ? `This ${place(ctx)}` : `This ${place(ctx)} (${linked})`;
}

/** What to grant roles with from here: by email in a chat with nobody to mention, by mention where the team is. */
export function grantHint(ctx: CommandContext): string {
  if (ctx.conversation.type === 'personal')
    return 'Next: grant roles by email here (role grant sam.patel@council.gov.uk editor), or in a channel of the team, mentioning the person (role grant @Sam editor). Then type kpi.';
  return `Next: grant roles with @${BOT_NAME} role grant @person editor (Teams passes me only messages that mention me here), then try @${BOT_NAME} kpi.`;
}

export function setupHandlers(services: Services) {
  const notLinkedYet = (ctx: CommandContext) => {
    if (ctx.partnership)
      throw new UsageError(
        `This ${place(ctx)} is already linked to ${ctx.partnership.name}. Type setup show to see it.`,
        ['setup'],
      );
  };
  const linkedElsewhere = (ctx: CommandContext) =>
    new UsageError(
      `This ${place(ctx)} was linked to another partnership a moment ago. Nothing was changed; type setup show to see which.`,
      ['setup'],
    );

  /** The link of this conversation, with the name Teams gives its team (or the chat's). */
  async function bindingOf(ctx: CommandContext, partnership: Partnership): Promise<Binding> {
    const c = ctx.conversation;
    const team = c.teamId ? (await namesHere(services, c)).team : undefined;
    const label = c.teamId
      ? team
        ? `team ${team}`
        : 'team'
      : c.type === 'personal'
        ? `personal chat with ${ctx.actor.name}`
        : c.name
          ? `group chat ${c.name}`
          : 'a group chat';
    return {
      partnershipId: partnership.id,
      key: keyFor(ctx),
      label,
      ...(team ? { name: team } : {}),
      boundBy: ctx.actor.name,
      boundAt: ctx.now.toISOString(),
    };
  }

  async function createPartnership(
    ctx: OpenRequest<{ name: string; councils: Partnership['councils'] }>,
  ): Promise<Reply> {
    notLinkedYet(ctx);
    const at = ctx.now.toISOString();
    const partnership: Partnership = {
      id: partnershipIdFor(ctx.args.name, ctx.conversation.tenantId),
      name: ctx.args.name,
      tenantId: ctx.conversation.tenantId,
      councils: ctx.args.councils,
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
    const binding = await bindingOf(ctx, partnership);
    const linked = bindingLabel(binding, ctx.conversation);
    const councils = partnership.councils.map((c) => `${c.code} ${formatShare(c.shareBasisPoints)}`).join(', ');
    const audit = auditOf(ctx, `partnership ${partnership.name}`, null, { councils, linked, admin: ctx.actor.name });
    try {
      await services.partnerships.create(partnership, admin, binding, audit);
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
    return done(`${partnership.name} is set up`, `${thisPlace(ctx, linked)} is linked to it and you are its admin.`, {
      facts: partnership.councils.map((c) => ({ title: c.code, value: `${formatShare(c.shareBasisPoints)} share` })),
      hint: grantHint(ctx),
    });
  }

  async function link(ctx: OpenRequest<{ name: string }>): Promise<Reply> {
    notLinkedYet(ctx);
    const partnership = await services.partnerships.get(partnershipIdFor(ctx.args.name, ctx.conversation.tenantId));
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
    const binding = await bindingOf(ctx, partnership);
    const linked = bindingLabel(binding, ctx.conversation);
    try {
      await services.partnerships.link(
        binding,
        auditOf({ ...ctx, partnership }, `link ${linked}`, null, { partnership: partnership.name, linked }),
        partnership,
      );
    } catch (error) {
      if (error instanceof AlreadyLinked) throw linkedElsewhere(ctx);
      throw error;
    }
    return done(
      `Linked to ${partnership.name}`,
      `Everyone in ${thisPlace(ctx, linked).replace(/^This/, 'this')} can now read the partnership's KPIs and reports.`,
      { hint: grantHint(ctx) },
    );
  }

  async function unlink(ctx: CommandRequest<unknown>): Promise<Reply> {
    const found = await services.partnerships.findBinding(bindingCandidates(ctx.conversation));
    const key = found && JSON.stringify(found.key);
    const binding = key
      ? (await services.partnerships.listBindings(ctx.partnership.id)).find((b) => JSON.stringify(b.key) === key)
      : undefined;
    const label = binding ? bindingLabel(binding, ctx.conversation) : `this ${place(ctx)}`;
    const unlinked = found
      ? await services.partnerships.unlink(
          ctx.partnership.id,
          found.key,
          auditOf(ctx, `link ${label}`, { partnership: ctx.partnership.name, linked: label }, null),
        )
      : false;
    if (!unlinked) return done('Nothing to unlink', `This ${place(ctx)} was not linked to ${ctx.partnership.name}.`);
    return done(
      `Unlinked from ${ctx.partnership.name}`,
      `${label.startsWith('this ') ? `This ${label.slice(5)}` : `The ${label}`} no longer sees the partnership. Its data is kept; an admin can link it again with setup link "${ctx.partnership.name}".`,
    );
  }

  async function show(ctx: CommandRequest<unknown>): Promise<Reply> {
    const p = ctx.partnership;
    const [bindings, committees, admins, names] = await Promise.all([
      services.partnerships.listBindings(p.id),
      services.partnerships.listCommitteeChannels(p.id),
      adminNames(services, p),
      namesHere(services, ctx.conversation),
    ]);
    const councils = p.councils.map((c) => ({ code: c.code, share: formatShare(c.shareBasisPoints) }));
    const conversations = bindings.map((b) => ({
      label: bindingLabel(b, ctx.conversation),
      kind: b.key.kind === 'team' ? 'all channels' : 'this chat only',
    }));
    const committeeChannels = committees.map((c) => ({ label: committeeLabel(c, ctx.conversation) }));
    const c = ctx.conversation;
    const here = c.teamId
      ? `${names.channel ? `channel ${names.channel}` : 'this channel'} of ${names.team ? `team ${names.team}` : 'this team'}`
      : c.type === 'personal'
        ? `personal chat with ${ctx.actor.name}`
        : c.name
          ? `group chat ${c.name}`
          : 'this group chat';
    const yourRoles = ctx.access.describe();
    const text = [
      p.name,
      `Councils: ${councils.map((x) => `${x.code} ${x.share}`).join(', ')}`,
      `Linked: ${conversations.map((x) => x.label).join('; ')}`,
      ...(committeeChannels.length > 0
        ? [`Committee channels: ${committeeChannels.map((x) => x.label).join('; ')}`]
        : []),
      `Here: ${here}`,
      `Admins: ${admins.join(', ') || 'none'}`,
      `Your roles: ${yourRoles}`,
    ].join('\n');
    return cardReply(
      setupShowCard,
      {
        name: p.name,
        councils,
        conversations,
        committeeChannels,
        hasCommitteeChannels: committeeChannels.length > 0,
        here,
        yourRoles,
        admins: admins.join(', ') || 'none',
      },
      text,
    );
  }

  async function markCommittee(ctx: CommandRequest<unknown>): Promise<Reply> {
    const { teamId, channelId } = ctx.conversation;
    if (ctx.conversation.type !== 'channel' || !teamId || !channelId) {
      throw new UsageError("setup channel works in a team channel only: post it in the committee's channel.", [
        'setup',
        'channel',
      ]);
    }
    if (await services.partnerships.isCommittee(ctx.partnership.id, channelId))
      return done('This is a committee channel', 'It was one already; nothing changed.');
    const names = await namesHere(services, ctx.conversation);
    const channel = {
      channelId,
      teamId,
      label: `${names.team ?? 'team'} › ${names.channel ?? 'channel'}`,
      ...(names.team ? { teamName: names.team } : {}),
      ...(names.channel ? { channelName: names.channel } : {}),
      markedBy: ctx.actor.name,
      markedAt: ctx.now.toISOString(),
    };
    const label = committeeLabel(channel, ctx.conversation);
    await services.partnerships.markCommittee(
      ctx.partnership.id,
      channel,
      auditOf(ctx, `committee channel ${label}`, null, { committee: true }),
    );
    return done(
      `${label === 'this channel' ? 'This' : label} is a committee channel`,
      'Alerts and scheduled digests for the committee will be posted here.',
    );
  }

  return { createPartnership, link, unlink, show, markCommittee };
}

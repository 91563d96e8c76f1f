import type { DigestRepository } from '../../storage/digests.js';
import type { CommandRequest, Reply } from '../types.js';
import { ALL_SECTIONS, collectDigest, type DigestSources, type SectionKey } from './build.js';
import { digestReply } from './views.js';

/** The digest shown here and now: `digest preview` (records nothing), `digest now` (counts as a run), `status`. */

export interface DeliverKit {
  readonly sources: DigestSources;
  readonly digests: DigestRepository;
}

type SectionsArgs = { sections?: readonly SectionKey[] };

export function digestDelivery(kit: DeliverKit) {
  /** The digest as this conversation would get it now; "since the last digest" is since the last one sent here. */
  async function build(ctx: CommandRequest<SectionsArgs>, heading: 'Digest' | 'Status') {
    const last = await kit.digests.delivery(ctx.partnership.id, ctx.conversation.id);
    const since = last?.lastSentAt ? new Date(last.lastSentAt) : undefined;
    const content = await collectDigest(kit.sources, { partnership: ctx.partnership, now: ctx.now, since });
    const missed =
      last && last.missed.length > 0
        ? { dues: last.missed, ...(last.missedSince ? { since: last.missedSince } : {}) }
        : undefined;
    return digestReply(content, {
      heading,
      keys: ctx.args.sections ?? ALL_SECTIONS,
      ...(heading === 'Digest' && missed ? { missed } : {}),
    });
  }

  /** `digest preview`: the digest here, now; nothing is recorded. */
  async function preview(ctx: CommandRequest<SectionsArgs>): Promise<Reply> {
    return build(ctx, 'Digest');
  }

  /** `digest now`: the digest posted here now, and counted as this conversation's last digest. */
  async function now(ctx: CommandRequest<SectionsArgs>): Promise<Reply> {
    const reply = await build(ctx, 'Digest');
    await kit.digests.recordSent(ctx.partnership.id, ctx.conversation.id, { at: ctx.now });
    return reply;
  }

  /** `status`: the one-card overview of the partnership as it stands; recorded nowhere. */
  async function status(ctx: CommandRequest<SectionsArgs>): Promise<Reply> {
    return build(ctx, 'Status');
  }

  return { preview, now, status };
}

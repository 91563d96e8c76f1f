import { z } from 'zod';
import { isValidPartnershipName, parseCouncilShares } from '../domain/partnership.js';
import { vocabulary } from '../domain/vocabulary.js';
import * as arg from './kit/fields.js';
import type { Services } from './services.js';
import { setupHandlers } from './setup-places.js';
import { command, type CommandFamily } from './types.js';

/** `councils=CEC:50,CWAC:50`: the councils and their cost shares, which add up to 100%. */
const councilShares = arg.text('councils=', 'councils=CEC:50,CWAC:50').transform((typed, ctx) => {
  const shares = parseCouncilShares(typed);
  if (shares.ok) return shares.councils;
  ctx.addIssue({ code: 'custom', message: `councils=${typed}: ${shares.problem}.` });
  return z.NEVER;
});

export function setupFamily(services: Services): CommandFamily {
  const setup = setupHandlers(services);
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
          councils: councilShares,
        }),
        run: setup.createPartnership,
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
        run: setup.link,
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
        run: setup.unlink,
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
        run: setup.show,
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
        run: setup.markCommittee,
      }),
    ],
  };
}

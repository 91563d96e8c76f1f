import { z } from 'zod';
import { auditCard } from '../cards/core.js';
import { clipped, momentText } from '../cards/views.js';
import { auditLines } from './audit-trail.js';
import type { Services } from './services.js';
import { cardReply, command, type CommandFamily } from './types.js';

const SHOWN = 20;
const COMMAND_CHARS = 200;

export function auditFamily(services: Services): CommandFamily {
  return {
    words: ['audit'],
    area: 'Partnership and roles',
    summary: 'The latest changes: who, when, what, before and after',
    commands: [
      command({
        words: ['audit'],
        help: {
          summary: `Show the latest ${SHOWN} changes in the partnership (admin)`,
          usage: 'audit',
          examples: ['audit'],
        },
        role: 'admin',
        bound: true,
        positional: [],
        args: z.strictObject({}),
        async run(ctx) {
          const entries = (await services.audit.latest(ctx.partnership.id, SHOWN)).map((e) => {
            const { what, lines } = auditLines(e.before, e.after);
            return {
              when: momentText(e.at),
              who: e.actorName,
              command: clipped(e.command, COMMAND_CHARS),
              change: `${e.subject} ${what}`,
              fields: lines,
            };
          });
          const text = [
            `Latest changes in ${ctx.partnership.name}`,
            ...entries.flatMap((e) => [
              `${e.when} ${e.who}: ${e.command}`,
              `  ${e.change}${e.fields.length > 0 ? `: ${e.fields.map((f) => `${f.field}: ${f.change}`).join('; ')}` : ''}`,
            ]),
          ].join('\n');
          return cardReply(
            auditCard,
            { partnershipName: ctx.partnership.name, entries, hasEntries: entries.length > 0 },
            text,
          );
        },
      }),
    ],
  };
}

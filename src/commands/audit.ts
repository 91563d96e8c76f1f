import { z } from 'zod';
import { auditCard } from '../cards/core.js';
import type { Services } from './services.js';
import { cardReply, command, type CommandFamily } from './types.js';

const SHOWN = 20;

function describeChange(before: unknown, after: unknown): string {
  const brief = (v: unknown) =>
    v === null || v === undefined
      ? '—'
      : JSON.stringify(v)
          .replace(/[{}"]/g, '')
          .replace(/,(?! )/g, ', ')
          .replace(/:/g, ': ')
          .slice(0, 160);
  if (before === null || before === undefined) return `added: ${brief(after)}`;
  if (after === null || after === undefined) return `removed: ${brief(before)}`;
  return `${brief(before)} → ${brief(after)}`;
}

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

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
          const entries = (await services.audit.latest(ctx.partnership.id, SHOWN)).map((e) => ({
            when: london.format(new Date(e.at)),
            who: e.actorName,
            command: e.command.length > 200 ? `${e.command.slice(0, 200)}…` : e.command,
            change: `${e.subject}: ${describeChange(e.before, e.after)}`,
          }));
          const text = [
            `Latest changes in ${ctx.partnership.name}`,
            ...entries.map((e) => `${e.when} ${e.who}: ${e.command} (${e.change})`),
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

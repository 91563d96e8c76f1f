import { z } from 'zod';
import { DigestRepository } from '../../storage/digests.js';
import { ReminderStore } from '../../storage/reminders.js';
import { ScheduleStore } from '../../storage/schedule.js';
import * as field from '../kit/fields.js';
import type { Services } from '../services.js';
import { command, type CommandFamily } from '../types.js';
import { SECTION_WORDS } from './build.js';
import { digestDelivery } from './deliver.js';
import { digestId, sections, subscribeArgs } from './fields.js';
import { reminderSettings } from './reminder-settings.js';
import { digestSubscriptions } from './subscriptions.js';

const SECTIONS_HELP = `Sections: ${SECTION_WORDS.listed} (default all); a family not in use is left out.`;
const sectionsOnly = z.strictObject({ sections: sections.optional() });

/**
 * Committee digests on a schedule, `status` (the digest's sections now), and each person's
 * reminders. It reads the other families through their `digest` and `reminders`, so it is given
 * them (the registry) rather than listed in FAMILIES.
 */
export function digestFamily(services: Services, families: () => readonly CommandFamily[]): CommandFamily {
  const digests = new DigestRepository(services.tables);
  const schedule = new ScheduleStore(services.tables);
  const subscriptions = digestSubscriptions({ services, digests, schedule });
  const delivery = digestDelivery({
    digests,
    sources: { families, audit: services.audit, logger: services.logger },
  });
  const settings = reminderSettings(new ReminderStore(services.tables));

  return {
    words: ['digest', 'status', 'reminders'],
    area: 'Committee digests',
    summary: 'The position put in front of committees on a schedule, and reminders of what people owe',
    commands: [
      command({
        words: ['status'],
        help: {
          summary: 'The partnership at a glance: every section of the digest, as it stands now',
          usage: 'status [sections=<list>]',
          examples: ['status', 'status sections=kpi,risk'],
          details: SECTIONS_HELP,
        },
        role: 'viewer',
        bound: true,
        positional: [],
        args: sectionsOnly,
        run: delivery.status,
      }),
      command({
        words: ['digest', 'subscribe'],
        help: {
          summary: 'Post the digest here on a schedule, London time (editor)',
          usage:
            'digest subscribe weekly day=<day> at=<HH:MM> | monthly day=<1-28|last> at=<HH:MM> | cron="<min hour day month weekday>" [sections=<list>]',
          examples: [
            'digest subscribe weekly day=Monday at=09:00',
            'digest subscribe monthly day=1 at=08:30',
            'digest subscribe cron="0 9 * * 1" sections=kpi,risk,budget',
          ],
          details: `Times are London wall-clock time, in GMT and BST alike. ${SECTIONS_HELP}`,
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'kind', optional: true, rest: true }],
        args: subscribeArgs,
        run: subscriptions.subscribe,
      }),
      command({
        words: ['digest', 'list'],
        help: {
          summary: "This conversation's digests, with the next time each is posted",
          usage: 'digest list',
          examples: ['digest list'],
        },
        role: 'viewer',
        bound: true,
        positional: [],
        args: z.strictObject({}),
        run: subscriptions.list,
      }),
      command({
        words: ['digest', 'unsubscribe'],
        help: {
          summary: 'Stop one of the digests posted here (editor)',
          usage: 'digest unsubscribe <D-number>',
          examples: ['digest unsubscribe D-2'],
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'id' }],
        args: z.strictObject({ id: field.itemId('digest', 'D-2', digestId, 'digest unsubscribe D-2') }),
        run: subscriptions.unsubscribe,
      }),
      command({
        words: ['digest', 'preview'],
        help: {
          summary: 'Show the digest here now; nothing is recorded',
          usage: 'digest preview [sections=<list>]',
          examples: ['digest preview', 'digest preview sections=kpi'],
          details: SECTIONS_HELP,
        },
        role: 'viewer',
        bound: true,
        positional: [],
        args: sectionsOnly,
        run: delivery.preview,
      }),
      command({
        words: ['digest', 'now'],
        help: {
          summary: "Post the digest here now; it counts as this conversation's last digest (editor)",
          usage: 'digest now [sections=<list>]',
          examples: ['digest now'],
          details: SECTIONS_HELP,
        },
        role: 'editor',
        bound: true,
        positional: [],
        args: sectionsOnly,
        run: delivery.now,
      }),
      command({
        words: ['reminders'],
        help: {
          summary: 'Your reminders of decisions, reviews and figures you owe: on or off (in your personal chat)',
          usage: 'reminders [on|off]',
          examples: ['reminders off', 'reminders on', 'reminders'],
        },
        role: 'viewer',
        bound: false,
        positional: [{ name: 'setting', optional: true }],
        args: z.strictObject({
          setting: z
            .string({ error: 'say reminders on or reminders off' })
            .trim()
            .toLowerCase()
            .pipe(z.enum(['on', 'off'], { error: 'say reminders on or reminders off' }))
            .optional(),
        }),
        run: settings.reminders,
      }),
    ],
  };
}

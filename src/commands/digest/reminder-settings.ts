import type { ReminderStore } from '../../storage/reminders.js';
import { UsageError } from '../errors.js';
import { done, notice } from '../kit/replies.js';
import type { OpenRequest, Reply } from '../types.js';

/** `reminders on` / `reminders off` / `reminders`: each person's own choice, said in their personal chat with the bot. */
export function reminderSettings(store: ReminderStore) {
  async function reminders(ctx: OpenRequest<{ setting?: 'on' | 'off' }>): Promise<Reply> {
    if (ctx.conversation.type !== 'personal') {
      throw new UsageError(
        'Reminders are your own choice: say reminders on or reminders off in your personal chat with me, not here.',
        ['reminders'],
      );
    }
    const { setting } = ctx.args;
    const tenantId = ctx.conversation.tenantId;
    if (setting === undefined) {
      const person = await store.person(tenantId, ctx.actor.id);
      // Said here, so the chat is where the reminders will come.
      await store.rememberPersonalChat(tenantId, ctx.actor, ctx.conversation.id, ctx.now);
      const on = person?.reminders !== 'off';
      return notice(
        'default',
        `Your reminders are ${on ? 'on' : 'off'}`,
        on
          ? 'I remind you here of what you owe: decisions due within a day, and each week your overdue risk reviews and missing KPI figures.'
          : 'I send you no reminders. The committee digest still lists what is due.',
        { hint: on ? 'Type reminders off to stop them.' : 'Type reminders on to have them again.' },
      );
    }
    await store.setReminders(tenantId, ctx.actor, ctx.conversation.id, setting, ctx.now);
    return setting === 'on'
      ? done(
          'Reminders on',
          'I will remind you here of decisions due within a day, and each week of your overdue risk reviews and missing KPI figures.',
          { hint: 'Type reminders off to stop them.' },
        )
      : done('Reminders off', 'I will send you no reminders. The committee digest still lists what is due.', {
          hint: 'Type reminders on to have them again.',
        });
  }

  return { reminders };
}
